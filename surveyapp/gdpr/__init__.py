"""Data protection: consent, withdrawal, erasure, retention and subject access (GDPR)."""

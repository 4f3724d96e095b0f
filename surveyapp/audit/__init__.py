"""Audit trail: an append-only, hash-chained record of what staff read, exported and changed."""

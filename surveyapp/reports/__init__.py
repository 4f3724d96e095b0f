"""Evaluation reports: datasets (queries), analysis (pure statistics), model and pdf (rendering)."""

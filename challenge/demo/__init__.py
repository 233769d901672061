"""Reproducible demo data: a believable regional challenge, clearly marked as a demo."""

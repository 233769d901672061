"""Editions of the challenge: their calendar and statuses, the rules they follow, how organisers
create and run them, which edition a household takes part in, and what it did in past ones."""

"""The command line (`python -m challenge …`): migrate, load reference data, demo data, backups,
open data, outlines, mails, aggregates."""

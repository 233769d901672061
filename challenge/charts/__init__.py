"""Altair charts of progress, teams and dashboards, each with its text alternative (a sentence
and the data as a table)."""

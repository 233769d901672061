"""The pre-aggregated counts (edition × week × commune × category/service/alternative, and per
team) kept in step with the raw rows, and how they are read. Nothing here names a household."""

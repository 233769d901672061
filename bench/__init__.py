"""Benchmarks (not tests): `python bench/load.py --help`."""

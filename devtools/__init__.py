"""Tools shared by the test suite and the benchmarks: starting the real app, driving Chromium.

Never imported by the app itself (the import contracts of `make lint` check it).
"""

"""Helpers of the reliability tests: a cuttable TCP proxy, writer processes, app servers."""

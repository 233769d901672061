"""Everything published to people not entitled to the raw rows: statistical secrecy, territory
dashboards, edition comparisons, durability, downloads and open data."""

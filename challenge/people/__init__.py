"""People and roles in the organiser console: finding accounts, granting and revoking roles,
inviting council agents by a one-time link."""

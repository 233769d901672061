"""Collectives (teams): membership and invitation codes, captains and their tools, what a team
sees of itself, the leaderboard, and carrying teams over into a new edition."""

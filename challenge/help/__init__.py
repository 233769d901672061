"""Help to switch: local help sessions (challenge.help.sessions) and « J'ai besoin d'aide »
requests answered by a team's captain or an organiser (challenge.help.requests), or by the
territory's volunteers when the household shares them (challenge.help.volunteers)."""

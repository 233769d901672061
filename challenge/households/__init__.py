"""A household's own challenge: onboarding and its plan of services, its members, weekly
check-ins (per member too), progress and badges, follow-ups after an edition, its GDPR rights and
the retention of its data."""

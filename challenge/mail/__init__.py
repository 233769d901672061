"""Reaching households outside the app: mail texts, the outbox and its SMTP transport, consent and
unsubscribe links, weekly reminders and digests, follow-up invitations, the private calendar."""

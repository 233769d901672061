"""Accounts and who may do what: sign-up, log-in and server-side sessions, passwords, throttling,
identity providers (OpenID Connect), preferences, organisers' reach and the audit trail."""

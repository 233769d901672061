"""Plumbing: settings, database engines and units of work, migrations, logs, backups, uploads,
and the settings of the outside services we talk to (SMTP relay, identity providers)."""

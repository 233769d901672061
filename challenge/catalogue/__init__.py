"""The catalogue of Big Tech services and their alternatives: reading and validating its files,
writing it to the database, what is offered where, and comparable snapshots of it."""

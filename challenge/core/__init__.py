"""The vocabulary and pure rules everything else builds on: errors, translations, labels, the
edition calendar, the score. No database, no I/O."""

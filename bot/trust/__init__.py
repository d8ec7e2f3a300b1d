"""Privacy and trust: the welcome note, data rights, roles, quiet voices, retention, settings."""

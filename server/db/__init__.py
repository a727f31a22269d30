"""The central server's own database: models, engine and migrations (separate from the hall's)."""

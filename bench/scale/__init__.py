"""Scale benchmark: a million replies on SQLite and PostgreSQL, served and loaded (`make bench`)."""

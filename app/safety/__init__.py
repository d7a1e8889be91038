"""Pure text pipeline: sanitising (and later screening). No database, no HTTP, no app imports."""

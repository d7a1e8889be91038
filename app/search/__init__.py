"""Full-text search over published stories and replies."""

"""Stories and their threaded replies (one post id space), with edit history."""

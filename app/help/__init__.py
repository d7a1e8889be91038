"""Help-now: crisis resources for this deployment, shown on their page and on the crisis path."""

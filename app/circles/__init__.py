"""Circles: the topic rooms stories are shared in."""

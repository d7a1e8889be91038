"""Supportive reactions on posts: support, me too, helpful, thank you. No downvotes."""

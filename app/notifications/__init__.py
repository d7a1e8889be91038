"""In-app notices: replies to your posts, reactions, moderators' decisions, reviewed reports."""

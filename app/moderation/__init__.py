"""Moderation: reports, a prioritised queue, decisions, sanctions, appeals, the audit log."""

"""Pseudonymous accounts, passwords, recovery codes and revocable sessions."""

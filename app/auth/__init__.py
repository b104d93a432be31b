"""Facilitator accounts, login sessions and CSRF protection."""

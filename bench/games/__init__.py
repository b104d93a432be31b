"""The team games: every input live on the teammates' phones (run.py)."""

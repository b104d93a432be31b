"""The plan autosave: N editor pages saving every few seconds (run.py)."""

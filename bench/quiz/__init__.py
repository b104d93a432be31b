"""The quiz answers: one question, N phones answer at once (run.py)."""

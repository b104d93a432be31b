"""The live broadcast: one room, N phones, "next activity" (run.py)."""

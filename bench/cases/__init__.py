"""The case tagging: the room tags a case live over its websockets (run.py)."""

"""Activity kinds: one package each, listed in `app/kinds.py`."""

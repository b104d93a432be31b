"""Points: an append-only ledger of awards, and the team and individual boards computed from it."""

"""Waiting on a condition, never on a fixed time: a busy machine takes longer, not a wrong turn."""

import time
from collections.abc import Callable

LIMIT = 60.0  # seconds: far more than any condition takes on a quiet machine


def until(condition: Callable[[], object], limit: float = LIMIT, what: str = "the condition") -> None:
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not hold within {limit} s")
        time.sleep(0.02)

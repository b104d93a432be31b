"""Reading the websocket: the next message that carries what a test waits for."""

import time

from tests.support.clients import ORIGIN

HEADERS = {"origin": ORIGIN}


def receive_until(ws, needle: str, limit: float = 30.0) -> str:
    """The next message containing needle, skipping heartbeats and other updates."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        message = ws.receive_text()
        if needle in message:
            return message
    raise AssertionError(f"no message with {needle!r} within {limit}s")

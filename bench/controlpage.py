"""The facilitator's control page websocket, read in a thread of the parent process.

It connects as the page does (the facilitator's cookies and the page's Origin), waits for the
snapshot, then timestamps every update of the `control-main` region and reads the respondent
count it shows ("N 人已作答", or "N answered" in English).
"""

import re
import threading
import time

from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

MAIN = 'id="control-main"'
RESPONDENTS = re.compile(r"(\d+)\s*(?:人已作答|answered)")


def respondents(html: str) -> int | None:
    found = RESPONDENTS.search(html)
    return int(found.group(1)) if found else None


class ControlPage:
    """`with ControlPage(url, origin, cookies) as page:` — page.updates is a list of
    (time.time(), respondents shown or None), one per control-main update after the snapshot."""

    def __init__(self, url: str, origin: str, cookie_header: str, timeout: float = 30.0):
        self.url, self.origin, self.cookie_header, self.timeout = url, origin, cookie_header, timeout
        self.updates: list[tuple[float, int | None]] = []
        self.messages = 0
        self.closed: str | None = None  # why, when the server closed it unasked
        self._stop = threading.Event()
        self._socket = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> "ControlPage":
        self._socket = connect(self.url, origin=self.origin,
                               additional_headers={"Cookie": self.cookie_header},
                               compression=None, proxy=None, ping_interval=None, max_size=None,
                               open_timeout=self.timeout, close_timeout=5)
        try:
            first = self._socket.recv(timeout=self.timeout)
            if not isinstance(first, str) or MAIN not in first or "data-snapshot" not in first:
                raise RuntimeError(f"the control page's first message is not a snapshot: "
                                   f"{str(first)[:120]!r}")
            self._thread = threading.Thread(target=self._read, name="control-page", daemon=True)
            self._thread.start()
        except BaseException:
            self._socket.close()
            raise
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._socket.close()
        if self._thread is not None:
            self._thread.join(10)

    def _read(self) -> None:
        while not self._stop.is_set():
            try:
                message = self._socket.recv(timeout=0.5)
            except TimeoutError:
                continue
            except ConnectionClosed as closed:
                if not self._stop.is_set():
                    self.closed = f"{closed.rcvd.code if closed.rcvd else ''} {closed}".strip()
                return
            now = time.time()
            self.messages += 1
            if isinstance(message, str) and MAIN in message:
                self.updates.append((now, respondents(message)))

    def between(self, start: float, end: float) -> list[tuple[float, int | None]]:
        return [update for update in list(self.updates) if start <= update[0] <= end]

    def settle(self, expected: int, quiet: float = 2.0, limit: float = 120.0) -> bool:
        """Wait until the last update shows `expected` respondents and `quiet` seconds pass
        without another, or `limit` seconds; True if the count was reached."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            updates = list(self.updates)
            last = updates[-1] if updates else (0.0, None)
            if last[1] == expected and time.time() - last[0] >= quiet:
                return True
            time.sleep(0.1)
        return bool(self.updates) and self.updates[-1][1] == expected

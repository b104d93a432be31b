"""The facilitator's control page websocket (or the screen's), read in a thread of the parent.

It connects as the page does (the facilitator's cookies and the page's Origin), waits for the
snapshot, then timestamps every update of the `control-main` region and reads the respondent
count it shows ("N 人已作答", or "N answered" in English). Given another region and count
(the screen: `screen-stage`, "N 人已完成"), it reads that page the same way.
"""

import re
import threading
import time

from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

MAIN = 'id="control-main"'
SCREEN = 'id="screen-stage"'
RESPONDENTS = re.compile(r"(\d+)\s*(?:人已作答|answered)")
FINISHED = re.compile(r"(\d+)\s*(?:人已完成|finished)")


def respondents(html: str, count: re.Pattern = RESPONDENTS) -> int | None:
    found = count.search(html)
    return int(found.group(1)) if found else None


class ControlPage:
    """`with ControlPage(url, origin, cookies) as page:` — page.updates is a list of
    (time.time(), respondents shown or None), one per control-main update after the snapshot
    (or per update of `region`, with the count `count` reads)."""

    def __init__(
        self,
        url: str,
        origin: str,
        cookie_header: str,
        timeout: float = 30.0,
        region: str = MAIN,
        count: re.Pattern = RESPONDENTS,
    ):
        self.url, self.origin, self.cookie_header, self.timeout = url, origin, cookie_header, timeout
        self.region, self.count = region, count
        self.first: int | None = None  # the count the snapshot showed
        self.updates: list[tuple[float, int | None]] = []
        self.messages = 0
        self.closed: str | None = None  # why, when the server closed it unasked
        self._stop = threading.Event()
        self._socket = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> "ControlPage":
        self._socket = connect(
            self.url,
            origin=self.origin,
            additional_headers={"Cookie": self.cookie_header},
            compression=None,
            proxy=None,
            ping_interval=None,
            max_size=None,
            open_timeout=self.timeout,
            close_timeout=5,
        )
        try:
            first = self._socket.recv(timeout=self.timeout)
            if not isinstance(first, str) or self.region not in first or "data-snapshot" not in first:
                raise RuntimeError(f"the page's first message is not a snapshot: {str(first)[:120]!r}")
            self.first = respondents(first, self.count)
            self._thread = threading.Thread(target=self._read, name="facilitator-page", daemon=True)
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
            if isinstance(message, str) and self.region in message:
                self._seen(now, message)

    def _seen(self, now: float, message: str) -> None:
        """One update of the region: what a subclass reads from it."""
        self.updates.append((now, respondents(message, self.count)))

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


def page_figures(page: ControlPage, window: list[float], answered: int) -> dict:
    """The page's updates while the answers came in (the window: first tap to last reply) and
    after it, until the page settled; `answered` is the count it should show last."""
    start, end = window
    during = page.between(start, end)
    after = page.between(end + 1e-6, float("inf"))
    times = [when for when, _ in during + after]
    last = times[-1] if times else end
    final = page.updates[-1][1] if page.updates else None
    return {
        "updates_in_window": len(during),
        "updates_per_second": round(len(during) / max(end - start, 1e-3), 2),
        "max_in_one_second": max((sum(1 for t in times if s <= t < s + 1) for s in times), default=0),
        "updates_after_window": len(after),
        "last_update_after_s": round(max(last - end, 0), 2),
        "updates_per_second_overall": round(len(times) / max(last - start, 1e-3), 2),
        "final_respondents": final,
        "final_equals_answered": final == answered,
        "messages": page.messages,
        "closed": page.closed,
        "updates": [[round(when - start, 3), count] for when, count in page.updates if when >= start],
    }

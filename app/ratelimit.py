"""Limits kept in memory: a sliding window per key (a client IP), and a growing delay per key
(an account) after failed attempts."""

import threading
import time
from collections import defaultdict, deque
from typing import Protocol


class Limiter(Protocol):
    """A number of hits per key and minute (kept here, or in Redis for several workers)."""

    def allow(self, key: str) -> bool: ...

    def full(self, key: str) -> bool: ...


class RateLimiter:
    def __init__(self, per_minute: int):
        self.per_minute = per_minute
        self._hits: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        """Count a hit, unless the key had its minute's worth already."""
        with self._lock:
            hits = self._recent(key)
            if len(hits) >= self.per_minute:
                return False
            hits.append(time.monotonic())
            return True

    def full(self, key: str) -> bool:
        """Whether the key had its minute's worth, without counting a hit."""
        with self._lock:
            return len(self._recent(key)) >= self.per_minute

    def _recent(self, key: str) -> deque[float]:
        now, hits = time.monotonic(), self._hits[key]
        while hits and now - hits[0] > 60:
            hits.popleft()
        return hits


class Backoff:
    """Failed attempts per key (an account's name): after `free` failures, the next attempt must
    wait, twice as long after each further failure, up to `longest` seconds; a success, or
    `forget_after` seconds without a failure, starts over. A slowing delay, not a lock: someone
    guessing a password from many addresses gets a try a minute, and the account's owner is never
    shut out for longer than that."""

    MAX_KEYS = 10_000  # names typed at random must not fill the memory

    def __init__(self, free: int = 5, longest: float = 60.0, forget_after: float = 900.0):
        self.free, self.longest, self.forget_after = free, longest, forget_after
        self._failures: dict[str, tuple[int, float]] = {}  # key → (failures, the last one's time)
        self._lock = threading.Lock()

    def wait(self, key: str) -> float:
        """Seconds before an attempt for this key is considered; 0 when it may go now."""
        now = time.monotonic()
        with self._lock:
            failures, last = self._failures.get(key, (0, now))
            if failures < self.free or now - last > self.forget_after:
                return 0.0
            return max(0.0, last + self.delay(failures) - now)

    def delay(self, failures: int) -> float:
        return min(self.longest, 2.0 ** (failures - self.free))

    def failed(self, key: str) -> None:
        now = time.monotonic()
        with self._lock:
            failures, last = self._failures.get(key, (0, now))
            if now - last > self.forget_after:
                failures = 0
            self._failures[key] = (failures + 1, now)
            if len(self._failures) > self.MAX_KEYS:
                self._forget(now)

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)

    def _forget(self, now: float) -> None:
        """Drop the stale keys, and if the room is still full the oldest half."""
        kept = {k: v for k, v in self._failures.items() if now - v[1] <= self.forget_after}
        if len(kept) > self.MAX_KEYS:
            kept = dict(sorted(kept.items(), key=lambda item: item[1][1])[len(kept) // 2 :])
        self._failures = kept

"""Where the case is: the server's authoritative play head, kept in the activity's state data
(under "clock"). Not a round timer (app/modules/clock.py): it counts up, seeks and is corrected
by the projector.

A script's position is a line index, moved by the facilitator. A video's is seconds: stored as
the position `at` a moment `since` plus, while playing, the time gone by, so nobody has to write it
as it runs. The projector reports what its player really shows a few times a second; a report
changes the stored clock only when it disagrees (a stall, the end, a seek on the projector
itself), which is rare, so reports cost nothing while all is well. Every facilitator command bumps
`rev`; a report made before the projector applied the latest command is ignored."""

import time
from dataclasses import dataclass

DRIFT = 1.0  # seconds a report may differ from the clock before it is believed


@dataclass(frozen=True)
class PlayHead:
    at: float = 0.0  # seconds or line index
    playing: bool = False  # videos only
    since: float = 0.0  # epoch seconds when `at` was true
    rev: int = 0  # facilitator commands so far
    duration: float | None = None  # a video's length, once the projector knows it

    @classmethod
    def of(cls, data: dict | None) -> "PlayHead":
        raw = (data or {}).get("clock") or {}
        return cls(
            float(raw.get("at", 0)),
            bool(raw.get("playing", False)),
            float(raw.get("since", 0)),
            int(raw.get("rev", 0)),
            raw.get("duration"),
        )

    def stored(self) -> dict:
        return {
            "at": self.at,
            "playing": self.playing,
            "since": self.since,
            "rev": self.rev,
            "duration": self.duration,
        }

    def position(self, now: float | None = None) -> float:
        if not self.playing:
            return self.at
        moved = self.at + max(0.0, (now or time.time()) - self.since)
        return min(moved, self.duration) if self.duration else moved

    def command(self, at: float, playing: bool, now: float | None = None) -> "PlayHead":
        """The facilitator plays, pauses or seeks: a new revision the projector must follow."""
        at = max(0.0, min(at, self.duration) if self.duration else at)
        return PlayHead(at, playing, now or time.time(), self.rev + 1, self.duration)

    def report(
        self, at: float, playing: bool, rev: int, duration: float | None = None, now: float | None = None
    ) -> "PlayHead | None":
        """What the projector shows; a new clock when it should be believed, else None."""
        now = now or time.time()
        duration = duration if duration and duration > 0 else self.duration
        if rev != self.rev:
            return None  # made before the projector applied the latest command
        agrees = playing == self.playing and abs(at - self.position(now)) < DRIFT
        if agrees and duration == self.duration:
            return None
        return PlayHead(max(0.0, at), playing, now, self.rev, duration)


def line_moved(clock: PlayHead, to: int, lines: int) -> PlayHead:
    """A script shows line `to` (kept within the script)."""
    return PlayHead(float(max(0, min(to, lines - 1))), False, time.time(), clock.rev + 1, float(lines))

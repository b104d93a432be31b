"""The round clock every timed activity keeps: which round (a question, a game's round, a quarter),
and whether it is waiting, open, paused, closed, revealed or finished.

Kept in the activity's data in the database. An open round's timer is a start time and a length,
so a restarted server knows at once how long is left, or that time is up; a paused round keeps
the seconds it had left instead; a closed round keeps how long it ran.
"""

from dataclasses import asdict, dataclass, replace
from datetime import datetime

from app.models import utcnow

EXTEND_SECONDS = 30
MARGIN = 0.2  # seconds after a timer's end at which views refresh: the end has surely passed


@dataclass(frozen=True)
class Clock:
    index: int = 0  # the round, from 0
    stage: str = "ready"
    opened_at: str | None = None  # ISO time the timer last (re)started
    seconds: float = 0.0  # the time allowed from opened_at, extensions included
    left: float = 0.0  # while paused: the seconds that were left

    @classmethod
    def of(cls, data: dict | None) -> "Clock":
        known = {k: v for k, v in (data or {}).items() if k in cls.__dataclass_fields__}
        return cls(**known)

    def as_data(self) -> dict:
        return asdict(self)

    def elapsed(self, now: datetime | None = None) -> float:
        if self.opened_at is None:
            return 0.0
        return ((now or utcnow()) - datetime.fromisoformat(self.opened_at)).total_seconds()

    def remaining(self, now: datetime | None = None) -> float:
        if self.stage == "paused":
            return self.left
        return max(0.0, self.seconds - self.elapsed(now)) if self.stage == "open" else 0.0

    def effective_stage(self, now: datetime | None = None) -> str:
        """An open round whose time is up is closed, whether or not anyone said so."""
        if self.stage == "open" and self.remaining(now) <= 0:
            return "closed"
        return self.stage

    def due(self) -> float | None:
        """Seconds until a running timer ends and every view must show it, or None."""
        return self.remaining() + MARGIN if self.effective_stage() == "open" else None

    @property
    def started(self) -> bool:
        return self.stage != "ready" or self.index > 0


def start(clock: Clock, seconds: float) -> Clock:
    return replace(clock, stage="open", opened_at=utcnow().isoformat(), seconds=float(seconds), left=0.0)


def extend(clock: Clock, seconds: float = EXTEND_SECONDS) -> Clock:
    if clock.stage == "paused":
        return replace(clock, left=clock.left + seconds)
    return replace(clock, seconds=clock.seconds + seconds)


def pause(clock: Clock) -> Clock:
    return replace(clock, stage="paused", left=clock.remaining())


def resume(clock: Clock) -> Clock:
    return start(clock, clock.left)


def close(clock: Clock) -> Clock:
    """Closed now: an open round keeps the time it ran as its length (a quiz's speed points are
    shares of it)."""
    ran = min(clock.seconds, clock.elapsed()) if clock.stage == "open" else clock.seconds
    return replace(clock, stage="closed", seconds=ran, left=0.0)


def reveal(clock: Clock) -> Clock:
    return replace(clock, stage="revealed")


def advance(clock: Clock, rounds: int) -> Clock:
    """The next round, waiting to start; after the last, the game is finished."""
    if clock.index + 1 >= rounds:
        return finish(clock)
    return Clock(index=clock.index + 1)


def finish(clock: Clock) -> Clock:
    return replace(clock, stage="finished", left=0.0)

"""The room's tags on a case: stamping a tap with the case position, undo, the timeline of the
room's tags per tag kind, and scoring against the expert's annotations.

A trainee's tags are one stored answer (a list), changed only by their own actions, which the
core performs one at a time per seat: reading the list and writing it back cannot lose a tap."""

import math
import time
from collections import Counter
from dataclasses import dataclass, field

from sqlmodel import Session

from app.errors import ServiceError
from app.live import responses
from app.modules.case.config import CaseConfig, Moment
from app.modules.case.playhead import PlayHead

LATE_SECONDS = 30.0  # a tap may reach the server this late (a slow or briefly dropped link)
LATE_LINES = 2
TIMELINE_BINS = 60  # a video's timeline: about this many bars
SAME_TAP = {"script": 0.0, "video": 1.0}  # the same tag this close again is a double tap


def source(config: CaseConfig) -> str:
    return "script" if config.script is not None else "video"


def stamp(config: CaseConfig, clock: PlayHead, seen: float | None, now: float | None = None) -> float:
    """The position a tap is filed at: the one the phone showed when tapped, if it is believable
    (not ahead of the case, not long behind it), else where the case is now."""
    current = clock.position(now or time.time())
    if source(config) == "script":
        current = float(int(current))
        late = LATE_LINES
        seen = float(int(seen)) if seen is not None and math.isfinite(seen) else None
    else:
        late = LATE_SECONDS
    ahead = 0.0 if source(config) == "script" else 1.0  # a phone's count may run a little fast
    if seen is not None and math.isfinite(seen) and current - late <= seen <= current + ahead:
        return max(0.0, seen)
    return current


def mine(db: Session, session_id: int, activity_id: str, participant_id: int) -> list[dict]:
    return of_answers(responses.mine(db, session_id, activity_id, participant_id))


def of_answers(answers: dict[str, dict]) -> list[dict]:
    """A trainee's tags in their stored answers to the case (by item)."""
    return list(answers.get("", {}).get("tags", []))


def add(
    db: Session,
    session_id: int,
    activity_id: str,
    participant_id: int,
    config: CaseConfig,
    tag: str,
    at: float,
    comment: str = "",
    key: str = "",
) -> list[dict]:
    """File a tag; the same tag again at the same moment (a double tap), or a tap the page sent
    again after its link dropped (the same key), is kept once."""
    if config.tag(tag) is None:
        raise ServiceError("activity.error.invalid")
    tags = mine(db, session_id, activity_id, participant_id)
    if key and any(t.get("k") == key for t in tags):
        return tags
    if any(t["tag"] == tag and abs(t["at"] - at) <= SAME_TAP[source(config)] and not comment for t in tags):
        return tags
    if len(tags) >= config.max_tags:
        raise ServiceError("case.error.too_many", max=config.max_tags)
    serial = max((t["n"] for t in tags), default=0) + 1
    tags.append({"n": serial, "tag": tag, "at": round(at, 2), "comment": comment, "t": time.time(), "k": key})
    _save(db, session_id, activity_id, participant_id, tags)
    return tags


def undo(db: Session, session_id: int, activity_id: str, participant_id: int, serial: int) -> None:
    """Take back one of one's own tags (an unknown one, or one undone already, is no change)."""
    tags = mine(db, session_id, activity_id, participant_id)
    kept = [t for t in tags if t["n"] != serial]
    if kept != tags:
        _save(db, session_id, activity_id, participant_id, kept)


def _save(db: Session, session_id: int, activity_id: str, participant_id: int, tags: list[dict]) -> None:
    responses.save(db, session_id, activity_id, participant_id, {"tags": tags})


def everyone(db: Session, session_id: int, activity_id: str) -> dict[int, list[dict]]:
    """Every trainee's tags: participant id → tags."""
    return {
        r.participant_id: list(r.value.get("tags", [])) for r in responses.every(db, session_id, activity_id)
    }


@dataclass
class Bin:
    index: int
    start: float
    end: float
    counts: Counter = field(default_factory=Counter)  # tag id → taps
    comments: list[tuple[int, str, str]] = field(default_factory=list)  # (participant, tag, text)
    notes: list[Moment] = field(default_factory=list)  # the expert's annotations here

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def bin_width(config: CaseConfig, length: float) -> float:
    """A line; or a few seconds, never finer than the tolerance (taps that close are one moment)."""
    if source(config) == "script":
        return 1.0
    return float(max(1, math.ceil(length / TIMELINE_BINS), math.ceil(config.tolerance)))


def length_of(config: CaseConfig, clock: PlayHead, room: dict[int, list[dict]]) -> float:
    """Lines in a script; a video's duration, or as far as anything reaches if it is not known."""
    if config.script is not None:
        return float(len(config.script.lines))
    reached = [t["at"] for tags in room.values() for t in tags] + [m.at for m in config.annotations]
    return max([clock.duration or 0.0, clock.position(), *reached, 1.0])


def timeline(config: CaseConfig, clock: PlayHead, room: dict[int, list[dict]]) -> list[Bin]:
    """The case cut into bins (a line each, or a few seconds), with the room's taps per tag kind,
    the comments made there, and the expert's annotations."""
    length = length_of(config, clock, room)
    width = bin_width(config, length)
    bins = [Bin(i, i * width, min(length, (i + 1) * width)) for i in range(max(1, math.ceil(length / width)))]
    for person, tags in sorted(room.items()):
        for tag in tags:
            where = bin_at(bins, tag["at"])
            where.counts[tag["tag"]] += 1
            if tag.get("comment"):
                where.comments.append((person, tag["tag"], tag["comment"]))
    for note in config.annotations:
        bin_at(bins, note.at).notes.append(note)
    return bins


def bin_at(bins: list[Bin], position: float) -> Bin:
    """The bin a position falls in (bins are of equal width; the ends take what is outside)."""
    width = bins[0].end - bins[0].start or 1.0
    return bins[max(0, min(len(bins) - 1, int(position // width)))]


def peaks(bins: list[Bin], n: int = 3) -> list[int]:
    """The bins the room tagged most (at least twice), busiest first."""
    busy = sorted((b for b in bins if b.total >= 2), key=lambda b: (-b.total, b.index))
    return [b.index for b in busy[:n]]


def matched(config: CaseConfig, tags: list[dict]) -> list[Moment]:
    """The expert's annotations a trainee's tags meet: a tag of the same kind within the
    tolerance (either side) of it. Each annotation counts once, however many tags meet it."""
    return [
        note
        for note in config.annotations
        if any(t["tag"] == note.tag and abs(t["at"] - note.at) <= config.tolerance for t in tags)
    ]


def score(config: CaseConfig, tags: list[dict]) -> int:
    return config.points * len(matched(config, tags))

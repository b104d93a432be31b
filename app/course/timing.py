"""The day's timing: whether each activity's own clock fits its minutes, and the timetable a
course's activities make (teaching, breaks, changeovers), by unit and for the day.

**Own timing.** A kind says what its own clock needs (`ActivityKind.own_timing`: a game's rounds ×
seconds, a quiz's time limits, a script read aloud). That is only the time on the clock: the
facilitator still introduces the activity, reveals each round or question and debriefs it. So an
activity's `minutes` must hold its own timing plus a quarter of it, and at least a minute
(`MARGIN_SHARE`, `MARGIN_MIN_SECONDS`): five quiz questions of 30 s (2:30) need 4 minutes, four
game quarters of 300 s (20:00) need 25. A quarter is about what a reveal and a sentence of
explanation take after each round of a minute or more; the minute is the least an introduction
takes. It is a floor that refuses plans which cannot fit, not the pace a good session keeps: the
facilitator notes of each activity say that.

**The timetable.** Activities follow each other in the course's order. Between two of them the
room changes over (phones out, teams regrouping, the next slide read): the course's
`schedule.changeover` minutes, or the activity's own `changeover`. A break absorbs the
changeovers on both sides of it (the room leaves when it starts and is back when it ends), unless
the activity says otherwise. The teaching minutes are those of every activity that is not a
break (`ActivityKind.is_break`); the course's `schedule.teaching_hours` promises how many.

Nothing here imports the course models (they use this module): a course, its units and its
activities are read by their attributes.
"""

import math
from dataclasses import dataclass
from typing import Any

MARGIN_SHARE = 0.25  # of the timed part, to introduce, reveal and debrief it
MARGIN_MIN_SECONDS = 60.0  # at least: an introduction takes a minute


def room_around(seconds: float) -> float:
    """The seconds an activity needs beyond its own timing."""
    return max(MARGIN_MIN_SECONDS, MARGIN_SHARE * seconds)


def needed_minutes(seconds: float) -> int:
    """The fewest whole minutes that hold this own timing and the room around it."""
    return math.ceil((seconds + room_around(seconds)) / 60 - 1e-9)


def misfit(minutes: int, timing: Any) -> str | None:
    """Why `minutes` cannot hold the kind's own timing (a `Timing`, or None), or None if it can."""
    if timing is None or timing.seconds <= 0:
        return None
    need = needed_minutes(timing.seconds)
    if minutes >= need:
        return None
    return (
        f"{minutes} minutes cannot hold its own timing ({timing.what} = {clock(timing.seconds)}) with "
        f"{clock(room_around(timing.seconds))} to introduce, reveal and debrief it (a quarter of the "
        f"timed part, at least a minute): plan {need} minutes or more, or shorten its timing"
    )


def clock(seconds: float) -> str:
    """Seconds as m:ss."""
    whole = math.ceil(seconds - 1e-9)
    return f"{whole // 60}:{whole % 60:02d}"


@dataclass(frozen=True)
class Slot:
    """One activity in the day: the changeover before it, then its minutes."""

    activity: Any
    unit_id: str
    is_break: bool
    changeover: int  # minutes before it
    starts: int  # minutes after the day's start, the changeover done

    @property
    def ends(self) -> int:
        return self.starts + self.activity.minutes


@dataclass(frozen=True)
class UnitTime:
    unit_id: str
    teaching: int
    breaks: int
    changeovers: int

    @property
    def total(self) -> int:
        return self.teaching + self.breaks + self.changeovers


@dataclass(frozen=True)
class Timetable:
    slots: tuple[Slot, ...]
    units: dict[str, UnitTime]
    day_starts: int | None  # minutes after midnight, when the course says when it starts

    @property
    def teaching(self) -> int:
        return sum(u.teaching for u in self.units.values())

    @property
    def breaks(self) -> int:
        return sum(u.breaks for u in self.units.values())

    @property
    def changeovers(self) -> int:
        return sum(u.changeovers for u in self.units.values())

    @property
    def total(self) -> int:
        return self.teaching + self.breaks + self.changeovers

    def slot(self, activity_id: str) -> Slot | None:
        return next((s for s in self.slots if s.activity.id == activity_id), None)

    def time_of_day(self, minutes: int) -> str | None:
        """ "HH:MM" that many minutes into the day, when the course says when it starts."""
        if self.day_starts is None:
            return None
        at = (self.day_starts + minutes) % (24 * 60)
        return f"{at // 60:02d}:{at % 60:02d}"

    def start_of(self, activity_id: str) -> str | None:
        slot = self.slot(activity_id)
        return self.time_of_day(slot.starts) if slot else None

    @property
    def ends_at(self) -> str | None:
        return self.time_of_day(self.total)


def timetable(course: Any) -> Timetable:
    """The day the course's activities make, in order."""
    schedule = course.schedule
    default = schedule.changeover if schedule else 0
    slots: list[Slot] = []
    units: dict[str, UnitTime] = {}
    now, before_break = 0, None
    for unit in course.units:
        teaching = breaks = changeovers = 0
        for activity in unit.activities:
            is_break = bool(course.kind_of(activity).is_break)
            if activity.changeover is not None:
                change = activity.changeover if slots else 0
            elif before_break is None or is_break or before_break:
                change = 0  # the day's first activity, or one next to a break
            else:
                change = default
            now += change
            slots.append(Slot(activity, unit.id, is_break, change, now))
            now += activity.minutes
            changeovers += change
            if is_break:
                breaks += activity.minutes
            else:
                teaching += activity.minutes
            before_break = is_break
        units[unit.id] = UnitTime(unit.id, teaching, breaks, changeovers)
    starts = None
    if schedule and schedule.starts:
        hours, minutes = schedule.starts.split(":")
        starts = int(hours) * 60 + int(minutes)
    return Timetable(tuple(slots), units, starts)

"""`break`: a tea break or lunch in the day (the package is `breaktime`: `break` is a Python
keyword). Its length is the activity's `minutes`, and its minutes are a break, not teaching.

It starts by itself when the facilitator puts it on screen. The projector and every phone then
show when the room is back, in the local time of the device that shows it ("休息 · 14:45 回来"),
and a countdown to it on the server's clock. From the control page the facilitator adds minutes
or ends it early; once time is up, or it was ended, every view says the break is over and what
comes next, and the facilitator may start it again. The countdown is a round clock
(app/modules/clock.py) in the activity's state, so a restarted server still ends it on time."""

from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel, Field

from app.course.models import Strict, Text
from app.live import sessions
from app.modules import clock as clocks
from app.modules.clock import Clock
from app.modules.contract import ActivityKind, FacilitatorAction, ViewContext


class BreakConfig(Strict):
    message: Text | None = None  # a line under the time: where lunch is, what to bring back
    extend_minutes: int = Field(default=5, ge=1, le=30)  # what one "+ N minutes" adds


class Seen(BaseModel):
    """The end of the break as the control page showed it (epoch seconds): a second click on
    "+5 minutes" made before the page heard of the first adds nothing."""

    until: float | None = Field(default=None, ge=0)


def clock_of(ctx: ViewContext) -> Clock:
    state = ctx.state or sessions.activity_state(ctx.db, ctx.session.id, ctx.activity.id)
    return Clock.of(state.data if state else None)


def ends_at(clock: Clock) -> datetime | None:
    """When a running break ends."""
    if clock.effective_stage() != "open" or clock.opened_at is None:
        return None
    return datetime.fromisoformat(clock.opened_at) + timedelta(seconds=clock.seconds)


def _save(ctx: ViewContext, clock: Clock) -> float | None:
    sessions.save_activity_data(ctx.db, ctx.session, ctx.course, ctx.activity.id, clock.as_data())
    return clock.due()


def _started(ctx: ViewContext) -> Clock:
    return clocks.start(Clock(), ctx.activity.minutes * 60)


def extend(ctx: ViewContext, seen: Seen) -> float | None:
    """A few more minutes: on a running break, added to it; on one that is over, from now."""
    clock = clock_of(ctx)
    end = ends_at(clock)
    if seen.until is not None and (end is None or abs(end.timestamp() - seen.until) > 1):
        return clock.due()  # the page showed another end: this click was made on the old one
    more = ctx.activity.config.extend_minutes * 60
    return _save(ctx, clocks.extend(clock, more) if end else clocks.start(clock, more))


def end(ctx: ViewContext, _seen: Seen) -> float | None:
    clock = clock_of(ctx)
    if clock.effective_stage() != "open":
        return None
    return _save(ctx, clocks.close(clock))


def restart(ctx: ViewContext, _seen: Seen) -> float | None:
    """The whole break again (it was shown too early, or the room needs it after all)."""
    if clock_of(ctx).effective_stage() == "open":
        return None
    return _save(ctx, _started(ctx))


class BreakKind(ActivityKind):
    name = "break"
    config_model = BreakConfig
    is_break = True
    facilitator_actions = {
        "extend": FacilitatorAction(Seen, extend),
        "end": FacilitatorAction(Seen, end),
        "restart": FacilitatorAction(Seen, restart),
    }

    def shown(self, ctx: ViewContext) -> float | None:
        """On screen for the first time: the break starts now. Shown again later, it goes on
        as it was (running, or over)."""
        if clock_of(ctx).stage != "ready":
            return None
        return _save(ctx, _started(ctx))

    def wakeup(self, ctx: ViewContext) -> float | None:
        return clock_of(ctx).due()

    def context(self, ctx: ViewContext) -> dict[str, Any]:
        clock = clock_of(ctx)
        end_time = ends_at(clock)
        following = ctx.course.neighbour(ctx.activity.id, +1)
        return {
            "stage": clock.effective_stage(),  # ready (not shown yet), open, closed (over)
            "remaining": clock.remaining(),
            "ends": end_time,
            # What the page shows before its script puts the time in the reader's own clock: the
            # server's local time (the server is usually the trainer's laptop in the room).
            "ends_here": end_time.astimezone().strftime("%H:%M") if end_time else "",
            "until": end_time.timestamp() if end_time else None,
            "next": following,
            "next_unit": ctx.course.unit_of(following.id) if following else None,
            "extend_minutes": ctx.activity.config.extend_minutes,
        }

"""`case`: case analysis (专业的视频解析). The room watches a rep–doctor call — a video on the
projector or a role-play script shown line by line — and taps tags ("数据型线索", "错过信号" …) when
it sees them; each tap is stamped with the case position. The timeline of the room's tags, with
the expert's annotations beside it, is the debrief; points go to tags near the expert's.

The source (playhead.py: where the case is; media.py: the video file) is behind one idea of a
position, so the tags, the timeline and the scoring (tags.py) do not care which it is."""

from typing import Annotated, Any

from pydantic import BaseModel, Field, StringConstraints

from app.course.models import Activity, Course
from app.errors import ServiceError
from app.fields import Count, Id, NoPayload
from app.live import participants, responses, sessions
from app.modules.case import exports, routes, tags
from app.modules.case.config import CaseConfig
from app.modules.case.media import content_video
from app.modules.case.playhead import PlayHead, line_moved
from app.modules.contract import (
    Action,
    ActionContext,
    ActivityKind,
    FacilitatorAction,
    Sheet,
    Timing,
    ViewContext,
)
from app.points import ledger

COMMENT_CHARS = 60
SKIP_SECONDS = 10


class Tap(BaseModel):
    tag: Id
    key: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{0,32}$")] = ""  # the page's id of this tap
    seen: float | None = Field(default=None, ge=0, le=6 * 3600)  # the position the phone showed
    comment: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""


class Undo(BaseModel):
    n: Count = Field(ge=1)  # the tag's number, from 1


class Command(BaseModel):
    rev: Count  # the revision the control page showed: a double click moves once
    at: float | None = Field(default=None, ge=0, le=6 * 3600)


class Shown(BaseModel):
    shown: bool


def _data(ctx: ViewContext | ActionContext) -> dict:
    return dict(ctx.state.data) if ctx.state else {}


def tap(ctx: ActionContext, payload: Tap) -> None:
    config: CaseConfig = ctx.activity.config
    comment = " ".join(payload.comment.split())
    if len(comment) > COMMENT_CHARS:
        raise ServiceError("case.error.comment_too_long", max=COMMENT_CHARS)
    at = tags.stamp(config, PlayHead.of(_data(ctx)), payload.seen)
    tags.add(
        ctx.db,
        ctx.session.id,
        ctx.activity.id,
        ctx.participant.id,
        config,
        payload.tag,
        at,
        comment,
        payload.key,
    )


def untap(ctx: ActionContext, payload: Undo) -> None:
    tags.undo(ctx.db, ctx.session.id, ctx.activity.id, ctx.participant.id, payload.n)


def _save(ctx: ViewContext, data: dict) -> None:
    sessions.save_activity_data(ctx.db, ctx.session, ctx.course, ctx.activity.id, data)


def _commanded(change):
    """A facilitator command on the clock, ignored when the page that sent it was out of date
    (a double click, or a second facilitator pressing the same button)."""

    def handle(ctx: ViewContext, payload: Command) -> None:
        data = _data(ctx)
        clock = PlayHead.of(data)
        if payload.rev != clock.rev:
            return
        _save(ctx, change(ctx, data, clock, payload))

    return handle


def _video(position_of):
    def change(ctx, data, clock, payload):
        if ctx.activity.config.script is not None:
            raise ServiceError("error.bad_request")
        if not _has_video(ctx.activity.config, data):
            raise ServiceError("case.needs_video", status=409)  # nothing to play yet
        at, playing = position_of(clock, payload)
        return {**data, "clock": clock.command(at, playing).stored()}

    return change


def _has_video(config: CaseConfig, data: dict) -> bool:
    """A video case's film is in the course folder or was uploaded in this session."""
    return bool(data.get("media")) or bool(config.video and config.video.file)


def _line(step: int | None):
    def change(ctx, data, clock, payload):
        script = ctx.activity.config.script
        if script is None:
            raise ServiceError("error.bad_request")
        to = int(clock.at) + step if step is not None else int(payload.at or 0)
        return {**data, "clock": line_moved(clock, to, len(script.lines)).stored()}

    return change


def _jump(ctx, data, clock, payload):
    """Go to a moment of the timeline (paused there) and show what was said and tagged at it."""
    at = payload.at or 0.0
    moved = (
        _line(None)(ctx, data, clock, payload)
        if ctx.activity.config.script is not None
        else {**data, "clock": clock.command(at, False).stored()}
    )
    return {**moved, "focus": at, "timeline": True}


def show_timeline(ctx: ViewContext, payload: Shown) -> None:
    data = _data(ctx)
    _save(ctx, {**data, "timeline": payload.shown, **({} if payload.shown else {"focus": None})})


def award(ctx: ViewContext, _payload: NoPayload) -> None:
    """Points for tags near the expert's annotations, once per trainee, after the case closed."""
    if ctx.phase != "closed":
        raise ServiceError("case.error.close_first", status=409)
    config: CaseConfig = ctx.activity.config
    for person, mine in tags.everyone(ctx.db, ctx.session.id, ctx.activity.id).items():
        points = tags.score(config, mine)
        if points > 0:
            ledger.award(
                ctx.db,
                ctx.session.id,
                activity_id=ctx.activity.id,
                reason="case.expert",
                points=points,
                key=award_key(ctx.activity.id, person),
                participant_id=person,
            )
    _save(ctx, {**_data(ctx), "awarded": True})


def award_key(activity_id: str, participant_id: int) -> str:
    return f"case:{activity_id}:{participant_id}"


class CaseKind(ActivityKind):
    name = "case"
    config_model = CaseConfig
    scripts = ("/static/kinds/case/case.js",)
    router = routes.router  # the video: upload, range requests, the projector's reports
    phases = ("open", "closed")  # open: the room tags
    own = True  # each trainee's tag buttons and their own tags
    actions = {"tag": Action(Tap, tap), "untag": Action(Undo, untap)}
    facilitator_actions = {
        "play": FacilitatorAction(Command, _commanded(_video(lambda c, p: (c.position(), True)))),
        "pause": FacilitatorAction(Command, _commanded(_video(lambda c, p: (c.position(), False)))),
        "seek": FacilitatorAction(Command, _commanded(_video(lambda c, p: (p.at or 0.0, c.playing)))),
        "back": FacilitatorAction(
            Command, _commanded(_video(lambda c, p: (max(0.0, c.position() - SKIP_SECONDS), c.playing)))
        ),
        "ahead": FacilitatorAction(
            Command, _commanded(_video(lambda c, p: (c.position() + SKIP_SECONDS, c.playing)))
        ),
        "next": FacilitatorAction(Command, _commanded(_line(+1))),
        "prev": FacilitatorAction(Command, _commanded(_line(-1))),
        "line": FacilitatorAction(Command, _commanded(_line(None))),
        "jump": FacilitatorAction(Command, _commanded(_jump)),
        "timeline": FacilitatorAction(Shown, show_timeline),
        "award": FacilitatorAction(NoPayload, award, awards=True),
    }

    def own_timing(self, config: CaseConfig) -> Timing | None:
        """A script as its lines are read aloud; a video at least up to its last annotation (its
        full length is known only once it plays)."""
        if config.script is not None:
            return Timing(config.running_seconds, f"{len(config.script.lines)} script lines read aloud")
        if config.video is not None and config.video.notes:
            return Timing(max(n.at for n in config.video.notes), "the video up to its last annotation")
        return None

    def problems(self, course: Course, config: CaseConfig) -> list[str]:
        found = []
        rungs = {r.id for r in course.territory.ladder} if course.territory else set()
        if config.stage is not None and config.stage not in rungs:
            found.append(f"stage: {config.stage!r} is not a rung of the course's adoption ladder")
        shipped = config.video.file if config.video is not None else None
        if shipped is not None and content_video(course.folder, shipped) is None:
            found.append(f"video.file: {shipped!r} is not an MP4 or WebM video in the course folder")
        return found

    def context(self, ctx: ViewContext) -> dict[str, Any]:
        config: CaseConfig = ctx.activity.config
        data = ctx.state.data if ctx.state else {}
        clock = PlayHead.of(data)
        extra: dict[str, Any] = {
            "source": tags.source(config),
            "clock": clock,
            "position": clock.position(),
            "line": _current_line(config, clock),
            "data": data,
            "media": data.get("media"),
            "has_video": _has_video(config, data),
            "labels": {t.id: t for t in config.tags},
            "colours": _colours(ctx.course, config),
        }
        if ctx.participant is not None:  # their own part: their tags, never the room's
            mine = _mine(ctx)
            extra["mine"] = sorted(mine, key=lambda t: -t["n"])
            extra["my_matches"] = tags.matched(config, mine) if ctx.phase == "closed" else []
            extra["my_points"] = tags.score(config, mine) if data.get("awarded") else None
            return extra
        room = _room(ctx)
        extra.update(_tally(room), counts=_counts(config, room))
        bins = _timeline(ctx, room, clock)
        extra.update(
            timeline=bins,
            peaks=tags.peaks(bins),
            most=max((b.total for b in bins), default=0),
            focus=_focus(ctx, bins, data.get("focus")),
            names=_names(ctx, room),
        )
        return extra

    def own_key(self, ctx: ViewContext) -> tuple | None:
        """Everyone who has not tagged yet sees the same buttons (and, closed, the same reading)."""
        return None if _mine(ctx) else ("no tags", ctx.phase)

    def results(self, ctx: ViewContext) -> dict[str, Any]:
        return {**_tally(_room(ctx)), "expert": len(ctx.activity.config.annotations)}

    def facts(self, ctx: ViewContext) -> dict[str, float]:
        config: CaseConfig = ctx.activity.config
        mine = tags.of_answers(responses.mine_here(ctx))
        return {"case.matched": len(tags.matched(config, mine)), "case.annotations": len(config.annotations)}

    def sheets(self, room: Any, activities: list[Activity]) -> list[Sheet]:
        return [exports.case_sheet(room, activities)]


PALETTE = ("#0f766e", "#b91c1c", "#a16207", "#be185d", "#0369a1", "#4d7c0f", "#475569", "#1b1f24")


def _colours(course: Course, config: CaseConfig) -> dict[str, str]:
    """A style cue takes its style's colour; other tags the palette's, in order."""
    others = iter(PALETTE)
    return {
        t.id: course.style(t.style).colour if t.style and course.style(t.style) else next(others)
        for t in config.tags
    }


def _room(ctx: ViewContext) -> dict[int, list[dict]]:
    """Everyone's tags, read once per broadcast."""
    return ctx.once(("case", ctx.activity.id), lambda: tags.everyone(ctx.db, ctx.session.id, ctx.activity.id))


def _mine(ctx: ViewContext) -> list[dict]:
    """A trainee's tags: from the room's, when this broadcast read them already (for the stage),
    else with the answers of the trainees rendered together (a tap's answer reads only theirs)."""
    room = ctx.known(("case", ctx.activity.id))
    if room is not None:
        return room.get(ctx.participant.id, [])
    return tags.of_answers(responses.mine_here(ctx))


def _timeline(ctx: ViewContext, room, clock) -> list[tags.Bin]:
    return ctx.once(
        ("case-timeline", ctx.activity.id), lambda: tags.timeline(ctx.activity.config, clock, room)
    )


def _current_line(config: CaseConfig, clock: PlayHead):
    if config.script is None:
        return None
    lines = config.script.lines
    index = max(0, min(int(clock.at), len(lines) - 1))
    return {
        "index": index,
        "line": lines[index],
        "before": lines[index - 1] if index else None,
        "total": len(lines),
    }


def _tally(room: dict[int, list[dict]]) -> dict[str, int]:
    return {
        "taggers": sum(1 for mine in room.values() if mine),
        "taps": sum(len(mine) for mine in room.values()),
    }


def _counts(config: CaseConfig, room) -> list[tuple[Any, int]]:
    taps = [t["tag"] for mine in room.values() for t in mine]
    return [(tag, taps.count(tag.id)) for tag in config.tags]


def _focus(ctx: ViewContext, bins: list[tags.Bin], at: float | None) -> dict | None:
    """The moment the facilitator jumped to: its bin, what the room said there, and the expert's
    annotations near it (the screen shows those once the case is closed)."""
    if at is None or not bins:
        return None
    here = tags.bin_at(bins, at)
    config: CaseConfig = ctx.activity.config
    near = [n for n in config.annotations if abs(n.at - here.start) <= config.tolerance]
    return {"bin": here, "notes": near}


def _names(ctx: ViewContext, room) -> dict[int, str]:
    """Who made the room's comments, read once per broadcast (the stage asks as well)."""
    ids = {person for person, mine in room.items() if any(t.get("comment") for t in mine)}
    return ctx.once(
        ("case-names", ctx.activity.id),
        lambda: {p.id: p.display_name for p in participants.some(ctx.db, ctx.session.id, ids)} if ids else {},
    )

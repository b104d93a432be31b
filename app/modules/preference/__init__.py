"""`preference`: the thinking-preference questionnaire, one question per screen.

A trainee answers the ranking blocks, then the agree/disagree statements; every answer is saved,
so a refresh or a new phone resumes at the same question. Once all are answered the phone shows
the personal profile (scoring.py). The screen shows the room's map when the facilitator shows
it; the facilitator can also have the app propose discussion pairs of opposite styles (pairs.py).
"""

import random
from typing import Any

from pydantic import BaseModel

from app.course.models import STYLE_IDS, Activity
from app.errors import ServiceError
from app.fields import NoPayload, Number, ShortText, one_or_many
from app.live import participants, responses, sessions
from app.models import Participant
from app.modules.contract import Action, ActionContext, ActivityKind, FacilitatorAction, Sheet, ViewContext
from app.modules.preference import command, exports, pairs, profiles, scoring
from app.modules.preference.config import AGREE_SCALE, Block, PreferenceConfig

CURSOR = "@at"  # the response item holding the question a trainee went back to, if any
Order = one_or_many(4)


class Answer(BaseModel):
    item: ShortText
    order: Order | None = None  # a block: styles, most like me first
    agree: Number | None = None  # a statement: 1–5


class Revisit(BaseModel):
    item: ShortText


def answer(ctx: ActionContext, payload: Answer) -> None:
    config: PreferenceConfig = ctx.activity.config
    mine = _mine(ctx)
    index = _index(config, payload.item)
    if index > _next_index(config, mine):  # a question after the one the trainee is on
        raise ServiceError("preference.error.order", status=409)
    question = config.questions[index]
    if isinstance(question, Block):
        if not scoring.valid_order(payload.order):
            raise ServiceError("preference.error.order_all")
        value = {"order": payload.order}
    else:
        if payload.agree not in AGREE_SCALE:
            raise ServiceError("activity.error.invalid")
        value = {"agree": payload.agree}
    _save(ctx, payload.item, value)
    if CURSOR in mine:  # back at the first unanswered question
        _save(ctx, CURSOR, {"item": None})


def revisit(ctx: ActionContext, payload: Revisit) -> None:
    """Go back to an answered question to change it."""
    config: PreferenceConfig = ctx.activity.config
    if payload.item not in scoring.answered(config, _mine(ctx)):
        raise ServiceError("preference.error.order", status=409)
    _save(ctx, CURSOR, {"item": payload.item})


def _index(config: PreferenceConfig, item: str) -> int:
    ids = [q.id for q in config.questions]
    if item not in ids:
        raise ServiceError("activity.error.invalid")
    return ids.index(item)


def _next_index(config: PreferenceConfig, mine: dict[str, dict]) -> int:
    """The first unanswered question (len(questions) when all are answered)."""
    done = scoring.answered(config, mine)
    return next((n for n, q in enumerate(config.questions) if q.id not in done), len(config.questions))


def _mine(ctx: ActionContext) -> dict[str, dict]:
    return responses.mine_here(ctx)


def _save(ctx: ActionContext, item: str, value: dict) -> None:
    responses.save(ctx.db, ctx.session.id, ctx.activity.id, ctx.participant.id, value, item=item)


class Flag(BaseModel):
    on: bool


def _flag(name: str):
    def handle(ctx: ViewContext, payload: Flag) -> None:
        data = ctx.state.data if ctx.state else {}
        sessions.save_activity_data(
            ctx.db, ctx.session, ctx.course, ctx.activity.id, {**data, name: payload.on}
        )

    return handle


def propose_pairs(ctx: ViewContext, payload: NoPayload) -> None:
    """Pairs of opposite styles among those who finished, kept until proposed again."""
    found = profiles.finished(ctx.db, ctx.session.id, ctx.activity)
    data = ctx.state.data if ctx.state else {}
    groups = [list(g) for g in pairs.propose(found)]
    sessions.save_activity_data(ctx.db, ctx.session, ctx.course, ctx.activity.id, {**data, "pairs": groups})


class PreferenceKind(ActivityKind):
    name = "preference"
    needs = ("styles",)
    config_model = PreferenceConfig
    scripts = ("/static/js/ranking.js",)
    commands = (command.QUALITY,)
    phases = ("open", "closed")
    own = True  # each trainee is at their own question, then sees their own profile
    actions = {"answer": Action(Answer, answer), "revisit": Action(Revisit, revisit)}
    facilitator_actions = {
        "map": FacilitatorAction(Flag, _flag("map_shown")),  # the room map on the screen
        "names": FacilitatorAction(Flag, _flag("names_shown")),  # names in the team mix
        "pairs": FacilitatorAction(NoPayload, propose_pairs),
        "pairs_shown": FacilitatorAction(Flag, _flag("pairs_shown")),
    }
    takeaway = True

    def context(self, ctx: ViewContext) -> dict[str, Any]:
        data = ctx.state.data if ctx.state else {}
        flags = {k: bool(data.get(k)) for k in ("map_shown", "names_shown", "pairs_shown")}
        if ctx.participant is None:
            room = _room(ctx)
            return {**flags, "room": room, "groups": _groups(ctx, data, room)}
        config: PreferenceConfig = ctx.activity.config
        mine = responses.mine_here(ctx)
        result = scoring.score(config, mine)
        if isinstance(result, scoring.Profile):
            return {**flags, "profile": result, "partners": _partners(ctx, data)}
        at = _question_at(config, mine)
        question = config.questions[at]
        return {
            **flags,
            "profile": None,
            "done": result.answered,
            "total": result.total,
            "at": at,
            "question": question,
            "is_block": isinstance(question, Block),
            "options": _options(question, ctx.participant.id) if isinstance(question, Block) else [],
            "current": mine.get(question.id, {}),
            "previous": config.questions[at - 1] if at else None,
            "scale": AGREE_SCALE,
        }

    def own_key(self, ctx: ViewContext) -> tuple | None:
        """A profile is the trainee's own, and so is a block (its styles come in an order of
        their own); an agree/disagree statement, or how far one got once closed, is the same
        for everyone at that point."""
        config: PreferenceConfig = ctx.activity.config
        mine = responses.mine_here(ctx)
        done = len(scoring.answered(config, mine))
        if done == len(config.questions):
            return None
        if ctx.phase != "open":
            return ("unfinished", done)
        question = config.questions[_question_at(config, mine)]
        if isinstance(question, Block):
            return None
        return ("statement", question.id, done, mine.get(question.id, {}).get("agree"))

    def results(self, ctx: ViewContext) -> dict[str, Any]:
        return profiles.room(ctx.db, ctx.session.id, ctx.activity).summary()

    def report(self, doc: Any, words: Any, ctx: ViewContext) -> None:
        exports.report(doc, words, ctx)

    def sheets(self, room: Any, activities: list[Activity]) -> list[Sheet]:
        return [exports.profile_sheet(room)]

    def trainee_columns(self, room: Any, activities: list[Activity]) -> list[tuple[str, dict[int, Any]]]:
        return [exports.primary_column(room)]


def _question_at(config: PreferenceConfig, mine: dict[str, dict]) -> int:
    """The question a trainee sees: the one they went back to, else the first unanswered."""
    back = (mine.get(CURSOR) or {}).get("item")
    ids = [q.id for q in config.questions]
    return ids.index(back) if back in ids else min(_next_index(config, mine), len(ids) - 1)


def _options(block: Block, participant_id: int) -> list[str]:
    """The block's styles in an order of its own for each trainee (and stable for them), so no
    style is always on top."""
    styles = list(STYLE_IDS)
    random.Random(f"{participant_id}:{block.id}").shuffle(styles)
    return styles


def _room(ctx: ViewContext) -> "profiles.RoomMap":
    """The room's map, computed once per snapshot however many views need it."""
    return ctx.once("preference.room", lambda: profiles.room(ctx.db, ctx.session.id, ctx.activity))


def _grouped(ctx: ViewContext, data: dict) -> dict[int, Participant]:
    """The people in the proposed groups, read once per broadcast: the screen lists the groups,
    and each trainee's profile their partners."""
    ids = {pid for group in data.get("pairs", []) for pid in group}
    return ctx.once(
        "preference.grouped", lambda: {p.id: p for p in participants.some(ctx.db, ctx.session.id, ids)}
    )


def _groups(ctx: ViewContext, data: dict, room: "profiles.RoomMap") -> list[list[dict]]:
    """The proposed discussion groups, each person with name and strongest preference."""
    people = _grouped(ctx, data)
    return [
        [{"name": people[pid].display_name, "style": room.primary.get(pid)} for pid in group if pid in people]
        for group in data.get("pairs", [])
    ]


def _partners(ctx: ViewContext, data: dict) -> list[dict]:
    """The people in this trainee's proposed discussion group, once the facilitator shows it."""
    if not data.get("pairs_shown"):
        return []
    group = next((g for g in data.get("pairs", []) if ctx.participant.id in g), [])
    people, room = _grouped(ctx, data), _room(ctx)
    return [
        {"name": people[pid].display_name, "style": room.primary.get(pid)}
        for pid in group
        if pid != ctx.participant.id and pid in people
    ]

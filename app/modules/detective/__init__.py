"""`detective` (思维偏好侦探): each round a short call scene; every player classifies the doctor's
likely thinking preference, then picks the opening message that fits it best. Team points from
correctness (rules.py); the reveal explains the cues and why the message fits."""

from typing import Any

from pydantic import BaseModel

from app.course.models import StyleId
from app.errors import ServiceError
from app.fields import Id
from app.games.engine import Game, Input, Turn
from app.games.room import rosters
from app.live import responses
from app.modules.clock import Clock
from app.modules.contract import ViewContext
from app.modules.detective import rules
from app.modules.detective.config import DetectiveConfig, Scene


class Classify(BaseModel):
    style: StyleId


class Choose(BaseModel):
    message: Id


def _item(index: int) -> str:
    return f"r{index}"


def _scene(turn_or_ctx, index: int) -> Scene:
    return turn_or_ctx.activity.config.scenes[index]


def _mine(turn: Turn) -> dict:
    ctx = turn.ctx
    mine = responses.mine_here(ctx)
    return mine.get(_item(turn.round), {})


def classify(turn: Turn, payload: Classify) -> None:
    _save(turn, {**_mine(turn), "style": payload.style})


def choose(turn: Turn, payload: Choose) -> None:
    mine = _mine(turn)
    if "style" not in mine:
        raise ServiceError("detective.error.classify_first", status=409)
    if payload.message not in {m.id for m in _scene(turn.ctx, turn.round).messages}:
        raise ServiceError("activity.error.invalid")
    _save(turn, {**mine, "message": payload.message, "after": turn.after})


def _save(turn: Turn, value: dict) -> None:
    ctx = turn.ctx
    responses.save(ctx.db, ctx.session.id, ctx.activity.id, ctx.participant.id, value, item=_item(turn.round))


class DetectiveKind(Game):
    name = "detective"
    needs = ("styles",)
    config_model = DetectiveConfig
    # Teammates see how many have chosen a message: the classification alone changes nothing for them.
    inputs = {"classify": Input(Classify, classify, shown_to_team=False), "choose": Input(Choose, choose)}

    def rounds(self, config: DetectiveConfig) -> int:
        return config.rounds or len(config.scenes)

    def round_points(self, ctx: ViewContext, index: int) -> dict[int, int]:
        config: DetectiveConfig = ctx.activity.config
        answers = _answers(ctx, index)
        points = {}
        for team, members in rosters(ctx).items():
            mine = [answers[m] for m in members if m in answers]
            points[team] = rules.team_points(config.scenes[index], mine, len(members), config.seconds)
        return points

    def play_context(self, ctx: ViewContext, clock: Clock, team: int) -> dict[str, Any]:
        scene = _current(ctx, clock)
        answers = _answers(ctx, clock.index)
        members = rosters(ctx).get(team, [])
        mine = answers.get(ctx.participant.id, {})
        return {
            "scene": scene,
            "mine": mine,
            "styles": {s.id: s for s in ctx.course.styles},
            "answered": sum(1 for m in members if "message" in answers.get(m, {})),
            "members": len(members),
            "my_points": _my_points(ctx, clock, mine),
            "team_points": _round_points(self, ctx, clock).get(team, 0),
        }

    def team_key(self, ctx: ViewContext, clock: Clock, team: int) -> tuple | None:
        """A player's part shows their own choices during the round and their points after it:
        teammates with the same share one render (all who have not answered yet, at first)."""
        mine = _answers(ctx, clock.index).get(ctx.participant.id, {})
        if clock.effective_stage() == "revealed":
            return ("team", team, _my_points(ctx, clock, mine))
        return ("team", team, mine.get("style"), mine.get("message"))

    def room_context(self, ctx: ViewContext, clock: Clock) -> dict[str, Any]:
        scene = _current(ctx, clock)
        answers = _answers(ctx, clock.index)
        done = {pid for pid, a in answers.items() if "message" in a}
        progress = [
            {"team": team, "answered": len(done & set(members)), "members": len(members)}
            for team, members in rosters(ctx).items()
        ]
        return {
            "scene": scene,
            "styles": {s.id: s for s in ctx.course.styles},
            "progress": progress,
            "answered": len(done),
            "tally": rules.tally(scene, answers.values()),
            "round_points": _round_points(self, ctx, clock),
        }


def _current(ctx: ViewContext, clock: Clock) -> Scene:
    scenes = ctx.activity.config.scenes
    return scenes[min(clock.index, len(scenes) - 1)]


def _my_points(ctx: ViewContext, clock: Clock, mine: dict) -> int:
    return rules.player_points(_current(ctx, clock), mine, ctx.activity.config.seconds) if mine else 0


def _answers(ctx: ViewContext, index: int) -> dict[int, dict]:
    """This round's answers by player, read once per broadcast."""
    return ctx.once(
        ("detective.answers", index),
        lambda: {
            r.participant_id: r.value
            for r in responses.every(ctx.db, ctx.session.id, ctx.activity.id, item=_item(index))
        },
    )


def _round_points(game: DetectiveKind, ctx: ViewContext, clock: Clock) -> dict[int, int]:
    if clock.stage not in ("revealed", "finished"):
        return {}
    return ctx.once(("detective.points", clock.index), lambda: game.round_points(ctx, clock.index))

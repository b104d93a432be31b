"""`challenge` (资源配置挑战): the Territory Challenge, a quarter per round on the course's sample
territory. A team shares out one quarter's resources among the customers and picks a message style
for each, every member editing the same allocation and seeing each other's edits live; the captain
locks it (so nobody changes it by mistake; a plan counts as it stands when time is up, locked or
not, so a dropped phone never costs a team its quarter). At the reveal the market model
(market.py) moves customers on the adoption ladder and the team earns points for the territory
value it gained."""

from typing import Any, Literal

from pydantic import BaseModel, Field

from app.course.models import Course, StyleId
from app.errors import ServiceError
from app.fields import Id
from app.games import room
from app.games.engine import Game, Input, Turn
from app.live import teamwork
from app.models import utcnow
from app.modules.challenge import market
from app.modules.challenge.config import ChallengeConfig
from app.modules.clock import Clock
from app.modules.contract import ViewContext


class Allocate(BaseModel):
    customer: Id
    resource: Id
    units: int = Field(ge=0, le=100)


class Message(BaseModel):
    customer: Id
    style: StyleId | Literal[""] = ""


class Lock(BaseModel):
    locked: bool


def _save(turn: Turn, item: str, value: dict) -> None:
    turn.save(f"q{turn.round}:{item}", {**value, "at": utcnow().isoformat()})


def _open_plan(turn: Turn) -> dict[str, dict]:
    """The team's answers, refusing a change once the captain has locked this quarter's plan."""
    answers = teamwork.of_team(turn.ctx.db, turn.ctx.session.id, turn.ctx.activity.id, turn.team)
    if answers.get(f"q{turn.round}:lock", {}).get("locked"):
        raise ServiceError("challenge.error.locked", status=409)
    return answers


def allocate(turn: Turn, payload: Allocate) -> None:
    config: ChallengeConfig = turn.ctx.activity.config
    resource = config.resource(payload.resource)
    if resource is None or turn.ctx.course.territory.card(payload.customer) is None:
        raise ServiceError("activity.error.invalid")
    if payload.units > config.max_per_customer:
        raise ServiceError("challenge.error.too_many", n=config.max_per_customer)
    plan = plan_of(_open_plan(turn), turn.round)
    others = sum(n.get(resource.id, 0) for c, n in plan.units.items() if c != payload.customer)
    if others + payload.units > resource.budget:
        raise ServiceError("challenge.error.budget", left=max(resource.budget - others, 0))
    _save(turn, f"{payload.customer}:{resource.id}", {"n": payload.units})


def message(turn: Turn, payload: Message) -> None:
    if turn.ctx.course.territory.card(payload.customer) is None:
        raise ServiceError("activity.error.invalid")
    _open_plan(turn)
    _save(turn, f"{payload.customer}:style", {"style": payload.style})


def lock(turn: Turn, payload: Lock) -> None:
    if teamwork.captain(turn.ctx.db, turn.ctx.session.id, turn.team) != turn.ctx.participant.id:
        raise ServiceError("challenge.error.captain", status=403)
    _save(turn, "lock", {"locked": payload.locked})


def plan_of(answers: dict[str, dict], quarter: int) -> market.Plan:
    """A team's plan for one quarter, from its saved cells ("q0:c-wang:calls" → {"n": 4})."""
    units: dict[str, dict[str, int]] = {}
    styles: dict[str, str] = {}
    prefix = f"q{quarter}:"
    for item, value in answers.items():
        if not item.startswith(prefix) or item.count(":") != 2:
            continue
        _, customer, what = item.split(":")
        if what == "style":
            if value.get("style"):
                styles[customer] = value["style"]
        elif value.get("n"):
            units.setdefault(customer, {})[what] = int(value["n"])
    return market.Plan(units, styles)


def played(clock: Clock) -> int:
    """How many quarters have been played out (revealed)."""
    return clock.index + (1 if clock.stage in ("revealed", "finished") else 0)


class ChallengeKind(Game):
    name = "challenge"
    needs = ("territory", "styles")
    config_model = ChallengeConfig
    inputs = {
        "allocate": Input(Allocate, allocate),
        "message": Input(Message, message),
        "lock": Input(Lock, lock),
    }

    def problems(self, course: Course, config: ChallengeConfig) -> list[str]:
        """Every effect gives one value per rung of the course's ladder: a resource's on the
        customer it is spent on, the speaker programme's on its audience (none on the speaker)."""
        stages = {s.id for s in course.territory.ladder}
        effects = [
            (f"{r.id}.audience", r.audience or {})
            if r.id == config.speakers.resource
            else (f"{r.id}.effect", r.effect)
            for r in config.resources
        ]
        return [
            f"resources.{where}: one value per ladder stage ({', '.join(sorted(stages))})"
            for where, effect in effects
            if set(effect) != stages
        ]

    def rounds(self, config: ChallengeConfig) -> int:
        return config.quarters

    def round_points(self, ctx: ViewContext, index: int) -> dict[int, int]:
        config: ChallengeConfig = ctx.activity.config
        return {
            team: market.points(config, _history(ctx, team, index + 1)[index]) for team in room.answers(ctx)
        }

    def play_context(self, ctx: ViewContext, clock: Clock, team: int) -> dict[str, Any]:
        config: ChallengeConfig = ctx.activity.config
        answers = room.team_answers(ctx, team)
        history = _history(ctx, team, played(clock))
        plan = plan_of(answers, clock.index)
        quarter = history[clock.index] if len(history) > clock.index else None
        standings = (
            history[clock.index - 1].after
            if clock.index and len(history) >= clock.index
            else market.starting_standings(ctx.course.territory)
        )
        return {
            **_common(ctx),
            "plan": plan,
            "by": _by(answers, clock.index),
            "used": _used(config, plan),
            "standings": standings,
            "quarter": quarter,
            "locked": answers.get(f"q{clock.index}:lock", {}),
            "captain": room.captain(ctx, team),
            "points": market.points(config, quarter) if quarter else 0,
        }

    def team_key(self, ctx: ViewContext, clock: Clock, team: int) -> tuple | None:
        """A team sees one plan: its part is rendered once for the captain (who locks it), once
        for the rest."""
        return ("team", team, room.captain(ctx, team) == ctx.participant.id)

    def room_context(self, ctx: ViewContext, clock: Clock) -> dict[str, Any]:
        config: ChallengeConfig = ctx.activity.config
        territory = ctx.course.territory
        names = room.team_names(ctx)
        rows = []
        for team, answers in sorted(
            room.answers(ctx).items(), key=lambda kv: list(names).index(kv[0]) if kv[0] in names else 0
        ):
            if team not in names:
                continue
            history = _history(ctx, team, played(clock))
            plans = [plan_of(answers, q) for q in range(played(clock))]
            plan = plan_of(answers, clock.index)
            rows.append(
                {
                    "name": names[team],
                    "history": history,
                    "used": _used(config, plan),
                    "locked": answers.get(f"q{clock.index}:lock", {}).get("locked", False),
                    "focus": market.focus(territory, plans),
                    "quarter": history[clock.index] if len(history) > clock.index else None,
                }
            )
        start = market.value(market.customers_of(territory), market.starting_standings(territory))
        best = max([r["history"][-1].value_after for r in rows if r["history"]] + [start])
        return {**_common(ctx), "teams": rows, "start_value": start, "best_value": best}


def _common(ctx: ViewContext) -> dict[str, Any]:
    territory = ctx.course.territory
    customers = {c.id: c for c in market.customers_of(territory)}
    return {
        "territory": territory,
        "customers": customers,
        "rungs": territory.ladder,
        "styles": {s.id: s for s in ctx.course.styles},
    }


def _history(ctx: ViewContext, team: int, quarters: int) -> list[market.Quarter]:
    """The team's quarters played so far, worked out once per broadcast."""

    def compute():
        answers = room.team_answers(ctx, team)
        plans = [plan_of(answers, q) for q in range(quarters)]
        return market.play(ctx.activity.config, ctx.course.territory, plans)

    return ctx.once(("challenge.history", team, quarters), compute)


def _used(config: ChallengeConfig, plan: market.Plan) -> list[dict[str, Any]]:
    return [
        {"resource": r, "used": sum(u.get(r.id, 0) for u in plan.units.values()), "budget": r.budget}
        for r in config.resources
    ]


def _by(answers: dict[str, dict], quarter: int) -> dict[str, str]:
    """Who changed each customer's line last (customer id → name)."""
    prefix = f"q{quarter}:"
    cells = sorted(
        (value.get("at", ""), item.split(":")[1], value.get("by", ""))
        for item, value in answers.items()
        if item.startswith(prefix) and item.count(":") == 2
    )
    return {customer: name for _at, customer, name in cells}  # the latest change last, so it wins

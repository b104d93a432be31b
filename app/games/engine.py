"""The engine every team game shares: a game is an activity kind whose base class is `Game`.

A game subclass declares its `inputs` (what a player may send during an open round) and four
hooks: how many rounds, how long each is, each team's points for a round, and its views' data.
A phone shows the round on the room's stage (the game's `play` template, with the room's data)
and, below it, the player's own part (its `own` template: their team's work, their answers).
The engine gives it the round clock the facilitator drives (start, pause, resume, extend, close,
reveal, next, finish), checks every input against the clock and the player's team through the
core's one action path, writes the round's team points to the ledger at the reveal (once, however
often it is pressed), and keeps the live team scoreboard.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from pydantic import BaseModel, Field

from app.errors import ServiceError
from app.games.room import team_names
from app.live import sessions, teamwork
from app.modules import clock as clocks
from app.modules.clock import Clock
from app.modules.contract import Action, ActionContext, ActivityKind, FacilitatorAction, Timing, ViewContext
from app.points import ledger


@dataclass(frozen=True)
class Turn:
    """One accepted input: who sent it, for which team and round, how far into the round."""

    ctx: ActionContext
    round: int
    team: int
    after: float  # seconds since the round's timer started

    def members(self) -> list[int]:
        return teamwork.members(self.ctx.db, self.ctx.session.id, self.team)

    def save(self, item: str, value: dict) -> None:
        """Store the team's answer to `item`, signed by the player who gave it."""
        ctx = self.ctx
        signed = {**value, "by": ctx.participant.display_name}
        teamwork.save(ctx.db, ctx.session.id, ctx.activity.id, self.team, item, signed, ctx.participant.id)


@dataclass(frozen=True)
class Input:
    """A kind of input a game takes during an open round; `handle` stores it through core
    services and raises ServiceError for what the player must be told."""

    payload_model: type[BaseModel]
    handle: Callable[[Turn, Any], None]
    shown_to_team: bool = True  # False when teammates see nothing of it (one's own first step)


class Step(BaseModel):
    round: int | None = Field(default=None, ge=0, le=1000)  # the round the control page showed


class Game(ActivityKind):
    own = True  # each team's work, below the round on the room's stage
    inputs: ClassVar[dict[str, Input]] = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.actions = {
            name: Action(i.payload_model, _checked(i), phases=()) for name, i in cls.inputs.items()
        }
        game = cls()  # games keep no state of their own: one instance serves every step
        cls.facilitator_actions = {
            name: FacilitatorAction(Step, _step(change, game), awards=name in ("reveal", "finish"))
            for name, change in STEPS.items()
        }

    # -- what a game provides -------------------------------------------------------------
    def rounds(self, config: Any) -> int:
        raise NotImplementedError

    def seconds(self, config: Any, index: int) -> float:
        return float(config.seconds)

    def round_points(self, ctx: ViewContext, index: int) -> dict[int, int]:
        """Each team's points for round `index`, from what is stored (team id → points)."""
        raise NotImplementedError

    def play_context(self, ctx: ViewContext, clock: Clock, team: int) -> dict[str, Any]:
        """The round as one team's member sees it in their own part."""
        return {}

    def team_key(self, ctx: ViewContext, clock: Clock, team: int) -> tuple | None:
        """What decides a member's own part (see ActivityKind.own_key): by default their
        team's work alone, so a team's members share one render; a game that shows a player's
        own answers adds them."""
        return ("team", team)

    def room_context(self, ctx: ViewContext, clock: Clock) -> dict[str, Any]:
        """The round as the room's stage, the projector and the control page show it."""
        return {}

    # -- what the engine does ---------------------------------------------------------------
    def context(self, ctx: ViewContext) -> dict[str, Any]:
        clock = clock_of(ctx)
        common = {
            "clock": clock,
            "stage": clock.effective_stage(),
            "remaining": clock.remaining(),
            "number": clock.index + 1,
            "total": self.rounds(ctx.activity.config),
        }
        if ctx.participant is None:
            return {**common, "board": board(ctx), **self.room_context(ctx, clock)}
        team = ctx.participant.team_id
        if team is None:
            return {**common, "team": None}
        return {
            **common,
            "team": team,
            "team_name": team_names(ctx).get(team, ""),
            **self.play_context(ctx, clock, team),
        }

    def own_key(self, ctx: ViewContext) -> tuple | None:
        assert ctx.participant is not None
        team = ctx.participant.team_id
        return ("no team",) if team is None else self.team_key(ctx, clock_of(ctx), team)

    def results(self, ctx: ViewContext) -> dict[str, Any]:
        return {"board": board(ctx)}

    def own_timing(self, config: Any) -> Timing:
        """Every round it plays, on its timer."""
        rounds = self.rounds(config)
        lengths = [self.seconds(config, index) for index in range(rounds)]
        each = f"{lengths[0]:g} s" if len(set(lengths)) == 1 else f"{min(lengths):g}–{max(lengths):g} s"
        return Timing(sum(lengths), f"{rounds} rounds × {each}")

    def wakeup(self, ctx: ViewContext) -> float | None:
        return clock_of(ctx).due()


def clock_of(ctx: ViewContext | ActionContext) -> Clock:
    state = getattr(ctx, "state", None) or sessions.activity_state(ctx.db, ctx.session.id, ctx.activity.id)
    return Clock.of(state.data if state else None)


def board(ctx: ViewContext) -> list[ledger.TeamScore]:
    """The game's team scoreboard, read once per broadcast."""
    return ctx.once(
        ("game.board", ctx.activity.id),
        lambda: ledger.team_board(ctx.db, ctx.session.id, activities={ctx.activity.id}),
    )


def _checked(game_input: Input):
    """The engine's gate in front of a game's input: an open round, a player in a team."""

    def handle(ctx: ActionContext, payload: Any) -> list[int]:
        clock = clock_of(ctx)
        stage = clock.effective_stage(ctx.arrived)  # as it was when the input arrived
        if stage == "paused":
            raise ServiceError("game.error.paused", status=409)
        if stage != "open":
            raise ServiceError("game.error.closed", status=409)
        if ctx.participant.team_id is None:
            raise ServiceError("game.error.no_team", status=409)
        turn = Turn(ctx, clock.index, ctx.participant.team_id, round(clock.elapsed(ctx.arrived), 2))
        game_input.handle(turn, payload)
        return turn.members() if game_input.shown_to_team else [ctx.participant.id]

    return handle


def award(ctx: ViewContext, game: Game, index: int) -> None:
    """The round's team points, once per team and round: a second reveal changes nothing."""
    for team, points in game.round_points(ctx, index).items():
        if points > 0:
            ledger.award(
                ctx.db,
                ctx.session.id,
                activity_id=ctx.activity.id,
                reason=f"{game.name}.round",
                points=points,
                team_id=team,
                key=f"game:{ctx.activity.id}:{index}:{team}",
            )


def _start(clock: Clock, game: Game, ctx: ViewContext) -> Clock:
    if clock.stage != "ready":
        return clock
    return clocks.start(clock, game.seconds(ctx.activity.config, clock.index))


def _pause(clock: Clock, _game, _ctx) -> Clock:
    return clocks.pause(clock) if clock.effective_stage() == "open" else clock


def _resume(clock: Clock, _game, _ctx) -> Clock:
    return clocks.resume(clock) if clock.stage == "paused" else clock


def _extend(clock: Clock, _game, _ctx) -> Clock:
    if clock.effective_stage() not in ("open", "paused"):
        raise ServiceError("game.error.not_open", status=409)
    return clocks.extend(clock)


def _close(clock: Clock, _game, _ctx) -> Clock:
    return clocks.close(clock) if clock.effective_stage() in ("open", "paused") else clock


def _reveal(clock: Clock, game: Game, ctx: ViewContext) -> Clock:
    if clock.effective_stage() not in ("open", "paused", "closed"):
        return clock
    award(ctx, game, clock.index)
    return clocks.reveal(clocks.close(clock))


def _next(clock: Clock, game: Game, ctx: ViewContext) -> Clock:
    if clock.stage != "revealed":
        raise ServiceError("game.error.reveal_first", status=409)
    return clocks.advance(clock, game.rounds(ctx.activity.config))


def _finish(clock: Clock, game: Game, ctx: ViewContext) -> Clock:
    if clock.effective_stage() in ("open", "paused", "closed"):  # the round played counts
        clock = _reveal(clock, game, ctx)
    return clocks.finish(clock)


STEPS: dict[str, Callable[[Clock, Game, ViewContext], Clock]] = {
    "start": _start,
    "pause": _pause,
    "resume": _resume,
    "extend": _extend,
    "close": _close,
    "reveal": _reveal,
    "next": _next,
    "finish": _finish,
}


def _step(change, game: Game):
    """A facilitator's step on the clock. A step meant for a round that has passed (a double
    click) changes nothing. Returns when every view must refresh again: when the timer runs out."""

    def handle(ctx: ViewContext, payload: Step) -> float | None:
        before = clock_of(ctx)
        if payload.round is not None and payload.round != before.index:
            return None
        after = change(before, game, ctx)
        if after != before:
            sessions.save_activity_data(ctx.db, ctx.session, ctx.course, ctx.activity.id, after.as_data())
        return after.due()

    return handle

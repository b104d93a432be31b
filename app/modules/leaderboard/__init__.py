"""`leaderboard`: teams first; the screen shows only the top few people; each phone its own rank.

With `badges`, it also shows the badges the room has earned: each with its description and how
many earned it (their names when few did: a badge is for mastery, and naming those who showed it
is the recognition). With `ceremony` (the closing ceremony), the facilitator reveals it one click
at a time: each badge in the course's order, then the top teams from third place to first, and
at the last click the whole board; the projector and the phones show only what has been
revealed, and the control page says what comes next."""

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, Field

from app.course.models import Badge, Strict, Text
from app.live import participants, sessions
from app.modules.contract import ActivityKind, FacilitatorAction, ViewContext
from app.points import badges, ledger
from app.points.ledger import PersonRank, TeamScore

PODIUM = 3  # teams revealed one by one at a ceremony
NAMES_SHOWN = 8  # a badge earned by more shows how many, not who


class LeaderboardConfig(Strict):
    scope: Literal["unit", "day"] = "unit"  # "unit": points of this unit's activities only
    top: int = Field(default=5, ge=0, le=10)  # people named on the screen; 0 = teams only
    team_score: Literal["average", "sum"] = "average"
    message: Text | None = None  # a line under the boards, e.g. what the points were for
    badges: bool = False  # the badges the room has earned, too
    ceremony: bool = False  # revealed one click at a time: the badges, then the podium


@dataclass(frozen=True)
class Award:
    """A badge at the ceremony, and who earned it."""

    badge: Badge
    holders: list[str]  # display names, in the order earned
    ids: frozenset[int]


@dataclass(frozen=True)
class Step:
    """One reveal of a ceremony: a badge, one team of the podium, or the whole board."""

    award: Award | None = None
    team: TeamScore | None = None
    board: bool = False


class Shown(BaseModel):
    """How many steps the control page showed as revealed: a double click reveals one."""

    shown: int | None = Field(default=None, ge=0, le=1000)


def reveal(ctx: ViewContext, seen: Shown) -> None:
    _move(ctx, seen, +1)


def hide(ctx: ViewContext, seen: Shown) -> None:
    _move(ctx, seen, -1)


def _move(ctx: ViewContext, seen: Shown, step: int) -> None:
    shown = _shown(ctx)
    if seen.shown is not None and seen.shown != shown:
        return  # made on a page that had not heard of the last click yet
    after = max(0, min(shown + step, len(_steps(ctx))))
    if after != shown:
        sessions.save_activity_data(ctx.db, ctx.session, ctx.course, ctx.activity.id, {"shown": after})


class LeaderboardKind(ActivityKind):
    name = "leaderboard"
    config_model = LeaderboardConfig
    own = True  # each phone's own rank, never the whole list
    facilitator_actions = {
        # The ceremony's first click checks every badge once more (awards=True), before the reveal.
        "reveal": FacilitatorAction(Shown, reveal, awards=True),
        "hide": FacilitatorAction(Shown, hide),
    }

    def context(self, ctx: ViewContext) -> dict[str, Any]:
        hidden = ctx.session.leaderboards_hidden
        config: LeaderboardConfig = ctx.activity.config
        if ctx.participant is not None:  # their own part shows only their rank and their badges
            return {"mine": _mine(ctx), "hidden": hidden, "my_awards": _my_awards(ctx)}
        steps = _steps(ctx)
        shown = min(_shown(ctx), len(steps)) if config.ceremony else len(steps)
        revealed = steps[:shown]
        last = revealed[-1] if revealed else None
        return {
            "teams": _teams(ctx),
            "people": _people(ctx),
            "hidden": hidden,
            "awards": [s.award for s in revealed if s.award],
            "podium": [s.team for s in revealed if s.team],
            "podium_size": sum(1 for s in steps if s.team),
            "steps": len(steps),
            "shown": shown,
            "done": shown >= len(steps),
            "last": last,
            "next": steps[shown] if shown < len(steps) else None,
            "names_shown": NAMES_SHOWN,
        }

    def own_key(self, ctx: ViewContext) -> tuple | None:
        """The own part says only a rank, out of how many, the points and the badges revealed:
        trainees alike in those share one render (and, while the boards are hidden, everyone
        without a badge)."""
        mine = None if ctx.session.leaderboards_hidden else _mine(ctx)
        rank = (mine.rank, mine.out_of, mine.points) if mine else ()
        return (rank, tuple(a.badge.id for a in _my_awards(ctx)))

    def results(self, ctx: ViewContext) -> dict[str, Any]:
        return self.context(ctx)


def _teams(ctx: ViewContext) -> list[TeamScore]:
    config: LeaderboardConfig = ctx.activity.config
    return ctx.once(
        ("leaderboard.teams", ctx.activity.id),
        lambda: ledger.team_board(ctx.db, ctx.session.id, activities=_scope(ctx), mode=config.team_score),
    )


def _people(ctx: ViewContext) -> list:
    config: LeaderboardConfig = ctx.activity.config
    if not config.top:
        return []
    return ledger.individual_top(ctx.db, ctx.session.id, n=config.top, activities=_scope(ctx))


def _shown(ctx: ViewContext) -> int:
    data = ctx.state.data if ctx.state else {}
    return int(data.get("shown", 0))


def _awards(ctx: ViewContext) -> list[Award]:
    """The course's badges that someone in the room has earned, in the course's order."""
    config: LeaderboardConfig = ctx.activity.config
    if not config.badges:
        return []

    def read() -> list[Award]:
        earned = badges.earned(ctx.db, ctx.session.id)
        names = {p.id: p.display_name for p in participants.roster(ctx.db, ctx.session.id)}
        found = []
        for badge in ctx.course.badges:
            ids = [pid for pid, held in earned.items() if badge.id in held and pid in names]
            if ids:
                found.append(Award(badge, [names[pid] for pid in ids], frozenset(ids)))
        return found

    return ctx.once(("leaderboard.awards", ctx.activity.id), read)


def _steps(ctx: ViewContext) -> list[Step]:
    """What a ceremony reveals, in order: each badge, then the podium from its lowest place, then
    the whole board (the boards, when the facilitator hides them, are not revealed)."""
    steps = [Step(award=award) for award in _awards(ctx)]
    teams = _teams(ctx)
    if teams and not ctx.session.leaderboards_hidden:
        steps += [Step(team=team) for team in reversed(teams[:PODIUM])] + [Step(board=True)]
    return steps


def _my_awards(ctx: ViewContext) -> list[Award]:
    """The badges this trainee earned among those revealed so far."""
    assert ctx.participant is not None
    config: LeaderboardConfig = ctx.activity.config
    revealed = _awards(ctx)
    if config.ceremony:
        revealed = revealed[: _shown(ctx)]  # the badges come first among the steps
    return [award for award in revealed if ctx.participant.id in award.ids]


def _mine(ctx: ViewContext) -> PersonRank | None:
    """The trainee's rank, from everyone's, read once per broadcast."""
    assert ctx.participant is not None
    standings = ctx.once(
        ("leaderboard", ctx.activity.id),
        lambda: ledger.standings(ctx.db, ctx.session.id, activities=_scope(ctx)),
    )
    return standings.get(ctx.participant.id)


def _scope(ctx: ViewContext) -> set[str] | None:
    """The activities whose points count: this unit's, or None (all of them) for the day."""
    config: LeaderboardConfig = ctx.activity.config
    if config.scope == "day":
        return None
    unit = ctx.course.unit_of(ctx.activity.id)
    return {activity.id for activity in unit.activities} if unit else set()

"""`leaderboard`: teams first; the screen shows only the top few people; each phone its own rank."""

from typing import Any, Literal

from pydantic import Field

from app.course.models import Strict, Text
from app.modules.contract import ActivityKind, ViewContext
from app.points import ledger
from app.points.ledger import PersonRank


class LeaderboardConfig(Strict):
    scope: Literal["unit", "day"] = "unit"  # "unit": points of this unit's activities only
    top: int = Field(default=5, ge=0, le=10)  # people named on the screen; 0 = teams only
    team_score: Literal["average", "sum"] = "average"
    message: Text | None = None  # a line under the boards, e.g. what the points were for


class LeaderboardKind(ActivityKind):
    name = "leaderboard"
    config_model = LeaderboardConfig
    own = True  # each phone's own rank, never the whole list

    def context(self, ctx: ViewContext) -> dict[str, Any]:
        hidden = ctx.session.leaderboards_hidden
        if ctx.participant is not None:  # their own part shows only their rank
            return {"mine": _mine(ctx), "hidden": hidden}
        config: LeaderboardConfig = ctx.activity.config
        scope = _scope(ctx)
        return {
            "teams": ledger.team_board(ctx.db, ctx.session.id, activities=scope, mode=config.team_score),
            "people": ledger.individual_top(ctx.db, ctx.session.id, n=config.top, activities=scope)
            if config.top
            else [],
            "hidden": hidden,
        }

    def own_key(self, ctx: ViewContext) -> tuple | None:
        """The own part says only a rank, out of how many, and the points: trainees tied on
        them share one render (and, while the boards are hidden, everyone)."""
        mine = None if ctx.session.leaderboards_hidden else _mine(ctx)
        return (mine.rank, mine.out_of, mine.points) if mine else ()

    def results(self, ctx: ViewContext) -> dict[str, Any]:
        return self.context(ctx)


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

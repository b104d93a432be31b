"""`leaderboard`: teams first; the screen shows only the top few people; each phone its own rank."""

from typing import Any, Literal

from pydantic import Field

from app.course.models import Strict, Text
from app.modules.contract import ActivityKind, ViewContext
from app.points import ledger


class LeaderboardConfig(Strict):
    scope: Literal["unit", "day"] = "unit"  # "unit": points of this unit's activities only
    top: int = Field(default=5, ge=0, le=10)  # people named on the screen; 0 = teams only
    team_score: Literal["average", "sum"] = "average"
    message: Text | None = None  # a line under the boards, e.g. what the points were for


class LeaderboardKind(ActivityKind):
    name = "leaderboard"
    config_model = LeaderboardConfig
    personal = True  # each phone shows its own rank, never the whole list

    def context(self, ctx: ViewContext) -> dict[str, Any]:
        config: LeaderboardConfig = ctx.activity.config
        scope = _activities(ctx) if config.scope == "unit" else None
        mine = None
        if ctx.participant is not None:  # every phone's rank from one query per snapshot
            standings = ctx.once(
                ("leaderboard", ctx.activity.id),
                lambda: ledger.standings(ctx.db, ctx.session.id, activities=scope),
            )
            mine = standings.get(ctx.participant.id)
        return {
            "teams": ledger.team_board(ctx.db, ctx.session.id, activities=scope, mode=config.team_score),
            "people": ledger.individual_top(ctx.db, ctx.session.id, n=config.top, activities=scope)
            if config.top
            else [],
            "mine": mine,
            "hidden": ctx.session.leaderboards_hidden,
        }

    def results(self, ctx: ViewContext) -> dict[str, Any]:
        return self.context(ctx)


def _activities(ctx: ViewContext) -> set[str]:
    unit = ctx.course.unit_of(ctx.activity.id)
    return {activity.id for activity in unit.activities} if unit else set()

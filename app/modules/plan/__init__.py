"""`plan`: the plan workspace (大客户发展计划书). Each trainee writes one plan per key account on
its own page (routes.py), saved as they type (app.plans.store); the live play view lists their
plans with how complete each is, the control page shows everyone's progress, and closing the
activity locks editing. A complete plan with SMART objectives earns points once, and the badge
rules in the content can ask for `plan.complete`."""

from typing import Any

from app.modules.contract import ActivityKind, ViewContext
from app.modules.plan import routes, workspace
from app.modules.plan.config import PlanConfig
from app.plans import store


class PlanKind(ActivityKind):
    name = "plan"
    needs = ("territory", "styles")
    config_model = PlanConfig
    phases = ("open", "closed")  # closed = the facilitator locked editing
    personal = True
    takeaway = True
    anytime = True  # plans are written all afternoon, whatever is on the screen
    router = routes.router  # the editor's pages and its saves

    def context(self, ctx: ViewContext) -> dict[str, Any]:
        if ctx.participant is None:
            standings = store.standings(ctx.db, ctx.session.id)
            rows = workspace.progress(ctx.db, ctx.session, standings)
            return {
                "progress": rows,
                "writing": sum(r.plans > 0 for r in rows),
                "average": round(sum(r.percent for r in rows) / len(rows)) if rows else 0,
                "sections": _sections_done(standings),
            }
        plans = store.of_participant(ctx.db, ctx.session.id, ctx.participant.id)
        have = {p.customer for p in plans}
        return {
            "plans": plans,
            "suggested": [
                a
                for a in workspace.key_accounts(ctx.db, ctx.session, ctx.course, ctx.participant)
                if a.customer not in have
            ],
            "stages": {s.id: s for s in ctx.course.territory.ladder},
            "full": len(plans) >= store.MAX_PLANS,
        }

    def facts(self, ctx: ViewContext) -> dict[str, float]:
        plans = store.of_participant(ctx.db, ctx.session.id, ctx.participant.id)
        return {"plan.complete": sum(p.percent == 100 for p in plans)}  # complete and SMART

    def results(self, ctx: ViewContext) -> dict[str, Any]:
        return _sections_done(store.standings(ctx.db, ctx.session.id))


def _sections_done(standings: list[store.Standing]) -> dict[str, int]:
    """How many plans in the room have each section done (for the screen's bars)."""
    counts: dict[str, int] = {}
    for plan in standings:
        for section, done in plan.sections.items():
            counts[section] = counts.get(section, 0) + done
    return counts

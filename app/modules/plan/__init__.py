"""`plan`: the plan workspace (大客户发展计划书). Each trainee writes one plan per key account on
its own page (routes.py), saved as they type (app.plans.store); the live play view lists their
plans with how complete each is, the control page shows everyone's progress, and closing the
activity locks editing. A complete plan with SMART objectives earns points once, and the badge
rules in the content can ask for `plan.complete`."""

from typing import Any

from app.modules.contract import ActivityKind, Timing, ViewContext, by_participant
from app.modules.plan import routes, workspace
from app.modules.plan.config import GUIDED, PlanConfig
from app.plans import store

# A considered answer typed on a phone, for one field of the plan (a few lines; the people, the
# objectives and the messages are lists): about two minutes. Seventeen fields are 34 minutes of
# writing before anyone checks a partner's plan.
SECONDS_PER_FIELD = 120


class PlanKind(ActivityKind):
    name = "plan"
    needs = ("territory", "styles")
    config_model = PlanConfig
    phases = ("open", "closed")  # closed = the facilitator locked editing
    own = True  # each trainee's list of plans and the accounts to start one for
    takeaway = True
    anytime = True  # plans are written all afternoon, whatever is on the screen
    router = routes.router  # the editor's pages and its saves

    def own_timing(self, config: PlanConfig) -> Timing:
        """No clock, but a floor: the time it takes to write every field once."""
        return Timing(
            len(GUIDED) * SECONDS_PER_FIELD, f"{len(GUIDED)} fields × {SECONDS_PER_FIELD} s of writing"
        )

    def context(self, ctx: ViewContext) -> dict[str, Any]:
        if ctx.participant is None:
            return ctx.once(("plan-room", ctx.activity.id), lambda: _room(ctx))
        plans = _plans(ctx)
        return {
            "plans": plans,
            "suggested": _suggested(ctx, plans),
            "stages": {s.id: s for s in ctx.course.territory.ladder},
            "full": len(plans) >= store.MAX_PLANS,
        }

    def own_key(self, ctx: ViewContext) -> tuple | None:
        """Without plans, or accounts to start one for, everyone's list looks the same."""
        plans = _plans(ctx)
        if plans or (ctx.phase != "closed" and _suggested(ctx, plans)):
            return None
        return ("no plans", ctx.phase)

    def facts(self, ctx: ViewContext) -> dict[str, float]:
        """Plans complete and SMART (read for the room at once when badges are checked)."""
        complete = ctx.mine(
            "plan-complete",
            lambda: _complete(store.standings(ctx.db, ctx.session.id)),
            lambda: _complete(store.standings(ctx.db, ctx.session.id, ctx.participant.id)).get(
                ctx.participant.id, 0
            ),
            0,
        )
        return {"plan.complete": complete}

    def results(self, ctx: ViewContext) -> dict[str, Any]:
        return _sections_done(store.standings(ctx.db, ctx.session.id))


def _complete(standings: list[store.Standing]) -> dict[int, int]:
    """Per trainee: their plans at 100 %."""
    found: dict[int, int] = {}
    for standing in standings:
        found[standing.participant_id] = found.get(standing.participant_id, 0) + (standing.percent == 100)
    return found


def _room(ctx: ViewContext) -> dict[str, Any]:
    """Everyone's progress (the control page, the screen), once per broadcast."""
    standings = store.standings(ctx.db, ctx.session.id)
    rows = workspace.progress(ctx.db, ctx.session, standings)
    return {
        "progress": rows,
        "writing": sum(r.plans > 0 for r in rows),
        "average": round(sum(r.percent for r in rows) / len(rows)) if rows else 0,
        "sections": _sections_done(standings),
    }


def _plans(ctx: ViewContext) -> list[store.Standing]:
    """The trainee's plans (customer, percent, sections: no texts), oldest first."""
    return ctx.mine(
        "plan-cards",
        lambda: by_participant(store.standings(ctx.db, ctx.session.id)),
        lambda: store.standings(ctx.db, ctx.session.id, ctx.participant.id),
        [],
    )


def _suggested(ctx: ViewContext, plans: list) -> list:
    """The trainee's key accounts from the morning that have no plan yet, best first."""
    accounts = ctx.mine(
        "plan-accounts",
        lambda: workspace.key_accounts_of_room(ctx.db, ctx.session, ctx.course),
        lambda: workspace.key_accounts(ctx.db, ctx.session, ctx.course, ctx.participant),
        [],
    )
    have = {p.customer for p in plans}
    return [a for a in accounts if a.customer not in have]


def _sections_done(standings: list[store.Standing]) -> dict[str, int]:
    """How many plans in the room have each section done (for the screen's bars)."""
    counts: dict[str, int] = {}
    for plan in standings:
        for section, done in plan.sections.items():
            counts[section] = counts.get(section, 0) + done
    return counts

"""`planshow`: presenting plans (Unit 4's 展示). The facilitator puts one plan on the screen in a
presentation layout; trainees see it on their phones and give a strength, a suggestion and a 1–5
vote; the facilitator then awards the room's best-rated plans points (and the badge rules in the
content can ask for `plan.best`). Plans are read through app.plans, never changed here."""

from typing import Annotated, Any

from pydantic import BaseModel, Field, StringConstraints

from app.course.models import Strict, Text
from app.errors import ServiceError
from app.fields import NoPayload, RowId
from app.live import participants, sessions
from app.modules.contract import Action, ActionContext, ActivityKind, FacilitatorAction, ViewContext
from app.plans import feedback, store
from app.plans.models import PlanFeedback
from app.points import ledger

Comment = Annotated[str, StringConstraints(max_length=200)]


class PlanShowConfig(Strict):
    intro: Text  # what the room looks for while a plan is presented
    points: list[Annotated[int, Field(ge=0, le=100)]] = Field(default=[30, 20, 10], max_length=5)


class Feedback(BaseModel):
    plan: RowId
    vote: int = Field(ge=1, le=5)
    strength: Comment = ""
    suggestion: Comment = ""


class Present(BaseModel):
    plan: RowId


def presented_id(ctx: ViewContext | ActionContext, state=None) -> int | None:
    state = state if state is not None else getattr(ctx, "state", None)
    return (state.data or {}).get("plan") if state else None


def give_feedback(ctx: ActionContext, payload: Feedback) -> None:
    if payload.plan != presented_id(ctx):
        raise ServiceError("plan.error.not_presented", status=409)
    plan = store.get(ctx.db, ctx.session.id, payload.plan)
    feedback.give(ctx.db, plan, ctx.participant.id, payload.strength, payload.suggestion, payload.vote)


def present(ctx: ViewContext, payload: Present) -> None:
    plan = store.get(ctx.db, ctx.session.id, payload.plan)
    sessions.save_activity_data(ctx.db, ctx.session, ctx.course, ctx.activity.id, {"plan": plan.id})


def award(ctx: ViewContext, _payload: NoPayload) -> None:
    """Points for the room's best-rated plans, once each (pressing again changes nothing)."""
    for rating, points in zip(
        feedback.best(ctx.db, ctx.session.id, len(ctx.activity.config.points)),
        ctx.activity.config.points,
        strict=False,
    ):
        plan = store.get(ctx.db, ctx.session.id, rating.plan_id)
        ledger.award(
            ctx.db,
            ctx.session.id,
            activity_id=ctx.activity.id,
            reason="plan.best",
            points=points,
            key=f"plan:best:{plan.id}",
            participant_id=plan.participant_id,
        )


class PlanShowKind(ActivityKind):
    name = "planshow"
    needs = ("territory", "styles")
    config_model = PlanShowConfig
    phases = ("open", "closed")  # open: the room gives feedback
    own = True  # each trainee's feedback form, or the note that the plan is theirs
    actions = {"feedback": Action(Feedback, give_feedback)}
    facilitator_actions = {
        "present": FacilitatorAction(Present, present),
        "award": FacilitatorAction(NoPayload, award, awards=True),
    }

    def context(self, ctx: ViewContext) -> dict[str, Any]:
        shown = _shown(ctx)
        extra: dict[str, Any] = {"shown": shown}
        if ctx.participant is not None:
            extra["mine"] = _mine(ctx, shown)
            extra["own"] = _is_author(ctx, shown)
        else:
            # once for the stage, the control pages and the screen of one broadcast
            extra["plans"] = ctx.once("planshow-plans", lambda: _plans(ctx))
            extra["comments"] = _feedback(ctx, shown["plan"].id) if shown else []
        return extra

    def own_key(self, ctx: ViewContext) -> tuple | None:
        """The same form for all who have not given feedback yet, the same note once closed;
        the author's note and the feedback given are one trainee's."""
        shown = _shown(ctx)
        if shown is None:
            return ("nothing shown",)
        if _is_author(ctx, shown) or (ctx.phase != "closed" and _mine(ctx, shown)):
            return None
        return ("not given", ctx.phase, shown["plan"].id)

    def facts(self, ctx: ViewContext) -> dict[str, float]:
        """Plans of theirs the room rated best (read for the room at once when badges are checked)."""
        best = ctx.mine(
            "plan-best",
            lambda: ledger.count_by_participant(ctx.db, ctx.session.id, "plan.best"),
            lambda: ledger.count_by_participant(ctx.db, ctx.session.id, "plan.best", ctx.participant.id).get(
                ctx.participant.id, 0
            ),
            0,
        )
        return {"plan.best": best}


def _shown(ctx: ViewContext) -> dict[str, Any] | None:
    """The plan on the screen, with what every view shows of it (shared by one broadcast)."""
    plan_id = presented_id(ctx)
    if plan_id is None:
        return None

    def compute() -> dict[str, Any]:
        plan = store.get(ctx.db, ctx.session.id, plan_id)
        ratings = {r.plan_id: r for r in feedback.ratings(ctx.db, ctx.session.id)}
        return {
            "plan": plan,
            "body": store.body_of(plan),
            "rating": ratings.get(plan.id),
            "author": participants.some(ctx.db, ctx.session.id, {plan.participant_id})[0],
            "stages": {s.id: s for s in ctx.course.territory.ladder},
        }

    return ctx.once("planshow", compute)


def _is_author(ctx: ViewContext, shown: dict[str, Any] | None) -> bool:
    return shown is not None and shown["plan"].participant_id == ctx.participant.id


def _feedback(ctx: ViewContext, plan_id: int) -> list[PlanFeedback]:
    """The room's feedback on the plan on the screen, read once per broadcast."""
    return ctx.once(("planshow-feedback", plan_id), lambda: feedback.of_plan(ctx.db, plan_id))


def _mine(ctx: ViewContext, shown: dict[str, Any] | None) -> PlanFeedback | None:
    """The trainee's feedback on the plan on the screen: picked from the room's when a broadcast
    renders many own parts together, else read alone (the answer to their own feedback)."""
    if shown is None:
        return None
    plan_id = shown["plan"].id
    return ctx.mine(
        ("planshow-feedback", plan_id),
        lambda: {f.participant_id: f for f in _feedback(ctx, plan_id)},
        lambda: feedback.mine(ctx.db, plan_id, ctx.participant.id),
        None,
    )


def _plans(ctx: ViewContext) -> list[dict[str, Any]]:
    """Every plan of the session for the control page's list, with its completeness and votes."""
    people = {p.id: p for p in participants.roster(ctx.db, ctx.session.id)}
    ratings = {r.plan_id: r for r in feedback.ratings(ctx.db, ctx.session.id)}
    awarded = ledger.keys_of(ctx.db, ctx.session.id, "plan.best")
    return [
        {
            "plan": p,
            "author": people.get(p.participant_id),
            "rating": ratings.get(p.id),
            "percent": p.percent,
            "awarded": f"plan:best:{p.id}" in awarded,
        }
        for p in store.of_session(ctx.db, ctx.session.id)
    ]

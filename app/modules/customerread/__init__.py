"""`customerread`: reading a customer. A trainee ticks the cues they have observed in one doctor
(known by a code), gets a hypothesised thinking preference with a confidence (reading.py) and
saves it as a customer hypothesis (app.customers.hypotheses) for the key-account list and plan."""

from typing import Any

from pydantic import BaseModel

from app.customers import hypotheses
from app.customers.models import CustomerHypothesis
from app.errors import ServiceError
from app.fields import ShortText, one_or_many
from app.live import responses
from app.modules.contract import Action, ActionContext, ActivityKind, ViewContext, by_participant
from app.modules.customerread.config import CustomerReadConfig
from app.modules.customerread.reading import infer

Cues = one_or_many(40)


class Observation(BaseModel):
    customer: ShortText = ""
    cue: Cues = []


class Forget(BaseModel):
    customer: ShortText


def hypothesise(ctx: ActionContext, payload: Observation) -> None:
    config: CustomerReadConfig = ctx.activity.config
    customer = hypotheses.clean_code(payload.customer)
    cues = list(dict.fromkeys(payload.cue))  # a cue ticked twice counts once
    if not cues:
        raise ServiceError("customerread.error.no_cues")
    if any(c not in config.cue_style for c in cues):
        raise ServiceError("activity.error.invalid")
    reading = infer([config.cue_style[c] for c in cues])
    hypotheses.save(
        ctx.db,
        ctx.session.id,
        ctx.participant.id,
        customer,
        reading.style,
        reading.confidence,
        cues,
        ctx.activity.id,
    )
    # The latest reading, so the phone shows it and the room's counts include this trainee.
    responses.save(ctx.db, ctx.session.id, ctx.activity.id, ctx.participant.id, {"customer": customer})


def forget(ctx: ActionContext, payload: Forget) -> None:
    if not hypotheses.remove(ctx.db, ctx.session.id, ctx.participant.id, payload.customer):
        raise ServiceError("error.not_found", status=404)


class CustomerReadKind(ActivityKind):
    name = "customerread"
    needs = ("styles",)
    config_model = CustomerReadConfig
    phases = ("open", "closed")
    own = True  # each trainee's own customers
    actions = {"hypothesise": Action(Observation, hypothesise), "forget": Action(Forget, forget)}
    takeaway = True

    def context(self, ctx: ViewContext) -> dict[str, Any]:
        if ctx.participant is None:
            return {"room": room(ctx)}
        config: CustomerReadConfig = ctx.activity.config
        saved = _saved(ctx)
        latest_code = responses.mine_here(ctx).get("", {}).get("customer")
        latest = next((h for h in saved if h.customer == latest_code), None)
        return {
            "saved": saved,
            "latest": latest,
            "latest_reading": infer([config.cue_style[c] for c in latest.cues if c in config.cue_style])
            if latest and latest.cues
            else None,
        }

    def own_key(self, ctx: ViewContext) -> tuple | None:
        """Until a trainee keeps a reading, their part is the empty checklist everyone has."""
        return None if _saved(ctx) else ("nothing saved", ctx.phase)

    def results(self, ctx: ViewContext) -> dict[str, Any]:
        return room(ctx)


def _of_session(ctx: ViewContext) -> list[CustomerHypothesis]:
    """Every hypothesis of the session, read once per broadcast for all the views that need it."""
    return ctx.once("customerread.hypotheses", lambda: hypotheses.of_session(ctx.db, ctx.session.id))


def _saved(ctx: ViewContext) -> list[CustomerHypothesis]:
    """The trainee's customers (of every reading in the session, by code). The own parts of
    trainees rendered together pick theirs from the session's, read once."""
    assert ctx.participant is not None
    return ctx.mine(
        "customerread.saved",
        lambda: by_participant(_of_session(ctx)),  # in order of customer code, as alone
        lambda: hypotheses.of_participant(ctx.db, ctx.session.id, ctx.participant.id),
        [],
    )


def room(ctx: ViewContext) -> dict[str, Any]:
    """How many trainees made a reading here, and how many customers they read (anonymous)."""
    found = [h for h in _of_session(ctx) if h.activity_id == ctx.activity.id]
    return {"people": len({h.participant_id for h in found}), "customers": len(found)}

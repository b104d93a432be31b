"""`myaccounts`: my own territory (梳理自己区域的大客户). Each trainee lists 5–15 of their own
customers by code, weighs the criteria, scores and places every customer, and chooses their key
accounts with a reason, by the same rules as the sample territory. Stored through
app.customers.accounts, which the plan workspace reads."""

from typing import Annotated, Any

from pydantic import BaseModel, Field, StringConstraints

from app.course.models import Activity, Strict, Text
from app.customers import accounts, selection
from app.errors import ServiceError
from app.fields import ShortText
from app.live import responses
from app.modules.contract import Action, ActionContext, ActivityKind, Sheet, ViewContext
from app.modules.myaccounts import exports


class MyAccountsConfig(Strict):
    intro: Text  # why codes only, what to do


class NewCustomer(BaseModel):
    customer: ShortText
    stage: ShortText
    note: Annotated[str, StringConstraints(max_length=200)] = ""


class Score(BaseModel):
    customer: ShortText
    criterion: ShortText
    score: int = Field(ge=1, le=5)


class Place(BaseModel):
    customer: ShortText
    segment: ShortText


class Choose(BaseModel):
    customer: ShortText
    chosen: bool = True
    reason: Annotated[str, StringConstraints(max_length=200)] = ""


class Forget(BaseModel):
    customer: ShortText


def _who(ctx: ActionContext) -> tuple:
    return ctx.db, ctx.session.id, ctx.participant.id


def set_weights(ctx: ActionContext, payload: selection.Weights) -> None:
    weights = payload.model_dump()
    if problem := selection.weights_problem(weights):
        raise ServiceError(problem)
    responses.save(ctx.db, ctx.session.id, ctx.activity.id, ctx.participant.id, weights, item="weights")


def add(ctx: ActionContext, payload: NewCustomer) -> None:
    territory = selection.territory_of(ctx.course)
    accounts.add(*_who(ctx), payload.customer, payload.stage, payload.note, territory)
    responses.save(
        ctx.db,
        ctx.session.id,
        ctx.activity.id,
        ctx.participant.id,
        {"customer": payload.customer.strip().upper()},
        item="at",
    )


def score(ctx: ActionContext, payload: Score) -> None:
    accounts.score(*_who(ctx), payload.customer, payload.criterion, payload.score)


def place(ctx: ActionContext, payload: Place) -> None:
    accounts.place(*_who(ctx), payload.customer, payload.segment, selection.territory_of(ctx.course))


def choose(ctx: ActionContext, payload: Choose) -> None:
    accounts.choose(*_who(ctx), payload.customer, payload.chosen, payload.reason)


def forget(ctx: ActionContext, payload: Forget) -> None:
    accounts.remove(*_who(ctx), payload.customer)


def weights_of(ctx: ViewContext) -> dict[str, int]:
    """The trainee's own weights, or equal ones until they set theirs."""
    return selection.usable_weights(responses.mine_here(ctx).get("weights"))


class MyAccountsKind(ActivityKind):
    name = "myaccounts"
    needs = ("territory",)
    config_model = MyAccountsConfig
    phases = ("open", "closed")
    personal = True
    shared_until_answered = True
    takeaway = True
    anytime = True  # the list stays editable all day
    actions = {
        "weights": Action(selection.Weights, set_weights),
        "add": Action(NewCustomer, add),
        "score": Action(Score, score),
        "place": Action(Place, place),
        "choose": Action(Choose, choose),
        "forget": Action(Forget, forget),
    }

    def context(self, ctx: ViewContext) -> dict[str, Any]:
        territory = selection.territory_of(ctx.course)
        if ctx.participant is None:
            return {"room": room(ctx)}
        weights = weights_of(ctx)
        listing = accounts.listing(ctx.db, ctx.session.id, ctx.participant.id, territory, weights)
        rows = {r.customer: r for r in accounts.of_participant(ctx.db, ctx.session.id, ctx.participant.id)}
        return {
            "territory": territory,
            "weights": weights,
            "listing": listing,
            "rows": rows,
            "stages": {s.id: s for s in territory.ladder},
            "chosen": sum(a.key_account for a in listing),
            "min": accounts.MIN_CUSTOMERS,
            "max": accounts.MAX_CUSTOMERS,
        }

    def results(self, ctx: ViewContext) -> dict[str, Any]:
        return room(ctx)

    def report(self, doc: Any, words: Any, ctx: ViewContext) -> None:
        exports.report(doc, words, ctx)

    def sheets(self, room: Any, activities: list[Activity]) -> list[Sheet]:
        return [exports.account_sheet(room)]


def room(ctx: ViewContext) -> dict[str, int]:
    """How far the room is (anonymous): people who listed customers, customers, key accounts."""
    rows = accounts.of_session(ctx.db, ctx.session.id)
    return {
        "people": len({r.participant_id for r in rows}),
        "customers": len(rows),
        "key_accounts": sum(r.key_account for r in rows),
    }

"""`myaccounts`: my own territory (梳理自己区域的大客户). Each trainee lists 5–15 of their own
customers by code, weighs the criteria, scores and places every customer, and chooses their key
accounts with a reason, by the same rules as the sample territory. Stored through
app.customers.accounts, which the plan workspace reads."""

from typing import Annotated, Any

from pydantic import BaseModel, Field, StringConstraints

from app.course.models import Activity, Strict, Text
from app.customers import accounts, selection
from app.customers.models import OwnCustomer
from app.errors import ServiceError
from app.fields import ShortText
from app.live import responses
from app.modules.contract import Action, ActionContext, ActivityKind, Sheet, ViewContext, by_participant
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
    own = True  # each trainee's own customers
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
        if ctx.participant is None:
            return {"room": room(ctx)}
        me, territory = ctx.participant.id, selection.territory_of(ctx.course)
        weights, rows = weights_of(ctx), _customers(ctx)
        # Ranked by the service the plan workspace reads (not asked for an empty list).
        listing = accounts.listing(ctx.db, ctx.session.id, me, territory, weights) if rows else []
        return {
            "territory": territory,
            "weights": weights,
            "listing": listing,
            "rows": {r.customer: r for r in rows},
            "stages": {s.id: s for s in territory.ladder},
            "chosen": sum(a.key_account for a in listing),
            "min": accounts.MIN_CUSTOMERS,
            "max": accounts.MAX_CUSTOMERS,
        }

    def own_key(self, ctx: ViewContext) -> tuple | None:
        """A list of customers is its owner's alone; without one, the own part shows only the
        weights (equal ones until they set theirs), so trainees with the same share a render."""
        return None if _customers(ctx) else tuple(sorted(weights_of(ctx).items()))

    def results(self, ctx: ViewContext) -> dict[str, Any]:
        return room(ctx)

    def report(self, doc: Any, words: Any, ctx: ViewContext) -> None:
        exports.report(doc, words, ctx)

    def sheets(self, room: Any, activities: list[Activity]) -> list[Sheet]:
        return [exports.account_sheet(room)]


def _customers(ctx: ViewContext) -> list[OwnCustomer]:
    """The trainee's own customers: when a broadcast renders many own parts, picked from the
    room's, read once; else read alone."""
    assert ctx.participant is not None
    return ctx.mine(
        "myaccounts.customers",
        lambda: by_participant(_of_session(ctx)),
        lambda: accounts.of_participant(ctx.db, ctx.session.id, ctx.participant.id),
        [],
    )


def _of_session(ctx: ViewContext) -> list[OwnCustomer]:
    """Every trainee's customers, read once for all the views of a broadcast."""
    return ctx.once(("myaccounts", "customers"), lambda: accounts.of_session(ctx.db, ctx.session.id))


def room(ctx: ViewContext) -> dict[str, int]:
    """How far the room is (anonymous): people who listed customers, customers, key accounts."""
    rows = _of_session(ctx)
    return {
        "people": len({r.participant_id for r in rows}),
        "customers": len(rows),
        "key_accounts": sum(r.key_account for r in rows),
    }

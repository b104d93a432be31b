"""`ranking`: trainees put a list in order (tap-to-order on a phone); average places, best first."""

from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, Field, model_validator

from app.course.models import Strict, Text
from app.errors import ServiceError
from app.fields import Id, one_or_many
from app.live import responses
from app.models import Response
from app.modules.contract import Action, ActionContext, ActivityKind, ViewContext

# A lone id (a form sends one field as a string) then fails the permutation check below.
Order = one_or_many(8, min_length=1)


class RankItem(Strict):
    id: Id
    text: Text


class RankingConfig(Strict):
    prompt: Text
    items: list[RankItem] = Field(min_length=3, max_length=8)

    @model_validator(mode="after")
    def _distinct_items(self) -> "RankingConfig":
        if len({i.id for i in self.items}) != len(self.items):
            raise ValueError("item ids must be distinct")
        return self


class Ordering(BaseModel):
    order: Order


def is_permutation(config: RankingConfig, order: list) -> bool:
    return len(order) == len(config.items) and set(order) == {i.id for i in config.items}


def submit(ctx: ActionContext, payload: Ordering) -> None:
    if not is_permutation(ctx.activity.config, payload.order):  # every item exactly once
        raise ServiceError("activity.error.invalid")
    responses.save(ctx.db, ctx.session.id, ctx.activity.id, ctx.participant.id, {"order": payload.order})


def summarise(config: RankingConfig, answers: Iterable[Response]) -> dict[str, Any]:
    """Each item's average place (1 = top, 1 decimal), best first (ties keep the content's order),
    and the number who answered. An order the content no longer matches is left out."""
    places = {i.id: [] for i in config.items}
    respondents = 0
    for answer in answers:
        order = answer.value.get("order")
        if isinstance(order, list) and is_permutation(config, order):
            respondents += 1
            for place, item in enumerate(order, start=1):
                places[item].append(place)
    last = len(places)
    averages = {item: sum(p) / len(p) for item, p in places.items() if p}
    ranked = sorted(places, key=lambda item: averages.get(item, last + 1))  # unanswered ones last
    return {"ranked": [_row(item, averages.get(item), last) for item in ranked], "respondents": respondents}


def _row(item: str, average: float | None, last: int) -> dict[str, Any]:
    # The bar is full for an item everyone put first and empty for one everyone put last.
    width = round(100 * (last - average) / (last - 1)) if average is not None else 0
    return {"id": item, "average": round(average, 1) if average is not None else None, "width": width}


def tally(ctx: ViewContext) -> dict[str, Any]:
    """The room's results, read once per broadcast: the stage and every own part beside it show them."""
    return ctx.once(
        ("ranking", ctx.activity.id),
        lambda: summarise(ctx.activity.config, responses.every(ctx.db, ctx.session.id, ctx.activity.id)),
    )


def _mine(ctx: ViewContext) -> list[str]:
    order = responses.mine_here(ctx).get("", {}).get("order", [])
    return order if is_permutation(ctx.activity.config, order) else []


class RankingKind(ActivityKind):
    name = "ranking"
    config_model = RankingConfig
    scripts = ("/static/js/ranking.js",)
    phases = ("open", "closed", "revealed")
    own = True  # each trainee's own order
    actions = {"order": Action(Ordering, submit)}

    def context(self, ctx: ViewContext) -> dict[str, Any]:
        config: RankingConfig = ctx.activity.config
        visible = ctx.phase == "revealed"
        found = {
            "by_id": {i.id: i for i in config.items},  # not "items": that is dict.items in a template
            "results_visible": visible,
        }
        if ctx.participant is None:
            return {**tally(ctx), **found}
        order = _mine(ctx)
        # Once revealed, their own part lists the items in the room's order, with their places.
        room = tally(ctx) if visible and order else {}
        places = {item: place for place, item in enumerate(order, start=1)}
        return {**room, **found, "mine": order, "my_places": places}

    def own_key(self, ctx: ViewContext) -> tuple | None:
        """Their part shows their order and, once revealed, the room's: the same order (none,
        at first), the same part."""
        return (ctx.phase, tuple(_mine(ctx)))

    def results(self, ctx: ViewContext) -> dict[str, Any]:
        return tally(ctx)

"""`scale`: statements rated on a numbered scale; averages and distributions, hidden until revealed."""

from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, Field, model_validator

from app.course.models import ScoreRange, Strict, Text
from app.errors import ServiceError
from app.fields import Id, Number, ShortText
from app.live import responses
from app.models import Response
from app.modules.contract import Action, ActionContext, ActivityKind, ViewContext


class Statement(Strict):
    id: Id
    text: Text


class ScaleLabels(Strict):
    low: Text  # what the lowest score means
    high: Text


class ScaleConfig(ScoreRange):
    statements: list[Statement] = Field(min_length=1, max_length=12)
    labels: ScaleLabels | None = None
    show_live: bool = False  # show the results on the screen before the reveal

    @model_validator(mode="after")
    def _sound(self) -> "ScaleConfig":
        if len({s.id for s in self.statements}) != len(self.statements):
            raise ValueError("statement ids must be distinct")
        return self


class Rating(BaseModel):
    statement: ShortText
    score: Number


def rate(ctx: ActionContext, payload: Rating) -> None:
    config: ScaleConfig = ctx.activity.config
    if payload.statement not in {s.id for s in config.statements} or payload.score not in config.scores:
        raise ServiceError("activity.error.invalid")
    responses.save(
        ctx.db,
        ctx.session.id,
        ctx.activity.id,
        ctx.participant.id,
        {"score": payload.score},
        item=payload.statement,
    )


def summarise(config: ScaleConfig, answers: Iterable[Response]) -> dict[str, Any]:
    """Per statement: count per score, share of answers per score, average (1 decimal, None
    without answers); and how many trainees rated anything. Answers the content no longer
    allows (a statement or score since removed) are left out."""
    counts = {s.id: dict.fromkeys(config.scores, 0) for s in config.statements}
    people = set()
    for answer in answers:
        score = answer.value.get("score")
        if answer.item in counts and score in counts[answer.item]:
            counts[answer.item][score] += 1
            people.add(answer.participant_id)
    return {"statements": {key: _statement(dist) for key, dist in counts.items()}, "respondents": len(people)}


def _statement(dist: dict[int, int]) -> dict[str, Any]:
    n = sum(dist.values())
    average = round(sum(score * k for score, k in dist.items()) / n, 1) if n else None
    percent = {score: round(100 * k / n) if n else 0 for score, k in dist.items()}
    return {"counts": dist, "percent": percent, "n": n, "average": average}


def tally(ctx: ViewContext) -> dict[str, Any]:
    return summarise(ctx.activity.config, responses.every(ctx.db, ctx.session.id, ctx.activity.id))


def _mine(ctx: ViewContext) -> dict[str, int | None]:
    return {item: value.get("score") for item, value in responses.mine_here(ctx).items()}


class ScaleKind(ActivityKind):
    name = "scale"
    config_model = ScaleConfig
    phases = ("open", "closed", "revealed")
    own = True  # each trainee's own scores
    actions = {"rate": Action(Rating, rate)}

    def context(self, ctx: ViewContext) -> dict[str, Any]:
        config: ScaleConfig = ctx.activity.config
        visible = ctx.phase == "revealed" or config.show_live
        if ctx.participant is not None:  # their own part shows only their scores
            return {"mine": _mine(ctx), "results_visible": visible}
        return {**tally(ctx), "results_visible": visible}

    def own_key(self, ctx: ViewContext) -> tuple | None:
        """Their part shows their scores and nothing else: the same scores (none, at first),
        the same part."""
        return (ctx.phase, tuple(sorted(_mine(ctx).items())))

    def results(self, ctx: ViewContext) -> dict[str, Any]:
        return tally(ctx)

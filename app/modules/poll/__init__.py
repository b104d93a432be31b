"""`poll`: single or multiple choice, live counts, results hidden until revealed (by default)."""

from typing import Any

from pydantic import BaseModel, Field, model_validator

from app.course.models import Activity, Option, Strict, Text
from app.errors import ServiceError
from app.fields import one_or_many
from app.live import responses
from app.modules.contract import Action, ActionContext, ActivityKind, ViewContext
from app.modules.poll import exports

Choices = one_or_many(12, min_length=1)


class PollConfig(Strict):
    question: Text
    options: list[Option] = Field(min_length=2, max_length=12)
    multiple: bool = False
    max_choices: int | None = Field(default=None, ge=1)  # with multiple: how many at most
    show_live: bool = False  # show the counts on the screen before the reveal

    @model_validator(mode="after")
    def _distinct_options(self) -> "PollConfig":
        if len({o.id for o in self.options}) != len(self.options):
            raise ValueError("option ids must be distinct")
        return self


class Answer(BaseModel):
    choice: Choices


def answer(ctx: ActionContext, payload: Answer) -> None:
    config: PollConfig = ctx.activity.config
    chosen = list(dict.fromkeys(payload.choice))  # a repeated choice counts once
    known = {option.id for option in config.options}
    if not set(chosen) <= known:
        raise ServiceError("activity.error.invalid")
    limit = (config.max_choices or len(known)) if config.multiple else 1
    if len(chosen) > limit:
        raise ServiceError("poll.error.too_many", max=limit)
    responses.save(ctx.db, ctx.session.id, ctx.activity.id, ctx.participant.id, {"choices": chosen})


def tally(ctx: ViewContext) -> dict[str, Any]:
    """Votes per option, the number who answered, and percentages of those who answered."""
    config: PollConfig = ctx.activity.config
    counts = {option.id: 0 for option in config.options}
    answers = responses.every(ctx.db, ctx.session.id, ctx.activity.id)
    for response in answers:
        for choice in response.value.get("choices", []):
            if choice in counts:
                counts[choice] += 1
    total = len(answers)
    percent = {key: round(100 * n / total) if total else 0 for key, n in counts.items()}
    return {"counts": counts, "percent": percent, "respondents": total}


def _mine(ctx: ViewContext) -> set[str]:
    return set(responses.mine_here(ctx).get("", {}).get("choices", []))


class PollKind(ActivityKind):
    name = "poll"
    config_model = PollConfig
    phases = ("open", "closed", "revealed")
    own = True  # each trainee's own choice
    actions = {"answer": Action(Answer, answer)}

    def context(self, ctx: ViewContext) -> dict[str, Any]:
        config: PollConfig = ctx.activity.config
        visible = ctx.phase == "revealed" or config.show_live
        options = [(option.id, option.text.get(ctx.lang)) for option in config.options]
        if ctx.participant is not None:  # their own part shows only their choice
            mine = _mine(ctx)
            chosen = [option_id for option_id, _ in options if option_id in mine]
            return {"mine": chosen, "options": options, "results_visible": visible}
        return {**tally(ctx), "mine": [], "options": options, "results_visible": visible}

    def own_key(self, ctx: ViewContext) -> tuple | None:
        return (ctx.phase, tuple(sorted(_mine(ctx))))

    def results(self, ctx: ViewContext) -> dict[str, Any]:
        return tally(ctx)

    def answer_rows(self, room: Any, activity: Activity, given: list) -> list[list]:
        return exports.answer_rows(room, activity, given)

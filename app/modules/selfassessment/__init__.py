"""`selfassessment`: first-person statements grouped by competency, each rated on a scale. A trainee
who has rated them all sees their own profile beside a top performer's reference and their two
strengths; the screen shows the room's averages (anonymous) once revealed."""

import json
import statistics
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, Field, model_validator
from sqlmodel import Session

from app.course.models import ScoreRange, Strict, Text
from app.errors import ServiceError
from app.fields import Id, Number, ShortText
from app.i18n import translator
from app.live import responses
from app.models import Response
from app.modules.contract import Action, ActionContext, ActivityKind, ViewContext
from app.modules.selfassessment import chart, exports


class Item(Strict):
    id: Id
    text: Text  # a first-person statement: "I …"


class Competency(Strict):
    id: Id
    name: Text
    items: list[Item] = Field(min_length=3, max_length=4)


class Scale(ScoreRange):
    low: Text  # what the lowest score means
    high: Text


class SelfAssessmentConfig(Strict):
    competencies: list[Competency] = Field(min_length=5, max_length=7)
    scale: Scale
    reference: dict[Id, float]  # a top performer's average per competency
    reference_label: Text

    @model_validator(mode="after")
    def _sound(self) -> "SelfAssessmentConfig":
        ids = [c.id for c in self.competencies]
        if len(set(ids)) != len(ids):
            raise ValueError("competency ids must be distinct")
        items = [i.id for c in self.competencies for i in c.items]
        if len(set(items)) != len(items):  # an item id is the key its answer is stored under
            raise ValueError("item ids must be distinct across all competencies")
        if missing := [c for c in ids if c not in self.reference]:
            raise ValueError(f"reference: missing for {', '.join(missing)}")
        if unknown := sorted(set(self.reference) - set(ids)):
            raise ValueError(f"reference: unknown competency {', '.join(unknown)}")
        low, high = self.scale.min, self.scale.max
        if outside := [c for c in ids if not low <= self.reference[c] <= high]:
            raise ValueError(f"reference: {', '.join(outside)} must be between {low} and {high}")
        return self

    @property
    def competency_of(self) -> dict[str, str]:
        """Item id → competency id."""
        return {i.id: c.id for c in self.competencies for i in c.items}


class Rating(BaseModel):
    item: ShortText
    score: Number


def rate(ctx: ActionContext, payload: Rating) -> None:
    config: SelfAssessmentConfig = ctx.activity.config
    competency = config.competency_of.get(payload.item)
    if competency is None or payload.score not in config.scale.scores:
        raise ServiceError("activity.error.invalid")
    # Each answer names its competency and how many items there are, so a profile can be read
    # back from the answers alone (the take-home report needs no course).
    value = {"score": payload.score, "competency": competency, "total": len(config.competency_of)}
    responses.save(ctx.db, ctx.session.id, ctx.activity.id, ctx.participant.id, value, item=payload.item)


def averages(answers: Iterable[dict]) -> dict[str, float] | None:
    """One trainee's average score per competency from their answers (one per item), or None
    until every item is rated."""
    answers = [a for a in answers if _well_formed(a)]
    if not answers or len(answers) < max(a["total"] for a in answers):
        return None
    scores: dict[str, list[int]] = {}
    for answer in answers:
        scores.setdefault(answer["competency"], []).append(answer["score"])
    return {competency: statistics.fmean(values) for competency, values in scores.items()}


def _well_formed(answer: dict) -> bool:
    return (
        isinstance(answer.get("score"), int)
        and isinstance(answer.get("competency"), str)
        and isinstance(answer.get("total"), int)
    )


def profile(db: Session, session_id: int, activity_id: str, participant_id: int) -> dict[str, float] | None:
    """This trainee's personal profile: their average per competency id (unrounded), or None
    while any item is unrated."""
    return averages(responses.mine(db, session_id, activity_id, participant_id).values())


def room(db: Session, session_id: int, activity_id: str) -> dict[str, Any]:
    """The room, anonymous: see `summarise`."""
    return summarise(responses.every(db, session_id, activity_id))


def summarise(answers: Iterable[Response]) -> dict[str, Any]:
    """`averages`: competency id → mean of the finished trainees' averages (unrounded; empty until
    someone finishes); `finished` and `started`: how many trainees rated every item, or any."""
    by_person: dict[int, list[dict]] = {}
    for answer in answers:
        by_person.setdefault(answer.participant_id, []).append(answer.value)
    profiles = [p for p in map(averages, by_person.values()) if p is not None]
    competencies = {c for p in profiles for c in p}
    means = {c: statistics.fmean(p[c] for p in profiles if c in p) for c in competencies}
    return {"averages": means, "finished": len(profiles), "started": len(by_person)}


def strengths(config: SelfAssessmentConfig, values: dict[str, float], n: int = 2) -> list[Competency]:
    """The n competencies with the highest averages; among equals, the content's order."""
    rated = [c for c in config.competencies if c.id in values]
    return sorted(rated, key=lambda c: -values[c.id])[:n]


def profile_chart(
    config: SelfAssessmentConfig, values: dict[str, float], series: str, lang: str, layout: chart.Layout
) -> dict[str, Any]:
    """The chart of `values` beside the reference; `series` is the catalogue key of their name."""
    rows = [
        chart.Row(c.name.get(lang), values.get(c.id), config.reference[c.id]) for c in config.competencies
    ]
    names = (translator(lang)(series), config.reference_label.get(lang))
    return chart.build(rows, config.scale.min, config.scale.max, names, layout)


class SelfAssessmentKind(ActivityKind):
    name = "selfassessment"
    config_model = SelfAssessmentConfig
    phases = ("open", "closed", "revealed")
    own = True  # each trainee's own scores and profile
    actions = {"rate": Action(Rating, rate)}
    takeaway = True

    def context(self, ctx: ViewContext) -> dict[str, Any]:
        if ctx.participant is None:  # the screen and the control page: the room, anonymous
            return _room_context(ctx)
        config: SelfAssessmentConfig = ctx.activity.config
        answers = responses.mine_here(ctx)
        mine = averages(answers.values())
        known = config.competency_of
        return {
            "mine": {item: value.get("score") for item, value in answers.items() if item in known},
            "total": len(known),
            "profile": mine,
            "strengths": strengths(config, mine) if mine else [],
            "my_chart": profile_chart(config, mine, "selfassessment.series_mine", ctx.lang, chart.PHONE)
            if mine
            else None,
        }

    def own_key(self, ctx: ViewContext) -> tuple | None:
        """Their part, profile included, follows from their answers alone: the same answers,
        the same part."""
        return (ctx.phase, json.dumps(responses.mine_here(ctx), sort_keys=True))

    def results(self, ctx: ViewContext) -> dict[str, Any]:
        return room(ctx.db, ctx.session.id, ctx.activity.id)

    def report(self, doc: Any, words: Any, ctx: ViewContext) -> None:
        config: SelfAssessmentConfig = ctx.activity.config
        values = profile(ctx.db, ctx.session.id, ctx.activity.id, ctx.participant.id)
        exports.report(doc, words, config, values, strengths(config, values) if values else [])


def _room_context(ctx: ViewContext) -> dict[str, Any]:
    found = room(ctx.db, ctx.session.id, ctx.activity.id)
    charts = {
        f"{layout.name}_chart": profile_chart(
            ctx.activity.config, found["averages"], "selfassessment.series_room", ctx.lang, layout
        )
        for layout in (chart.SCREEN, chart.CONTROL)
    }
    return {**found, **charts, "results_visible": ctx.phase == "revealed"}

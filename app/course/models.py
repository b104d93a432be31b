"""Typed course models: course → units → activities, every text in zh-CN and en."""

from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, RootModel, StringConstraints, model_validator

from app.course import timing, wording
from app.fields import Id

LANGUAGES = ("zh-CN", "en")
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")]


class Text(RootModel[dict[str, str]]):
    """A text in every supported language."""

    @model_validator(mode="after")
    def _every_language(self) -> "Text":
        missing = [lang for lang in LANGUAGES if not (self.root.get(lang) or "").strip()]
        if missing:
            raise ValueError(f"missing text for {', '.join(missing)}")
        unknown = set(self.root) - set(LANGUAGES)
        if unknown:
            raise ValueError(f"unknown language {', '.join(sorted(unknown))}")
        return self

    def get(self, lang: str) -> str:
        return self.root.get(lang) or self.root[LANGUAGES[0]]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ScoreRange(Strict):
    """The whole scores a rating offers, from `min` to `max`."""

    min: int = Field(default=1, ge=0, le=10)
    max: int = Field(default=5, ge=0, le=10)

    @model_validator(mode="after")
    def _ordered(self) -> "ScoreRange":
        if self.max <= self.min:
            raise ValueError("max must be greater than min")
        return self

    @property
    def scores(self) -> list[int]:
        return list(range(self.min, self.max + 1))


class Option(Strict):
    """One of the choices a question offers (a poll's, a quiz's)."""

    id: Id
    text: Text


class Activity(Strict):
    id: Slug
    kind: str
    title: Text
    minutes: int = Field(ge=1, le=180)
    # Minutes before it to get the room there (phones out, teams regrouping): in the day's
    # timetable, not in its teaching. None: the course's `schedule.changeover`.
    changeover: int | None = Field(default=None, ge=0, le=30)
    notes: Text | None = None  # facilitator-only
    config: Any = None  # the kind's own validated config model


class Unit(Strict):
    id: Slug
    title: Text
    goal: Text
    activities: list[Activity] = Field(min_length=1)


class BadgeRule(Strict):
    """Earned when the trainee's `fact` (summed over the day's activities) reaches `min`, or,
    with `of`, when fact / of reaches `min_percent` and `of` is at least `min_of`."""

    fact: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_.]{0,63}$")]
    of: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_.]{0,63}$")] | None = None
    min: float = Field(default=1, ge=0)
    min_percent: float = Field(default=80, ge=0, le=100)
    min_of: float = Field(default=1, ge=1)


class Badge(Strict):
    """A badge for real mastery (never for speed or for being first)."""

    id: Slug
    name: Text
    description: Text
    rule: BadgeRule


# The four thinking preferences of the course's own model (DOMAIN.md); opposite styles face each other.
StyleId = Literal["data", "process", "people", "vision"]
STYLE_IDS: tuple[str, ...] = ("data", "process", "people", "vision")
OPPOSITE = {"data": "people", "people": "data", "process": "vision", "vision": "process"}
StyleIcon = Literal["chart", "steps", "people", "bulb"]  # drawn once per page by templates/_style.html


class Style(Strict):
    """One thinking preference: always shown with its icon and name, never by colour alone."""

    id: StyleId
    icon: StyleIcon
    colour: Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")]
    name: Text
    question: Text  # the question this style asks first, in our own words ("Where is the evidence?")
    prefers: Text
    at_work: Text  # what the preference means in a rep's work
    strengths: list[Text] = Field(min_length=2, max_length=5)
    blind_spots: list[Text] = Field(min_length=2, max_length=5)
    cues: list[Text] = Field(min_length=2, max_length=6)  # what a doctor with it shows
    talk_to: list[Text] = Field(min_length=2, max_length=6)  # how to talk to such a doctor
    adapt: dict[StyleId, Text]  # for someone with this style, meeting a customer of each other

    @model_validator(mode="after")
    def _adapt_to_the_others(self) -> "Style":
        if sorted(self.adapt) != sorted(s for s in STYLE_IDS if s != self.id):
            raise ValueError("adapt: one text for each of the three other styles")
        return self

    @model_validator(mode="after")
    def _our_own_look(self) -> "Style":
        problems = [wording.colour_problem(self.id, self.colour)]
        problems += [wording.tagline_problem(text) for text in self.question.root.values()]
        found = [p for p in problems if p]
        if found:
            raise ValueError("; ".join(found))
        return self


ClockTime = Annotated[str, StringConstraints(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]


class Schedule(Strict):
    """The day the course plans: the hours of teaching it promises (the units' teaching minutes
    must add up to them; breaks are counted apart), when it starts, and the changeover between
    two activities. Write the time in quotes ("09:00"): YAML reads 09:00 as a number."""

    teaching_hours: float | None = Field(default=None, gt=0, le=24)
    starts: ClockTime | None = None
    changeover: int = Field(default=1, ge=0, le=30)

    @property
    def teaching_minutes(self) -> int | None:
        return None if self.teaching_hours is None else round(self.teaching_hours * 60)


class Course(Strict):
    id: Slug
    title: Text
    summary: Text
    units: list[Unit] = Field(min_length=1)
    badges: list[Badge] = Field(default_factory=list)
    styles: list[Style] = Field(default_factory=list)  # the four thinking preferences, or none
    territory: Any = None  # the sample territory (app.course.territory.Territory), if any
    schedule: Schedule | None = None  # the day's hours and rhythm, if it declares them
    _folder: Path | None = PrivateAttr(default=None)  # where course.yaml is: files it names are in it
    _kinds: Any = PrivateAttr(default=None)  # the table of activity kinds it was loaded with

    @property
    def folder(self) -> Path | None:
        return self._folder

    def kind_of(self, activity: Activity):
        """The activity kind (app.modules.contract.ActivityKind) that runs this activity."""
        return self._kinds.get(activity.kind)

    @cached_property
    def kinds_used(self) -> list:
        """The kinds its activities use, each once, in the course's order."""
        return list({a.kind: self.kind_of(a) for a in self.activities}.values())

    @cached_property
    def scripts(self) -> list[str]:
        """The scripts its kinds' views need, each once, in the course's order (every page of a
        session loads them; read once, not at every render)."""
        return list(dict.fromkeys(src for kind in self.kinds_used for src in kind.scripts))

    @cached_property
    def timetable(self) -> timing.Timetable:
        """The day planned from its activities: teaching, breaks and changeovers, by unit and in
        all."""
        return timing.timetable(self)

    def activities_of(self, kind: str) -> list[Activity]:
        """Its activities of one kind, in order."""
        return [a for a in self.activities if a.kind == kind]

    @model_validator(mode="after")
    def _four_styles_or_none(self) -> "Course":
        ids = [s.id for s in self.styles]
        if ids and sorted(ids) != sorted(STYLE_IDS):
            raise ValueError(f"styles: exactly one of each of {', '.join(STYLE_IDS)}")
        return self

    def style(self, style_id: str) -> Style | None:
        return next((s for s in self.styles if s.id == style_id), None)

    @property
    def activities(self) -> list[Activity]:
        return [a for unit in self.units for a in unit.activities]

    def activity(self, activity_id: str | None) -> Activity | None:
        return next((a for a in self.activities if a.id == activity_id), None)

    def unit_of(self, activity_id: str) -> Unit | None:
        return next((u for u in self.units if any(a.id == activity_id for a in u.activities)), None)

    def neighbour(self, activity_id: str | None, step: int) -> Activity | None:
        """The activity `step` places after (or before) the given one; the first from the lobby."""
        ids = [a.id for a in self.activities]
        if activity_id not in ids:
            return self.activities[0] if step > 0 else None
        index = ids.index(activity_id) + step
        return self.activities[index] if 0 <= index < len(ids) else None

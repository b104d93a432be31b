"""Typed course models: course → units → activities, every text in zh-CN and en."""

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, RootModel, StringConstraints, model_validator

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


class Activity(Strict):
    id: Slug
    kind: str
    title: Text
    minutes: int = Field(ge=1, le=180)
    notes: Text | None = None  # facilitator-only
    config: Any = None  # the kind's own validated config model


class Unit(Strict):
    id: Slug
    title: Text
    goal: Text
    activities: list[Activity] = Field(min_length=1)

    @property
    def planned_minutes(self) -> int:
        return sum(a.minutes for a in self.activities)


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


class Course(Strict):
    id: Slug
    title: Text
    summary: Text
    units: list[Unit] = Field(min_length=1)
    badges: list[Badge] = Field(default_factory=list)

    @property
    def activities(self) -> list[Activity]:
        return [a for unit in self.units for a in unit.activities]

    @property
    def planned_minutes(self) -> int:
        return sum(u.planned_minutes for u in self.units)

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

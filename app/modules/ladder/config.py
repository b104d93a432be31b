"""Adoption Ladder's content: cases of a doctor's statement or behaviour, the rung it shows, and
four rep actions scored by how likely each is to move the doctor one rung up, compliantly."""

from pydantic import Field, model_validator

from app.course.models import Strict, Text
from app.fields import Id


class RepAction(Strict):
    id: Id
    text: Text
    points: int = Field(ge=0, le=10)  # 10 the best next step, 4–6 reasonable, 0 skips rungs or breaks rules
    why: Text  # shown at the reveal


class Case(Strict):
    id: Id
    doctor: Text  # who (fictional, by title and initial)
    says: Text  # the statement or behaviour
    stage: Id  # a rung of the course's adoption ladder (territory.yaml)
    stage_why: Text  # which words show that rung
    actions: list[RepAction] = Field(min_length=3, max_length=4)

    @model_validator(mode="after")
    def _one_best(self) -> "Case":
        if [a.points for a in self.actions].count(10) != 1:
            raise ValueError("actions: exactly one best action (points: 10)")
        if len({a.id for a in self.actions}) != len(self.actions):
            raise ValueError("actions: ids must be distinct")
        return self


class LadderConfig(Strict):
    intro: Text
    seconds: int = Field(default=120, ge=15, le=900)
    cases: list[Case] = Field(min_length=3, max_length=40)
    # How many cases of the bank the activity plays, in order: the bank may hold more than a day
    # has time for. All of them when unset.
    rounds: int | None = Field(default=None, ge=1, le=40)
    debrief: Text

    @model_validator(mode="after")
    def _distinct(self) -> "LadderConfig":
        ids = [c.id for c in self.cases]
        if self.rounds is not None and self.rounds > len(self.cases):
            raise ValueError(f"rounds: {self.rounds}, but the bank has {len(self.cases)} cases")
        if duplicated := sorted({i for i in ids if ids.count(i) > 1}):
            raise ValueError(f"cases: ids used twice: {', '.join(duplicated)}")
        return self

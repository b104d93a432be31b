"""The cue checklist for reading a doctor's thinking preference: observable cues grouped by what
one notices (what they ask about, how they react, what they talk about), each pointing at a style."""

from pydantic import Field, model_validator

from app.course.models import STYLE_IDS, Strict, StyleId, Text
from app.fields import Id


class Cue(Strict):
    id: Id
    style: StyleId
    text: Text  # something one can see or hear in a call, not a judgement


class CueGroup(Strict):
    id: Id
    title: Text  # "What they ask about"
    cues: list[Cue] = Field(min_length=4, max_length=12)


class CustomerReadConfig(Strict):
    prompt: Text  # what to do: think of one customer, tick what you have observed
    example: Text | None = None  # a short fictional doctor to practise on first
    groups: list[CueGroup] = Field(min_length=2, max_length=5)

    @model_validator(mode="after")
    def _sound(self) -> "CustomerReadConfig":
        cues = [c for g in self.groups for c in g.cues]
        ids = [c.id for c in cues] + [g.id for g in self.groups]
        if duplicated := sorted({i for i in ids if ids.count(i) > 1}):
            raise ValueError(f"ids used twice: {', '.join(duplicated)}")
        if thin := [s for s in STYLE_IDS if sum(c.style == s for c in cues) < 2]:
            raise ValueError(f"at least two cues per style needed ({', '.join(thin)})")
        return self

    @property
    def cue_style(self) -> dict[str, str]:
        return {c.id: c.style for g in self.groups for c in g.cues}

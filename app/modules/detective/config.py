"""Preference Detective's content: short call scenes, each with the doctor's likely thinking
preference, the cues behind it, and four opening messages (one written for each style)."""

from pydantic import Field, model_validator

from app.course.models import STYLE_IDS, Strict, StyleId, Text
from app.fields import Id

MIN_PER_STYLE = 4  # the bank is balanced: every style is the answer this often at least
MIN_AMBIGUOUS = 2  # scenes that honestly show two styles (observe → hypothesise → check)


class Message(Strict):
    id: Id
    text: Text  # an opening line the rep could use
    fits: StyleId  # the style it is written for


class Scene(Strict):
    id: Id
    doctor: Text  # who (fictional, by title and initial): "三甲医院内分泌科 LM 主任"
    says: Text  # what the doctor says or does in the call
    style: StyleId  # the best hypothesis
    also: StyleId | None = None  # a second style the scene honestly shows too
    cues: list[Text] = Field(min_length=1, max_length=4)  # what points at the style(s)
    messages: list[Message] = Field(min_length=4, max_length=4)
    why: Text  # why the best message fits (and what the others miss)

    @model_validator(mode="after")
    def _one_message_per_style(self) -> "Scene":
        if sorted(m.fits for m in self.messages) != sorted(STYLE_IDS):
            raise ValueError("messages: exactly one written for each of the four styles")
        if len({m.id for m in self.messages}) != 4:
            raise ValueError("messages: ids must be distinct")
        if self.also == self.style:
            raise ValueError("also: a second style, not the same one")
        return self

    @property
    def best(self) -> str:
        return next(m.id for m in self.messages if m.fits == self.style)


class DetectiveConfig(Strict):
    intro: Text  # how to play, on every screen before the first round
    seconds: int = Field(default=60, ge=15, le=600)  # per round: classify, then pick a message
    scenes: list[Scene] = Field(min_length=4, max_length=40)
    # How many scenes of the bank the activity plays, in order: the bank may hold more than a
    # day has time for. All of them when unset.
    rounds: int | None = Field(default=None, ge=1, le=40)
    debrief: Text  # after the last round

    @model_validator(mode="after")
    def _balanced(self) -> "DetectiveConfig":
        ids = [s.id for s in self.scenes]
        if self.rounds is not None and self.rounds > len(self.scenes):
            raise ValueError(f"rounds: {self.rounds}, but the bank has {len(self.scenes)} scenes")
        if duplicated := sorted({i for i in ids if ids.count(i) > 1}):
            raise ValueError(f"scenes: ids used twice: {', '.join(duplicated)}")
        if len(self.scenes) >= 4 * MIN_PER_STYLE:  # a full bank, not a short test course
            if thin := [s for s in STYLE_IDS if sum(x.style == s for x in self.scenes) < MIN_PER_STYLE]:
                raise ValueError(f"scenes: at least {MIN_PER_STYLE} per style needed ({', '.join(thin)})")
            if sum(x.also is not None for x in self.scenes) < MIN_AMBIGUOUS:
                raise ValueError(f"scenes: at least {MIN_AMBIGUOUS} honestly ambiguous ones (with `also`)")
        return self

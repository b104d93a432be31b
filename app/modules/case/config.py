"""A case's content: what the room watches (a video or a role-play script), the tags trainees tap
when they see something, and the expert's annotations the room's tags are compared with.

Both sources share one idea of a position: seconds into a video, or the index of a script line.
An expert annotation sits at a position; a trainee's tag of the same kind scores when it falls
within `tolerance` of it, either side."""

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from app.course.models import Strict, StyleId, Text
from app.fields import Id

MediaPath = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-][A-Za-z0-9_./-]{0,200}\.(mp4|webm)$")]


class Tag(Strict):
    id: Id
    label: Text  # short: it is a button on a phone
    style: StyleId | None = None  # a thinking-preference cue shows that style's icon


class Note(Strict):
    """An expert annotation on a script line."""

    tag: Id
    note: Text


class Line(Strict):
    speaker: Literal["rep", "doctor"]
    text: Text
    seconds: float = Field(ge=1, le=60)  # spoken length: the script's running time adds these up
    notes: list[Note] = Field(default_factory=list, max_length=4)


class Script(Strict):
    lines: list[Line] = Field(min_length=2, max_length=150)


class Moment(Strict):
    """An expert annotation on a video, at a time in seconds."""

    at: float = Field(ge=0, le=6 * 3600)
    tag: Id
    note: Text


class Video(Strict):
    file: MediaPath | None = None  # under the course folder; none: uploaded from the control page
    notes: list[Moment] = Field(default_factory=list, max_length=200)


class CaseConfig(Strict):
    intro: Text  # what to watch for, on every screen before and while it runs
    setting: Text  # the situation: hospital, department, the call so far
    rep: Text  # who the rep is, e.g. "代表小周"
    doctor: Text  # who the doctor is (fictional, by title and initial)
    style: StyleId | None = None  # the doctor's thinking preference, as the expert reads it
    stage: Id | None = None  # the doctor's rung on the course's adoption ladder
    debrief: Text | None = None  # the expert's summary, shown with the timeline
    tags: list[Tag] = Field(min_length=1, max_length=8)
    tolerance: float = Field(default=1, ge=0, le=60)  # lines or seconds from an annotation
    points: int = Field(default=5, ge=0, le=100)  # per expert annotation a trainee's tags meet
    max_tags: int = Field(default=30, ge=1, le=100)  # per trainee
    script: Script | None = None
    video: Video | None = None

    @model_validator(mode="after")
    def _one_source_known_tags(self) -> "CaseConfig":
        if (self.script is None) == (self.video is None):
            raise ValueError("a case has either `script:` or `video:`, not both or neither")
        ids = [t.id for t in self.tags]
        if duplicated := sorted({i for i in ids if ids.count(i) > 1}):
            raise ValueError(f"tags: ids used twice: {', '.join(duplicated)}")
        if unknown := sorted({n.tag for n in self.annotations} - set(ids)):
            raise ValueError(f"an annotation names an unknown tag: {', '.join(unknown)}")
        if self.script is not None and self.tolerance != int(self.tolerance):
            raise ValueError("tolerance counts whole lines in a script")
        return self

    @property
    def annotations(self) -> list[Moment]:
        """The expert's annotations at their positions, in order, for both sources alike."""
        if self.script is not None:
            return [
                Moment(at=index, tag=n.tag, note=n.note)
                for index, line in enumerate(self.script.lines)
                for n in line.notes
            ]
        return sorted(self.video.notes, key=lambda m: m.at)

    @property
    def running_seconds(self) -> float:
        """How long the script takes read aloud (a video's length is known once it plays)."""
        return sum(line.seconds for line in self.script.lines) if self.script else 0.0

    def tag(self, tag_id: str) -> Tag | None:
        return next((t for t in self.tags if t.id == tag_id), None)

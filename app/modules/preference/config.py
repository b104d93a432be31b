"""The questionnaire's content: ranking blocks (one statement per style) and agree/disagree
statements (several per style), all original and about a rep's working life."""

from pydantic import Field, model_validator

from app.course.models import STYLE_IDS, Strict, StyleId, Text
from app.fields import Id

AGREE_SCALE = (1, 2, 3, 4, 5)  # 1 = strongly disagree … 5 = strongly agree (labels in the catalogue)


class Block(Strict):
    """Order four statements, one per style, from "most like me" to "least like me"."""

    id: Id
    prompt: Text  # the situation: "When I prepare an important call, I…"
    options: dict[StyleId, Text]

    @model_validator(mode="after")
    def _one_per_style(self) -> "Block":
        if sorted(self.options) != sorted(STYLE_IDS):
            raise ValueError(f"options: exactly one statement for each of {', '.join(STYLE_IDS)}")
        return self


class Statement(Strict):
    """Agree or disagree, on a five-point scale. One idea, worded positively."""

    id: Id
    style: StyleId
    text: Text


class PreferenceConfig(Strict):
    intro: Text  # shown before the first question: what it is for, how long it takes
    blocks: list[Block] = Field(min_length=6, max_length=16)
    statements: list[Statement] = Field(min_length=8, max_length=24)
    # The profile mixes both parts: ranking_weight × ranking score + the rest × agreement score.
    ranking_weight: float = Field(default=0.75, ge=0.75, le=1)  # see scoring.py, rule 3

    @model_validator(mode="after")
    def _sound(self) -> "PreferenceConfig":
        ids = [b.id for b in self.blocks] + [s.id for s in self.statements]
        if duplicated := sorted({i for i in ids if ids.count(i) > 1}):
            raise ValueError(f"ids used twice: {', '.join(duplicated)}")
        per_style = {style: sum(s.style == style for s in self.statements) for style in STYLE_IDS}
        if uneven := [s for s, n in per_style.items() if not 2 <= n <= 6]:
            raise ValueError(f"statements: 2 to 6 per style needed ({', '.join(uneven)})")
        return self

    @property
    def questions(self) -> list[Block | Statement]:
        """The order a trainee answers in: every block, then every statement."""
        return [*self.blocks, *self.statements]

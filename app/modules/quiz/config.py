"""The quiz's part of content/: scored questions, each with its explanation."""

from typing import Literal

from pydantic import Field, model_validator

from app.course import wording
from app.course.models import Option, Strict, Text
from app.fields import Id

TRUE_FALSE = ("true", "false")


class Question(Strict):
    id: Id
    type: Literal["single", "multiple", "truefalse", "order"] = "single"
    prompt: Text
    options: list[Option] = Field(default_factory=list, max_length=8)  # order: the right order
    correct: list[Id] = Field(default_factory=list)  # single / multiple
    answer: bool | None = None  # truefalse
    explanation: Text
    seconds: int | None = Field(default=None, ge=5, le=600)
    points: int | None = Field(default=None, ge=1, le=1000)

    @model_validator(mode="after")
    def _answerable(self) -> "Question":
        ids = [option.id for option in self.options]
        quotas = [
            p for o in self.options for text in o.text.root.values() if (p := wording.quota_problem(text))
        ]
        if quotas:
            raise ValueError(f"option: {quotas[0]}")
        if self.type == "truefalse":
            if self.options or self.correct or self.answer is None:
                raise ValueError("a truefalse question has `answer: true|false` and no options")
            return self
        if len(ids) < 2 or len(set(ids)) != len(ids):
            raise ValueError("needs two or more options with distinct ids")
        if self.type == "order":
            if self.correct:
                raise ValueError("an order question lists its options in the right order; no `correct`")
            return self
        if not self.correct or not set(self.correct) <= set(ids):
            raise ValueError("`correct` must name one or more of the option ids")
        if self.type == "single" and len(self.correct) != 1:
            raise ValueError("a single-choice question has exactly one correct option")
        return self

    @property
    def right_answer(self) -> list[str]:
        if self.type == "truefalse":
            return ["true" if self.answer else "false"]
        if self.type == "order":
            return [option.id for option in self.options]
        return self.correct

    def is_correct(self, choice: list[str]) -> bool:
        if self.type in ("multiple",):
            return set(choice) == set(self.correct)
        return choice == self.right_answer


class QuizConfig(Strict):
    questions: list[Question] = Field(min_length=1, max_length=20)
    seconds: int = Field(default=30, ge=5, le=600)  # per question, unless it says otherwise
    points: int = Field(default=100, ge=1, le=1000)  # for a right answer
    speed_bonus: int = Field(default=20, ge=0, le=250)  # at most, for answering at once
    team_score: Literal["average", "sum"] = "average"

    @model_validator(mode="after")
    def _sound(self) -> "QuizConfig":
        if len({q.id for q in self.questions}) != len(self.questions):
            raise ValueError("question ids must be distinct")
        if self.speed_bonus * 4 > self.points:
            raise ValueError("speed_bonus may be at most a quarter of points: accuracy comes first")
        return self

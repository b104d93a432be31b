"""Where a quiz stands: which question, and whether it is waiting, open, closed or revealed.

The state lives in the activity's data in the database; an open question's timer is a start time
and a length, so a restarted server knows at once whether time is up.
"""

from dataclasses import asdict, dataclass, replace
from datetime import datetime

from app.models import utcnow
from app.modules.quiz.config import Question, QuizConfig

EXTEND_SECONDS = 15


@dataclass(frozen=True)
class QuizState:
    index: int = 0
    stage: str = "ready"  # ready | open | closed | revealed | finished
    opened_at: str | None = None  # ISO time the question opened
    seconds: float = 0.0  # its time allowed, extensions included

    @classmethod
    def of(cls, data: dict | None) -> "QuizState":
        known = {k: v for k, v in (data or {}).items() if k in cls.__dataclass_fields__}
        return cls(**known)

    def as_data(self) -> dict:
        return asdict(self)

    def question(self, config: QuizConfig) -> Question:
        return config.questions[min(self.index, len(config.questions) - 1)]

    def elapsed(self, now: datetime | None = None) -> float:
        if self.opened_at is None:
            return 0.0
        return ((now or utcnow()) - datetime.fromisoformat(self.opened_at)).total_seconds()

    def remaining(self, now: datetime | None = None) -> float:
        return max(0.0, self.seconds - self.elapsed(now)) if self.stage == "open" else 0.0

    def effective_stage(self, now: datetime | None = None) -> str:
        """An open question whose time is up is closed, whether or not anyone said so."""
        if self.stage == "open" and self.remaining(now) <= 0:
            return "closed"
        return self.stage


def start(state: QuizState, config: QuizConfig) -> QuizState:
    question = state.question(config)
    return replace(
        state, stage="open", opened_at=utcnow().isoformat(), seconds=float(question.seconds or config.seconds)
    )


def extend(state: QuizState) -> QuizState:
    return replace(state, seconds=state.seconds + EXTEND_SECONDS)


def close(state: QuizState) -> QuizState:
    return replace(state, stage="closed", seconds=min(state.seconds, state.elapsed()))


def reveal(state: QuizState) -> QuizState:
    return replace(state, stage="revealed")


def advance(state: QuizState, config: QuizConfig) -> QuizState:
    if state.index + 1 >= len(config.questions):
        return replace(state, stage="finished")
    return QuizState(index=state.index + 1)


def points_for(question: Question, config: QuizConfig, answered_after: float, allowed: float) -> int:
    """Correctness first; speed adds at most `speed_bonus`, shrinking to 0 at the deadline."""
    base = question.points or config.points
    share = max(0.0, 1.0 - answered_after / allowed) if allowed > 0 else 0.0
    return base + round(config.speed_bonus * share)

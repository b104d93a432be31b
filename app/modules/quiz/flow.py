"""The quiz's use of the round clock (app/modules/clock.py): a round is a question, its time is
the question's own or the quiz's, and a faster right answer earns a little more."""

from app.modules import clock as clocks
from app.modules.clock import Clock
from app.modules.quiz.config import Question, QuizConfig

EXTEND_SECONDS = 15


def question(clock: Clock, config: QuizConfig) -> Question:
    return config.questions[min(clock.index, len(config.questions) - 1)]


def start(clock: Clock, config: QuizConfig) -> Clock:
    return clocks.start(clock, question(clock, config).seconds or config.seconds)


def extend(clock: Clock) -> Clock:
    return clocks.extend(clock, EXTEND_SECONDS)


def advance(clock: Clock, config: QuizConfig) -> Clock:
    return clocks.advance(clock, len(config.questions))


def points_for(question: Question, config: QuizConfig, answered_after: float, allowed: float) -> int:
    """Correctness first; speed adds at most `speed_bonus`, shrinking to 0 at the deadline."""
    base = question.points or config.points
    share = max(0.0, 1.0 - answered_after / allowed) if allowed > 0 else 0.0
    return base + round(config.speed_bonus * share)

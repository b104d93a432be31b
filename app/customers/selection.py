"""Choosing key accounts by weighted criteria: the same rules for the sample territory and for a
trainee's own customers.

- Weights: one whole percentage per criterion, each 0–100, adding up to exactly 100.
- Weighted score of a customer = Σ weight × score / 100, on the 1–5 scale of the scores; a
  customer not yet scored on every criterion has no weighted score.
- Ranking: highest weighted score first; equal scores keep the given order; customers without a
  score come last, in the given order. So raising one criterion's score of a customer never
  lowers its place.
"""

from collections.abc import Mapping
from fractions import Fraction

from pydantic import BaseModel

from app.course.models import Course
from app.course.territory import CRITERIA, Territory
from app.errors import ServiceError
from app.fields import Number

EQUAL_WEIGHTS = {c: 25 for c in CRITERIA}


class Weights(BaseModel):
    """A set of weights as a form posts it (checked by `weights_problem`)."""

    scale: Number
    influence: Number
    potential: Number
    recognition: Number


def territory_of(course: Course | None) -> Territory:
    """The course's sample territory (its grid and ladder serve a trainee's own customers too)."""
    if course is None or course.territory is None:  # the content check prevents this
        raise ServiceError("keyaccount.error.no_territory")
    return course.territory


def weights_problem(weights: Mapping[str, object]) -> str | None:
    """None when the weights are valid, else the catalogue key saying what is wrong."""
    if sorted(weights) != sorted(CRITERIA):
        return "keyaccount.error.criteria"
    values = list(weights.values())
    if not all(isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 100 for v in values):
        return "keyaccount.error.weight_range"
    if sum(values) != 100:
        return "keyaccount.error.weight_sum"
    return None


def usable_weights(saved: dict | None) -> dict:
    """A trainee's saved weights when they are valid, else equal ones (until they set theirs)."""
    return saved if saved and not weights_problem(saved) else EQUAL_WEIGHTS


def weighted(scores: Mapping[str, int] | None, weights: Mapping[str, int]) -> Fraction | None:
    if not scores or any(not isinstance(scores.get(c), int) for c in CRITERIA):
        return None
    return Fraction(sum(weights[c] * scores[c] for c in CRITERIA), 100)


def ranking(card_ids: list[str], values: Mapping[str, Fraction | None]) -> list[str]:
    """Card ids, best first (see the module's rules)."""
    position = {card: n for n, card in enumerate(card_ids)}
    return sorted(card_ids, key=lambda c: (values.get(c) is None, -(values.get(c) or 0), position[c]))

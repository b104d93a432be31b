"""Scoring the thinking-preference questionnaire: pure functions, our own rules.

Rules (written here so they can be checked, taught and changed in one place):

1. Ranking blocks. Each block orders four statements, one per style, from "most like me" to
   "least like me". Places earn 3, 2, 1 and 0 points. A style's ranking score is its points over
   the most it could earn (3 × blocks), as 0–100. Ranking scores are ipsative: they compare one
   person's styles with each other, never people with people.
2. Agree/disagree statements, 1 (strongly disagree) to 5 (strongly agree). A style's agreement
   score is the mean of its statements mapped onto 0–100: (mean − 1) / 4 × 100.
3. Profile score per style = w × ranking + (1 − w) × agreement, w = `ranking_weight` (≥ 0.75, so
   that a person who puts one style first in every block has it as their strongest preference,
   whatever they agree with). Shown rounded to whole numbers; compared exactly (fractions).
4. Levels, per style, by profile score: often used (常用) ≥ 60, sometimes used (有时用) ≥ 35,
   less used (较少用) below 35. Our own names: the commercial instrument's "primary / secondary /
   tertiary" are not used (DOMAIN.md).
5. Order: the strongest preference first; a tie goes to the higher ranking score, then to the
   course's style order (data, process, people, vision). Primary preference = first, secondary
   preference = second.
6. A questionnaire with any block or statement unanswered (or answered in a malformed way) is
   `Incomplete`, never scored.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from app.course.models import STYLE_IDS
from app.modules.preference.config import AGREE_SCALE, PreferenceConfig

PLACE_POINTS = (3, 2, 1, 0)
LEVEL_CUTOFFS = ((60, "often"), (35, "sometimes"), (0, "seldom"))


@dataclass(frozen=True)
class Profile:
    scores: dict[str, int]  # style → 0–100, rounded
    ranking: dict[str, int]  # the ranking part alone, 0–100
    agreement: dict[str, int]  # the agree/disagree part alone, 0–100
    order: tuple[str, ...]  # styles, strongest first
    levels: dict[str, str]  # style → often | sometimes | seldom

    @property
    def primary(self) -> str:
        return self.order[0]

    @property
    def secondary(self) -> str:
        return self.order[1]


@dataclass(frozen=True)
class Incomplete:
    answered: int
    total: int


def valid_order(order: object) -> bool:
    """A block's answer: every style exactly once, most like me first."""
    return isinstance(order, list) and sorted(order) == sorted(STYLE_IDS)


def valid_agreement(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value in AGREE_SCALE


def answered(config: PreferenceConfig, answers: Mapping[str, dict]) -> set[str]:
    """The ids of the questions answered in a well-formed way."""
    done = {b.id for b in config.blocks if valid_order(answers.get(b.id, {}).get("order"))}
    return done | {s.id for s in config.statements if valid_agreement(answers.get(s.id, {}).get("agree"))}


def score(config: PreferenceConfig, answers: Mapping[str, dict]) -> Profile | Incomplete:
    """The profile from one trainee's answers (question id → {"order": [...]} or {"agree": n})."""
    total = len(config.blocks) + len(config.statements)
    if len(done := answered(config, answers)) < total:
        return Incomplete(len(done), total)
    ranking = ranking_scores([answers[b.id]["order"] for b in config.blocks])
    agreement = agreement_scores([(s.style, answers[s.id]["agree"]) for s in config.statements])
    return combine(ranking, agreement, Fraction(config.ranking_weight).limit_denominator(100))


def ranking_scores(orders: list[list[str]]) -> dict[str, Fraction]:
    points = dict.fromkeys(STYLE_IDS, 0)
    for order in orders:
        for place, style in enumerate(order):
            points[style] += PLACE_POINTS[place]
    most = PLACE_POINTS[0] * len(orders)
    return {style: Fraction(100 * p, most) for style, p in points.items()}


def agreement_scores(ratings: list[tuple[str, int]]) -> dict[str, Fraction]:
    low, high = AGREE_SCALE[0], AGREE_SCALE[-1]
    out = {}
    for style in STYLE_IDS:
        values = [value for s, value in ratings if s == style]
        out[style] = Fraction(100 * (sum(values) - low * len(values)), (high - low) * len(values))
    return out


def combine(ranking: dict[str, Fraction], agreement: dict[str, Fraction], weight: Fraction) -> Profile:
    exact = {s: weight * ranking[s] + (1 - weight) * agreement[s] for s in STYLE_IDS}
    order = tuple(sorted(STYLE_IDS, key=lambda s: (-exact[s], -ranking[s], STYLE_IDS.index(s))))
    return Profile(
        scores=_rounded(exact),
        ranking=_rounded(ranking),
        agreement=_rounded(agreement),
        order=order,
        levels={s: level(exact[s]) for s in STYLE_IDS},
    )


def level(value: Fraction | float) -> str:
    return next(name for cutoff, name in LEVEL_CUTOFFS if value >= cutoff)


def _rounded(values: dict[str, Fraction]) -> dict[str, int]:
    return {s: int(v + Fraction(1, 2)) for s, v in values.items()}  # half up, never banker's

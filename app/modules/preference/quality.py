"""Is the instrument any good? Reliability of the agree/disagree part, from real answers.

Only the agree/disagree statements are checked: ranking blocks are ipsative, and Cronbach's alpha
is not meaningful on them. Per style, over the trainees who answered every statement of it:
- alpha = k / (k − 1) × (1 − Σ item variances / variance of the totals); 0.70 or more is acceptable;
- each statement's corrected item-total correlation (with the sum of the style's other
  statements): low or negative values point at a statement to rewrite.
Sample variances (n − 1). A figure that cannot be computed (fewer than two people, no variance)
is None.
"""

import statistics
from dataclasses import dataclass

from app.course.models import STYLE_IDS
from app.modules.preference.config import PreferenceConfig
from app.modules.preference.scoring import valid_agreement


@dataclass(frozen=True)
class ItemStats:
    id: str
    mean: float | None
    item_total: float | None


@dataclass(frozen=True)
class StyleReliability:
    style: str
    respondents: int
    alpha: float | None
    items: list[ItemStats]


def cronbach_alpha(rows: list[list[int]]) -> float | None:
    """rows: one list of item scores per respondent, the same items in the same order."""
    if len(rows) < 2 or len(rows[0]) < 2:
        return None
    k = len(rows[0])
    item_variances = sum(statistics.variance(column) for column in zip(*rows, strict=True))
    total_variance = statistics.variance([sum(row) for row in rows])
    if total_variance == 0:
        return None
    return k / (k - 1) * (1 - item_variances / total_variance)


def item_total(rows: list[list[int]], index: int) -> float | None:
    """Correlation of item `index` with the sum of the other items."""
    if len(rows) < 2:
        return None
    item = [row[index] for row in rows]
    rest = [sum(row) - row[index] for row in rows]
    try:
        return statistics.correlation(item, rest)
    except statistics.StatisticsError:  # no variance on one side
        return None


def reliability(config: PreferenceConfig, people: list[dict[str, dict]]) -> list[StyleReliability]:
    """people: each trainee's answers (question id → value), from one or more sessions."""
    report = []
    for style in STYLE_IDS:
        ids = [s.id for s in config.statements if s.style == style]
        rows = [
            [answers[i]["agree"] for i in ids]
            for answers in people
            if all(valid_agreement(answers.get(i, {}).get("agree")) for i in ids)
        ]
        items = [
            ItemStats(i, statistics.fmean(r[n] for r in rows) if rows else None, item_total(rows, n))
            for n, i in enumerate(ids)
        ]
        report.append(StyleReliability(style, len(rows), cronbach_alpha(rows), items))
    return report

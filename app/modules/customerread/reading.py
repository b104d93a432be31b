"""From observed cues to a hypothesis about a customer's thinking preference (our own rules).

1. Count the ticked cues per style.
2. The style with the most cues is the hypothesis. If two or more styles share the most, there is
   no single hypothesis: the cues point several ways (confidence low) — observe more.
3. Confidence, from the leading style's count and its share of all ticked cues:
   high   — at least 3 cues and at least 60 % of them;
   medium — at least 2 cues and at least 50 %;
   low    — anything less.
It stays a hypothesis to check in the next conversation, never a label.
"""

from collections import Counter
from dataclasses import dataclass

from app.course.models import STYLE_IDS


@dataclass(frozen=True)
class Reading:
    style: str | None  # None when several styles lead equally
    confidence: str  # low | medium | high
    tally: dict[str, int]  # style → ticked cues
    leading: tuple[str, ...]  # the styles with the most cues


def infer(cue_styles: list[str]) -> Reading:
    """cue_styles: the style of each ticked cue (at least one)."""
    counts = Counter(cue_styles)
    tally = {s: counts.get(s, 0) for s in STYLE_IDS}
    top = max(tally.values())
    leading = tuple(s for s in STYLE_IDS if tally[s] == top and top > 0)
    if len(leading) != 1:
        return Reading(None, "low", tally, leading)
    share = top / sum(tally.values())
    confidence = "high" if top >= 3 and share >= 0.6 else "medium" if top >= 2 and share >= 0.5 else "low"
    return Reading(leading[0], confidence, tally, leading)

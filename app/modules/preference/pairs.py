"""Discussion pairs between opposite styles: the app proposes, the facilitator decides.

Rule: every two people get a "difference" — 10 000 if their strongest preferences face each
other (data–people, process–vision), plus the sum of the differences of their four scores. Pairs
are taken greedily, most different first (ties: lower participant ids first), so the result is
the same for the same profiles. With an odd number, the person left over joins the pair they
differ most from, as a three.
"""

from itertools import combinations

from app.course.models import OPPOSITE, STYLE_IDS
from app.modules.preference.scoring import Profile

OPPOSITE_BONUS = 10_000  # above any sum of score differences (at most 400)


def difference(a: Profile, b: Profile) -> int:
    bonus = OPPOSITE_BONUS if OPPOSITE[a.primary] == b.primary else 0
    return bonus + sum(abs(a.scores[s] - b.scores[s]) for s in STYLE_IDS)


def propose(profiles: dict[int, Profile]) -> list[tuple[int, ...]]:
    """Groups of participant ids (pairs, and one three when the count is odd), sorted."""
    candidates = sorted(
        combinations(sorted(profiles), 2),
        key=lambda pair: (-difference(profiles[pair[0]], profiles[pair[1]]), pair),
    )
    free, groups = set(profiles), []
    for a, b in candidates:
        if a in free and b in free:
            groups.append([a, b])
            free -= {a, b}
    if free and groups:
        (last,) = free
        best = max(
            groups, key=lambda g: (sum(difference(profiles[last], profiles[p]) for p in g), [-p for p in g])
        )
        best.append(last)
    return sorted(tuple(sorted(g)) for g in groups)

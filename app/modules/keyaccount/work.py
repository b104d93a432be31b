"""One team's work on the territory, read back from its stored team answers."""

from dataclasses import dataclass
from fractions import Fraction

from app.course.territory import CRITERIA, Territory
from app.customers import selection


@dataclass(frozen=True)
class TeamWork:
    weights: dict[str, int] | None  # adopted by the captain; None until then
    scores: dict[str, dict[str, int]]  # card → criterion → 1–5 (what has been scored)
    weighted: dict[str, Fraction | None]  # card → weighted score, with the weights in use
    ranking: list[str]  # card ids, best first
    placements: dict[str, str]  # card → segment id
    choice: dict[str, str]  # chosen card → reason

    @property
    def scored(self) -> int:
        return sum(v is not None for v in self.weighted.values())

    @classmethod
    def of(
        cls,
        territory: Territory,
        answers: dict[str, dict],
        default_weights: dict[str, int],
        viewer: int | None = None,
    ) -> "TeamWork":
        """Scores are the team's ("score:card:criterion"), or each member's own when the content
        has trainees score alone ("score:card:criterion:member"): then a card's weighted score is
        the mean over the members who scored it fully, and `scores` are the viewer's."""
        adopted = answers.get("weights")
        weights = adopted if adopted and not selection.weights_problem(adopted) else None
        scores: dict[str, dict[str, int]] = {}
        by_member: dict[str, dict[str, dict[str, int]]] = {}
        placements, choice = {}, {}
        for item, value in answers.items():
            kind, _, rest = item.partition(":")
            if kind == "score":
                card, criterion, *member = rest.split(":")
                if criterion in CRITERIA and isinstance(value.get("score"), int):
                    target = by_member.setdefault(member[0], {}) if member else scores
                    target.setdefault(card, {})[criterion] = value["score"]
            elif kind == "place" and isinstance(value.get("segment"), str):
                placements[rest] = value["segment"]
            elif kind == "choice" and value.get("chosen"):
                choice[rest] = str(value.get("reason") or "")
        cards = [c.id for c in territory.customers]
        in_use = weights or default_weights
        if by_member:
            weighted = {
                c: _mean([selection.weighted(m.get(c), in_use) for m in by_member.values()]) for c in cards
            }
            scores = by_member.get(str(viewer), {})
        else:
            weighted = {c: selection.weighted(scores.get(c), in_use) for c in cards}
        ordered = {c: choice[c] for c in cards if c in choice}  # the territory's order
        return cls(weights, scores, weighted, selection.ranking(cards, weighted), placements, ordered)


def _mean(values: list[Fraction | None]) -> Fraction | None:
    known = [v for v in values if v is not None]
    return sum(known, Fraction(0)) / len(known) if known else None

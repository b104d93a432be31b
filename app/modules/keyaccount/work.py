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
    def of(cls, territory: Territory, answers: dict[str, dict],
           default_weights: dict[str, int]) -> "TeamWork":
        adopted = answers.get("weights")
        weights = adopted if adopted and not selection.weights_problem(adopted) else None
        scores: dict[str, dict[str, int]] = {}
        placements, choice = {}, {}
        for item, value in answers.items():
            kind, _, rest = item.partition(":")
            if kind == "score":
                card, _, criterion = rest.partition(":")
                if criterion in CRITERIA and isinstance(value.get("score"), int):
                    scores.setdefault(card, {})[criterion] = value["score"]
            elif kind == "place" and isinstance(value.get("segment"), str):
                placements[rest] = value["segment"]
            elif kind == "choice" and value.get("chosen"):
                choice[rest] = str(value.get("reason") or "")
        cards = [c.id for c in territory.customers]
        weighted = {c: selection.weighted(scores.get(c), weights or default_weights) for c in cards}
        ordered = {c: choice[c] for c in cards if c in choice}  # the territory's order
        return cls(weights, scores, weighted, selection.ranking(cards, weighted), placements, ordered)

"""The rules of the key-account selection exercise, as pure functions (weights, weighted scores
and ranking are app.customers.selection's, shared with the trainee's own territory).

- Segment: a cell of the potential × adoption grid, "potential-adoption" (e.g. "high-low").
- Call load: the monthly visits a grid implies, per rep, counting each customer by its segment's
  grade at the middle of the published guideline (A 4–8 → 6, B 2–4 → 3, C 1–2 → 1.5).
- Agreement: how many of a team's chosen accounts are among the expert's top accounts.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from app.course.territory import Territory

VISITS_PER_MONTH = {"A": Fraction(6), "B": Fraction(3), "C": Fraction(3, 2)}
REASON_MIN_CHARS = 4  # a reason shorter than this is not a reason


def segment_grade(territory: Territory, segment_id: str) -> str | None:
    return next((s.grade for s in territory.segments if s.id == segment_id), None)


def call_load(territory: Territory, placements: Mapping[str, str]) -> Fraction:
    """Visits a month per rep implied by the placed customers."""
    total = sum(
        (VISITS_PER_MONTH[g] for s in placements.values() if (g := segment_grade(territory, s))), Fraction(0)
    )
    return total / territory.reps


def agreement(chosen: Iterable[str], expert_top: Iterable[str]) -> int:
    return len(set(chosen) & set(expert_top))


def complete_reasons(choice: Mapping[str, str]) -> int:
    return sum(len((reason or "").strip()) >= REASON_MIN_CHARS for reason in choice.values())


@dataclass(frozen=True)
class CardDebrief:
    card_id: str
    chosen_by: int  # teams that chose it
    expert: bool  # among the expert's top accounts
    trap: str | None  # the trap's name (content), if it is one
    # Teams caught by the trap: they chose a trap the expert leaves out, or left out one the
    # expert picks.
    fell: int


@dataclass(frozen=True)
class Debrief:
    teams: int  # teams that chose anything
    cards: list[CardDebrief]  # in the room's order: most chosen first

    @property
    def agreed(self) -> list[str]:
        """Chosen by every team."""
        return [c.card_id for c in self.cards if self.teams and c.chosen_by == self.teams]

    @property
    def disputed(self) -> list[str]:
        return [c.card_id for c in self.cards if 0 < c.chosen_by < self.teams]


def debrief(territory: Territory, choices: Mapping[int, Iterable[str]], lang: str = "zh-CN") -> Debrief:
    """The room against the expert: choices = team id → the card ids the team chose."""
    chosen = {team: set(cards) for team, cards in choices.items() if cards}
    expert = set(territory.expert.top)
    traps = territory.expert.traps
    cards = []
    for card in territory.customers:
        count = sum(card.id in picked for picked in chosen.values())
        fell = 0
        if card.id in traps:
            fell = count if card.id not in expert else len(chosen) - count
        trap = traps[card.id].get(lang) if card.id in traps else None
        cards.append(CardDebrief(card.id, count, card.id in expert, trap, fell))
    order = [c.id for c in territory.customers]
    cards.sort(key=lambda c: (-c.chosen_by, not c.expert, order.index(c.card_id)))
    return Debrief(len(chosen), cards)

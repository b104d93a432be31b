"""The Territory Challenge's market model: pure functions, the same inputs always give the same
results (there is no randomness). Parameters come from the game's content (config.py).

Each quarter, for every customer of the sample territory:

1. **Budget.** A team's allocation is read cell by cell, customers in the territory's order, and
   any units beyond the quarter's budget of a resource are dropped (two teammates typing at the
   same moment can never overspend).
2. **Reach.** n units of a resource on one customer give `effect[resource][current rung]` for the
   first unit and `decay` times the previous one for each further unit (diminishing returns).
   Calls beyond `calls.useful` add nothing. Effects differ by rung: what moves an unaware doctor
   (a call with the key message, materials) is not what moves a regular user (department
   meetings, co-visits).
3. **Speaker programmes serve their audience.** A speaker slot is spent on the customer who
   gives the talk and does nothing for that customer's own rung (a speaker is chosen for
   expertise, never as a lever on their own prescribing). Every other customer hears it:
   `resource.audience[their rung]` × the speaker's expertise `(recognition − 1) / 4` (the
   expert's 专业认可度 score, 1–5) × `speakers.same_hospital` for the speaker's colleagues or
   `speakers.elsewhere` for the territory's other hospitals. A doctor hearing several talks in a
   quarter gets the strongest in full and `decay` times the previous one for each further one.
4. **Fit and potential.** The reach is multiplied by how well the team's chosen message style
   fits the customer's thinking preference (`fit`; a talk heard is the speaker's, not the rep's
   message, so fit does not touch it), and then by the potential factor
   `potential_floor + (1 − potential_floor) × (potential − 1) / 4`, where potential is the expert's
   weighted score of the card (1–5).
5. **Too many calls.** Every call beyond `calls.annoying` costs `calls.penalty`, whatever the
   potential (so more potential never lowers a customer's gain).
6. **Movement.** The gain is added to the progress carried from earlier quarters, of which only
   `carry_kept` is left after a quarter (a doctor forgets a call that is not followed up). A positive gain
   that brings the progress to `step` moves the customer up one rung (never more in one quarter:
   adoption is one rung at a time); progress down to −`step` moves them down one. What is left
   carries over, less than one step.

The team's **territory value** is the sum over customers of potential × rung (0 for the lowest
rung), so moving a high-potential customer counts most. Points for the ledger are
`points_per_value` × the value gained in the quarter.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from app.course.models import LANGUAGES, OPPOSITE
from app.course.territory import CRITERIA, Territory
from app.modules.challenge.config import ChallengeConfig

Allocation = Mapping[str, Mapping[str, int]]  # customer → resource → units


@dataclass(frozen=True)
class Customer:
    id: str
    potential: float  # 1–5
    preference: str  # their thinking preference (a style id)
    hospital: str = ""  # colleagues share it: a speaker's talk reaches them in full
    expertise: float = 1.0  # the expert's professional-recognition score (1–5): what a speaker brings


@dataclass(frozen=True)
class Standing:
    rung: int  # index on the ladder
    carry: float = 0.0  # progress towards the next rung


@dataclass(frozen=True)
class Plan:
    """A team's quarter: units per customer and resource, and a message style per customer."""

    units: Allocation = field(default_factory=dict)
    styles: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Quarter:
    before: dict[str, Standing]
    after: dict[str, Standing]
    gains: dict[str, float]
    used: dict[str, int]  # resource → units used (within budget)
    value_before: float
    value_after: float

    @property
    def moved_up(self) -> list[str]:
        return [c for c in self.after if self.after[c].rung > self.before[c].rung]

    @property
    def moved_down(self) -> list[str]:
        return [c for c in self.after if self.after[c].rung < self.before[c].rung]

    @property
    def value_gained(self) -> float:
        return self.value_after - self.value_before


def customers_of(territory: Territory) -> list[Customer]:
    weights = territory.expert.weights
    return [
        Customer(
            card.id,
            sum(weights[k] * territory.expert.scores[card.id][k] for k in CRITERIA) / 100,
            card.preference,
            card.hospital.get(LANGUAGES[0]),
            territory.expert.scores[card.id]["recognition"],
        )
        for card in territory.customers
    ]


def starting_standings(territory: Territory) -> dict[str, Standing]:
    rungs = [s.id for s in territory.ladder]
    return {card.id: Standing(rungs.index(card.stage)) for card in territory.customers}


def within_budget(
    config: ChallengeConfig, customers: Iterable[Customer], units: Allocation
) -> dict[str, dict[str, int]]:
    left = {r.id: r.budget for r in config.resources}
    kept: dict[str, dict[str, int]] = {}
    for customer in customers:
        for resource in config.resources:
            wanted = max(0, min(int(units.get(customer.id, {}).get(resource.id, 0)), config.max_per_customer))
            granted = min(wanted, left[resource.id])
            if granted:
                left[resource.id] -= granted
                kept.setdefault(customer.id, {})[resource.id] = granted
    return kept


def style_fit(config: ChallengeConfig, preference: str, chosen: str | None) -> float:
    if not chosen:
        return config.fit.unchosen
    if chosen == preference:
        return config.fit.match
    return config.fit.opposite if OPPOSITE.get(preference) == chosen else config.fit.neighbour


def potential_factor(config: ChallengeConfig, potential: float) -> float:
    share = min(max((potential - 1) / 4, 0.0), 1.0)
    return config.potential_floor + (1 - config.potential_floor) * share


def reach(config: ChallengeConfig, units: Mapping[str, int], rung_id: str) -> float:
    """What the units spent on one customer do for that customer. A speaker slot is not among
    them: it works on the audience (heard)."""
    total = 0.0
    for resource in config.resources:
        if resource.id == config.speakers.resource:
            continue
        n = units.get(resource.id, 0)
        if resource.id == config.calls.resource:
            n = min(n, config.calls.useful)
        first = resource.effect.get(rung_id, 0.0)
        total += sum(first * resource.decay**k for k in range(max(n, 0)))
    return total


def expertise_factor(speaker: Customer) -> float:
    return min(max((speaker.expertise - 1) / 4, 0.0), 1.0)


def heard(
    config: ChallengeConfig, customers: Sequence[Customer], units: Allocation
) -> dict[str, list[float]]:
    """For every customer, the weight of each speaker programme they hear this quarter (the
    speaker's expertise × how near they are), strongest first. The speaker never hears their own."""
    rules = config.speakers
    weights: dict[str, list[float]] = {c.id: [] for c in customers}
    for speaker in customers:
        talks = units.get(speaker.id, {}).get(rules.resource, 0)
        for listener in customers:
            if talks > 0 and listener.id != speaker.id:
                near = rules.same_hospital if listener.hospital == speaker.hospital else rules.elsewhere
                weights[listener.id] += [expertise_factor(speaker) * near] * talks
    return {c: sorted(w, reverse=True) for c, w in weights.items()}


def audience_reach(config: ChallengeConfig, weights: Sequence[float], rung_id: str) -> float:
    """What the speaker programmes a customer heard do for them, by their own rung."""
    resource = config.resource(config.speakers.resource)  # always one of the resources (config.py)
    first = (resource.audience or {}).get(rung_id, 0.0)
    return sum(first * w * resource.decay**k for k, w in enumerate(weights))


def gain(
    config: ChallengeConfig,
    customer: Customer,
    rung_id: str,
    units: Mapping[str, int],
    style: str | None,
    talks: Sequence[float] = (),
) -> float:
    """One customer's progress this quarter: the units spent on them and the talks they heard
    (`heard`), less the cost of too many calls."""
    positive = (
        reach(config, units, rung_id) * style_fit(config, customer.preference, style)
        + audience_reach(config, talks, rung_id)
    ) * potential_factor(config, customer.potential)
    over = max(0, units.get(config.calls.resource, 0) - config.calls.annoying)
    return positive - over * config.calls.penalty


def move(config: ChallengeConfig, standing: Standing, delta: float, top: int) -> Standing:
    progress = standing.carry * config.carry_kept + delta
    if delta > 0 and progress >= config.step and standing.rung < top:
        return Standing(standing.rung + 1, min(progress - config.step, config.step * 0.99))
    if progress <= -config.step and standing.rung > 0:
        return Standing(standing.rung - 1, 0.0)
    ceiling = 0.0 if standing.rung >= top else config.step * 0.99
    return Standing(standing.rung, min(max(progress, -config.step), ceiling))


def value(customers: Iterable[Customer], standings: Mapping[str, Standing]) -> float:
    return sum(c.potential * standings[c.id].rung for c in customers)


def play_quarter(
    config: ChallengeConfig, territory: Territory, standings: Mapping[str, Standing], plan: Plan
) -> Quarter:
    customers = customers_of(territory)
    rungs = [s.id for s in territory.ladder]
    units = within_budget(config, customers, plan.units)
    talks = heard(config, customers, units)
    gains, after = {}, {}
    for customer in customers:
        here = standings[customer.id]
        own = units.get(customer.id, {})
        gains[customer.id] = gain(
            config, customer, rungs[here.rung], own, plan.styles.get(customer.id), talks[customer.id]
        )
        after[customer.id] = move(config, here, gains[customer.id], len(rungs) - 1)
    used = {r.id: sum(u.get(r.id, 0) for u in units.values()) for r in config.resources}
    return Quarter(dict(standings), after, gains, used, value(customers, standings), value(customers, after))


def play(config: ChallengeConfig, territory: Territory, plans: Iterable[Plan]) -> list[Quarter]:
    """Every quarter played so far, from the territory's starting rungs."""
    standings = starting_standings(territory)
    quarters = []
    for plan in plans:
        quarters.append(play_quarter(config, territory, standings, plan))
        standings = quarters[-1].after
    return quarters


def points(config: ChallengeConfig, quarter: Quarter) -> int:
    return round(config.points_per_value * max(0.0, quarter.value_gained))


def focus(territory: Territory, plans: Iterable[Plan]) -> float:
    """The share of all units a team put on the expert's key accounts (for the debrief)."""
    top = set(territory.expert.top)
    on_top = every = 0
    for plan in plans:
        for customer, units in plan.units.items():
            n = sum(units.values())
            every += n
            on_top += n if customer in top else 0
    return on_top / every if every else 0.0

"""The sample territory (content/<course>/territory.yaml): fictional customer cards for one
product, the adoption ladder, the potential × adoption grid, and the expert answer the key-account
exercise is debriefed against. Shared by the exercise and the territory game."""

from typing import Annotated, Literal

from pydantic import Field, model_validator

from app.course.models import Strict, StyleId, Text
from app.fields import Id

CriterionId = Literal["scale", "influence", "potential", "recognition"]
CRITERIA: tuple[str, ...] = ("scale", "influence", "potential", "recognition")
Level = Literal["high", "medium", "low"]
LEVELS: tuple[str, ...] = ("high", "medium", "low")
Score = Annotated[int, Field(ge=1, le=5)]


class Criterion(Strict):
    id: CriterionId  # 采购规模, 市场影响力, 长期合作潜力, 专业认可度
    name: Text
    hint: Text  # what to look at on a card to score it


class Stage(Strict):
    """One rung of the adoption ladder; `adoption` places it on the grid's adoption axis."""

    id: Id
    name: Text
    adoption: Level


class Segment(Strict):
    """One cell of the potential × adoption grid."""

    potential: Level
    adoption: Level
    grade: Literal["A", "B", "C"]
    calls: Text  # the call frequency it implies ("4–8 次/月")
    strategy: Text  # develop / maintain / serve lightly...

    @property
    def id(self) -> str:
        return f"{self.potential}-{self.adoption}"


class Card(Strict):
    """A fictional customer: only public or observable facts, never a prescription count."""

    id: Id
    name: Text  # fictional
    hospital: Text
    grade: Literal["tertiary", "secondary", "community"]  # 三甲 / 二级 / 社区
    beds: int = Field(ge=0, le=10000)
    department: Text
    title: Text
    outpatients_per_week: int = Field(ge=0, le=20000)
    indication_share: int = Field(ge=0, le=100)  # % of those patients with the indication
    academic: Text  # guideline, society and speaking roles
    kol_tier: Literal["national", "regional", "local", "emerging", "none"]
    decides_for: int = Field(default=1, ge=1, le=200)  # prescribers who follow their choice
    history: Text  # with our company
    stage: Id  # a stage of the ladder
    behaviours: list[Text] = Field(min_length=2, max_length=3)
    preference: StyleId  # what the behaviours hint at (for the debrief and the games)


class Expert(Strict):
    weights: dict[CriterionId, int]  # percent, adding up to 100
    scores: dict[Id, dict[CriterionId, Score]]  # card → criterion → 1–5
    segments: dict[Id, str]  # card → segment id ("high-low")
    top: list[Id]  # the recommended key accounts, best first
    rationale: dict[Id, Text]  # for every top account and every trap
    traps: dict[Id, Text]  # card → what the trap is (a short name)


class Territory(Strict):
    product: Text  # the fictional product and therapy area
    intro: Text
    reps: int = Field(default=1, ge=1, le=20)  # reps sharing the territory (call load per rep)
    top_n: int = Field(ge=2, le=8)
    criteria: list[Criterion]
    ladder: list[Stage] = Field(min_length=4, max_length=10)
    segments: list[Segment]
    customers: list[Card] = Field(min_length=8, max_length=20)
    expert: Expert

    @model_validator(mode="after")
    def _consistent(self) -> "Territory":
        _exactly("criteria", [c.id for c in self.criteria], CRITERIA)
        _exactly("segments", [s.id for s in self.segments], [f"{p}-{a}" for p in LEVELS for a in LEVELS])
        cards = [c.id for c in self.customers]
        if len(set(cards)) != len(cards):
            raise ValueError("customers: ids must be distinct")
        stages = {s.id for s in self.ladder}
        if bad := [c.id for c in self.customers if c.stage not in stages]:
            raise ValueError(f"customers: unknown stage for {', '.join(bad)}")
        expert = self.expert
        if sum(expert.weights.values()) != 100 or sorted(expert.weights) != sorted(CRITERIA):
            raise ValueError("expert.weights: one per criterion, adding up to 100")
        _exactly("expert.scores", list(expert.scores), cards)
        if bad := [c for c, s in expert.scores.items() if sorted(s) != sorted(CRITERIA)]:
            raise ValueError(f"expert.scores: every criterion needed for {', '.join(bad)}")
        _exactly("expert.segments", list(expert.segments), cards)
        segment_ids = {s.id for s in self.segments}
        if bad := [c for c, s in expert.segments.items() if s not in segment_ids]:
            raise ValueError(f"expert.segments: unknown segment for {', '.join(bad)}")
        adoption = {s.id: s.adoption for s in self.ladder}
        if bad := [c.id for c in self.customers if expert.segments[c.id].split("-")[1] != adoption[c.stage]]:
            raise ValueError(f"expert.segments: adoption differs from the card's stage for {', '.join(bad)}")
        if len(expert.top) != self.top_n or not set(expert.top) <= set(cards):
            raise ValueError(f"expert.top: exactly top_n ({self.top_n}) known customers")
        weighted = {c: sum(expert.weights[k] * s[k] for k in CRITERIA) for c, s in expert.scores.items()}
        others = [weighted[c] for c in cards if c not in expert.top]
        if set(expert.top) <= set(cards) and others and min(weighted[c] for c in expert.top) < max(others):
            raise ValueError("expert.top: must be the top_n customers by the expert's own weighted scores")
        if not set(expert.traps) <= set(cards):
            raise ValueError("expert.traps: unknown customer")
        if missing := sorted((set(expert.top) | set(expert.traps)) - set(expert.rationale)):
            raise ValueError(f"expert.rationale: missing for {', '.join(missing)}")
        return self

    def card(self, card_id: str) -> Card | None:
        return next((c for c in self.customers if c.id == card_id), None)


def _exactly(where: str, found: list[str], expected) -> None:
    if sorted(found) != sorted(expected) or len(set(found)) != len(found):
        raise ValueError(f"{where}: exactly one each of {', '.join(expected)}")

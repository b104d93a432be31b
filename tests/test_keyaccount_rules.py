"""The key-account exercise's rules (pure functions) and the sample territory's consistency."""

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.config import ROOT
from app.course.loader import load_courses
from app.course.territory import CRITERIA
from app.customers import selection
from app.kinds import KINDS
from app.modules.keyaccount import rules

CARDS = [f"c{n}" for n in range(12)]
scores = st.fixed_dictionaries({c: st.integers(1, 5) for c in CRITERIA})


@st.composite
def weight_sets(draw):
    cuts = sorted(draw(st.lists(st.integers(0, 20), min_size=3, max_size=3)))
    parts = [cuts[0], cuts[1] - cuts[0], cuts[2] - cuts[1], 20 - cuts[2]]
    return {c: 5 * p for c, p in zip(CRITERIA, parts, strict=True)}


@pytest.fixture(scope="module")
def territory():
    return load_courses(ROOT / "content", KINDS)["kam"].territory


def test_weights_must_be_four_whole_percentages_adding_up_to_100():
    def problem(scale, influence, potential, recognition):
        return selection.weights_problem(
            {"scale": scale, "influence": influence, "potential": potential, "recognition": recognition}
        )

    assert problem(40, 20, 20, 20) is None
    assert problem(40, 20, 20, 10) == "keyaccount.error.weight_sum"
    assert problem(140, -20, -20, 0) == "keyaccount.error.weight_range"
    assert selection.weights_problem({"scale": 100}) == "keyaccount.error.criteria"


def test_weighted_score_and_ties_in_card_order():
    weights = {"scale": 40, "influence": 20, "potential": 20, "recognition": 20}
    one_strength = {"scale": 5, "influence": 1, "potential": 1, "recognition": 1}
    assert selection.weighted(one_strength, weights) == Fraction(13, 5)
    assert selection.weighted({"scale": 5}, weights) is None  # not scored on every criterion
    values = {"a": Fraction(3), "b": Fraction(4), "c": Fraction(3), "d": None}
    assert selection.ranking(["a", "b", "c", "d"], values) == ["b", "a", "c", "d"]
    assert selection.ranking(["c", "b", "a", "d"], values) == ["b", "c", "a", "d"]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(scores, min_size=12, max_size=12), weight_sets(), st.integers(0, 11), st.sampled_from(CRITERIA)
)
def test_raising_one_score_never_lowers_a_customers_rank(cards, weights, who, criterion):
    values = {c: selection.weighted(s, weights) for c, s in zip(CARDS, cards, strict=True)}
    before = selection.ranking(CARDS, values).index(CARDS[who])
    raised = {**cards[who], criterion: min(5, cards[who][criterion] + 1)}
    values[CARDS[who]] = selection.weighted(raised, weights)
    assert selection.ranking(CARDS, values).index(CARDS[who]) <= before


@settings(max_examples=100, deadline=None)
@given(st.lists(scores, min_size=12, max_size=12), weight_sets())
def test_weighted_scores_stay_on_the_scale_and_the_ranking_is_sorted(cards, weights):
    values = {c: selection.weighted(s, weights) for c, s in zip(CARDS, cards, strict=True)}
    assert all(1 <= v <= 5 for v in values.values())
    ranked = [values[c] for c in selection.ranking(CARDS, values)]
    assert ranked == sorted(ranked, reverse=True)


def test_the_sample_territory_is_complete_and_its_expert_answer_consistent(territory):
    expert = territory.expert
    assert 12 <= len(territory.customers) <= 16
    ranked = selection.ranking(
        [c.id for c in territory.customers],
        {c: selection.weighted(s, expert.weights) for c, s in expert.scores.items()},
    )
    assert set(ranked[: territory.top_n]) == set(expert.top)
    kinds = {c.grade for c in territory.customers}
    assert kinds == {"tertiary", "secondary", "community"}
    assert len(expert.traps) >= 4
    assert any(territory.card(c).decides_for >= 10 for c in expert.top)  # a department head


def test_debrief_counts_choices_agreement_and_traps(territory):
    expert = territory.expert
    outside_trap = next(c for c in expert.traps if c not in expert.top)
    inside_trap = next((c for c in expert.traps if c in expert.top), None)
    others = [c.id for c in territory.customers if c.id not in expert.top and c.id not in expert.traps]
    perfect = list(expert.top)
    trapped = [*expert.top[:-2], outside_trap, others[0]]
    if inside_trap in trapped:
        trapped.remove(inside_trap)
    result = rules.debrief(territory, {1: perfect, 2: trapped, 3: []})
    assert result.teams == 2
    by_card = {c.card_id: c for c in result.cards}
    assert by_card[outside_trap].fell == 1 and by_card[outside_trap].trap
    if inside_trap:
        assert by_card[inside_trap].fell == 1  # team 2 left it out
    assert set(result.agreed) == set(perfect) & set(trapped)
    assert rules.agreement(trapped, expert.top) == len(set(trapped) & set(expert.top))
    assert rules.complete_reasons({"a": "因为潜力大", "b": "ok", "c": " "}) == 1


def test_call_load_per_rep(territory):
    grades = {s.id: s.grade for s in territory.segments}
    a_cell = next(s for s, g in grades.items() if g == "A")
    c_cell = next(s for s, g in grades.items() if g == "C")
    load = rules.call_load(territory, {"x": a_cell, "y": c_cell, "z": "nowhere"})
    assert load == Fraction(6 + Fraction(3, 2)) / territory.reps

"""Scoring, pairing and reliability of the thinking-preference questionnaire (pure functions)."""

import itertools
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.course.models import OPPOSITE, STYLE_IDS
from app.modules.preference import pairs, quality, scoring
from app.modules.preference.config import PreferenceConfig

TEXT = {"zh-CN": "文", "en": "Text"}


def make_config(blocks=12, per_style=4, option_order=STYLE_IDS, weight=0.75) -> PreferenceConfig:
    return PreferenceConfig.model_validate(
        {
            "intro": TEXT,
            "ranking_weight": weight,
            "blocks": [
                {"id": f"b{n}", "prompt": TEXT, "options": {s: TEXT for s in option_order}}
                for n in range(blocks)
            ],
            "statements": [
                {"id": f"s-{s}-{n}", "style": s, "text": TEXT} for n in range(per_style) for s in STYLE_IDS
            ],
        }
    )


CONFIG = make_config()
orders = st.permutations(STYLE_IDS).map(list)
agreements = st.integers(min_value=1, max_value=5)


@st.composite
def full_answers(draw, config=CONFIG):
    answers = {b.id: {"order": draw(orders)} for b in config.blocks}
    answers |= {s.id: {"agree": draw(agreements)} for s in config.statements}
    return answers


def answers_with(first: str, agree: int = 3, config=CONFIG) -> dict:
    order = [first, *[s for s in STYLE_IDS if s != first]]
    return {
        **{b.id: {"order": order} for b in config.blocks},
        **{s.id: {"agree": agree} for s in config.statements},
    }


# -- rules ---------------------------------------------------------------------------------------


def test_a_worked_example():
    """Data first in every block, process second...; agree 5 with data, 1 with the rest."""
    answers = {b.id: {"order": ["data", "process", "people", "vision"]} for b in CONFIG.blocks}
    answers |= {s.id: {"agree": 5 if s.style == "data" else 1} for s in CONFIG.statements}
    profile = scoring.score(CONFIG, answers)
    assert profile.ranking == {"data": 100, "process": 67, "people": 33, "vision": 0}
    assert profile.agreement == {"data": 100, "process": 0, "people": 0, "vision": 0}
    # 0.75 × ranking + 0.25 × agreement: 100, 50, 25, 0
    assert profile.scores == {"data": 100, "process": 50, "people": 25, "vision": 0}
    assert profile.levels == {
        "data": "often",
        "process": "sometimes",
        "people": "seldom",
        "vision": "seldom",
    }
    assert (profile.primary, profile.secondary) == ("data", "process")


def test_level_cut_offs():
    assert [scoring.level(v) for v in (100, 60, Fraction(599, 10), 35, Fraction(349, 10), 0)] == [
        "often",
        "often",
        "sometimes",
        "sometimes",
        "seldom",
        "seldom",
    ]


def test_ties_go_to_the_ranking_part_then_to_the_course_order():
    even = {s: Fraction(50) for s in STYLE_IDS}
    assert scoring.combine(even, even, Fraction(3, 4)).order == STYLE_IDS
    ranking = {**even, "vision": Fraction(60), "data": Fraction(40)}
    agreement = {**even, "vision": Fraction(20), "data": Fraction(80)}  # both end at 50
    assert scoring.combine(ranking, agreement, Fraction(3, 4)).order == (
        "vision",
        "process",
        "people",
        "data",
    )
    agreement = {
        **even,
        "data": Fraction(10),
        "process": Fraction(90),
        "people": Fraction(90),
        "vision": Fraction(10),
    }
    ranking = even
    assert scoring.combine(ranking, agreement, Fraction(3, 4)).order[:2] == ("process", "people")


def test_incomplete_and_malformed_answers_are_never_scored():
    answers = answers_with("data")
    assert isinstance(scoring.score(CONFIG, answers), scoring.Profile)
    del answers["b3"]
    assert scoring.score(CONFIG, answers) == scoring.Incomplete(answered=27, total=28)
    for bad in (
        {"order": ["data", "data", "people", "vision"]},
        {"order": ["data"]},
        {"agree": 6},
        {"agree": True},
        {"order": "data"},
        {},
    ):
        broken = answers_with("data") | {"b0": bad}
        assert scoring.score(CONFIG, broken) == scoring.Incomplete(27, 28), bad


def test_the_weight_may_not_let_agreement_overturn_a_consistent_ranking():
    with pytest.raises(ValueError):
        make_config(weight=0.6)


# -- properties ----------------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(full_answers())
def test_scores_stay_in_range(answers):
    profile = scoring.score(CONFIG, answers)
    for part in (profile.scores, profile.ranking, profile.agreement):
        assert set(part) == set(STYLE_IDS)
        assert all(0 <= v <= 100 for v in part.values())
    assert sorted(profile.order) == sorted(STYLE_IDS)
    assert profile.scores[profile.primary] == max(profile.scores.values())


@settings(max_examples=60, deadline=None)
@given(full_answers(), st.permutations(STYLE_IDS))
def test_permuting_the_options_of_a_block_changes_nothing(answers, option_order):
    shuffled = make_config(option_order=tuple(option_order))
    assert scoring.score(shuffled, answers) == scoring.score(CONFIG, answers)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(STYLE_IDS), st.data())
def test_every_block_with_x_first_makes_x_primary(first, data):
    """Whatever the rest of each block and whatever the agree/disagree answers."""
    answers = {}
    for block in CONFIG.blocks:
        rest = data.draw(st.permutations([s for s in STYLE_IDS if s != first]))
        answers[block.id] = {"order": [first, *rest]}
    for statement in CONFIG.statements:
        answers[statement.id] = {"agree": data.draw(agreements)}
    assert scoring.score(CONFIG, answers).primary == first


@settings(max_examples=100, deadline=None)
@given(full_answers(), st.sets(st.sampled_from([q.id for q in CONFIG.questions]), min_size=1))
def test_any_unanswered_question_means_incomplete(answers, missing):
    for item in missing:
        del answers[item]
    result = scoring.score(CONFIG, answers)
    assert result == scoring.Incomplete(len(CONFIG.questions) - len(missing), len(CONFIG.questions))


# -- pairs ---------------------------------------------------------------------------------------


def profile_of(first: str, agree: int = 3):
    return scoring.score(CONFIG, answers_with(first, agree))


def test_pairs_bring_opposite_styles_together():
    people = {
        1: profile_of("data"),
        2: profile_of("data"),
        3: profile_of("people"),
        4: profile_of("people"),
        5: profile_of("process"),
        6: profile_of("vision"),
    }
    groups = pairs.propose(people)
    assert len(groups) == 3
    for group in groups:
        a, b = (people[p].primary for p in group)
        assert OPPOSITE[a] == b, group
    assert groups == pairs.propose(dict(reversed(people.items())))  # the same, whatever the order


def test_an_odd_one_out_joins_a_pair_and_nobody_is_left_alone():
    people = {n: profile_of(style) for n, style in enumerate(["data", "people", "vision"], 1)}
    groups = pairs.propose(people)
    assert sorted(itertools.chain(*groups)) == [1, 2, 3] and [len(g) for g in groups] == [3]
    assert pairs.propose({1: profile_of("data")}) == []


# -- reliability ---------------------------------------------------------------------------------


def test_cronbach_alpha_on_a_textbook_example():
    rows = [[1, 1, 1], [2, 2, 3], [3, 3, 3], [4, 5, 4], [5, 4, 5]]
    # item variances 2.5, 2.5, 2.2; totals 3, 7, 9, 13, 14 have variance 20.2 → 3/2 × (1 − 7.2/20.2)
    assert quality.cronbach_alpha(rows) == pytest.approx(1.5 * (1 - 7.2 / 20.2))
    assert quality.cronbach_alpha([[3, 3], [3, 3]]) is None  # no variance
    assert quality.cronbach_alpha([[1, 2]]) is None  # one person
    assert quality.item_total(rows, 0) == pytest.approx(0.9, abs=0.1)
    assert quality.item_total([[3, 1], [3, 2]], 0) is None


def test_reliability_report_per_style_uses_only_complete_agree_answers():
    consistent = [answers_with("data", agree) for agree in (1, 2, 3, 4, 5)]
    partial = answers_with("data", 5)
    del partial["s-data-0"]
    report = {r.style: r for r in quality.reliability(CONFIG, [*consistent, partial])}
    assert report["data"].respondents == 5 and report["process"].respondents == 6
    assert report["data"].alpha == pytest.approx(1.0)
    assert [i.id for i in report["data"].items] == [f"s-data-{n}" for n in range(4)]
    assert all(i.item_total == pytest.approx(1.0) for i in report["data"].items)

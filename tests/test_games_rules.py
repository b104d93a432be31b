"""The games' rules as pure functions: Preference Detective's scoring, the Adoption Ladder's, the
Territory Challenge's market model (with property tests), the round clock, and the game content
itself (balanced, covering every rung, and telling the truth in its debrief)."""

from collections import Counter
from datetime import timedelta

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from app.config import ROOT
from app.course.loader import ContentErrors, load_courses
from app.course.models import OPPOSITE, STYLE_IDS
from app.kinds import KINDS
from app.models import utcnow
from app.modules import clock as clocks
from app.modules.challenge import market
from app.modules.challenge.config import ChallengeConfig
from app.modules.detective import rules
from app.modules.ladder import answer_of, points_for

COURSE = load_courses(ROOT / "content", KINDS)["kam"]
TERRITORY = COURSE.territory
CONFIGS = {a.kind: a.config for a in COURSE.activities}
CHALLENGE: ChallengeConfig = CONFIGS["challenge"]
CUSTOMERS = market.customers_of(TERRITORY)
RESOURCES = [r.id for r in CHALLENGE.resources]
RUNGS = [s.id for s in TERRITORY.ladder]


# -- Preference Detective ------------------------------------------------------------------


def test_detective_rewards_correctness_first_and_speed_only_a_little():
    scene = next(s for s in CONFIGS["detective"].scenes if s.also)
    best = scene.best
    also = next(m.id for m in scene.messages if m.fits == scene.also)
    wrong_style = next(s for s in STYLE_IDS if s not in (scene.style, scene.also))
    wrong = next(m.id for m in scene.messages if m.fits == wrong_style)
    slow_right = rules.player_points(scene, {"style": scene.style, "message": best, "after": 60}, 60)
    fast_right = rules.player_points(scene, {"style": scene.style, "message": best, "after": 0}, 60)
    fast_wrong = rules.player_points(scene, {"style": wrong_style, "message": wrong, "after": 0}, 60)
    half = rules.player_points(scene, {"style": scene.also, "message": also, "after": 60}, 60)
    assert (slow_right, fast_right, fast_wrong, half) == (20, 22, 0, 10)
    assert rules.player_points(scene, {}, 60) == 0


def test_detective_team_score_is_the_mean_over_every_member():
    scene = CONFIGS["detective"].scenes[0]
    right = {"style": scene.style, "message": scene.best, "after": 60}
    assert rules.team_points(scene, [right, right], 2, 60) == 20
    assert rules.team_points(scene, [right], 2, 60) == 10  # a teammate who did not answer counts
    assert rules.team_points(scene, [], 0, 60) == 0


# -- Adoption Ladder -----------------------------------------------------------------------


def test_ladder_points_for_the_rung_and_the_action():
    case = CONFIGS["ladder"].cases[0]
    best = next(a.id for a in case.actions if a.points == 10)
    skip = next(a.id for a in case.actions if a.points == 0)
    both = {"r0:stage": {"stage": case.stage}, "r0:action": {"action": best}}
    assert points_for(case, answer_of(both, 0)) == 20
    assert points_for(case, answer_of({"r0:action": {"action": skip}}, 0)) == 0
    assert points_for(case, answer_of({}, 0)) == 0


# -- the round clock -----------------------------------------------------------------------


def test_the_clock_closes_by_itself_and_pause_keeps_the_time_left():
    running = clocks.start(clocks.Clock(), 60)
    assert running.effective_stage() == "open"
    assert running.effective_stage(utcnow() + timedelta(seconds=61)) == "closed"
    paused = clocks.pause(running)
    assert paused.effective_stage(utcnow() + timedelta(hours=1)) == "paused"
    assert 59 < clocks.extend(paused).left - 30 <= 60
    assert clocks.resume(paused).remaining() == pytest.approx(paused.left, abs=0.5)
    assert clocks.advance(clocks.reveal(running), rounds=1).stage == "finished"
    assert clocks.advance(clocks.reveal(running), rounds=2) == clocks.Clock(index=1)


# -- the Territory Challenge's market model --------------------------------------------------

units = st.dictionaries(st.sampled_from(RESOURCES), st.integers(0, 20), max_size=len(RESOURCES))
styles = st.sampled_from([None, *STYLE_IDS])
rungs = st.sampled_from(RUNGS)


@settings(max_examples=300, deadline=None)
@given(units, styles, rungs, st.floats(1, 5), st.floats(1, 5), st.sampled_from(STYLE_IDS))
def test_more_potential_never_lowers_a_customers_gain(amounts, style, rung, p1, p2, preference):
    low, high = sorted((p1, p2))
    gain_low = market.gain(CHALLENGE, market.Customer("x", low, preference), rung, amounts, style)
    gain_high = market.gain(CHALLENGE, market.Customer("x", high, preference), rung, amounts, style)
    assert gain_high >= gain_low - 1e-9
    standing = market.Standing(RUNGS.index(rung))
    top = len(RUNGS) - 1
    moved_low = market.move(CHALLENGE, standing, gain_low, top)
    assert market.move(CHALLENGE, standing, gain_high, top).rung >= moved_low.rung


plans = st.builds(
    market.Plan,
    st.dictionaries(st.sampled_from([c.id for c in CUSTOMERS]), units, max_size=6),
    st.dictionaries(st.sampled_from([c.id for c in CUSTOMERS]), st.sampled_from(STYLE_IDS)),
)


@settings(max_examples=100, deadline=None)
@given(st.lists(plans, min_size=0, max_size=3))
def test_an_empty_allocation_never_moves_anyone_up(before):
    history = market.play(CHALLENGE, TERRITORY, before)
    standings = history[-1].after if history else market.starting_standings(TERRITORY)
    quarter = market.play_quarter(CHALLENGE, TERRITORY, standings, market.Plan())
    assert quarter.moved_up == [] and quarter.value_gained <= 0
    assert market.points(CHALLENGE, quarter) == 0


@settings(max_examples=100, deadline=None)
@given(st.lists(plans, min_size=1, max_size=4))
def test_the_same_plans_always_give_the_same_results(history):
    assert market.play(CHALLENGE, TERRITORY, history) == market.play(CHALLENGE, TERRITORY, list(history))


@settings(max_examples=100, deadline=None)
@given(plans)
def test_a_quarter_moves_a_customer_one_rung_at_most_and_never_overspends(plan):
    quarter = market.play_quarter(CHALLENGE, TERRITORY, market.starting_standings(TERRITORY), plan)
    assert all(abs(quarter.after[c].rung - quarter.before[c].rung) <= 1 for c in quarter.after)
    budgets = {r.id: r.budget for r in CHALLENGE.resources}
    assert all(quarter.used[r] <= budgets[r] for r in budgets)


def test_too_many_calls_push_a_customer_back():
    customer = market.Customer("x", 5.0, "data")
    useful = market.gain(CHALLENGE, customer, "interested", {"calls": CHALLENGE.calls.useful}, "data")
    too_many = market.gain(CHALLENGE, customer, "interested", {"calls": 20}, "data")
    assert useful > 0 > too_many


def test_a_fitting_message_style_lands_better_than_the_opposite_one():
    customer = market.Customer("x", 3.0, "process")
    fits = market.gain(CHALLENGE, customer, "aware", {"calls": 4}, "process")
    generic = market.gain(CHALLENGE, customer, "aware", {"calls": 4}, None)
    opposite = market.gain(CHALLENGE, customer, "aware", {"calls": 4}, OPPOSITE["process"])
    assert fits > generic > opposite > 0


SPEAKERS = CHALLENGE.speakers.resource


@settings(max_examples=150, deadline=None)
@given(plans, st.sampled_from([c.id for c in CUSTOMERS]), st.integers(1, CHALLENGE.resource(SPEAKERS).budget))
def test_a_speaker_programme_moves_its_audience_never_the_speaker(plan, speaker, talks):
    """RDPAC / IFPMA: a speaker is never a lever on their own prescribing. Giving a customer the
    talk changes nothing for them, and nobody else loses by it."""
    units = {c: {r: n for r, n in u.items() if r != SPEAKERS} for c, u in plan.units.items()}
    without = market.Plan(units, plan.styles)
    with_talk = market.Plan({**units, speaker: {**units.get(speaker, {}), SPEAKERS: talks}}, plan.styles)
    start = market.starting_standings(TERRITORY)
    before = market.play_quarter(CHALLENGE, TERRITORY, start, without)
    after = market.play_quarter(CHALLENGE, TERRITORY, start, with_talk)
    assert after.gains[speaker] == pytest.approx(before.gains[speaker])
    assert all(after.gains[c] >= before.gains[c] - 1e-9 for c in before.gains)


def test_the_talk_reaches_colleagues_most_and_more_from_a_more_recognised_speaker():
    start = market.starting_standings(TERRITORY)

    def gains(speaker: str) -> dict[str, float]:
        return market.play_quarter(CHALLENGE, TERRITORY, start, market.Plan({speaker: {SPEAKERS: 1}})).gains

    expert = max(CUSTOMERS, key=lambda c: c.expertise)
    colleague = next(c for c in CUSTOMERS if c.hospital == expert.hospital and c.id != expert.id)
    far = next(
        c
        for c in CUSTOMERS
        if c.hospital != expert.hospital and RUNGS[start[c.id].rung] == RUNGS[start[colleague.id].rung]
    )
    heard = gains(expert.id)
    assert heard[expert.id] == 0 and heard[colleague.id] > heard[far.id] > 0
    unknown = min(CUSTOMERS, key=lambda c: c.expertise)
    assert unknown.expertise < expert.expertise and sum(gains(unknown.id).values()) < sum(heard.values())


def test_content_check_refuses_a_speaker_programme_that_works_on_the_speaker(course_copy):
    games = course_copy / "kam" / "games"
    challenge = yaml.safe_load((games / "challenge.yaml").read_text(encoding="utf-8"))
    speakers = next(r for r in challenge["resources"] if r["id"] == SPEAKERS)
    speakers["effect"] = dict.fromkeys(RUNGS, 0.0) | {"regular": 0.8}  # the old lever on the speaker
    (games / "challenge.yaml").write_text(yaml.safe_dump(challenge, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentErrors) as caught:
        load_courses(course_copy, KINDS)
    assert any(
        "kam/games/challenge.yaml" in str(e) and "no effect on the speaker" in str(e)
        for e in caught.value.errors
    )
    del speakers["effect"], speakers["audience"]
    (games / "challenge.yaml").write_text(yaml.safe_dump(challenge, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentErrors) as caught:
        load_courses(course_copy, KINDS)
    assert any("speakers.audience" in str(e) for e in caught.value.errors)


def _spread_everything() -> market.Plan:
    ids = [c.id for c in CUSTOMERS]
    units: dict[str, dict[str, int]] = {}
    for resource in CHALLENGE.resources:
        for n in range(resource.budget):
            cell = units.setdefault(ids[n % len(ids)], {})
            cell[resource.id] = cell.get(resource.id, 0) + 1
    return market.Plan(units, {})


def _focus_on(accounts: list[str], fitting: bool) -> market.Plan:
    preference = {c.id: c.preference for c in CUSTOMERS}
    units: dict[str, dict[str, int]] = {a: {} for a in accounts}
    for resource in CHALLENGE.resources:
        for n in range(resource.budget):
            cell = units[accounts[n % len(accounts)]]
            cell[resource.id] = cell.get(resource.id, 0) + 1
    return market.Plan(units, {a: preference[a] if fitting else OPPOSITE[preference[a]] for a in accounts})


def test_the_debrief_is_true_focus_on_high_potential_with_fitting_styles_wins():
    """What the game's debrief says must be what the model does, over four quarters."""
    low = [c.id for c in sorted(CUSTOMERS, key=lambda c: c.potential)[: TERRITORY.top_n]]
    final = {
        name: market.play(CHALLENGE, TERRITORY, [plan] * 4)[-1].value_after
        for name, plan in {
            "focus": _focus_on(TERRITORY.expert.top, True),
            "focus, clashing styles": _focus_on(TERRITORY.expert.top, False),
            "low potential": _focus_on(low, True),
            "spread": _spread_everything(),
            "nothing": market.Plan(),
        }.items()
    }
    assert max(final, key=final.get) == "focus"
    assert final["spread"] < final["focus"] and final["low potential"] < final["focus"]
    assert final["focus, clashing styles"] < final["focus"]
    assert min(final.values()) >= final["nothing"] - 1e-9


# -- the content ---------------------------------------------------------------------------


def test_detective_scenes_are_balanced_and_some_are_honestly_ambiguous():
    scenes = CONFIGS["detective"].scenes
    assert len(scenes) >= 16
    assert min(Counter(s.style for s in scenes).values()) >= 4
    assert sum(s.also is not None for s in scenes) >= 2
    assert len({s.best for s in scenes}) >= 3  # the right letter is not always the same


def test_ladder_cases_cover_every_rung_and_each_has_a_zero_point_trap():
    cases = CONFIGS["ladder"].cases
    assert len(cases) >= 12
    assert set(RUNGS) <= {c.stage for c in cases}
    assert all(any(a.points == 0 for a in c.actions) for c in cases)


def test_a_game_file_with_a_typo_or_an_unknown_rung_is_told_by_file_and_line(course_copy):
    games = course_copy / "kam" / "games"
    ladder = yaml.safe_load((games / "ladder.yaml").read_text(encoding="utf-8"))
    ladder["cases"][0]["stage"] = "enthusiastic"
    (games / "ladder.yaml").write_text(yaml.safe_dump(ladder, allow_unicode=True), encoding="utf-8")
    text = (games / "detective.yaml").read_text(encoding="utf-8").replace("seconds:", "secnds:", 1)
    (games / "detective.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ContentErrors) as caught:
        load_courses(course_copy, KINDS)
    messages = [str(e) for e in caught.value.errors]
    assert any("kam/games/detective.yaml:" in m and "secnds: unknown field" in m for m in messages)
    with pytest.raises(ContentErrors) as caught:
        (games / "detective.yaml").write_text(text.replace("secnds:", "seconds:", 1), encoding="utf-8")
        load_courses(course_copy, KINDS)
    assert any("unknown stage 'enthusiastic'" in str(e) for e in caught.value.errors)

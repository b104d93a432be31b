"""The key-account exercise over HTTP and websockets: each phase with its bad input, teammates
seeing each other's work at once, the captain adopting weights, the debrief and its points."""

import pytest

from app.live import teamwork
from app.modules.keyaccount import EQUAL_WEIGHTS
from app.modules.keyaccount.work import TeamWork
from app.points import ledger
from tests.support.clients import ORIGIN, join, post_in_parallel
from tests.support.html import elements, texts
from tests.support.i18n import t, t_start
from tests.support.keyaccount import KA, act, phase, two_teams
from tests.support.ws import receive_until

WEIGHTS = {"scale": 30, "influence": 20, "potential": 30, "recognition": 20}


@pytest.fixture
def room(app, trainer, live, db):
    return two_teams(app, trainer, live, db)


def test_weights_are_proposed_seen_by_teammates_and_adopted_by_the_captain(room, trainer, db):
    session_id, code, phones, people = room
    assert t("keyaccount.error.weight_sum") in act(
        phones["A2"], code, "propose", status=400, **{**WEIGHTS, "scale": 20}
    )
    assert t("keyaccount.error.weight_range") in act(
        phones["A2"], code, "propose", status=400, **{**WEIGHTS, "scale": 130, "potential": -70}
    )
    with phones["A1"].websocket_connect(f"/ws/play/{code}", headers={"origin": ORIGIN}) as ws:
        receive_until(ws, "ka-proposals")
        act(phones["A2"], code, "propose", **WEIGHTS)
        update = receive_until(ws, "采购规模 30%")  # the teammate's proposal, at once
        assert "A2" in update
    assert t("keyaccount.error.captain") in act(
        phones["A2"], code, "adopt", status=403, proposer=people["A2"].id
    )
    act(phones["A1"], code, "adopt", status=400, proposer=people["B1"].id)  # not in the team
    act(phones["A1"], code, "adopt", proposer=people["A2"].id)  # A1 joined first: the captain
    team = people["A1"].team_id
    assert teamwork.of_team(db, session_id, KA, team)["weights"] == WEIGHTS
    assert t("keyaccount.team_weights") in phones["A2"].get(f"/play/{code}").text
    assert teamwork.of_team(db, session_id, KA, people["B1"].team_id) == {}  # the other team untouched


def test_scores_are_shared_by_the_team_and_bad_ones_refused(room, trainer, course, db):
    session_id, code, phones, people = room
    card = course.territory.customers[0].id
    act(phones["A1"], code, "score", status=409, card=card, criterion="scale", score=4)  # still weighing
    phase(trainer, session_id, "score")
    act(phones["A1"], code, "score", status=400, card=card, criterion="scale", score=6)
    act(phones["A1"], code, "score", status=400, card="nobody", criterion="scale", score=3)
    act(phones["A1"], code, "score", status=400, card=card, criterion="charm", score=3)
    with phones["A2"].websocket_connect(f"/ws/play/{code}", headers={"origin": ORIGIN}) as ws:
        receive_until(ws, "ka-scores")
        for criterion in ("scale", "influence", "potential", "recognition"):
            act(phones["A1"], code, "score", card=card, criterion=criterion, score=4)
        update = receive_until(ws, "4.00")  # the weighted score, on the teammate's phone
        assert texts(update, "[aria-pressed=true]").count("4") == 4
    answers = teamwork.of_team(db, session_id, KA, people["A1"].team_id)
    assert answers[f"score:{card}:scale"] == {"score": 4}
    second = course.territory.customers[1].id
    page = act(phones["A2"], code, "show", card=second)  # moving on keeps one's place
    assert t_start("keyaccount.card_of", n=2) in page and "第 2 / " in phones["A2"].get(f"/play/{code}").text


def test_placing_and_choosing_with_reasons_and_at_most_n(room, trainer, course, db):
    session_id, code, phones, people = room
    territory = course.territory
    phase(trainer, session_id, "place")
    card = territory.customers[0].id
    act(phones["B1"], code, "place", status=400, card=card, segment="high-sky")
    act(phones["B1"], code, "place", card=card, segment="high-low")
    saved = teamwork.of_team(db, session_id, KA, people["B1"].team_id)
    assert saved[f"place:{card}"] == {"segment": "high-low"}
    phase(trainer, session_id, "choose")
    assert t("keyaccount.error.reason") in act(
        phones["B1"], code, "pick", status=400, card=card, chosen="true"
    )
    for other in territory.customers[: territory.top_n]:
        act(phones["B2"], code, "pick", card=other.id, chosen="true", reason="潜力大、影响面广")
    extra = territory.customers[territory.top_n].id
    assert t("keyaccount.error.too_many", n=territory.top_n) in act(
        phones["B1"], code, "pick", status=400, card=extra, chosen="true", reason="也不错"
    )
    act(phones["B1"], code, "pick", card=card, chosen="false")
    act(phones["B1"], code, "pick", card=extra, chosen="true", reason="二级医院的潜力")
    page = phones["B2"].get(f"/play/{code}").text
    assert (
        t("keyaccount.chosen", done=territory.top_n, total=territory.top_n) in page
        and "二级医院的潜力" in page
    )


def test_teammates_choosing_at_once_never_choose_more_than_n(room, trainer, course, db):
    """Two teammates tapping different accounts in the same moment: the team's limit holds."""
    session_id, code, phones, people = room
    territory = course.territory
    phase(trainer, session_id, "choose")
    cards = [c.id for c in territory.customers[: territory.top_n + 3]]
    sends = [(phones["B1" if i % 2 else "B2"], _chosen(card)) for i, card in enumerate(cards)]
    replies = post_in_parallel(code, "pick", KA, sends)
    answers = teamwork.of_team(db, session_id, KA, people["B1"].team_id)
    chosen = TeamWork.of(territory, answers, EQUAL_WEIGHTS).choice
    assert len(chosen) == territory.top_n
    assert sum(r.status_code == 200 for r in replies) == territory.top_n


def _chosen(card: str) -> dict:
    return {"card": card, "chosen": "true", "reason": "潜力大、影响面广"}


def test_debrief_compares_with_the_expert_and_awards_once(room, trainer, course, db):
    session_id, code, phones, people = room
    territory = course.territory
    expert = territory.expert
    phase(trainer, session_id, "choose")
    for card in expert.top:  # team A agrees with the expert on every account
        act(phones["A1"], code, "pick", card=card, chosen="true", reason="专家也会选它")
    trap = next(c for c in expert.traps if c not in expert.top)
    act(phones["B1"], code, "pick", card=trap, chosen="true", reason="<b>名气大</b>")
    phase(trainer, session_id, "debrief")
    screen = trainer.get(f"/screen/{session_id}").text
    assert territory.card(trap).name.get("zh-CN") in screen and t("keyaccount.fell", n=1) in screen
    assert "<b>名气大</b>" not in phones["B1"].get(f"/play/{code}").text  # escaped
    assert t("keyaccount.you_fell") in phones["B1"].get(f"/play/{code}").text
    assert t_start("keyaccount.your_agreement", n=territory.top_n) in phones["A2"].get(f"/play/{code}").text
    for _ in range(2):  # a double click awards once
        trainer.post(f"/control/{session_id}/kind/award", data={"activity": KA})
    points = {p: ledger.standings(db, session_id).get(people[p].id) for p in ("A1", "A2", "B1", "B2")}
    expected = territory.top_n * 10 + territory.top_n * 2
    assert points["A1"].points == points["A2"].points == expected
    assert points["B1"].points == points["B2"].points == 2  # a reason, no agreement
    assert elements(screen, ".ka-room")


def test_a_trainee_without_a_team_is_told(app, trainer, live):
    session_id, code = live
    phone = join(app, code, "Solo")
    trainer.post(f"/control/{session_id}/go", data={"activity": KA})
    assert t("keyaccount.no_team") in phone.get(f"/play/{code}").text
    assert t("keyaccount.error.no_team") in act(phone, code, "propose", status=409, **WEIGHTS)

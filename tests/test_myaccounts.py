"""My own territory: customers by code, scores, grid, key accounts with reasons; bad input told;
the list read back through the service the plan workspace uses, with customer hypotheses."""

from sqlmodel import select

from app.customers import accounts, hypotheses
from app.models import Participant
from tests.support.clients import join, post_action
from tests.support.html import elements, texts
from tests.support.i18n import t, t_start
from tests.support.ws import HEADERS, receive_until

MINE = "u2-my-territory"


def act(phone, code, action, status=200, **data):
    return post_action(phone, code, action, MINE, status, **data)


def test_build_my_territory_and_read_it_back(app, trainer, live, course, db):
    session_id, code = live
    trainer.post(f"/control/{session_id}/go", data={"activity": MINE})
    phone = join(app, code, "周敏")
    me = db.exec(select(Participant)).one()
    territory = course.territory
    stages = [s.id for s in territory.ladder]
    for n in range(6):
        act(phone, code, "add", customer=f"c{n}", stage=stages[n % len(stages)], note="三甲 内分泌")
    assert t("accounts.error.exists", customer="C0") in act(
        phone, code, "add", status=400, customer="c0", stage=stages[0]
    )
    assert t("customers.error.code") in act(
        phone, code, "add", status=400, customer="王建国", stage=stages[0]
    )
    act(phone, code, "add", status=400, customer="Z9", stage="famous")
    assert t("keyaccount.error.weight_sum") in act(
        phone, code, "weights", status=400, scale=50, influence=50, potential=50, recognition=0
    )
    act(phone, code, "weights", scale=40, influence=20, potential=20, recognition=20)
    for criterion in ("scale", "influence", "potential", "recognition"):
        act(phone, code, "score", customer="C3", criterion=criterion, score=5)
        act(phone, code, "score", customer="c1", criterion=criterion, score=2)
    act(phone, code, "score", status=400, customer="C3", criterion="scale", score=9)
    act(phone, code, "place", customer="C3", segment="high-low")
    act(phone, code, "place", status=400, customer="C3", segment="middle")
    assert t("keyaccount.error.reason") in act(
        phone, code, "choose", status=400, customer="C3", chosen="true"
    )
    act(phone, code, "choose", customer="C3", chosen="true", reason="门诊量大、采纳还低")
    act(phone, code, "forget", customer="C5")
    act(phone, code, "forget", status=404, customer="C5")
    hypotheses.save(db, session_id, me.id, "C3", "data", "high", ["x"], "u3-reading-preference")
    weights = {"scale": 40, "influence": 20, "potential": 20, "recognition": 20}
    listing = accounts.listing(db, session_id, me.id, territory, weights)
    assert [a.customer for a in listing][:2] == ["C3", "C1"] and len(listing) == 5
    (key,) = accounts.key_accounts(db, session_id, me.id, territory, weights)
    assert (key.customer, key.segment, key.grade, key.reason, key.preference) == (
        "C3",
        "high-low",
        next(s.grade for s in territory.segments if s.id == "high-low"),
        "门诊量大、采纳还低",
        "data",
    )
    page = phone.get(f"/play/{code}").text  # a reload shows it all again
    assert t_start("accounts.progress", n=5) in page and "门诊量大、采纳还低" in page
    assert "C3" in phone.get(f"/play/{code}/mine").text  # and it stays within reach all day


def test_at_most_fifteen_customers(app, trainer, live, course, db):
    session_id, code = live
    trainer.post(f"/control/{session_id}/go", data={"activity": MINE})
    phone = join(app, code, "Max")
    stage = course.territory.ladder[0].id
    for n in range(accounts.MAX_CUSTOMERS):
        act(phone, code, "add", customer=f"K{n}", stage=stage)
    assert t("accounts.error.full", n=15) in act(phone, code, "add", status=400, customer="K99", stage=stage)


def test_my_list_stays_editable_later_in_the_day(app, trainer, live, course):
    session_id, code = live
    trainer.post(f"/control/{session_id}/go", data={"activity": MINE})
    phone = join(app, code, "Later")
    stage = course.territory.ladder[2].id
    act(phone, code, "add", customer="AB", stage=stage)
    trainer.post(f"/control/{session_id}/go", data={"activity": "u3-adoption-cycle"})  # the day goes on
    assert 'href="/play/' + code + "/work/" + MINE in phone.get(f"/play/{code}/mine").text
    work = phone.get(f"/play/{code}/work/{MINE}").text
    assert elements(work, "[data-activity=u2-my-territory]") and "AB" in work and "ws-connect" not in work
    page = act(phone, code, "add", customer="CD", stage=stage)  # answered with this page's view
    assert elements(page, "[data-activity=u2-my-territory]") and t_start("accounts.progress", n=2) in page
    # Kinds that are not "anytime" still refuse answers once the facilitator has moved on.
    response = phone.post(
        f"/play/{code}/act/answer",
        headers={"HX-Request": "true"},
        data={"activity": "u3-preference-questionnaire", "item": "x", "agree": 3},
    )
    assert response.status_code == 409
    elsewhere = phone.get(f"/play/{code}/work/u3-preference-questionnaire", follow_redirects=False)
    assert elsewhere.status_code == 303
    trainer.post(f"/control/{session_id}/go", data={"activity": MINE})
    trainer.post(f"/control/{session_id}/phase", data={"phase": "closed"})
    trainer.post(f"/control/{session_id}/go", data={"activity": "u3-adoption-cycle"})
    act(phone, code, "add", status=409, customer="EF", stage=stage)  # closed by the facilitator


def test_each_connected_trainee_gets_their_own_list(app, trainer, live, course):
    """The own parts of a room rendered together: each trainee's customers from the one read of
    all, and nobody's in the part shared by those who have none yet."""
    session_id, code = live
    for activity in (MINE, "u3-adoption-cycle"):  # opened once, then the day goes on
        trainer.post(f"/control/{session_id}/go", data={"activity": activity})
    phones = {name: join(app, code, name) for name in ("甲", "乙", "丙")}
    stage = course.territory.ladder[0].id
    act(phones["甲"], code, "add", customer="AB", stage=stage)  # the list is theirs all day
    act(phones["乙"], code, "add", customer="CD", stage=stage)
    with (
        phones["甲"].websocket_connect(f"/ws/play/{code}", headers=HEADERS) as first,
        phones["乙"].websocket_connect(f"/ws/play/{code}", headers=HEADERS) as second,
        phones["丙"].websocket_connect(f"/ws/play/{code}", headers=HEADERS) as third,
    ):
        sockets = (first, second, third)
        for ws in sockets:
            receive_until(ws, 'id="play-own"')
        trainer.post(f"/control/{session_id}/go", data={"activity": MINE})
        owns = [receive_until(ws, 'class="ma-progress"') for ws in sockets]
    assert [texts(own, ".ma-list summary strong") for own in owns] == [["AB"], ["CD"], []]
    assert t_start("accounts.progress", n=0) in owns[2]

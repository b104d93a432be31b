"""Reading a customer: cues → a hypothesis with its confidence, saved per customer code through
the customers service; bad codes and empty checklists are told, not saved."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import select

from app.course.models import STYLE_IDS
from app.customers import hypotheses
from app.errors import ServiceError
from app.models import Participant
from app.modules.customerread.reading import infer
from tests.support.clients import ORIGIN, join, post_action
from tests.support.html import texts
from tests.support.i18n import t
from tests.support.ws import receive_until

READ = "u3-reading-preference"


# -- the rules -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cues, style, confidence",
    [
        (["data"] * 3, "data", "high"),
        (["data", "data", "data", "people", "process"], "data", "high"),  # 3 of 5 = 60 %
        (["data", "data", "data", "people", "process", "vision"], "data", "medium"),  # 50 %
        (["vision", "vision", "people"], "vision", "medium"),
        (["people"], "people", "low"),
        (["data", "data", "process", "people", "vision"], "data", "low"),  # 40 %
        (["data", "people"], None, "low"),  # a tie: no single hypothesis
    ],
)
def test_confidence_rules(cues, style, confidence):
    reading = infer(cues)
    assert (reading.style, reading.confidence) == (style, confidence)
    assert sum(reading.tally.values()) == len(cues)


@given(st.lists(st.sampled_from(STYLE_IDS), min_size=1, max_size=24))
def test_the_hypothesis_is_always_a_leading_style(cues):
    reading = infer(cues)
    top = max(reading.tally.values())
    assert set(reading.leading) == {s for s in STYLE_IDS if reading.tally[s] == top}
    assert reading.style == (reading.leading[0] if len(reading.leading) == 1 else None)


# -- the service -----------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["", "张主任", "Z L", "A" * 13, "-ZL", "<b>"])
def test_customer_codes_must_be_codes_or_initials(raw):
    with pytest.raises(ServiceError) as error:
        hypotheses.clean_code(raw)
    assert error.value.key == "customers.error.code"


def test_codes_are_normalised():
    assert hypotheses.clean_code(" zl-01 ") == "ZL-01"


# -- over HTTP -------------------------------------------------------------------------------------


def hypothesise(phone, code, status=200, **data):
    return post_action(phone, code, "hypothesise", READ, status, **data)


def test_tick_cues_save_update_and_delete_a_hypothesis(app, trainer, live, course, db):
    session_id, code = live
    trainer.post(f"/control/{session_id}/go", data={"activity": READ})
    config = course.activity(READ).config
    data_cues = [c.id for g in config.groups for c in g.cues if c.style == "data"][:3]
    phone = join(app, code, "王芳")
    page = hypothesise(phone, code, customer="zl", cue=data_cues)
    assert (
        t("customerread.reading_for", customer="ZL") in page
        and "<span>数据型</span>" in page
        and t("customerread.confidence.high") in page
    )
    assert course.style("data").talk_to[0].get("zh-CN") in page
    me = db.exec(select(Participant)).one()
    (saved,) = hypotheses.of_participant(db, session_id, me.id)
    assert (saved.customer, saved.style, saved.confidence, saved.cues) == ("ZL", "data", "high", data_cues)
    people_cue = next(c.id for g in config.groups for c in g.cues if c.style == "people")
    hypothesise(phone, code, customer="ZL", cue=[data_cues[0], people_cue])  # a new reading replaces
    db.expire_all()
    (saved,) = hypotheses.of_participant(db, session_id, me.id)
    assert saved.style is None and saved.confidence == "low"
    assert "ZL" in phone.get(f"/play/{code}/mine").text
    control = trainer.get(f"/control/{session_id}").text
    assert t("customerread.room", people=1, customers=1) in control
    phone.post(
        f"/play/{code}/act/forget", headers={"HX-Request": "true"}, data={"activity": READ, "customer": "ZL"}
    )
    db.expire_all()
    assert hypotheses.of_participant(db, session_id, me.id) == []


def test_bad_readings_are_told_and_nothing_is_saved(app, trainer, live, course, db):
    session_id, code = live
    trainer.post(f"/control/{session_id}/go", data={"activity": READ})
    cue = course.activity(READ).config.groups[0].cues[0].id
    phone = join(app, code, "Bob")
    assert t("customers.error.code") in hypothesise(phone, code, status=400, customer="张伟", cue=[cue])
    assert t("customerread.error.no_cues") in hypothesise(phone, code, status=400, customer="ZW")
    hypothesise(phone, code, status=400, customer="ZW", cue=["no-such-cue"])
    assert hypotheses.of_session(db, session_id) == []
    trainer.post(f"/control/{session_id}/phase", data={"phase": "closed"})
    hypothesise(phone, code, status=409, customer="ZW", cue=[cue])


def closed_own(ws) -> str:
    """A phone's own part once readings are closed (the checklist gone)."""
    while "cr-form" in (own := receive_until(ws, 'id="play-own"')):
        pass
    return own


def test_a_change_for_the_room_brings_each_phone_its_own_customers(app, trainer, live, course):
    session_id, code = live
    trainer.post(f"/control/{session_id}/go", data={"activity": READ})
    cue = course.activity(READ).config.groups[0].cues[0].id
    phones = [join(app, code, name) for name in ("甲", "乙", "丙")]
    hypothesise(phones[0], code, customer="AA", cue=[cue])
    hypothesise(phones[1], code, customer="BB", cue=[cue])
    hypothesise(phones[1], code, customer="BC", cue=[cue])
    with (
        phones[0].websocket_connect(f"/ws/play/{code}", headers={"origin": ORIGIN}) as first,
        phones[1].websocket_connect(f"/ws/play/{code}", headers={"origin": ORIGIN}) as second,
        phones[2].websocket_connect(f"/ws/play/{code}", headers={"origin": ORIGIN}) as third,
    ):
        for ws in (first, second, third):
            receive_until(ws, 'id="play-own"')
        trainer.post(f"/control/{session_id}/phase", data={"phase": "closed"})  # every phone's part at once
        owns = [closed_own(ws) for ws in (first, second, third)]
    assert [texts(own, ".cr-saved li > strong") for own in owns] == [["AA"], ["BB", "BC"], []]

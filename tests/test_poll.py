"""The poll kind: answer, change, close, reveal; one answer per trainee, whatever is sent."""

import re

import pytest

from tests.support.clients import ORIGIN, join, post_action
from tests.support.html import elements
from tests.support.i18n import t
from tests.support.ws import receive_until

POLL = "u1-warmup-poll"


@pytest.fixture
def poll_open(trainer, live):
    session_id, code = live
    trainer.post(f"/control/{session_id}/go", data={"activity": POLL})
    return session_id, code


def vote(phone, code, *choices, activity=POLL, status=200):
    return post_action(phone, code, "answer", activity, status, choice=list(choices))


def counts(page: str) -> list[str]:
    return re.findall(r'class="bar-value">(\d+) ·', page)


def test_answer_change_close_reveal(app, trainer, poll_open):
    session_id, code = poll_open
    first, second = join(app, code, "甲"), join(app, code, "乙")
    mine = vote(first, code, "familiar")
    assert elements(mine, ".choice[value=familiar][aria-pressed=true]")
    vote(first, code, "potential")  # changed my mind: still one vote
    vote(second, code, "potential")
    control = trainer.get(f"/control/{session_id}").text
    assert counts(control) == ["0", "2", "0", "0", "0"]
    screen = trainer.get(f"/screen/{session_id}").text
    assert "bar-value" not in screen and t("poll.respondents", n=2) in screen  # hidden until revealed
    trainer.post(f"/control/{session_id}/phase", data={"phase": "closed"})
    refused = vote(first, code, "urgent", status=409)
    assert t("activity.error.closed") in refused
    trainer.post(f"/control/{session_id}/phase", data={"phase": "revealed"})
    assert counts(trainer.get(f"/screen/{session_id}").text) == ["0", "2", "0", "0", "0"]
    assert t("poll.your_choice") in first.get(f"/play/{code}").text


def test_double_submit_counts_once(app, trainer, poll_open, db):
    from app.live import responses

    session_id, code = poll_open
    phone = join(app, code, "甲")
    for _ in range(3):
        vote(phone, code, "familiar")
    assert responses.respondents(db, session_id, POLL) == 1
    assert len(responses.every(db, session_id, POLL)) == 1


@pytest.mark.parametrize(
    ("choices", "message"),
    [
        (["nonsense"], "这个答案无法识别"),
        (["familiar", "potential"], "最多只能选 1 项"),
        ([], "这个答案无法识别"),
    ],
)
def test_bad_answers_are_told(app, poll_open, choices, message):
    session_id, code = poll_open
    phone = join(app, code, "甲")
    assert message in vote(phone, code, *choices, status=400)


def test_an_answer_for_an_activity_that_moved_on_is_refused(app, trainer, poll_open):
    session_id, code = poll_open
    phone = join(app, code, "甲")
    trainer.post(f"/control/{session_id}/next", data={"seen": POLL})
    assert t("activity.error.moved_on") in vote(phone, code, "familiar", status=409)


def test_counts_go_to_the_control_page_not_to_every_phone(app, trainer, poll_open):
    session_id, code = poll_open
    watcher, voter = join(app, code, "旁观"), join(app, code, "投票")
    headers = {"origin": ORIGIN}
    with (
        watcher.websocket_connect(f"/ws/play/{code}", headers=headers) as phone_ws,
        trainer.websocket_connect(f"/ws/control/{session_id}", headers=headers) as control_ws,
    ):
        receive_until(phone_ws, "data-snapshot")
        receive_until(control_ws, "data-snapshot")
        vote(voter, code, "urgent")
        update = receive_until(control_ws, "1 人已作答")
        assert counts(update)[3] == "1"
        trainer.post(f"/control/{session_id}/pause", data={"paused": "true"})
        first_to_phone = receive_until(phone_ws, 'id="play-stage"')
        assert t("live.paused_title") in first_to_phone  # the vote itself never reached the other phone


def test_a_reconnecting_trainee_sees_their_own_answer(app, poll_open):
    session_id, code = poll_open
    phone = join(app, code, "甲")
    vote(phone, code, "convenient")
    with phone.websocket_connect(f"/ws/play/{code}", headers={"origin": ORIGIN}) as ws:
        receive_until(ws, "data-snapshot")  # the room's stage, then their own part
        own = receive_until(ws, 'id="play-own"')
        assert elements(own, ".choice[value=convenient][aria-pressed=true]")

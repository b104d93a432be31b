"""Breaks: a break starts when it goes on screen and every view says when the room is back (in the
reader's clock) with a countdown; the facilitator adds minutes (a double click adds them once) or
ends it early; once over, every view says so; its end is woken for after a restart; the agenda
and the course list count break minutes apart from teaching."""

from datetime import datetime, timedelta

import pytest

from app.live import sessions
from app.models import utcnow
from tests.support.clients import join
from tests.support.html import elements, one, texts
from tests.support.i18n import t
from tests.support.ws import HEADERS, receive_until

TEA = "u2-morning-break"  # 15 minutes
NEXT = "u2-selection-exercise"


@pytest.fixture
def woken(app, monkeypatch):
    """The wake-ups the publisher is asked for: (session, seconds)."""
    calls = []
    monkeypatch.setattr(
        app.state.publisher, "wake", lambda session_id, delay: calls.append((session_id, delay))
    )
    return calls


def go(trainer, session_id, activity=TEA):
    response = trainer.post(f"/control/{session_id}/go", data={"activity": activity})
    assert response.status_code == 200, response.text
    return response.text


def kind(trainer, session_id, name, **data):
    response = trainer.post(f"/control/{session_id}/kind/{name}", data={"activity": TEA, **data})
    assert response.status_code == 200, response.text
    return response.text


def back_at(html: str) -> datetime:
    """When the view says the room is back (the `datetime` of its <time>)."""
    return datetime.fromisoformat(one(html, ".break-back time").attrs["datetime"])


def test_a_break_starts_on_screen_and_every_view_says_when_the_room_is_back(app, trainer, live, woken):
    session_id, code = live
    phone = join(app, code, "甲")
    before = utcnow()
    control = go(trainer, session_id)
    screen = trainer.get(f"/screen/{session_id}").text
    play = phone.get(f"/play/{code}").text
    back = back_at(screen)
    assert before + timedelta(minutes=15) <= back <= utcnow() + timedelta(minutes=15)
    assert back_at(play) == back
    for page in (screen, play):
        words = t("break.back_at", time="@").split("@")
        headline = one(page, ".break-back").text
        assert headline.startswith(words[0].strip()) and headline.endswith(words[1].strip())
        (countdown,) = elements(page, ".break-countdown[data-deadline][data-format=mmss]")
        assert countdown.text in ("15:00", "14:59")
        assert t("break.next", title="大客户筛选练习：虚拟区域") in texts(page, ".break-next")
    assert texts(control, ".break-control button") == [t("break.extend", n=5), t("break.end")]
    assert woken == [(session_id, pytest.approx(15 * 60, abs=2))]  # every view shows its end


def test_extending_adds_minutes_once_per_click_and_ending_early_says_it_is_over(app, trainer, live, woken):
    session_id, code = live
    phone = join(app, code, "甲")
    go(trainer, session_id)
    first = back_at(trainer.get(f"/screen/{session_id}").text)
    shown = first.timestamp()
    kind(trainer, session_id, "extend", until=shown)
    kind(trainer, session_id, "extend", until=shown)  # the same click again, from the same page
    later = back_at(trainer.get(f"/screen/{session_id}").text)
    assert later - first == timedelta(minutes=5)
    assert woken[-1][1] == pytest.approx(20 * 60, abs=2)
    kind(trainer, session_id, "extend")  # a click that says nothing of the page adds, too
    assert back_at(trainer.get(f"/screen/{session_id}").text) - first == timedelta(minutes=10)

    control = kind(trainer, session_id, "end")
    assert texts(control, ".break-control button") == [t("break.extend", n=5), t("break.restart", n=15)]
    for page in (trainer.get(f"/screen/{session_id}").text, phone.get(f"/play/{code}").text):
        assert one(page, ".break-back").text == t("break.over") and not elements(page, ".break-countdown")


def test_a_break_over_can_start_again_or_run_a_few_more_minutes(app, trainer, live, db):
    session_id, _code = live
    go(trainer, session_id)
    kind(trainer, session_id, "end")
    kind(trainer, session_id, "restart")
    assert back_at(trainer.get(f"/screen/{session_id}").text) - utcnow() > timedelta(minutes=14)
    kind(trainer, session_id, "restart")  # while it runs: nothing
    kind(trainer, session_id, "end")
    kind(trainer, session_id, "extend")  # over: five minutes from now
    remaining = back_at(trainer.get(f"/screen/{session_id}").text) - utcnow()
    assert timedelta(minutes=4) < remaining <= timedelta(minutes=5)


def test_when_its_time_is_up_every_view_says_the_break_is_over(app, trainer, live, db, course):
    session_id, code = live
    phone = join(app, code, "甲")
    go(trainer, session_id)
    session = sessions.get(db, session_id)
    long_ago = (utcnow() - timedelta(minutes=16)).isoformat()
    state = sessions.activity_state(db, session_id, TEA)
    sessions.save_activity_data(db, session, course, TEA, {**state.data, "opened_at": long_ago})
    assert one(phone.get(f"/play/{code}").text, ".break-back").text == t("break.over")
    assert t("break.restart", n=15) in texts(
        trainer.get(f"/control/{session_id}").text, ".break-control button"
    )


def test_shown_again_a_break_goes_on_as_it_was(app, trainer, live, woken):
    session_id, _code = live
    go(trainer, session_id)
    first = back_at(trainer.get(f"/screen/{session_id}").text)
    go(trainer, session_id, NEXT)
    go(trainer, session_id)  # back to it: still the same end, no new wake-up
    assert back_at(trainer.get(f"/screen/{session_id}").text) == first
    assert len(woken) == 1


def test_a_restarted_server_still_ends_a_running_break(app, trainer, live, woken):
    session_id, _code = live
    go(trainer, session_id)
    woken.clear()
    app.state.publisher.resume_timers()
    assert woken == [(session_id, pytest.approx(15 * 60, abs=2))]


def test_ending_the_break_reaches_the_phones_and_the_screen(app, trainer, live):
    session_id, code = live
    phone = join(app, code, "甲")
    go(trainer, session_id)
    with (
        phone.websocket_connect(f"/ws/play/{code}", headers=HEADERS) as play,
        trainer.websocket_connect(f"/ws/screen/{session_id}", headers=HEADERS) as screen,
    ):
        receive_until(play, "break-countdown")
        receive_until(screen, "break-countdown")
        kind(trainer, session_id, "end")
        receive_until(play, t("break.over"))
        receive_until(screen, t("break.over"))


def test_a_stale_or_unknown_break_action_is_refused_kindly(app, trainer, live):
    session_id, _code = live
    go(trainer, session_id, NEXT)
    response = trainer.post(f"/control/{session_id}/kind/extend", data={"activity": TEA})
    assert response.status_code == 409  # the page showed the break, the room has moved on
    go(trainer, session_id)
    response = trainer.post(f"/control/{session_id}/kind/extend", data={"activity": TEA, "until": "soon"})
    assert response.status_code == 400


def test_the_agenda_and_the_course_list_count_breaks_apart(trainer, live, course):
    session_id, _code = live
    control = trainer.get(f"/control/{session_id}").text
    day = course.timetable
    assert t("control.day_time", teaching=360, breaks=90, changeovers=day.changeovers) in control
    assert t("control.unit_time", teaching=day.units["u3"].teaching, breaks=60) in control  # unit 3, lunch
    (lunch,) = elements(control, ".agenda li.is-break [data-activity=u3-lunch]")
    assert lunch.text.startswith(day.start_of("u3-lunch")) and lunch.text.endswith("60′")
    assert len(elements(control, ".agenda li.is-break")) == 3
    dashboard = trainer.get("/control").text
    assert (
        t("control.course_shape", units=4, activities=len(course.activities), teaching=360, breaks=90)
        in dashboard
    )
    assert t("control.course_day", starts="09:00", ends=day.ends_at, changeovers=day.changeovers) in dashboard

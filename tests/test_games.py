"""The game engine over HTTP and websockets, played through Preference Detective and the Territory
Challenge: the round lifecycle, late and bad inputs, teammates seeing each other's inputs, a phone
reconnecting mid-round, points once per round, and a timer that survives a server restart."""

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape
from sqlmodel import select

from app.live import sessions, teamwork
from app.live.publisher import Publisher
from app.main import create_app
from app.models import Participant, utcnow
from app.modules.clock import Clock
from app.points import ledger
from tests.support.clients import ORIGIN, join, post_action
from tests.support.html import elements
from tests.support.i18n import t
from tests.support.ws import receive_until

DETECTIVE = "u3-game-detective"
CHALLENGE = "u4-game-territory"


@pytest.fixture
def room(app, trainer, live, db):
    """Two teams of two (A1, A2 | B1, B2): (session id, code, {name: phone}, {name: participant})."""
    session_id, code = live
    phones = {name: join(app, code, name) for name in ("A1", "B1", "A2", "B2")}
    trainer.post(f"/control/{session_id}/teams/balance", data={"count": 2})
    people = {p.display_name: p for p in db.exec(select(Participant))}
    return session_id, code, phones, people


def zh(text) -> str:
    """A content text as a page shows it (escaped)."""
    return str(escape(text.root["zh-CN"]))


def act(phone, code, name, activity, status=200, **data):
    return post_action(phone, code, name, activity, status, **data)


def step(trainer, session_id, name, activity, **data):
    response = trainer.post(f"/control/{session_id}/kind/{name}", data={"activity": activity, **data})
    assert response.status_code == 200, response.text
    return response.text


def clock(db, session_id, activity) -> Clock:
    db.expire_all()
    state = sessions.activity_state(db, session_id, activity)
    return Clock.of(state.data if state else None)


def test_a_detective_round_from_start_to_reveal(room, trainer, course, db):
    session_id, code, phones, people = room
    trainer.post(f"/control/{session_id}/go", data={"activity": DETECTIVE})
    scene = next(a for a in course.activities if a.id == DETECTIVE).config.scenes[0]
    wrong = next(m for m in scene.messages if m.fits not in (scene.style, scene.also))
    best = next(m for m in scene.messages if m.fits == scene.style)
    assert t("game.wait_start") in phones["A1"].get(f"/play/{code}").text
    assert t("game.error.closed") in act(phones["A1"], code, "classify", DETECTIVE, 409, style=scene.style)
    step(trainer, session_id, "start", DETECTIVE)
    assert zh(scene.says) in phones["A1"].get(f"/play/{code}").text
    assert t("detective.error.classify_first") in act(
        phones["A1"], code, "choose", DETECTIVE, 409, message=best.id
    )
    act(phones["A1"], code, "classify", DETECTIVE, 400, style="colour")
    with phones["A2"].websocket_connect(f"/ws/play/{code}", headers={"origin": ORIGIN}) as ws:
        receive_until(ws, zh(scene.says))
        act(phones["A1"], code, "classify", DETECTIVE, style=scene.style)
        page = act(phones["A1"], code, "choose", DETECTIVE, message=best.id)
        assert elements(page, ".message-choice.chosen[aria-pressed=true]")
        update = receive_until(ws, "本组已有 1 / 2")  # the teammate sees it...
        assert "style-choice chosen" not in update  # ...but not A1's own answer
    act(phones["B1"], code, "classify", DETECTIVE, style=wrong.fits)
    act(phones["B1"], code, "choose", DETECTIVE, message=wrong.id)
    step(trainer, session_id, "close", DETECTIVE)
    assert t("game.error.closed") in act(phones["A2"], code, "classify", DETECTIVE, 409, style=scene.style)
    step(trainer, session_id, "reveal", DETECTIVE)
    step(trainer, session_id, "reveal", DETECTIVE)  # pressed twice: the points come once
    board = {t.team_id: t.points for t in ledger.team_board(db, session_id, activities={DETECTIVE})}
    assert board[people["B1"].team_id] == 0  # B1 had it all wrong
    assert 10 <= board[people["A1"].team_id] <= 11  # A1's 20 and a speed bonus, over a team of two
    page = phones["A2"].get(f"/play/{code}").text
    assert t("detective.answer") in page and zh(best.text) in page


def test_a_double_clicked_next_moves_one_round(room, trainer, db):
    session_id, _code, _phones, _people = room
    trainer.post(f"/control/{session_id}/go", data={"activity": DETECTIVE})
    step(trainer, session_id, "start", DETECTIVE, round=0)
    step(trainer, session_id, "reveal", DETECTIVE, round=0)
    step(trainer, session_id, "next", DETECTIVE, round=0)
    step(trainer, session_id, "next", DETECTIVE, round=0)  # the same click again: nothing
    assert clock(db, session_id, DETECTIVE) == Clock(index=1)
    response = trainer.post(f"/control/{session_id}/kind/next", data={"activity": DETECTIVE, "round": 1})
    assert response.status_code == 409 and t("game.error.reveal_first") in response.text


def test_pause_keeps_the_time_left_and_refuses_inputs(room, trainer, course, db):
    session_id, code, phones, _people = room
    trainer.post(f"/control/{session_id}/go", data={"activity": DETECTIVE})
    step(trainer, session_id, "start", DETECTIVE)
    step(trainer, session_id, "pause", DETECTIVE)
    paused = clock(db, session_id, DETECTIVE)
    assert paused.stage == "paused" and 55 < paused.left <= 60
    assert t("game.error.paused") in act(phones["A1"], code, "classify", DETECTIVE, 409, style="data")
    step(trainer, session_id, "extend", DETECTIVE)
    step(trainer, session_id, "resume", DETECTIVE)
    resumed = clock(db, session_id, DETECTIVE)
    assert resumed.stage == "open" and resumed.remaining() > 80
    act(phones["A1"], code, "classify", DETECTIVE, style="data")


def test_a_phone_reconnecting_mid_round_gets_the_round_and_its_answer_at_once(room, trainer):
    session_id, code, phones, _people = room
    trainer.post(f"/control/{session_id}/go", data={"activity": DETECTIVE})
    step(trainer, session_id, "start", DETECTIVE)
    act(phones["A1"], code, "classify", DETECTIVE, style="people")
    with phones["A1"].websocket_connect(f"/ws/play/{code}", headers={"origin": ORIGIN}) as ws:
        stage = receive_until(ws, "data-snapshot")  # the room's round, then the player's own part
        own = receive_until(ws, 'id="play-own"')
    assert t("game.round", n=1, total=5) in stage and elements(own, "[data-style=people]")
    assert elements(own, ".style-choice.chosen[aria-pressed=true]")


def test_a_late_input_is_refused_once_time_is_up(room, trainer, db, course):
    session_id, code, phones, _people = room
    trainer.post(f"/control/{session_id}/go", data={"activity": DETECTIVE})
    step(trainer, session_id, "start", DETECTIVE)
    session = sessions.get(db, session_id)
    ended = Clock(stage="open", opened_at="2020-01-01T00:00:00+00:00", seconds=60).as_data()
    sessions.save_activity_data(db, session, course, DETECTIVE, ended)  # its time ran out long ago
    assert t("game.error.closed") in act(phones["A1"], code, "classify", DETECTIVE, 409, style="data")
    assert t("game.stage.closed") in phones["A1"].get(f"/play/{code}").text


def test_challenge_teammates_see_each_others_allocation_and_the_captain_locks(room, trainer, course, db):
    session_id, code, phones, people = room
    trainer.post(f"/control/{session_id}/go", data={"activity": CHALLENGE})
    step(trainer, session_id, "start", CHALLENGE)
    wang = course.territory.customers[0]
    with phones["A2"].websocket_connect(f"/ws/play/{code}", headers={"origin": ORIGIN}) as ws:
        receive_until(ws, "ch-budget")
        act(phones["A1"], code, "allocate", CHALLENGE, customer=wang.id, resource="calls", units=5)
        update = receive_until(ws, "5/30")  # the teammate's edit, live
        assert (
            t("challenge.changed_by", name="A1") in update and "data-lock" not in update
        )  # the lock is the captain's
    act(phones["A1"], code, "allocate", CHALLENGE, 400, customer=wang.id, resource="calls", units=31)
    act(
        phones["A2"],
        code,
        "allocate",
        CHALLENGE,
        customer=course.territory.customers[1].id,
        resource="calls",
        units=20,
    )
    assert t("challenge.error.budget", left=5) in act(
        phones["A2"],
        code,
        "allocate",
        CHALLENGE,
        400,
        customer=course.territory.customers[2].id,
        resource="calls",
        units=6,
    )
    act(phones["A1"], code, "allocate", CHALLENGE, 400, customer="c-nobody", resource="calls", units=1)
    act(phones["A1"], code, "allocate", CHALLENGE, 400, customer=wang.id, resource="gifts", units=1)
    act(phones["A2"], code, "message", CHALLENGE, customer=wang.id, style=wang.preference)
    assert t("challenge.error.captain") in act(phones["A2"], code, "lock", CHALLENGE, 403, locked="true")
    act(phones["A1"], code, "lock", CHALLENGE, locked="true")  # A1 joined first: the captain
    assert t("challenge.error.locked") in act(
        phones["A2"], code, "allocate", CHALLENGE, 409, customer=wang.id, resource="calls", units=6
    )
    answers = teamwork.of_team(db, session_id, CHALLENGE, people["A1"].team_id)
    assert answers[f"q0:{wang.id}:calls"]["n"] == 5
    assert answers[f"q0:{wang.id}:style"]["style"] == wang.preference
    expertise = course.territory.expert.scores[wang.id]["recognition"]
    speaker_line = elements(phones["A2"].get(f"/play/{code}").text, f"#ch-{wang.id} .ch-speaker")
    assert [e.text for e in speaker_line] == [t("challenge.speaker_hint", n=expertise)]
    step(trainer, session_id, "reveal", CHALLENGE)
    page = phones["A2"].get(f"/play/{code}").text
    assert t("challenge.value") in page
    screen = trainer.get(f"/screen/{session_id}").text
    assert elements(screen, ".lock-icon")


def test_a_running_timer_still_ends_on_every_screen_after_a_restart(
    settings, room, trainer, db, course, monkeypatch
):
    """The restarted server asks to wake when the round's time is up; the test then lets that
    time pass (the round's start moved back) and fires the wake-up: no test waits on a clock."""
    session_id, code, phones, _people = room
    trainer.post(f"/control/{session_id}/go", data={"activity": DETECTIVE})
    started = utcnow()
    running = Clock(stage="open", opened_at=started.isoformat(), seconds=600.0).as_data()
    sessions.save_activity_data(db, sessions.get(db, session_id), course, DETECTIVE, running)
    asked, wake = [], Publisher.wake
    monkeypatch.setattr(Publisher, "wake", lambda self, *args: asked.append((self, *args)))
    restarted = create_app(settings)  # a new process on the same database
    with TestClient(restarted) as client:
        ((publisher, woken, delay),) = [call for call in asked if call[1] == session_id]
        assert publisher is restarted.state.publisher and delay == pytest.approx(600, abs=60)
        phone = TestClient(restarted)
        phone.cookies = phones["A1"].cookies
        with phone.websocket_connect(f"/ws/play/{code}", headers={"origin": ORIGIN}) as ws:
            assert t("game.stage.open") in receive_until(ws, "play-stage")
            over = dict(running, opened_at=(started - timedelta(seconds=601)).isoformat())
            sessions.save_activity_data(db, sessions.get(db, session_id), course, DETECTIVE, over)
            wake(publisher, woken, 0)  # the wake-up it asked for, now that the time is up
            receive_until(ws, "时间到")  # nobody pressed anything: the timer ended
        assert client.get("/healthz").status_code == 200


def test_ladder_one_answer_per_team_the_last_change_counts(room, trainer, course, db):
    session_id, code, phones, people = room
    ladder = "u3-game-ladder"
    trainer.post(f"/control/{session_id}/go", data={"activity": ladder})
    step(trainer, session_id, "start", ladder)
    case = next(a for a in course.activities if a.id == ladder).config.cases[0]
    best = next(a.id for a in case.actions if a.points == 10)
    act(phones["A1"], code, "place", ladder, 400, stage="enthusiastic")
    act(phones["A1"], code, "pick", ladder, 400, action="z")
    act(phones["A1"], code, "place", ladder, stage="advocate")
    with phones["A1"].websocket_connect(f"/ws/play/{code}", headers={"origin": ORIGIN}) as ws:
        receive_until(ws, "play-stage")
        act(phones["A2"], code, "place", ladder, stage=case.stage)  # the teammate corrects it
        update = receive_until(ws, "A2 最后改动了这一项")
        assert f'aria-pressed="true" hx-post="/play/{code}/act/place" ' in update
        assert f'"stage": "{case.stage}"}}\' hx-disabled-elt="this" data-stage="{case.stage}"' in update
    act(phones["A1"], code, "pick", ladder, action=best)
    step(trainer, session_id, "reveal", ladder)
    board = {t.team_id: t.points for t in ledger.team_board(db, session_id, activities={ladder})}
    assert board == {people["A1"].team_id: 20, people["B1"].team_id: 0}


def test_thirty_teams_for_a_hall_of_three_hundred(trainer, live, db):
    session_id, _code = live
    assert trainer.post(f"/control/{session_id}/teams/balance", data={"count": 30}).status_code == 200
    response = trainer.post(f"/control/{session_id}/teams/balance", data={"count": 41})
    assert response.status_code in (400, 422)

"""Two workers behind one address, as `kam serve --workers 2` runs them: two apps on one
database and one Redis. A phone's socket on one, the facilitator's on the other, requests on
either: everyone sees the same as on one process."""

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session
from starlette.websockets import WebSocketDisconnect

from app.auth import accounts
from app.live.hub import HubUnavailable
from app.main import create_app
from tests.support.clients import PASSWORD, csrf_of, join, login, post_action
from tests.support.html import elements
from tests.support.i18n import t
from tests.support.redis import URL
from tests.support.ws import HEADERS, receive_until

POLL = "u1-warmup-poll"


@pytest.fixture
def workers(settings, sample_courses, redis_prefix):
    shared = settings.model_copy(update={"hub_url": URL, "hub_prefix": redis_prefix})
    first, second = (create_app(shared, courses=sample_courses) for _ in range(2))
    with TestClient(first) as a, TestClient(second) as b:
        yield a, b


@pytest.fixture
def room(workers, facilitator):
    """A live session opened on worker A; its id and code."""
    a, _ = workers
    login(a)
    response = a.post("/control/sessions", data={"course_id": "kam"}, follow_redirects=False)
    session_id = int(response.headers["location"].rsplit("/", 1)[1])
    code = elements(a.get(f"/control/{session_id}").text, ".mono.big")[0].text
    return session_id, code


def on(worker: TestClient, client: TestClient) -> TestClient:
    """The same browser (its cookies and CSRF header) reaching another worker."""
    other = TestClient(worker.app, cookies=client.cookies)
    other.headers.update({k: v for k, v in client.headers.items() if k.lower() == "x-csrf-token"})
    return other


@pytest.fixture
def facilitator(workers):
    with Session(workers[0].app.state.engine) as db:
        return accounts.create(db, "trainer", PASSWORD)


def test_a_phone_on_one_worker_follows_a_facilitator_on_the_other_and_is_on_the_roster(workers, room):
    a, b = workers
    session_id, code = room
    phone = join(b.app, code, "乙")  # joined through worker B
    trainer_on_b = on(b, a)
    with (
        trainer_on_b.websocket_connect(f"/ws/control/{session_id}", headers=HEADERS) as control,
        phone.websocket_connect(f"/ws/play/{code}", headers=HEADERS) as play,
    ):
        receive_until(play, "data-snapshot")
        # the phone came online on B: the roster is rendered by whichever worker, for everyone
        receive_until(control, "1 / 1")
        a.post(f"/control/{session_id}/go", data={"activity": POLL})  # a click on worker A
        receive_until(play, f'class="play-stage" hx-swap-oob="true" data-activity="{POLL}"')
        # A renders B's phone its own part: the shared roster says it is online
        receive_until(play, f'id="play-own" class="play-own" hx-swap-oob="true" data-activity="{POLL}"')
        reply = post_action(on(a, phone), code, "answer", POLL, choice=["urgent"])  # through A
        assert elements(reply, ".choice[value=urgent][aria-pressed=true]")
        receive_until(control, "1 人已作答")


def test_a_phone_connecting_to_the_other_worker_starts_from_the_same_kept_stage(workers, room):
    a, b = workers
    session_id, code = room
    a.post(f"/control/{session_id}/go", data={"activity": POLL})
    first, second = join(a.app, code, "甲"), join(b.app, code, "乙")
    with first.websocket_connect(f"/ws/play/{code}", headers=HEADERS) as on_a:
        stage_a = receive_until(on_a, "data-snapshot")
    with second.websocket_connect(f"/ws/play/{code}", headers=HEADERS) as on_b:
        stage_b = receive_until(on_b, "data-snapshot")
    assert f'data-activity="{POLL}"' in stage_b
    strip = lambda html: html.split('<span id="seq-play"')[0]  # noqa: E731 (the server's clock differs)
    assert strip(stage_a) == strip(stage_b)


def test_a_seat_moved_through_one_worker_closes_the_old_device_on_the_other(workers, room):
    a, b = workers
    session_id, code = room
    phone = join(b.app, code, "甲")
    rejoin_code = elements(phone.get(f"/play/{code}").text, ".rejoin-code")[0].text
    new_device = TestClient(a.app)
    token = csrf_of(new_device, "/join")
    with phone.websocket_connect(f"/ws/play/{code}", headers=HEADERS) as old_device:  # on B
        receive_until(old_device, "data-snapshot")
        new_device.post("/rejoin", data={"code": code, "rejoin_code": rejoin_code, "csrf_token": token})
        assert t("play.seat_moved_away") in receive_until(old_device, t("play.seat_moved_away"))
        with pytest.raises(WebSocketDisconnect) as closed:
            old_device.receive_text()
        assert closed.value.code == 1008
    with on(b, new_device).websocket_connect(f"/ws/play/{code}", headers=HEADERS) as moved:
        assert "data-snapshot" in receive_until(moved, "data-snapshot")  # the new one is not told
        assert t("play.seat_moved_away") not in receive_until(moved, 'id="play-own"')


def test_a_request_while_redis_is_away_is_told_to_try_again_not_a_server_error(workers, monkeypatch):
    a, _ = workers

    def away(key):
        raise HubUnavailable("Connection refused")

    monkeypatch.setattr(a.app.state.join_limiter, "allow", away)
    page = a.get("/join")
    assert page.status_code == 503 and t("error.busy") in page.text

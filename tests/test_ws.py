"""Websocket endpoints: snapshots, broadcasts, origin checks, bad messages, sequence numbers."""

import asyncio
import contextlib
import logging
import re

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect, WebSocketState

from app.live import ws
from app.main import create_app
from tests.support.clients import join
from tests.support.html import elements
from tests.support.i18n import t
from tests.support.quiz import trainer_room
from tests.support.ws import HEADERS, receive_until


def seqs(message: str) -> dict[str, int]:
    return {role: int(n) for role, n in re.findall(r'id="seq-(\w+)" data-seq="(\d+)"', message)}


def rendered(message: str) -> str:
    """A message less its sequence markers (which carry the moment it was sent)."""
    return re.sub(r'<span id="seq-[^>]*></span>', "", message)


def test_two_trainees_see_the_same_broadcast(app, trainer, live, course):
    session_id, code = live
    first, second = join(app, code, "甲"), join(app, code, "乙")
    with (
        first.websocket_connect(f"/ws/play/{code}", headers=HEADERS) as ws1,
        second.websocket_connect(f"/ws/play/{code}", headers=HEADERS) as ws2,
    ):
        snapshot = receive_until(ws1, 'id="play-stage"')
        assert "data-snapshot" in snapshot and t("play.lobby_title") in snapshot
        receive_until(ws2, 'id="play-stage"')
        trainer.post(f"/control/{session_id}/next")
        title = course.activities[0].title.get("zh-CN")
        update1, update2 = receive_until(ws1, title), receive_until(ws2, title)
        assert rendered(update1) == rendered(update2)  # once for every trainee in that language
        assert seqs(update1)["play"] >= 1


def test_reconnecting_trainee_gets_the_current_view(app, trainer, live, course):
    session_id, code = live
    phone = join(app, code, "甲")
    trainer.post(f"/control/{session_id}/next")
    trainer.post(f"/control/{session_id}/next")
    with phone.websocket_connect(f"/ws/play/{code}", headers=HEADERS) as ws:
        snapshot = receive_until(ws, "data-snapshot")
        assert elements(snapshot, f"[data-activity={course.activities[1].id}]")
        assert "甲" not in snapshot  # the room's stage, the same for everyone...
        assert "甲" in receive_until(ws, 'id="play-me"')  # ...then their own header


def test_pause_card_reaches_screen_control_and_phones(app, trainer, live):
    session_id, code = live
    phone = join(app, code, "甲")
    with (
        phone.websocket_connect(f"/ws/play/{code}", headers=HEADERS) as play,
        trainer.websocket_connect(f"/ws/screen/{session_id}", headers=HEADERS) as screen,
        trainer.websocket_connect(f"/ws/control/{session_id}", headers=HEADERS) as control,
    ):
        for ws in (play, screen, control):
            receive_until(ws, "data-snapshot")
        trainer.post(f"/control/{session_id}/pause", data={"paused": "true"})
        receive_until(play, "休息一下")
        receive_until(screen, "休息一下")
        receive_until(control, "继续")


def test_roster_shows_who_is_online(app, trainer, live):
    session_id, code = live
    phone = join(app, code, "在线的人")
    with trainer.websocket_connect(f"/ws/control/{session_id}", headers=HEADERS) as control:
        receive_until(control, "data-snapshot")
        with phone.websocket_connect(f"/ws/play/{code}", headers=HEADERS) as play:
            receive_until(play, "data-snapshot")
            online = receive_until(control, 'id="control-roster"')
            assert elements(online, ".online > span.dot")
        offline = receive_until(control, 'class="offline"')
        assert "在线的人" in offline


@pytest.mark.parametrize("origin", ["http://evil.example", None])
def test_cross_origin_or_missing_origin_handshake_is_refused(app, live, origin):
    session_id, code = live
    phone = join(app, code, "甲")
    headers = {"origin": origin} if origin else {}
    with (
        pytest.raises(WebSocketDisconnect) as caught,
        phone.websocket_connect(f"/ws/play/{code}", headers=headers),
    ):
        pass
    assert caught.value.code == 1008


def test_screen_and_control_sockets_need_a_facilitator(app, live):
    session_id, code = live
    phone = join(app, code, "甲")
    for path in (f"/ws/screen/{session_id}", f"/ws/control/{session_id}"):
        with pytest.raises(WebSocketDisconnect) as caught, phone.websocket_connect(path, headers=HEADERS):
            pass
        assert caught.value.code == 1008


def test_malformed_message_is_told_and_the_link_stays(app, live):
    session_id, code = live
    phone = join(app, code, "甲")
    with phone.websocket_connect(f"/ws/play/{code}", headers=HEADERS) as ws:
        receive_until(ws, "data-snapshot")
        for bad in ("{not json", '["a list"]', '{"action": 5}'):
            ws.send_text(bad)
            assert t("error.bad_message") in receive_until(ws, 'id="toast"')
        ws.send_text('{"action": "nothing-here"}')  # an action, checked like any other: refused
        assert elements(receive_until(ws, 'id="toast"'), "[role=alert]")
        ws.send_text("hb")
        assert receive_until(ws, "hb") == "hb"  # still connected


def test_oversized_message_closes_with_1009(app, live):
    session_id, code = live
    phone = join(app, code, "甲")
    with phone.websocket_connect(f"/ws/play/{code}", headers=HEADERS) as ws:
        receive_until(ws, "data-snapshot")
        ws.send_text("x" * (64 * 1024 + 1))
        with pytest.raises(WebSocketDisconnect) as caught:
            for _ in range(10):
                ws.receive_text()
        assert caught.value.code == 1009


def test_a_moved_seat_is_told_on_the_old_device(app, live):
    session_id, code = live
    phone = join(app, code, "甲")
    page = phone.get(f"/play/{code}").text
    rejoin_code = re.search(r'class="rejoin-code" lang="en">([A-Z0-9]+)<', page).group(1)
    new = TestClient(app)
    token = re.search(r'name="csrf_token" value="([^"]+)"', new.get("/join").text).group(1)
    with phone.websocket_connect(f"/ws/play/{code}", headers=HEADERS) as open_there:
        receive_until(open_there, "data-snapshot")
        new.post("/rejoin", data={"code": code, "rejoin_code": rejoin_code, "csrf_token": token})
        assert t("play.seat_moved_away") in receive_until(open_there, t("play.seat_moved_away"))
        with pytest.raises(WebSocketDisconnect) as closed:
            open_there.receive_text()
        assert closed.value.code == 1008  # and it does not reconnect by itself
    with phone.websocket_connect(f"/ws/play/{code}", headers=HEADERS) as ws:  # coming back later
        assert t("play.seat_moved", minutes=1) in ws.receive_text()
    with TestClient(app).websocket_connect(f"/ws/play/{code}", headers=HEADERS) as ws:  # never seated
        assert t("play.seat_gone") in ws.receive_text()


def test_sequence_numbers_increase_by_one_per_channel(app, trainer, live, course):
    session_id, code = live
    phone = join(app, code, "甲")
    briefs = [a.id for a in course.activities if a.kind == "brief"][:3]
    with phone.websocket_connect(f"/ws/play/{code}", headers=HEADERS) as ws:
        start = seqs(receive_until(ws, "data-snapshot"))["play"]
        for activity in briefs:
            trainer.post(f"/control/{session_id}/go", data={"activity": activity})
        numbers = [seqs(receive_until(ws, 'id="seq-play"'))["play"] for _ in range(3)]
        assert numbers == [start + 1, start + 2, start + 3]


def test_hub_shutdown_closes_sockets_with_1012(trainer, live):
    """On shutdown every view is told 1012, which the htmx ws extension reconnects on."""
    session_id, code = live
    with trainer.websocket_connect(f"/ws/control/{session_id}", headers=HEADERS) as ws:
        receive_until(ws, "data-snapshot")
        trainer.portal.call(trainer.app.state.hub.disconnect)
        with pytest.raises(WebSocketDisconnect) as caught:
            for _ in range(10):
                ws.receive_text()
        assert caught.value.code == 1012


def test_a_trainee_sees_their_new_team_at_once(app, trainer, live):
    session_id, code = live
    phone = join(app, code, "甲")
    with phone.websocket_connect(f"/ws/play/{code}", headers=HEADERS) as ws:
        receive_until(ws, "data-snapshot")
        trainer.post(f"/control/{session_id}/teams/balance", data={"count": "1"})
        update = receive_until(ws, t("team.default_name", n=1))
        assert 'id="play-me"' in update and seqs(update)["me"] >= 1


def test_a_phone_starts_from_the_stage_the_room_was_sent(app, trainer, live, course):
    """The stage is rendered once, kept, and handed to whoever connects: the same bytes and the
    sequence number the room's updates go on from, even when nobody listened as it changed."""
    session_id, code = live
    first, second = join(app, code, "甲"), join(app, code, "乙")
    trainer.post(f"/control/{session_id}/next")  # with nobody connected: kept all the same
    with first.websocket_connect(f"/ws/play/{code}", headers=HEADERS) as ws1:
        kept = receive_until(ws1, "data-snapshot")
        with second.websocket_connect(f"/ws/play/{code}", headers=HEADERS) as ws2:
            again = receive_until(ws2, "data-snapshot")
            assert elements(kept, f"#play-stage[data-activity={course.activities[0].id}]")
            assert rendered(kept) == rendered(again)
            trainer.post(f"/control/{session_id}/next")
            for ws, snapshot in ((ws1, kept), (ws2, again)):
                # the stage itself (a trainee's own part for the new activity may come first)
                update = receive_until(
                    ws, f'class="play-stage" hx-swap-oob="true" data-activity="{course.activities[1].id}"'
                )
                assert seqs(update)["play"] == seqs(snapshot)["play"] + 1  # no gap, no repeat


@pytest.fixture
def coalescing(settings, sample_courses):
    """The app with real coalescing: updates wait a quarter of a second to go out together."""
    return create_app(settings.model_copy(update={"coalesce_seconds": 0.25}), courses=sample_courses)


def test_a_burst_of_answers_reaches_the_control_page_in_a_few_renders(coalescing):
    """Twenty answers at once make a few control page updates, not twenty, and the last of
    them counts every answer."""
    with trainer_room(coalescing) as (trainer, session_id, code):
        poll = next(a for a in coalescing.state.courses["kam"].activities if a.kind == "poll")
        phones = [join(coalescing, code, f"p{n}") for n in range(20)]
        trainer.post(f"/control/{session_id}/go", data={"activity": poll.id})
        with trainer.websocket_connect(f"/ws/control/{session_id}", headers=HEADERS) as control:
            receive_until(control, "data-snapshot")
            for phone in phones:
                data = {"activity": poll.id, "choice": poll.config.options[0].id}
                assert phone.post(f"/play/{code}/act/answer", data=data).status_code == 200
            updates = [receive_until(control, 'id="control-main"')]
            while t("poll.respondents", n=20) not in updates[-1]:
                updates.append(receive_until(control, 'id="control-main"'))
        assert len(updates) <= 5, len(updates)


class Vanishing:
    """A websocket whose phone is gone by the time the server writes to it."""

    application_state = WebSocketState.CONNECTED
    cookies: dict = {}

    async def accept(self) -> None:
        pass

    async def send_text(self, _text: str) -> None:
        raise WebSocketDisconnect(1006)

    async def receive(self) -> dict:
        await asyncio.sleep(3600)
        return {"type": "websocket.disconnect"}


def test_a_phone_that_vanishes_mid_send_is_counted_not_logged(app, live, caplog):
    session_id, _code = live
    publisher, screen = app.state.publisher, f"s{session_id}:screen"
    asyncio.run(
        ws.serve(Vanishing(), publisher, app.state.settings, {screen: "screen"}, lambda: ("<p>", {screen: 0}))
    )
    assert publisher.presence.vanished == 1 and publisher.presence.sockets == 0
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]


def test_a_renamed_team_is_on_the_stage_a_phone_connects_to(app, trainer, live, course):
    """The stage kept for newcomers shows teams' names (boards): renaming one renews it."""
    session_id, code = live
    phone = join(app, code, "甲")
    trainer.post(f"/control/{session_id}/teams/balance", data={"count": "1"})
    board = next(a for a in course.activities if a.kind == "leaderboard")
    trainer.post(f"/control/{session_id}/go", data={"activity": board.id})
    team_id = int(re.search(r"/teams/(\d+)/rename", trainer.get(f"/control/{session_id}").text).group(1))
    trainer.post(f"/control/{session_id}/teams/{team_id}/rename", data={"name": "灯塔队"})
    with phone.websocket_connect(f"/ws/play/{code}", headers=HEADERS) as ws:
        assert "灯塔队" in receive_until(ws, "data-snapshot")


def test_json_nested_beyond_reason_is_told_and_the_link_stays(app, live):
    session_id, code = live
    phone = join(app, code, "甲")
    with phone.websocket_connect(f"/ws/play/{code}", headers=HEADERS) as ws:
        receive_until(ws, "data-snapshot")
        ws.send_text("[" * 20_000 + "]" * 20_000)  # 40 KB, under the size limit
        assert t("error.bad_message") in receive_until(ws, 'id="toast"')
        ws.send_text("hb")
        assert receive_until(ws, "hb") == "hb"


def test_a_flooding_socket_is_slowed_then_closed_and_others_carry_on(settings, sample_courses):
    app = create_app(settings.model_copy(update={"ws_messages_per_second": 2.0}), courses=sample_courses)
    with trainer_room(app) as (trainer, session_id, code):
        flooder, calm = join(app, code, "甲"), join(app, code, "乙")
        with (
            flooder.websocket_connect(f"/ws/play/{code}", headers=HEADERS) as flood,
            calm.websocket_connect(f"/ws/play/{code}", headers=HEADERS) as other,
        ):
            receive_until(flood, "data-snapshot")
            for _ in range(6):  # a burst of 4 is let through, then the page is told
                flood.send_text('{"action": "nothing-here"}')
            assert t("error.too_fast") in receive_until(flood, t("error.too_fast"))
            for _ in range(ws.Pace.FLOOD):
                flood.send_text('{"action": "nothing-here"}')
            with pytest.raises(WebSocketDisconnect) as closed:
                for _ in range(ws.Pace.FLOOD + 50):  # each dropped one is told, then it closes
                    flood.receive_text()
            assert closed.value.code == 1008
            receive_until(other, "data-snapshot")
            other.send_text("hb")
            assert receive_until(other, "hb") == "hb"  # the calm one is still served


def test_a_seat_open_in_too_many_tabs_closes_its_oldest(app, live):
    session_id, code = live
    phone = join(app, code, "甲")
    url = f"/ws/play/{code}"
    with contextlib.ExitStack() as tabs:
        sockets = [tabs.enter_context(phone.websocket_connect(url, headers=HEADERS)) for _ in range(5)]
        for socket in sockets:
            receive_until(socket, "data-snapshot")
        newest = tabs.enter_context(phone.websocket_connect(url, headers=HEADERS))
        assert t("play.opened_elsewhere") in receive_until(sockets[0], t("play.opened_elsewhere"))
        with pytest.raises(WebSocketDisconnect) as closed:
            sockets[0].receive_text()
        assert closed.value.code == 1008
        receive_until(newest, "data-snapshot")  # the newest, in the person's hand, is served
        newest.send_text("hb")
        assert receive_until(newest, "hb") == "hb"


class Departing(Vanishing):
    """A client that sends one message and has left by the time its answer is ready."""

    def __init__(self):
        self.messages = [{"type": "websocket.receive", "text": '{"action": "x"}'}]

    async def send_text(self, _text: str) -> None:
        raise RuntimeError('Unexpected ASGI message "websocket.send", after sending "websocket.close"')

    async def receive(self) -> dict:
        return self.messages.pop() if self.messages else await super().receive()


def test_answering_a_client_that_left_is_no_error(app, live):
    async def answer(_message):
        return "<div id='toast'>late</div>"

    assert asyncio.run(ws._read_messages(Departing(), app.state.settings, answer)) is None

"""One websocket per open view. On connect: the full current view; then every update, in order.

Messages are HTML fragments swapped by id (htmx ws extension). Each carries the sequence number
of its channel in a hidden marker, so the page can notice a gap and reconnect for a snapshot.
A heartbeat ("hb", from the hub's ticker) every few seconds lets a phone notice a dead link.
Closing with 1012 or 1013 makes the htmx ws extension reconnect.
"""

import asyncio
import contextlib
import json
import time
from collections.abc import Awaitable, Callable
from functools import partial
from urllib.parse import urlsplit

import anyio
from fastapi import APIRouter, WebSocket
from markupsafe import escape
from sqlalchemy.exc import DataError, IntegrityError
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.websockets import WebSocketDisconnect, WebSocketState

from app.auth import access, logins
from app.config import Settings
from app.deps import PublisherDep, SettingsDep, seat_of
from app.errors import ServiceError
from app.fields import RowId
from app.i18n import pick_language, translate
from app.live import acting, actions, participants, sessions
from app.live import views as live_views
from app.live.hub import HEARTBEAT, HubClosed, HubUnavailable, SlowConsumer
from app.live.publisher import CLOSE_VIEWS, Publisher, channel
from app.models import LiveSession, Participant, as_utc, utcnow
from app.templating import server_now

router = APIRouter()
POLICY_VIOLATION, TOO_BIG, SERVICE_RESTART, TRY_AGAIN_LATER = 1008, 1009, 1012, 1013
Handler = Callable[[dict], Awaitable[str | None]]


def origin_allowed(websocket: WebSocket, settings: Settings) -> bool:
    """Same host as the page (or a configured origin); a missing Origin is refused too."""
    origin = websocket.headers.get("origin")
    if not origin:
        return False
    if origin in settings.allowed_origins:
        return True
    return urlsplit(origin).netloc == websocket.headers.get("host")


def seq_marker(role: str, seq: int, snapshot: bool = False) -> str:
    """The channel's sequence number, and the server's clock as it sends (for countdowns)."""
    flag = " data-snapshot" if snapshot else ""
    return f'<span id="seq-{role}" data-seq="{seq}" data-now="{server_now()}"{flag} hidden></span>'


@router.websocket("/ws/play/{code}")
async def play_socket(websocket: WebSocket, code: str, settings: SettingsDep, publisher: PublisherDep):
    if not origin_allowed(websocket, settings):
        return await websocket.close(POLICY_VIOLATION)
    found, notice = await run_in_threadpool(_find_participant, publisher, websocket, code)
    if found is None:  # no seat here: the notice says why
        await websocket.accept()
        lang = pick_language(websocket.cookies.get("lang"))
        await websocket.send_text(_notice("play-stage", translate(lang, notice.key, **notice.values)))
        return await websocket.close(1000)
    session_id, me = found
    play, mine = channel(session_id, "play", me.language), channel(session_id, "me", me.id)
    roles = {play: "play", mine: "me"}

    def snapshot() -> tuple[str, dict[str, int]]:
        """The room's kept stage; the trainee's own part follows as an update, rendered with
        everyone else's who connects at the same time."""
        stage = publisher.stage(session_id, me.language)
        seqs = {play: stage.seq, mine: publisher.hub.last_seq(mine)}
        publisher.refresh(session_id, people=[me.id])
        return stage.data, seqs

    async def act(message: dict) -> str:
        """A trainee action sent over the socket (a tag tapped while watching): the same checked
        path as over HTTP; the answer is their own stage, or a toast saying what went wrong."""
        name, activity = message.pop("action"), message.pop("activity", None)
        payload = {k: v for k, v in message.items() if k != "HEADERS"}
        attempt = actions.Attempt(name, payload, activity if isinstance(activity, str) else None)
        try:
            return await run_in_threadpool(
                _act_as, publisher, settings.coalesce_seconds, session_id, me.id, attempt
            )
        except ServiceError as error:
            return _toast(translate(me.language, error.key, **error.values))
        except IntegrityError:  # a row it names went meanwhile, as over HTTP (app.main)
            return _toast(translate(me.language, "error.conflict"))
        except DataError:  # a value the database cannot take (a NUL character on PostgreSQL)
            return _toast(translate(me.language, "error.invalid"))

    presence, superseded, why = publisher.presence, anyio.Event(), list[str]()
    loop = asyncio.get_running_loop()

    def go(reason: str) -> None:
        why.append(reason)
        superseded.set()

    def close(reason: str) -> None:  # from any thread: a rejoin on another device runs in one
        loop.call_soon_threadsafe(go, reason)

    presence.opened(session_id, me.id, close)
    if await presence.connected(session_id, me.id):
        publisher.refresh(session_id, roster=True, delay=settings.coalesce_seconds)
    try:
        await serve(websocket, publisher, settings, roles, snapshot, act, (superseded, why))
    finally:
        presence.closed(session_id, me.id, close)
        if await presence.disconnected(session_id, me.id):
            publisher.refresh(session_id, roster=True, delay=settings.coalesce_seconds)


@router.websocket("/ws/screen/{session_id}")
async def screen_socket(
    websocket: WebSocket, session_id: RowId, settings: SettingsDep, publisher: PublisherDep
):
    if not origin_allowed(websocket, settings) or not await _runs(websocket, publisher, session_id):
        return await websocket.close(POLICY_VIOLATION)

    def render(snap) -> str:
        return live_views.render(publisher.templates, snap, "screen", snap.session.screen_language)

    roles = {channel(session_id, "screen"): "screen"}
    await serve(
        websocket, publisher, settings, roles, partial(publisher.locked_snapshot, session_id, render, roles)
    )


@router.websocket("/ws/control/{session_id}")
async def control_socket(
    websocket: WebSocket, session_id: RowId, settings: SettingsDep, publisher: PublisherDep
):
    if not origin_allowed(websocket, settings) or not await _runs(websocket, publisher, session_id):
        return await websocket.close(POLICY_VIOLATION)
    lang = pick_language(websocket.cookies.get("lang"))

    def render(snap) -> str:
        return live_views.render(publisher.templates, snap, "control", lang)

    roles = {channel(session_id, "control", lang): "control"}
    await serve(
        websocket, publisher, settings, roles, partial(publisher.locked_snapshot, session_id, render, roles)
    )


async def serve(
    websocket: WebSocket,
    publisher: Publisher,
    settings: Settings,
    roles: dict[str, str],
    snapshot: Callable[[], tuple[str, dict[str, int]]],
    on_message: Handler | None = None,
    superseded: tuple[anyio.Event, list[str]] | None = None,
) -> None:
    """Send the snapshot (a view and the sequence numbers it covers, taken once subscribed),
    then updates and heartbeats, while reading the client's messages, until the client leaves
    or the socket is `superseded` (its seat opened too many others). A client that vanishes
    mid-send (a phone that lost Wi-Fi) is an ordinary event: counted, not logged as an error."""
    presence = publisher.presence
    presence.sockets += 1
    try:
        await _serve(websocket, publisher, settings, roles, snapshot, on_message, superseded)
    except* (WebSocketDisconnect, OSError):  # raised by a send, alone or from the task group
        presence.vanished += 1
    finally:
        presence.sockets -= 1


async def _serve(websocket, publisher, settings, roles, snapshot, on_message, superseded) -> None:
    await websocket.accept()
    try:
        code = await _follow(websocket, publisher, settings, roles, snapshot, on_message, superseded)
    except HubUnavailable:  # Redis is restarting: the page retries, and starts from a snapshot
        code = TRY_AGAIN_LATER
    if code and websocket.application_state == WebSocketState.CONNECTED:
        with contextlib.suppress(RuntimeError):  # the client left at the same moment
            await websocket.close(code)


async def _follow(websocket, publisher, settings, roles, snapshot, on_message, superseded) -> int | None:
    """The snapshot, then updates while reading the client's messages; the close code to use."""
    async with publisher.hub.subscribe(*roles) as subscription:
        html, seqs = await run_in_threadpool(snapshot)
        markers = "".join(seq_marker(role, seqs[name], True) for name, role in roles.items())
        await websocket.send_text(html + markers)
        outcome: list[int | None] = []

        async def until_done(work, *args) -> None:  # the first of the two to finish ends both
            outcome.append(await work(*args))
            tasks.cancel_scope.cancel()

        async with anyio.create_task_group() as tasks:
            tasks.start_soon(until_done, _send_updates, websocket, subscription, roles, seqs)
            tasks.start_soon(until_done, _read_messages, websocket, settings, on_message)
            if superseded is not None:
                tasks.start_soon(until_done, _until_superseded, websocket, *superseded)
        return outcome[0] if outcome else None


async def _send_updates(
    websocket: WebSocket, subscription, roles: dict[str, str], seqs: dict[str, int]
) -> int | None:
    try:
        while True:
            message = await subscription.get()
            if message is HEARTBEAT:
                await websocket.send_text("hb")
                continue
            if message.seq <= seqs.get(message.channel, 0):
                continue  # already in the snapshot
            if message.data.startswith(CLOSE_VIEWS):  # e.g. the seat moved, on another worker
                return await _say_and_close(websocket, message.data.removeprefix(CLOSE_VIEWS))
            await websocket.send_text(message.data + seq_marker(roles[message.channel], message.seq))
    except SlowConsumer:
        return TRY_AGAIN_LATER  # reconnect and take a fresh snapshot
    except HubClosed:
        return SERVICE_RESTART
    except RuntimeError:  # the socket closed on our side meanwhile
        return None


async def _read_messages(websocket: WebSocket, settings: Settings, on_message: Handler | None) -> int | None:
    lang = pick_language(websocket.cookies.get("lang"))
    pace = Pace(settings.ws_messages_per_second)
    while True:
        event = await websocket.receive()
        if event["type"] == "websocket.disconnect":
            return None
        text = event.get("text") or (event.get("bytes") or b"").decode("utf-8", "replace")
        if len(text.encode()) > settings.ws_max_message_bytes:
            return TOO_BIG
        if not pace.allow():
            if pace.flooding:
                return POLICY_VIOLATION
            reply: str | None = _toast(translate(lang, "error.too_fast"))  # each dropped tap is told
        elif text == "hb":
            continue
        else:
            reply = await _handle(text, on_message, lang)
        if reply:
            try:
                await websocket.send_text(reply)
            except RuntimeError:  # the client left while the answer was made: nobody to tell
                return None


class Pace:
    """Messages a socket may send: `per_second` on average, a burst of twice that; past it a
    message is dropped (and the page told), and a socket that goes on flooding is closed."""

    FLOOD = 200  # messages dropped in a row

    def __init__(self, per_second: float):
        self.per_second, self.burst = per_second, 2 * per_second
        self.tokens, self.at, self.dropped = self.burst, time.monotonic(), 0

    def allow(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.at) * self.per_second)
        self.at = now
        if self.tokens >= 1:
            self.tokens -= 1
            self.dropped = 0
            return True
        self.dropped += 1
        return False

    @property
    def flooding(self) -> bool:
        return self.dropped >= self.FLOOD


async def _until_superseded(websocket: WebSocket, superseded: anyio.Event, why: list[str]) -> int:
    """The seat moved to another device, or opened more sockets than it may (a page open in
    many tabs, this its oldest): the page says why and closes, without reconnecting by itself."""
    await superseded.wait()
    return await _say_and_close(websocket, why[0])


async def _say_and_close(websocket: WebSocket, reason: str) -> int:
    """The page says why (a catalogue key) and closes, without reconnecting by itself."""
    lang = pick_language(websocket.cookies.get("lang"))
    with contextlib.suppress(RuntimeError):
        await websocket.send_text(_notice("play-stage", translate(lang, reason)))
    return POLICY_VIOLATION


async def _handle(text: str, on_message: Handler | None, lang: str) -> str | None:
    try:
        message = json.loads(text)
        if not isinstance(message, dict) or not isinstance(message.get("action"), str):
            raise ValueError
    except (ValueError, RecursionError):  # not JSON, not an action, or nested beyond reason
        return _toast(translate(lang, "error.bad_message"))
    if on_message is None:
        return _toast(translate(lang, "error.bad_message"))
    return await on_message(message)


def _toast(text: str) -> str:
    return f'<div id="toast" class="toast" role="alert">{escape(text)}</div>'


def _notice(region: str, text: str) -> str:
    return f'<div id="{region}"><div class="card notice"><p>{escape(text)}</p></div></div>'


def _act_as(
    publisher: Publisher,
    delay: float,
    session_id: int,
    participant_id: int,
    attempt: actions.Attempt,
) -> str:
    with Session(publisher.engine, expire_on_commit=False) as db:
        session, me = db.get(LiveSession, session_id), db.get(Participant, participant_id)
        if session is None or me is None or me.session_id != session_id:
            raise ServiceError("play.seat_gone", status=403)
        return acting.act_as(publisher, db, session, me, attempt, delay)


def _find_participant(publisher: Publisher, websocket: WebSocket, code: str):
    """((session id, trainee), None) of this browser's seat, else (None, what to tell it): a
    seat that moved to another device says how long ago, so a holder whose rejoin code someone
    else used knows."""
    with Session(publisher.engine, expire_on_commit=False) as db:
        found = seat_of(websocket, db, code)
        if found:
            return (found[0].id, found[1]), None
        session = sessions.by_code(db, code)
        token = participants.seat_tokens(websocket.cookies).get(session.id) if session else None
        moved = participants.moved_away(db, session.id, token) if session else None
        if moved is None or moved.moved_at is None:
            return None, ServiceError("play.seat_gone")
        minutes = max(1, round((utcnow() - as_utc(moved.moved_at)).total_seconds() / 60))
        return None, ServiceError("play.seat_moved", minutes=minutes)


async def _runs(websocket: WebSocket, publisher: Publisher, session_id: int) -> bool:
    """A logged-in facilitator who runs this session (see access.py)."""
    token = websocket.session.get("login")
    if not token:
        return False

    def runs() -> bool:
        with Session(publisher.engine) as db:
            facilitator = logins.facilitator_of(db, token)
            return facilitator is not None and access.may_run(db, facilitator, session_id)

    return await run_in_threadpool(runs)

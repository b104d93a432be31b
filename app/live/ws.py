"""One websocket per open view. On connect: the full current view; then every update, in order.

Messages are HTML fragments swapped by id (htmx ws extension). Each carries the sequence number
of its channel in a hidden marker, so the page can notice a gap and reconnect for a snapshot.
A heartbeat ("hb", from the hub's ticker) every few seconds lets a phone notice a dead link.
Closing with 1012 or 1013 makes the htmx ws extension reconnect.
"""

import contextlib
import json
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

from app.config import Settings
from app.deps import PublisherDep, SettingsDep, seat_of
from app.errors import ServiceError
from app.fields import RowId
from app.i18n import pick_language, translate
from app.live import acting, actions
from app.live import views as live_views
from app.live.hub import HEARTBEAT, HubClosed, SlowConsumer
from app.live.publisher import Publisher, channel
from app.models import Facilitator, LiveSession, Participant
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
    found = await run_in_threadpool(_find_participant, publisher, websocket, code)
    if found is None:
        await websocket.accept()
        lang = pick_language(websocket.cookies.get("lang"))
        await websocket.send_text(_notice("play-stage", translate(lang, "play.seat_gone")))
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

    presence = publisher.presence
    if presence.connected(session_id, me.id):
        publisher.refresh(session_id, roster=True, delay=settings.coalesce_seconds)
    try:
        await serve(websocket, publisher, settings, roles, snapshot, act)
    finally:
        if presence.disconnected(session_id, me.id):
            publisher.refresh(session_id, roster=True, delay=settings.coalesce_seconds)


@router.websocket("/ws/screen/{session_id}")
async def screen_socket(
    websocket: WebSocket, session_id: RowId, settings: SettingsDep, publisher: PublisherDep
):
    if not origin_allowed(websocket, settings) or not await _is_facilitator(websocket, publisher):
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
    if not origin_allowed(websocket, settings) or not await _is_facilitator(websocket, publisher):
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
) -> None:
    """Send the snapshot (a view and the sequence numbers it covers, taken once subscribed),
    then updates and heartbeats, while reading the client's messages. A
    client that vanishes mid-send (a phone that lost Wi-Fi) is an ordinary event: counted, not
    logged as an error."""
    presence = publisher.presence
    presence.sockets += 1
    try:
        await _serve(websocket, publisher, settings, roles, snapshot, on_message)
    except* (WebSocketDisconnect, OSError):  # raised by a send, alone or from the task group
        presence.vanished += 1
    finally:
        presence.sockets -= 1


async def _serve(websocket, publisher, settings, roles, snapshot, on_message) -> None:
    await websocket.accept()
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
            tasks.start_soon(until_done, _read_messages, websocket, settings.ws_max_message_bytes, on_message)
        code = outcome[0] if outcome else None
    if code and websocket.application_state == WebSocketState.CONNECTED:
        with contextlib.suppress(RuntimeError):  # the client left at the same moment
            await websocket.close(code)


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
            await websocket.send_text(message.data + seq_marker(roles[message.channel], message.seq))
    except SlowConsumer:
        return TRY_AGAIN_LATER  # reconnect and take a fresh snapshot
    except HubClosed:
        return SERVICE_RESTART
    except RuntimeError:  # the socket closed on our side meanwhile
        return None


async def _read_messages(websocket: WebSocket, limit: int, on_message: Handler | None) -> int | None:
    lang = pick_language(websocket.cookies.get("lang"))
    while True:
        event = await websocket.receive()
        if event["type"] == "websocket.disconnect":
            return None
        text = event.get("text") or (event.get("bytes") or b"").decode("utf-8", "replace")
        if len(text.encode()) > limit:
            return TOO_BIG
        if text == "hb":
            continue
        reply = await _handle(text, on_message, lang)
        if reply:
            await websocket.send_text(reply)


async def _handle(text: str, on_message: Handler | None, lang: str) -> str | None:
    try:
        message = json.loads(text)
        if not isinstance(message, dict) or not isinstance(message.get("action"), str):
            raise ValueError
    except ValueError:
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
    with Session(publisher.engine, expire_on_commit=False) as db:
        found = seat_of(websocket, db, code)
        return (found[0].id, found[1]) if found else None


async def _is_facilitator(websocket: WebSocket, publisher: Publisher) -> bool:
    facilitator_id = websocket.session.get("facilitator_id")
    if not isinstance(facilitator_id, int):
        return False

    def exists() -> bool:
        with Session(publisher.engine) as db:
            return db.get(Facilitator, facilitator_id) is not None

    return await run_in_threadpool(exists)

"""The trainee's side: join by code or QR, the play view, reclaiming a seat, language."""

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from app.auth.csrf import verify_csrf
from app.config import Settings
from app.db import DbSession
from app.deps import JoinLimiterDep, PublisherDep, SettingsDep, current_participant, current_seat, seat_of
from app.errors import ServiceError
from app.fields import RowId
from app.i18n import LANGUAGE_COOKIE, pick_language
from app.live import acting, actions, participants, sessions, takeaways, teams
from app.live import snapshot as snapshots
from app.live import views as live_views
from app.live.names import MAX_NAME_LENGTH
from app.live.publisher import Publisher
from app.live.snapshot import Snapshot
from app.models import LiveSession, Participant, utcnow
from app.ratelimit import Limiter
from app.web import client_ip, language, local_url, page, redirect

router = APIRouter(dependencies=[Depends(verify_csrf)])
COOKIE_DAYS = 3


def _to_seat(settings: Settings, session: LiveSession, token: str) -> Response:
    """To the play view, holding the seat: its token in an HttpOnly cookie."""
    response = RedirectResponse(f"/play/{session.code}", status_code=303)
    response.set_cookie(
        participants.token_cookie(session.id),
        token,
        max_age=COOKIE_DAYS * 24 * 3600,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
    )
    return response


def _join_form(
    request: Request,
    code: str = "",
    status_code: int = 200,
    error: ServiceError | None = None,
    name: str = "",
    rejoin: bool = False,
):
    """The join page. It looks the same for a live code and a dead one (nothing tells a code
    guesser which codes run): what a session holds, its teams, shows only once joined."""
    values = {"code": code, "name": name, "error": error, "rejoin": rejoin, "max_name": MAX_NAME_LENGTH}
    return page(request, "play/join.html", status_code=status_code, **values)


@router.get("/join")
def join_form(request: Request, limiter: JoinLimiterDep, code: str = ""):
    """Anyone; looking codes up is limited per address like joining."""
    if not limiter.allow(client_ip(request)):
        return _join_form(request, code[:6], 429, ServiceError("join.error.rate", status=429))
    return _join_form(request, code[:6])


@router.get("/j/{code}")
def join_link(request: Request, db: DbSession, limiter: JoinLimiterDep, code: str):
    """Anyone (the QR code's link); a browser seated there goes straight to its seat."""
    session = sessions.by_code(db, code)
    if session and current_participant(request, db, session):
        return RedirectResponse(f"/play/{session.code}", status_code=303)
    return join_form(request, limiter, code)


@router.post("/join")
def join(
    request: Request,
    db: DbSession,
    settings: SettingsDep,
    publisher: PublisherDep,
    limiter: JoinLimiterDep,
    code: str = Form("", max_length=16),
    name: str = Form("", max_length=200),
    team: Annotated[RowId | None, Form()] = None,
):
    try:
        _limit(limiter, request)
        session = sessions.by_code(db, code)
        if session and current_participant(request, db, session):  # a double tap, or came back
            return RedirectResponse(f"/play/{session.code}", status_code=303)
        capacity = settings.session_capacity
        participant, token = participants.join(db, session, name, team, language(request), capacity)
    except ServiceError as error:
        return _join_form(request, code.strip()[:6], error.status, error, name[:64])
    assert session is not None  # a join without one was refused above
    publisher.refresh(session.id, roster=True, delay=settings.coalesce_seconds)
    return _to_seat(settings, session, token)


def _limit(limiter: Limiter, request: Request) -> None:
    if not limiter.allow(client_ip(request)):
        raise ServiceError("join.error.rate", status=429)


@router.post("/rejoin")
def rejoin(
    request: Request,
    db: DbSession,
    settings: SettingsDep,
    publisher: PublisherDep,
    limiter: JoinLimiterDep,
    code: str = Form("", max_length=16),
    rejoin_code: str = Form("", max_length=16),
):
    try:
        _limit(limiter, request)
        session = sessions.by_code(db, code)
        _limit_wrong_codes(request, session)
        try:
            participant, token = participants.reclaim(db, session, rejoin_code)
        except ServiceError:
            request.app.state.rejoin_misses.allow(_misses_key(session))  # one more wrong code
            raise
    except ServiceError as error:
        return _join_form(request, code.strip()[:6], error.status, error, rejoin=True)
    assert session is not None  # a rejoin without one was refused above
    publisher.seat_moved(session.id, participant.id)  # the device it left says so
    publisher.refresh(session.id, people=[participant.id])
    return _to_seat(settings, session, token)


def _misses_key(session: LiveSession | None) -> str:
    return f"session:{session.id if session else 0}"


def _limit_wrong_codes(request: Request, session: LiveSession | None) -> None:
    """Wrong rejoin codes are limited per session as well as per address: guessing a seat's
    code from many addresses stays slow. (While the limit is reached, a right code waits too.)"""
    if request.app.state.rejoin_misses.full(_misses_key(session)):
        raise ServiceError("join.error.rejoin_rate", status=429)


def _seated(request: Request, db: DbSession, publisher: Publisher, code: str):
    """The trainee's session snapshot and seat, or a redirect to the join page."""
    found = seat_of(request, db, code)
    if found is None:
        return None, RedirectResponse(local_url(f"/j/{code[:6]}"), status_code=303)
    session, me = found
    return (publisher.load(db, session.id), me), None


@router.get("/play/{code}")
def play(request: Request, db: DbSession, publisher: PublisherDep, code: str):
    seated, away = _seated(request, db, publisher, code)
    if away:
        return away
    snap, me = seated
    return page(request, "play/session.html", **_play_page(publisher, snap, me))


@router.get("/play/{code}/mine")
def my_results(request: Request, db: DbSession, publisher: PublisherDep, code: str):
    """What the trainee keeps from the day so far (profiles...), to look at again at any time."""
    seated, away = _seated(request, db, publisher, code)
    if away:
        return away
    snap, me = seated
    return page(
        request, "play/mine.html", snap=snap, me=me, lang=me.language, results=takeaways.collect(db, snap, me)
    )


@router.get("/play/{code}/work/{activity_id}")
def my_work(request: Request, db: DbSession, publisher: PublisherDep, code: str, activity_id: str):
    """A trainee's own work (their territory...) while another activity is on screen."""
    seated, away = _seated(request, db, publisher, code)
    if away:
        return away
    snap, me = seated
    try:
        activity = actions.anytime_activity(snap.course, activity_id)
    except ServiceError:
        return RedirectResponse(f"/play/{snap.session.code}", status_code=303)
    return page(request, "play/work.html", **_play_page(publisher, snapshots.focused(snap, activity), me))


def _play_page(publisher: Publisher, snap: Snapshot, me: Participant) -> dict:
    values = live_views.context(snap, me.language, me, with_kind=False)
    return {**values, **live_views.play_page(publisher.templates, snap, me)}


@router.post("/play/{code}/act/{name}")
async def act(request: Request, code: str, name: str, publisher: PublisherDep, settings: SettingsDep):
    """A trainee's answer: saved, published (coalesced), and answered with their own view."""
    arrived = utcnow()
    payload, activity_id = await actions.read_form(request)
    attempt = actions.Attempt(name, payload, activity_id, arrived)
    return await run_in_threadpool(_act, request, publisher, settings.coalesce_seconds, code, attempt)


def _act(request, publisher: Publisher, delay: float, code: str, attempt: actions.Attempt):
    # The form is read on the event loop above; the database work runs here, in a thread.
    with Session(publisher.engine, expire_on_commit=False) as db:
        seat = current_seat(request, db, publisher.courses, code)
        html = acting.act_as(publisher, db, seat.session, seat.participant, attempt, delay)
        return HTMLResponse(html)


@router.post("/play/{code}/team")
def choose_team(
    request: Request, db: DbSession, publisher: PublisherDep, code: str, team: Annotated[RowId, Form()]
):
    """A trainee without a team picks one (the teams show only to those who joined); once in a
    team, only the facilitator moves them."""
    seat = current_seat(request, db, publisher.courses, code)
    if seat.participant.team_id is not None:
        raise ServiceError("team.error.already_in", status=409)
    teams.move(db, seat.session.id, seat.participant.id, team)
    publisher.refresh(seat.session.id, stage=True, roster=True, people=[seat.participant.id])
    return redirect(request, f"/play/{seat.session.code}")


@router.post("/play/{code}/lang")
def play_language(request: Request, db: DbSession, code: str, lang: str = Form(max_length=8)):
    session = sessions.by_code(db, code)
    me = current_participant(request, db, session) if session else None
    lang = pick_language(lang)
    if me is not None:
        participants.set_language(db, me, lang)
    response = redirect(request, f"/play/{code[:6]}")
    response.set_cookie(LANGUAGE_COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax", httponly=True)
    return response

"""The facilitator's pages: session list, control page (讲师控制台) and screen (大屏)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from app.auth import access
from app.auth.csrf import verify_csrf
from app.auth.deps import FacilitatorDep, require_facilitator
from app.db import DbSession, with_db
from app.deps import PublisherDep
from app.errors import ServiceError
from app.fields import RowId
from app.i18n import pick_language, translate
from app.live import actions, participants, sessions, teams
from app.live import views as live_views
from app.live.publisher import Publisher
from app.models import Facilitator
from app.web import join_base, language, page

router = APIRouter(dependencies=[Depends(require_facilitator), Depends(verify_csrf)])


def _remember_host(request: Request, publisher: Publisher) -> None:
    publisher.remember_host(join_base(request))


@router.get("/control")
def dashboard(request: Request, db: DbSession, publisher: PublisherDep, facilitator: FacilitatorDep):
    _remember_host(request, publisher)
    return page(
        request,
        "control/dashboard.html",
        facilitator=facilitator,
        courses=publisher.courses,
        sessions=access.sessions_of(db, facilitator),
    )


@router.post("/control/sessions")
def open_session(
    request: Request,
    db: DbSession,
    publisher: PublisherDep,
    facilitator: FacilitatorDep,
    course_id: str = Form(max_length=64),
):
    course = publisher.courses.get(course_id)
    if course is None:
        raise ServiceError("error.not_found", status=404)
    session = sessions.open_session(db, course, facilitator.id)
    return RedirectResponse(f"/control/{session.id}", status_code=303)


@router.get("/control/{session_id}")
def control_page(
    request: Request, session_id: RowId, db: DbSession, publisher: PublisherDep, facilitator: FacilitatorDep
):
    _remember_host(request, publisher)
    snap = publisher.load(db, session_id)
    return page(
        request,
        "control/session.html",
        facilitator=facilitator,
        owner=db.get(Facilitator, snap.session.created_by) if snap.session.created_by else None,
        cofacilitators=access.cofacilitators(db, session_id),
        may_manage=access.may_manage(facilitator, snap.session),
        **live_views.context(snap, language(request)),
    )


@router.get("/screen/{session_id}")
def screen_page(request: Request, session_id: RowId, db: DbSession, publisher: PublisherDep):
    _remember_host(request, publisher)
    snap = publisher.load(db, session_id)
    lang = snap.session.screen_language
    return page(request, "screen/session.html", **live_views.context(snap, lang))


def _act(
    request: Request,
    publisher: Publisher,
    db: Session,
    session_id: int,
    change,
    *,
    roster=False,
    teams_changed=False,
    people=(),
) -> HTMLResponse:
    """Apply a facilitator change, publish it, and answer with the fresh control regions. A
    change that returns True changed every trainee's header too (their points, how ranks show).
    A change of `roster` leaves the room's stage as it is, unless `teams_changed` (the
    stage shows their names: boards, a game's teams)."""
    session = sessions.get(db, session_id)
    headers = bool(change(session, publisher.courses[session.course_id]))
    stage = not roster or teams_changed
    publisher.refresh(session_id, stage=stage, roster=roster, people=people, headers=headers)
    snap = publisher.load(db, session_id)
    regions = ("control-status", "control-roster") if roster else ("control-status", "control-main")
    return HTMLResponse(
        live_views.render(publisher.templates, snap, "control", language(request), regions=regions)
    )


def _moving(db: Session, publisher: Publisher, move):
    """A move along the agenda: the activity it puts on screen may start a countdown of its own
    (a break), and every view shows its end."""

    def change(session, course) -> bool:
        if move(session, course):
            due = actions.arrived(db, session, course)
            if due is not None:
                publisher.wake(session.id, due)
        return False  # nobody's points changed

    return change


@router.post("/control/{session_id}/go")
def go(
    request: Request,
    session_id: RowId,
    db: DbSession,
    publisher: PublisherDep,
    activity: str = Form("", max_length=64),
):
    return _act(
        request,
        publisher,
        db,
        session_id,
        _moving(db, publisher, lambda s, c: sessions.go_to(db, s, c, activity or None)),
    )


@router.post("/control/{session_id}/next")
def next_activity(
    request: Request,
    session_id: RowId,
    db: DbSession,
    publisher: PublisherDep,
    seen: str | None = Form(None, max_length=64),
):
    return _act(
        request,
        publisher,
        db,
        session_id,
        _moving(db, publisher, lambda s, c: sessions.step(db, s, c, +1, seen)),
    )


@router.post("/control/{session_id}/prev")
def previous_activity(
    request: Request,
    session_id: RowId,
    db: DbSession,
    publisher: PublisherDep,
    seen: str | None = Form(None, max_length=64),
):
    return _act(
        request,
        publisher,
        db,
        session_id,
        _moving(db, publisher, lambda s, c: sessions.step(db, s, c, -1, seen)),
    )


@router.post("/control/{session_id}/lock")
def lock(request: Request, session_id: RowId, db: DbSession, publisher: PublisherDep, locked: bool = Form()):
    return _act(request, publisher, db, session_id, lambda s, c: sessions.set_locked(db, s, locked))


@router.post("/control/{session_id}/pause")
def pause(request: Request, session_id: RowId, db: DbSession, publisher: PublisherDep, paused: bool = Form()):
    return _act(request, publisher, db, session_id, lambda s, c: sessions.set_paused(db, s, paused))


@router.post("/control/{session_id}/leaderboards")
def leaderboards(
    request: Request, session_id: RowId, db: DbSession, publisher: PublisherDep, hidden: bool = Form()
):
    def change(session, _course) -> bool:
        sessions.set_leaderboards_hidden(db, session, hidden)
        return True  # every trainee's header shows their rank, or no longer

    return _act(request, publisher, db, session_id, change)


@router.post("/control/{session_id}/phase")
def phase(
    request: Request,
    session_id: RowId,
    db: DbSession,
    publisher: PublisherDep,
    phase: str = Form(max_length=32),
):
    return _act(request, publisher, db, session_id, lambda s, c: sessions.set_phase(db, s, c, phase))


@router.post("/control/{session_id}/screen-language")
def screen_language(
    request: Request,
    session_id: RowId,
    db: DbSession,
    publisher: PublisherDep,
    lang: str = Form(max_length=8),
):
    return _act(
        request,
        publisher,
        db,
        session_id,
        lambda s, c: sessions.set_screen_language(db, s, pick_language(lang)),
    )


@router.post("/control/{session_id}/end")
def end(request: Request, session_id: RowId, db: DbSession, publisher: PublisherDep):
    return _act(request, publisher, db, session_id, lambda s, c: sessions.end(db, s))


@router.post("/control/{session_id}/teams")
def add_team(
    request: Request,
    session_id: RowId,
    db: DbSession,
    publisher: PublisherDep,
    name: str = Form(max_length=64),
):
    return _act(request, publisher, db, session_id, lambda s, c: teams.create(db, s.id, name), roster=True)


@router.post("/control/{session_id}/teams/balance")
def balance_teams(
    request: Request,
    session_id: RowId,
    db: DbSession,
    publisher: PublisherDep,
    count: int = Form(ge=1, le=teams.MAX_TEAMS),
):
    def change(session, _course):
        lang = session.screen_language
        teams.auto_balance(db, session.id, count, lambda n: translate(lang, "team.default_name", n=n))

    people = [p.id for p in participants.roster(db, session_id)]
    return _act(request, publisher, db, session_id, change, roster=True, teams_changed=True, people=people)


@router.post("/control/{session_id}/teams/{team_id}/rename")
def rename_team(
    request: Request,
    session_id: RowId,
    team_id: RowId,
    db: DbSession,
    publisher: PublisherDep,
    name: str = Form(max_length=64),
):
    members = [p.id for p in participants.roster(db, session_id) if p.team_id == team_id]
    return _act(
        request,
        publisher,
        db,
        session_id,
        lambda s, c: teams.rename(db, s.id, team_id, name),
        roster=True,
        teams_changed=True,
        people=members,
    )


@router.post("/control/{session_id}/participants/{participant_id}/team")
def move_participant(
    request: Request,
    session_id: RowId,
    participant_id: RowId,
    db: DbSession,
    publisher: PublisherDep,
    team: Annotated[RowId | None, Form()] = None,  # none: out of any team
):
    return _act(
        request,
        publisher,
        db,
        session_id,
        lambda s, c: teams.move(db, s.id, participant_id, team),
        roster=True,
        teams_changed=True,
        people=[participant_id],
    )


@router.post("/control/{session_id}/kind/{name}")
async def kind_action(request: Request, session_id: RowId, name: str, publisher: PublisherDep):
    """An action of the current activity's kind, e.g. start a quiz timer or hide an entry."""
    payload, activity_id = await actions.read_form(request)

    def run(db):
        def change(session, course) -> bool:
            done = actions.facilitate(db, session, course, name, payload, activity_id)
            if done.wake_in is not None:  # a timer runs out: every view shows it then
                publisher.wake(session_id, done.wake_in)
            return done.awarded  # points given: every trainee's header shows theirs

        return _act(request, publisher, db, session_id, change)

    return await run_in_threadpool(with_db, request, run)


@router.post("/control/{session_id}/facilitators")
def add_cofacilitator(
    session_id: RowId, db: DbSession, facilitator: FacilitatorDep, username: str = Form(max_length=64)
):
    """The owner or an administrator: another facilitator runs the session too."""
    session = sessions.get(db, session_id)
    access.require_manager(facilitator, session)
    access.add_cofacilitator(db, session, username)
    return RedirectResponse(f"/control/{session_id}#access", status_code=303)


@router.post("/control/{session_id}/facilitators/{facilitator_id}/remove")
def remove_cofacilitator(
    session_id: RowId, facilitator_id: RowId, db: DbSession, facilitator: FacilitatorDep
):
    """The owner or an administrator: a co-facilitator no longer runs the session."""
    access.require_manager(facilitator, sessions.get(db, session_id))
    access.remove_cofacilitator(db, session_id, facilitator_id)
    return RedirectResponse(f"/control/{session_id}#access", status_code=303)

"""Live sessions (场次): opening, navigating the agenda, locking, pausing, ending."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.course.models import Course
from app.errors import ServiceError
from app.live import codes
from app.models import ActivityState, ActivityVisit, LiveSession, utcnow

LOBBY = "@lobby"  # not a valid activity id


def open_session(db: Session, course: Course, facilitator_id: int | None) -> LiveSession:
    live_codes = set(db.exec(select(LiveSession.code).where(LiveSession.status != "ended")))
    code = codes.join_code()
    while code in live_codes:
        code = codes.join_code()
    session = LiveSession(course_id=course.id, code=code, created_by=facilitator_id)
    db.add(session)
    db.commit()
    db.refresh(session)
    return session


def by_code(db: Session, code: str) -> LiveSession | None:
    """The live session with this join code, else the most recent ended one that had it."""
    query = of_code(code)
    return db.exec(query).first() if query is not None else None


def of_code(code: str) -> SelectOfScalar[LiveSession] | None:
    """The query by_code runs (None for what cannot be a code), to build on."""
    code = (code or "").strip()
    if not (len(code) == 6 and code.isdigit()):
        return None
    query = select(LiveSession).where(LiveSession.code == code)
    return query.order_by(col(LiveSession.ended_at).is_(None).desc(), col(LiveSession.id).desc())


def get(db: Session, session_id: int) -> LiveSession:
    session = db.get(LiveSession, session_id)
    if session is None:
        raise ServiceError("error.not_found", status=404)
    return session


def running_ids(db: Session) -> list[int]:
    query = select(LiveSession.id).where(LiveSession.status == "running")
    return list(db.exec(query))


def go_to(db: Session, session: LiveSession, course: Course, activity_id: str | None) -> bool:
    """Put an activity (or the lobby, None) on every screen; False if it was there already."""
    _require_not_ended(session)
    if activity_id is not None and course.activity(activity_id) is None:
        raise ServiceError("error.not_found", status=404)
    if activity_id == session.current_activity:
        return False
    _close_visits(db, session)
    if activity_id is not None:
        if not session.paused:
            db.add(ActivityVisit(session_id=session.id, activity_id=activity_id))
        _ensure_state(db, session, course, activity_id)
        session.status = "running"
    session.current_activity = activity_id
    db.add(session)
    db.commit()
    return True


def step(db: Session, session: LiveSession, course: Course, direction: int, seen: str | None = None) -> bool:
    """Move one activity on (or back); False if nothing moved. `seen` is the activity the
    facilitator's page showed: a double click, or two facilitators pressing at once, moves only
    one step. The lobby is LOBBY."""
    if seen is not None and seen != (session.current_activity or LOBBY):
        return False
    target = course.neighbour(session.current_activity, direction)
    return target is not None and go_to(db, session, course, target.id)


def set_locked(db: Session, session: LiveSession, locked: bool) -> None:
    _require_not_ended(session)
    session.locked = locked
    db.add(session)
    db.commit()


def set_paused(db: Session, session: LiveSession, paused: bool) -> None:
    """A break does not count as time spent on the activity on screen."""
    _require_not_ended(session)
    if paused == session.paused:
        return
    if paused:
        _close_visits(db, session)
    elif session.current_activity:
        db.add(ActivityVisit(session_id=session.id, activity_id=session.current_activity))
    session.paused = paused
    db.add(session)
    db.commit()


def set_leaderboards_hidden(db: Session, session: LiveSession, hidden: bool) -> None:
    session.leaderboards_hidden = hidden
    db.add(session)
    db.commit()


def set_screen_language(db: Session, session: LiveSession, lang: str) -> None:
    session.screen_language = lang
    db.add(session)
    db.commit()


def end(db: Session, session: LiveSession) -> None:
    if session.status == "ended":
        return
    _close_visits(db, session)
    session.status, session.ended_at, session.paused = "ended", utcnow(), False
    db.add(session)
    db.commit()


def activity_state(db: Session, session_id: int, activity_id: str) -> ActivityState | None:
    return db.exec(
        select(ActivityState).where(
            ActivityState.session_id == session_id, ActivityState.activity_id == activity_id
        )
    ).first()


def save_activity_data(
    db: Session, session: LiveSession, course: Course, activity_id: str, data: dict
) -> ActivityState:
    """Replace the state an activity's kind keeps (a quiz's question and timer, hidden entries)."""
    state = _ensure_state(db, session, course, activity_id)
    state.data, state.updated_at = dict(data), utcnow()  # a new dict, so the change is noticed
    db.add(state)
    db.commit()
    return state


def set_phase(db: Session, session: LiveSession, course: Course, phase: str) -> None:
    activity = course.activity(session.current_activity)
    if activity is None or phase not in course.kind_of(activity).phases:
        raise ServiceError("error.bad_request")
    state = _ensure_state(db, session, course, activity.id)
    state.phase, state.updated_at = phase, utcnow()
    db.add(state)
    db.commit()


def _ensure_state(db: Session, session: LiveSession, course: Course, activity_id: str) -> ActivityState:
    state = activity_state(db, session.id, activity_id)
    if state is None:
        activity = course.activity(activity_id)
        assert activity is not None  # the callers checked the id against the course
        phases = course.kind_of(activity).phases
        state = ActivityState(
            session_id=session.id, activity_id=activity_id, phase=phases[0] if phases else ""
        )
        db.add(state)
        try:
            db.flush()
        except IntegrityError:  # another request created it first
            db.rollback()
            state = activity_state(db, session.id, activity_id)
            assert state is not None  # the other request's row
    return state


def _close_visits(db: Session, session: LiveSession) -> None:
    now = utcnow()
    for visit in db.exec(
        select(ActivityVisit).where(
            ActivityVisit.session_id == session.id, col(ActivityVisit.closed_at).is_(None)
        )
    ):
        visit.closed_at = now
        db.add(visit)


def _require_not_ended(session: LiveSession) -> None:
    if session.status == "ended":
        raise ServiceError("error.session_ended", status=409)


@dataclass(frozen=True)
class UnitPace:
    unit_id: str
    planned_seconds: int
    elapsed_seconds: int

    @property
    def behind(self) -> bool:
        return self.elapsed_seconds > self.planned_seconds


def pace(db: Session, session: LiveSession, course: Course, now: datetime | None = None) -> dict:
    """Elapsed versus planned seconds per unit and per activity."""
    now = now or utcnow()
    per_activity: dict[str, int] = {}
    for visit in db.exec(select(ActivityVisit).where(ActivityVisit.session_id == session.id)):
        seconds = int(((visit.closed_at or now) - visit.opened_at).total_seconds())
        per_activity[visit.activity_id] = per_activity.get(visit.activity_id, 0) + max(seconds, 0)
    planned = course.timetable.units  # breaks and changeovers included: they take the unit's time too
    units = {
        unit.id: UnitPace(
            unit.id, planned[unit.id].total * 60, sum(per_activity.get(a.id, 0) for a in unit.activities)
        )
        for unit in course.units
    }
    return {"units": units, "activities": per_activity}

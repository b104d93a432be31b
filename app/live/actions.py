"""Trainee actions on the activity on screen: one validated path for HTTP and websocket alike."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session

from app.course.models import Activity, Course
from app.errors import ServiceError
from app.live import participants, sessions
from app.models import ActivityState, LiveSession, Participant, utcnow
from app.modules.contract import ActionContext, ViewContext
from app.points import badges
from app.web import text_form


@dataclass(frozen=True)
class Attempt:
    """A trainee's action as it reached the server: its name, its payload, the activity their
    page showed, and when it arrived: a timed answer is judged by that moment, not by when a
    busy server got to it (a thousand taps in the last second of a question)."""

    name: str
    payload: dict[str, Any]
    activity_id: str | None = None
    arrived: datetime = field(default_factory=utcnow)


async def read_form(request) -> tuple[dict[str, Any], str | None]:
    """An action's payload (a field sent several times becomes a list) and the activity id the
    page showed; bounded, as every input is, and text only."""
    fields = await text_form(request, max_fields=64, max_part_size=16 * 1024)
    fields.pop("csrf_token", None)
    activity = fields.pop("activity", None)
    if isinstance(activity, list):  # a page shows one activity
        raise ServiceError("activity.error.invalid")
    return fields, activity or None


@dataclass(frozen=True)
class Performed:
    """What an action did: the trainees whose own views it changed (teammates, maybe the
    trainee), and the state of the activity it was filed in, as read for it."""

    touched: set[int]
    state: ActivityState | None


def perform(
    db: Session, session: LiveSession, course: Course, participant: Participant, attempt: Attempt
) -> Performed:
    """Check, validate and hand the action to the kind; ServiceError says what went wrong.

    attempt.activity_id, when given, is the activity the trainee's page showed: an answer meant for an
    activity that has since moved off the screen is refused rather than filed elsewhere. Returns
    what it did (see Performed)."""
    if session.status == "ended":
        raise ServiceError("error.session_ended", status=409)
    if session.paused:
        raise ServiceError("activity.error.paused", status=409)
    activity = course.activity(session.current_activity)
    if activity is None or (attempt.activity_id is not None and attempt.activity_id != activity.id):
        activity = anytime_activity(course, attempt.activity_id)
    kind = course.kind_of(activity)
    action = kind.actions.get(attempt.name)
    if action is None:
        raise ServiceError("error.bad_request")
    state = sessions.activity_state(db, session.id, activity.id)
    phase = state.phase if state else ""
    if kind.phases and phase not in action.phases:
        raise ServiceError("activity.error.closed", status=409)
    try:
        data = action.payload_model.model_validate(attempt.payload)
    except ValidationError:
        raise ServiceError("activity.error.invalid") from None
    context = ActionContext(db, session, activity, phase, participant, course, state, attempt.arrived)
    with participants.turn(db, participant):
        touched = action.handle(context, data)
    return Performed(set(touched or ()), state)


def anytime_activity(course: Course, activity_id: str | None) -> Activity:
    """An activity whose kind takes the trainee's work at any time, or "moved on"."""
    activity = course.activity(activity_id)
    if activity is None or not course.kind_of(activity).anytime:
        raise ServiceError("activity.error.moved_on", status=409)
    return activity


def facilitate(
    db: Session,
    session: LiveSession,
    course: Course,
    name: str,
    payload: dict[str, Any],
    activity_id: str | None = None,
) -> "Facilitated":
    """A facilitator's action on the activity on screen (see FacilitatorAction)."""
    if session.status == "ended":
        raise ServiceError("error.session_ended", status=409)
    activity = course.activity(session.current_activity)
    if activity is None or (activity_id is not None and activity_id != activity.id):
        raise ServiceError("activity.error.moved_on", status=409)
    action = course.kind_of(activity).facilitator_actions.get(name)
    if action is None:
        raise ServiceError("error.bad_request")
    try:
        data = action.payload_model.model_validate(payload)
    except ValidationError:
        raise ServiceError("activity.error.invalid") from None
    state = sessions.activity_state(db, session.id, activity.id)
    refresh_in = action.handle(
        ViewContext(db, session, course, activity, state, session.screen_language), data
    )
    if action.awards:  # e.g. a reveal: it may complete someone's mastery
        badges.refresh(db, session, course)
    return Facilitated(refresh_in, action.awards)


def arrived(db: Session, session: LiveSession, course: Course) -> float | None:
    """The activity now on screen has just been put there: its kind starts what starts by itself
    (ActivityKind.shown). Returns seconds until every view must refresh, if it must."""
    activity = course.activity(session.current_activity)
    if activity is None:
        return None
    kind = course.kind_of(activity)
    if not kind.overrides("shown"):
        return None
    state = sessions.activity_state(db, session.id, activity.id)
    return kind.shown(ViewContext(db, session, course, activity, state, session.screen_language))


@dataclass(frozen=True)
class Facilitated:
    """What a facilitator's action changed beyond the activity's own views."""

    wake_in: float | None  # seconds until every view must refresh again (a timer ends)
    awarded: bool  # points or badges may have been given: every trainee's header shows them

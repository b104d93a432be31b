"""Typed dependencies: what a route needs from the running app (settings, courses, the publisher)
and who is asking (the trainee of a join code), declared by type instead of read off app.state.

The facilitator is `app.auth.deps.FacilitatorDep`; a database session is `app.db.DbSession`."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends
from sqlmodel import Session
from starlette.requests import HTTPConnection

from app.config import Settings
from app.course.models import Course
from app.db import DbSession
from app.errors import ServiceError
from app.live import participants, sessions
from app.live.publisher import Publisher
from app.models import LiveSession, Participant
from app.ratelimit import Backoff, Limiter


def _settings(connection: HTTPConnection) -> Settings:
    return connection.app.state.settings


def _courses(connection: HTTPConnection) -> dict[str, Course]:
    return connection.app.state.courses


def _publisher(connection: HTTPConnection) -> Publisher:
    return connection.app.state.publisher


def _join_limiter(connection: HTTPConnection) -> Limiter:
    return connection.app.state.join_limiter


def _login_limiter(connection: HTTPConnection) -> Limiter:
    return connection.app.state.login_limiter


def _password_backoff(connection: HTTPConnection) -> Backoff:
    return connection.app.state.password_backoff


SettingsDep = Annotated[Settings, Depends(_settings)]
CoursesDep = Annotated[dict[str, Course], Depends(_courses)]
PublisherDep = Annotated[Publisher, Depends(_publisher)]
JoinLimiterDep = Annotated[Limiter, Depends(_join_limiter)]
LoginLimiterDep = Annotated[Limiter, Depends(_login_limiter)]
PasswordBackoffDep = Annotated[Backoff, Depends(_password_backoff)]


def current_participant(connection: HTTPConnection, db: Session, session: LiveSession) -> Participant | None:
    """The trainee this browser's seat cookie names in the session, if any."""
    token = connection.cookies.get(participants.token_cookie(session.id))
    return participants.by_token(db, session.id, token)


@dataclass(frozen=True)
class Seat:
    """A trainee in their session: what every trainee route of /play/{code}/... works on."""

    session: LiveSession
    course: Course
    participant: Participant


def seat_of(connection: HTTPConnection, db: Session, code: str) -> tuple[LiveSession, Participant] | None:
    """The session of the join code and this browser's trainee in it, if it has a seat there
    (read in one statement: every trainee request starts with it)."""
    query = sessions.of_code(code)
    tokens = participants.seat_tokens(connection.cookies)
    return participants.seated(db, query, tokens) if query is not None else None


def current_seat(connection: HTTPConnection, db: DbSession, courses: CoursesDep, code: str) -> Seat:
    """The trainee of the join code in the path; 403 when this browser has no seat there."""
    found = seat_of(connection, db, code)
    if found is None:
        raise ServiceError("play.seat_gone", status=403)
    session, me = found
    return Seat(session, courses[session.course_id], me)


SeatDep = Annotated[Seat, Depends(current_seat)]

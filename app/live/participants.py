"""Trainees (学员): joining, coming back with a cookie, reclaiming a seat on a new device."""

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select
from sqlmodel.sql.expression import SelectOfScalar

from app.errors import ServiceError
from app.live import codes
from app.live.names import MAX_NAME_LENGTH, clean_name, name_key
from app.models import LiveSession, Participant, Team, utcnow

SEAT_COOKIE = "kam_p"  # + the session id: one per session, so sessions never mix


def token_cookie(session_id: int) -> str:
    """The cookie holding a trainee's token in a session."""
    return f"{SEAT_COOKIE}{session_id}"


def seat_tokens(cookies: Mapping[str, str]) -> dict[int, str]:
    """The seat tokens a browser holds, by session id."""
    return {
        int(name.removeprefix(SEAT_COOKIE)): token
        for name, token in cookies.items()
        if name.startswith(SEAT_COOKIE) and name.removeprefix(SEAT_COOKIE).isdigit()
    }


@contextmanager
def turn(db: Session, me: Participant) -> Iterator[None]:
    """One action of a seat, and of its team, at a time: what an action reads and then writes (a
    trainee's list of tags, a count against a limit, a team's choice of accounts) is not changed
    in between by a parallel action (two tabs, a retry racing its original, a teammate). Writing
    the seat's and the team's rows takes the lock, on PostgreSQL those rows', on SQLite the
    database's one writer; the action's first commit, or the end of the turn, lets the next in.
    Always seat before team, so two turns never wait on each other."""
    _touch(db, Participant, me.id)
    if me.team_id is not None:
        _touch(db, Team, me.team_id)
    try:
        yield
        db.commit()
    except BaseException:
        db.rollback()
        raise


def _touch(db: Session, table: type[Participant] | type[Team], row_id: int) -> None:
    db.execute(
        update(table).where(col(table.id) == row_id).values(id=row_id),
        execution_options={"synchronize_session": False},
    )


def join(
    db: Session,
    session: LiveSession | None,
    raw_name: str,
    team_id: int | None = None,
    language: str = "zh-CN",
    capacity: int | None = None,
) -> tuple[Participant, str]:
    """A new participant and their secret token (only its hash is stored); past `capacity`
    trainees the session is full: a clear answer instead of a slow room for everyone."""
    session = _require_joinable(session)
    if capacity is not None and count(db, session.id) >= capacity:
        raise ServiceError("join.error.full", status=503, max=capacity)
    display_name = clean_name(raw_name)
    if not display_name:
        raise ServiceError("join.error.name_empty")
    if len(display_name) > MAX_NAME_LENGTH:
        raise ServiceError("join.error.name_long", max=MAX_NAME_LENGTH)
    key = name_key(display_name)
    if _name_taken(db, session.id, key):
        raise ServiceError("join.error.name_taken", status=409)
    if team_id is not None and _team(db, session.id, team_id) is None:
        team_id = None
    token = codes.new_token()
    participant = Participant(
        session_id=session.id,
        display_name=display_name,
        name_key=key,
        token_hash=codes.token_hash(token),
        rejoin_code=_free_rejoin_code(db, session.id),
        team_id=team_id,
        language=language,
    )
    db.add(participant)
    try:
        db.commit()
    except IntegrityError:  # the same name, joined a moment ago from another phone
        db.rollback()
        raise ServiceError("join.error.name_taken", status=409) from None
    db.refresh(participant)
    return participant, token


def reclaim(db: Session, session: LiveSession | None, rejoin_code: str) -> tuple[Participant, str]:
    """Move a participant to a new device; the old device's token stops working."""
    if session is None:
        raise ServiceError("join.error.no_session", status=404)
    if session.status == "ended":
        raise ServiceError("join.error.ended", status=409)
    code = (rejoin_code or "").strip().upper()
    participant = db.exec(
        select(Participant).where(Participant.session_id == session.id, Participant.rejoin_code == code)
    ).first()
    if participant is None or not code:
        raise ServiceError("join.error.rejoin_code")
    token = codes.new_token()
    participant.moved_from_hash, participant.moved_at = participant.token_hash, utcnow()
    participant.token_hash = codes.token_hash(token)
    db.add(participant)
    db.commit()
    return participant, token


def moved_away(db: Session, session_id: int, token: str | None) -> Participant | None:
    """The seat this browser held in the session until it moved to another device (its rejoin
    code used there), if that is why its token no longer works."""
    if not token:
        return None
    query = select(Participant).where(
        Participant.session_id == session_id, Participant.moved_from_hash == codes.token_hash(token)
    )
    return db.exec(query).first()


def seated(
    db: Session, session_query: SelectOfScalar[LiveSession], tokens: dict[int, str]
) -> tuple[LiveSession, Participant] | None:
    """The session `session_query` picks and the trainee whose seat token for it this browser
    holds, in one statement (every trainee request starts here)."""
    hashes = [codes.token_hash(token) for token in tokens.values() if token]
    if not hashes:
        return None
    pick = session_query.with_only_columns(col(LiveSession.id)).limit(1).scalar_subquery()
    query = (
        select(LiveSession, Participant)
        .join(Participant, col(Participant.session_id) == col(LiveSession.id))
        .where(col(LiveSession.id) == pick, col(Participant.token_hash).in_(hashes))
    )
    for session, participant in db.exec(query):
        token = tokens.get(session.id)
        if token and codes.token_hash(token) == participant.token_hash:  # that session's cookie
            return session, participant
    return None


def by_token(db: Session, session_id: int, token: str | None) -> Participant | None:
    if not token:
        return None
    return db.exec(
        select(Participant).where(
            Participant.session_id == session_id, Participant.token_hash == codes.token_hash(token)
        )
    ).first()


def roster(db: Session, session_id: int) -> list[Participant]:
    query = select(Participant).where(Participant.session_id == session_id)
    return list(db.exec(query.order_by(col(Participant.id))))


def some(db: Session, session_id: int, ids: set[int]) -> list[Participant]:
    if not ids:
        return []
    query = select(Participant).where(Participant.session_id == session_id, col(Participant.id).in_(ids))
    return list(db.exec(query))


def newest(db: Session, session_id: int, limit: int) -> list[Participant]:
    query = select(Participant).where(Participant.session_id == session_id)
    return list(db.exec(query.order_by(col(Participant.id).desc()).limit(limit)))


def count(db: Session, session_id: int) -> int:
    query = select(func.count()).select_from(Participant).where(Participant.session_id == session_id)
    return db.exec(query).one()


def set_language(db: Session, participant: Participant, language: str) -> None:
    participant.language = language
    db.add(participant)
    db.commit()


def _require_joinable(session: LiveSession | None) -> LiveSession:
    if session is None:
        raise ServiceError("join.error.no_session", status=404)
    if session.status == "ended":
        raise ServiceError("join.error.ended", status=409)
    if session.locked:
        raise ServiceError("join.error.locked", status=423)
    return session


def _name_taken(db: Session, session_id: int, key: str) -> bool:
    return (
        db.exec(
            select(Participant.id).where(Participant.session_id == session_id, Participant.name_key == key)
        ).first()
        is not None
    )


def _free_rejoin_code(db: Session, session_id: int) -> str:
    used = set(db.exec(select(Participant.rejoin_code).where(Participant.session_id == session_id)))
    code = codes.rejoin_code()
    while code in used:
        code = codes.rejoin_code()
    return code


def _team(db: Session, session_id: int, team_id: int) -> Team | None:
    team = db.get(Team, team_id)
    return team if team is not None and team.session_id == session_id else None

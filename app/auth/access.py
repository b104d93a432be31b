"""Who runs a session: its owner (the facilitator who opened it), the co-facilitators the owner
added, and administrators. Everyone else is told the session does not exist, so session ids
reveal nothing."""

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, or_, select

from app.errors import ServiceError
from app.models import CoFacilitator, Facilitator, LiveSession


def may_run(db: Session, facilitator: Facilitator, session_id: int) -> bool:
    """The owner, a co-facilitator or an administrator (of a session that exists)."""
    session = db.get(LiveSession, session_id)
    if session is None:
        return False
    return may_manage(facilitator, session) or _is_co(db, session_id, facilitator.id)


def may_manage(facilitator: Facilitator, session: LiveSession) -> bool:
    """Adding co-facilitators and erasing the session's personal data: the owner, an administrator."""
    return facilitator.is_admin or session.created_by == facilitator.id


def require_manager(facilitator: Facilitator, session: LiveSession) -> None:
    if not may_manage(facilitator, session):
        raise ServiceError("access.error.owner_only", status=403)


def sessions_of(db: Session, facilitator: Facilitator, limit: int = 20) -> list[LiveSession]:
    """The latest sessions this facilitator runs (every session for an administrator)."""
    query = select(LiveSession).order_by(col(LiveSession.id).desc()).limit(limit)
    if not facilitator.is_admin:
        co = select(CoFacilitator.session_id).where(CoFacilitator.facilitator_id == facilitator.id)
        query = query.where(or_(col(LiveSession.created_by) == facilitator.id, col(LiveSession.id).in_(co)))
    return list(db.exec(query))


def cofacilitators(db: Session, session_id: int) -> list[Facilitator]:
    query = (
        select(Facilitator)
        .join(CoFacilitator, col(CoFacilitator.facilitator_id) == col(Facilitator.id))
        .where(CoFacilitator.session_id == session_id)
        .order_by(col(Facilitator.username))
    )
    return list(db.exec(query))


def add_cofacilitator(db: Session, session: LiveSession, username: str) -> Facilitator:
    """Add an account by its username (adding the owner, or someone twice, is no change)."""
    found = db.exec(select(Facilitator).where(Facilitator.username == username.strip())).first()
    if found is None:
        raise ServiceError("access.error.no_such_account", username=username.strip())
    if found.id != session.created_by and not _is_co(db, session.id, found.id):
        db.add(CoFacilitator(session_id=session.id, facilitator_id=found.id))
        try:
            db.commit()
        except IntegrityError:  # added twice at once
            db.rollback()
    return found


def remove_cofacilitator(db: Session, session_id: int, facilitator_id: int) -> None:
    found = db.exec(
        select(CoFacilitator).where(
            CoFacilitator.session_id == session_id, CoFacilitator.facilitator_id == facilitator_id
        )
    ).first()
    if found is not None:
        db.delete(found)
        db.commit()


def _is_co(db: Session, session_id: int, facilitator_id: int) -> bool:
    query = select(CoFacilitator.id).where(
        CoFacilitator.session_id == session_id, CoFacilitator.facilitator_id == facilitator_id
    )
    return db.exec(query).first() is not None

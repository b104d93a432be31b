"""Facilitators' logins, kept by the server: the cookie holds a random token (only its hash is
stored), so logging out, a new password or "log out everywhere" ends a login for good, however
often its cookie was copied."""

from datetime import timedelta

from sqlalchemy import delete
from sqlmodel import Session, col, select

from app.live.codes import new_token, token_hash
from app.models import Facilitator, Login, utcnow

LIFETIME = timedelta(days=14)  # a course of a day or two, and the days of exports after it


def open_login(db: Session, facilitator: Facilitator) -> str:
    """A new login for this facilitator; returns the token for the cookie."""
    token = new_token()
    now = utcnow()
    db.add(
        Login(
            facilitator_id=facilitator.id,
            token_hash=token_hash(token),
            created_at=now,
            expires_at=now + LIFETIME,
        )
    )
    _forget_expired(db, facilitator.id)
    db.commit()
    return token


def facilitator_of(db: Session, token: object) -> Facilitator | None:
    """The facilitator a cookie's token is a live login of, if any."""
    if not isinstance(token, str) or not token:
        return None
    query = (
        select(Facilitator)
        .join(Login, col(Login.facilitator_id) == col(Facilitator.id))
        .where(Login.token_hash == token_hash(token), col(Login.expires_at) > utcnow())
    )
    return db.exec(query).first()


def end(db: Session, token: object) -> None:
    """Log this login out (an unknown token is no change)."""
    if isinstance(token, str):
        db.execute(delete(Login).where(col(Login.token_hash) == token_hash(token)))
        db.commit()


def end_all(db: Session, facilitator_id: int) -> int:
    """End every login of this facilitator; how many ended."""
    ended = db.execute(delete(Login).where(col(Login.facilitator_id) == facilitator_id)).rowcount
    db.commit()
    return ended


def _forget_expired(db: Session, facilitator_id: int) -> None:
    db.execute(
        delete(Login).where(col(Login.facilitator_id) == facilitator_id, col(Login.expires_at) <= utcnow())
    )

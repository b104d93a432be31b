"""Facilitator accounts: argon2 password hashes, never the password itself."""

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app.auth import logins
from app.errors import ServiceError
from app.models import Facilitator

_hasher = PasswordHasher()
MIN_PASSWORD = 8


@cache
def _dummy_hash() -> str:
    """What an unknown name is verified against, so a wrong username is as slow as a wrong
    password. Made on the first login, not at import: it costs a tenth of a second."""
    return _hasher.hash("not-a-real-password")


def create(db: Session, username: str, password: str, admin: bool = False) -> Facilitator:
    """A facilitator account; an administrator sees and runs every session."""
    username = username.strip()
    if not username or len(username) > 64:
        raise ServiceError("auth.error.username")
    if len(password) < MIN_PASSWORD:
        raise ServiceError("auth.error.password_short", min=MIN_PASSWORD)
    facilitator = Facilitator(username=username, password_hash=_hasher.hash(password), is_admin=admin)
    db.add(facilitator)
    try:
        db.commit()
    except IntegrityError:
        db.rollback()
        raise ServiceError("auth.error.username_taken", status=409) from None
    db.refresh(facilitator)
    return facilitator


def set_password(db: Session, username: str, password: str) -> Facilitator:
    """A new password ends every login of the account."""
    facilitator = db.exec(select(Facilitator).where(Facilitator.username == username)).first()
    if facilitator is None:
        raise ServiceError("error.not_found", status=404)
    if len(password) < MIN_PASSWORD:
        raise ServiceError("auth.error.password_short", min=MIN_PASSWORD)
    facilitator.password_hash = _hasher.hash(password)
    db.add(facilitator)
    db.commit()
    logins.end_all(db, facilitator.id)
    return facilitator


def authenticate(db: Session, username: str, password: str) -> Facilitator | None:
    facilitator = db.exec(select(Facilitator).where(Facilitator.username == username.strip())).first()
    try:
        _hasher.verify(facilitator.password_hash if facilitator else _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return None
    return facilitator


def count(db: Session) -> int:
    return len(db.exec(select(Facilitator.id)).all())

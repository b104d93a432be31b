"""Signed take-home links: a trainee's report behind a plain GET link that says whose it is and
expires. WeChat's in-app browser cannot download a file, and the browser or computer the trainee
opens the link in instead holds no seat cookie: the link itself must be the key."""

from dataclasses import dataclass

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner

from app.errors import ServiceError

SALT = "take-home-report"  # a signature made for something else never opens a report
LIFETIME_HOURS = 24  # the day itself and the evening after it, then a new link from the app


@dataclass(frozen=True)
class Holder:
    session_id: int
    participant_id: int


def sign(secret: str, session_id: int, participant_id: int) -> str:
    return TimestampSigner(secret, salt=SALT).sign(f"{session_id}-{participant_id}").decode()


def read(secret: str, token: str) -> Holder:
    """Whose report the link opens; an old link is told apart from a broken one, so the person
    knows to fetch a new one from the app."""
    try:
        value = TimestampSigner(secret, salt=SALT).unsign(token, max_age=LIFETIME_HOURS * 3600)
    except SignatureExpired as expired:
        raise ServiceError("takehome.error.expired", status=410, hours=LIFETIME_HOURS) from expired
    except BadSignature as broken:
        raise ServiceError("takehome.error.invalid", status=404) from broken
    session_id, participant_id = value.decode().split("-")  # what this server signed
    return Holder(int(session_id), int(participant_id))

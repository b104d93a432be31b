"""Trainees' answers, stored the same way for every activity kind (a core service for kinds)."""

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, func, select

from app.models import Response, utcnow


def save(db: Session, session_id: int, activity_id: str, participant_id: int, value: dict,
         item: str = "") -> Response:
    """Insert or replace this participant's answer to this item."""
    response = _get(db, session_id, activity_id, participant_id, item)
    if response is None:
        response = Response(session_id=session_id, activity_id=activity_id,
                            participant_id=participant_id, item=item, value=value)
        db.add(response)
        try:
            db.commit()
            return response
        except IntegrityError:  # the same answer arrived twice at once: keep one row
            db.rollback()
            response = _get(db, session_id, activity_id, participant_id, item)
    response.value, response.updated_at = value, utcnow()
    db.add(response)
    db.commit()
    return response


def mine(db: Session, session_id: int, activity_id: str, participant_id: int) -> dict[str, dict]:
    """This participant's answers by item."""
    query = select(Response).where(Response.session_id == session_id,
                                   Response.activity_id == activity_id,
                                   Response.participant_id == participant_id)
    return {r.item: r.value for r in db.exec(query)}


def every(db: Session, session_id: int, activity_id: str, item: str | None = None) -> list[Response]:
    query = select(Response).where(Response.session_id == session_id,
                                   Response.activity_id == activity_id)
    if item is not None:
        query = query.where(Response.item == item)
    return list(db.exec(query))


def respondent_ids(db: Session, session_id: int, activity_id: str) -> set[int]:
    query = select(Response.participant_id).distinct().where(
        Response.session_id == session_id, Response.activity_id == activity_id)
    return set(db.exec(query))


def respondents(db: Session, session_id: int, activity_id: str) -> int:
    query = select(func.count(func.distinct(Response.participant_id))).where(
        Response.session_id == session_id, Response.activity_id == activity_id)
    return db.exec(query).one()


def _get(db: Session, session_id: int, activity_id: str, participant_id: int,
         item: str) -> Response | None:
    return db.exec(select(Response).where(
        Response.session_id == session_id, Response.activity_id == activity_id,
        Response.participant_id == participant_id, Response.item == item)).first()

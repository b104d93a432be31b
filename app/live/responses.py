"""Trainees' answers, stored the same way for every activity kind (a core service for kinds)."""

from collections.abc import Callable
from datetime import datetime
from functools import partial

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, func, select

from app.models import Response, utcnow


def save(
    db: Session, session_id: int, activity_id: str, participant_id: int, value: dict, item: str = ""
) -> None:
    """Insert or replace this participant's answer to this item: one statement, atomic, so two
    taps at once keep one row and neither fails."""
    row = {
        "session_id": session_id,
        "activity_id": activity_id,
        "participant_id": participant_id,
        "item": item,
        "value": value,
        "updated_at": utcnow(),
    }
    insert = _upsert_of(db)(Response).values(row)
    db.exec(
        insert.on_conflict_do_update(
            index_elements=["session_id", "activity_id", "participant_id", "item"],
            set_={"value": insert.excluded.value, "updated_at": insert.excluded.updated_at},
        )
    )
    db.commit()


def _upsert_of(db: Session) -> Callable[..., sqlite.Insert | postgresql.Insert]:
    """The database's own INSERT, which has ON CONFLICT DO UPDATE (SQLite and PostgreSQL)."""
    return sqlite.insert if db.get_bind().dialect.name == "sqlite" else postgresql.insert


def mine(db: Session, session_id: int, activity_id: str, participant_id: int) -> dict[str, dict]:
    """This participant's answers by item."""
    query = select(Response).where(
        Response.session_id == session_id,
        Response.activity_id == activity_id,
        Response.participant_id == participant_id,
    )
    return {r.item: r.value for r in db.exec(query)}


def mine_here(ctx) -> dict[str, dict]:
    """The answers of a kind's context's trainee (a ViewContext, an ActionContext) to its
    activity, by item; {} for a view without a trainee (the screen, the control page). The own
    parts of trainees rendered together (ViewContext.batch) read their answers in one query."""
    if ctx.participant is None:
        return {}
    alone = partial(mine, ctx.db, ctx.session.id, ctx.activity.id, ctx.participant.id)
    if not hasattr(ctx, "mine"):  # an action's context: the answers as they are now
        return alone()
    room = partial(of_participants, ctx.db, ctx.session.id, ctx.activity.id, ctx.batch)
    return ctx.mine("answers", room, alone, {})


def every(db: Session, session_id: int, activity_id: str, item: str | None = None) -> list[Response]:
    query = select(Response).where(Response.session_id == session_id, Response.activity_id == activity_id)
    if item is not None:
        query = query.where(Response.item == item)
    return list(db.exec(query))


def stamps(db: Session, session_id: int, activity_id: str) -> dict[int, tuple[int, datetime]]:
    """Per participant: how many items they answered and when they last changed one; a cheap
    way to tell whose answers changed since they were last read."""
    query = (
        select(Response.participant_id, func.count(), func.max(Response.updated_at))
        .where(
            Response.session_id == session_id,
            Response.activity_id == activity_id,
        )
        .group_by(col(Response.participant_id))
    )
    return {pid: (count, latest) for pid, count, latest in db.exec(query)}


def of_participants(
    db: Session, session_id: int, activity_id: str, ids: set[int]
) -> dict[int, dict[str, dict]]:
    """These participants' answers: participant id → item → value."""
    found: dict[int, dict[str, dict]] = {pid: {} for pid in ids}
    if ids:
        query = select(Response).where(
            Response.session_id == session_id,
            Response.activity_id == activity_id,
            col(Response.participant_id).in_(ids),
        )
        for row in db.exec(query):
            found[row.participant_id][row.item] = row.value
    return found


def respondent_ids(db: Session, session_id: int, activity_id: str) -> set[int]:
    query = (
        select(Response.participant_id)
        .distinct()
        .where(Response.session_id == session_id, Response.activity_id == activity_id)
    )
    return set(db.exec(query))


def respondents(db: Session, session_id: int, activity_id: str) -> int:
    query = select(func.count(func.distinct(Response.participant_id))).where(
        Response.session_id == session_id, Response.activity_id == activity_id
    )
    return db.exec(query).one()

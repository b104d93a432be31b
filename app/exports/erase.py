"""Deleting a session's personal data once it is exported: trainees give a display name only,
and the facilitator can remove even that, with everything they wrote, after the day.

Every row that belongs to the session goes: rows of any table with a foreign key to the session,
and rows pointing at such rows (a plan's restore points, a team's answers...), found from the
tables' foreign keys so a table added later is covered. Children are deleted before their
parents, so foreign keys hold on SQLite and PostgreSQL alike. The session row itself stays,
ended, so the session list still shows it ran."""

from sqlalchemy import ColumnElement, MetaData, Table, or_, select
from sqlmodel import Session, SQLModel

import app.customers.models  # noqa: F401 — every table must be known to the metadata
import app.plans.models  # noqa: F401
import app.points.models  # noqa: F401
from app.live import sessions
from app.models import LiveSession, utcnow

ROOT = LiveSession.__tablename__


def erase_personal_data(db: Session, session_id: int) -> dict[str, int]:
    """Delete the session's rows everywhere and end it; returns rows deleted per table."""
    session = sessions.get(db, session_id)
    owned = ownership(SQLModel.metadata, session_id)
    deleted = {}
    for table in reversed(SQLModel.metadata.sorted_tables):
        if table.name in owned:
            deleted[table.name] = db.exec(table.delete().where(owned[table.name])).rowcount
    if session.status != "ended":
        session.status, session.ended_at = "ended", utcnow()
    session.paused, session.current_activity = False, None
    db.add(session)
    db.commit()
    return deleted


def ownership(metadata: MetaData, session_id: int) -> dict[str, ColumnElement[bool]]:
    """Table name → the condition selecting its rows that belong to the session. Parents come
    first in `sorted_tables`, so a child's condition can use its parent's."""
    owned: dict[str, ColumnElement[bool]] = {}
    for table in metadata.sorted_tables:
        if table.name != ROOT and (parts := _links(table, owned, session_id)):
            owned[table.name] = or_(*parts)
    return owned


def _links(table: Table, owned: dict[str, ColumnElement[bool]], session_id: int) -> list:
    parts = []
    for key in table.foreign_keys:
        target = key.column.table
        if target.name == ROOT:
            parts.append(key.parent == session_id)
        elif target.name in owned:
            parts.append(key.parent.in_(select(key.column).where(owned[target.name])))
    column = table.c.get("session_id")
    if column is not None and not column.foreign_keys:  # a session column without a declared key
        parts.append(column == session_id)
    return parts

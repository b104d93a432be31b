"""The points ledger: rows are only ever added; a correction is a new row with negative points."""

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models import utcnow


class PointsEntry(SQLModel, table=True):
    # One award per idempotency key: a retried or duplicated submission scores once. Totals
    # per trainee are summed through the second index (without it SQLite scanned every row of
    # the session per trainee: 277 ms for a room of 1,000).
    __table_args__ = (
        UniqueConstraint("session_id", "key"),
        Index("ix_pointsentry_session_participant", "session_id", "participant_id"),
    )
    id: int = Field(default=None, primary_key=True)  # set by the database on insert
    session_id: int = Field(foreign_key="livesession.id", index=True)
    participant_id: int | None = Field(default=None, foreign_key="participant.id", index=True)
    # The team at award time, so moving a person later leaves their old points where they were
    # earned; a team deleted by auto-balance keeps its rows (for the individual totals) with NULL.
    team_id: int | None = Field(default=None, foreign_key="team.id", ondelete="SET NULL", index=True)
    activity_id: str = Field(max_length=64)
    reason: str = Field(max_length=64)  # a catalogue-like key, e.g. "quiz.correct"
    points: int
    key: str = Field(max_length=128)
    created_at: datetime = Field(default_factory=utcnow)


class EarnedBadge(SQLModel, table=True):
    """A badge a trainee has earned in a session (badges are defined in the course content)."""

    __table_args__ = (UniqueConstraint("session_id", "participant_id", "badge_id"),)
    id: int = Field(default=None, primary_key=True)  # set by the database on insert
    session_id: int = Field(foreign_key="livesession.id", index=True)
    participant_id: int = Field(foreign_key="participant.id")
    badge_id: str = Field(max_length=64)
    earned_at: datetime = Field(default_factory=utcnow)

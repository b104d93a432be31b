"""Plan tables: the current text of each plan, its restore points, and the room's feedback."""

from datetime import datetime

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models import utcnow


class Plan(SQLModel, table=True):
    """One trainee's plan for one of their key accounts. `version` goes up by one with every
    accepted save; `device` and `seq` say which page wrote it and its how-manyth save."""

    __table_args__ = (UniqueConstraint("session_id", "participant_id", "customer"),)
    id: int = Field(default=None, primary_key=True)  # set by the database on insert
    session_id: int = Field(foreign_key="livesession.id", index=True)
    participant_id: int = Field(foreign_key="participant.id", index=True)
    customer: str = Field(max_length=12)  # a code or initials, upper case
    body: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    version: int = 1
    device: str = Field(default="", max_length=32)
    seq: int = 0
    # How complete the current text is, kept with it so the room's progress reads no bodies.
    percent: int = 0
    sections: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    restore_point_at: datetime | None = None  # when the text was last kept as a restore point
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class PlanRevision(SQLModel, table=True):
    """A restore point: the plan as it stood when a save came a minute or more after the
    previous restore point, a text that lost a conflict, or the text a restore brought back."""

    id: int = Field(default=None, primary_key=True)  # set by the database on insert
    plan_id: int = Field(foreign_key="plan.id", index=True, ondelete="CASCADE")
    version: int
    body: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    reason: str = Field(default="save", max_length=16)  # save | conflict | restore
    device: str = Field(default="", max_length=32)
    saved_at: datetime = Field(default_factory=utcnow)


class PlanFeedback(SQLModel, table=True):
    """One trainee's feedback on a presented plan: a strength, a suggestion and a 1–5 vote.
    Giving it again replaces it."""

    __table_args__ = (UniqueConstraint("plan_id", "participant_id"),)
    id: int = Field(default=None, primary_key=True)  # set by the database on insert
    session_id: int = Field(foreign_key="livesession.id", index=True)
    plan_id: int = Field(foreign_key="plan.id", index=True, ondelete="CASCADE")
    participant_id: int = Field(foreign_key="participant.id")
    strength: str = Field(default="", max_length=200)
    suggestion: str = Field(default="", max_length=200)
    vote: int = 0  # 1–5
    updated_at: datetime = Field(default_factory=utcnow)

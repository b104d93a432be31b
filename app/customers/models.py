"""A trainee's working hypothesis about one customer's thinking preference."""

from datetime import datetime

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models import utcnow


class CustomerHypothesis(SQLModel, table=True):
    """The latest hypothesis per trainee and customer: a new reading replaces the old one."""

    __table_args__ = (UniqueConstraint("session_id", "participant_id", "customer"),)
    id: int = Field(default=None, primary_key=True)  # set by the database on insert
    session_id: int = Field(foreign_key="livesession.id", index=True)
    participant_id: int = Field(foreign_key="participant.id", index=True)
    customer: str = Field(max_length=12)  # a code or initials, upper case
    style: str | None = Field(default=None, max_length=16)  # None: the cues point several ways
    confidence: str = Field(max_length=8)  # low | medium | high
    cues: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    activity_id: str = Field(max_length=64)  # where it was made
    updated_at: datetime = Field(default_factory=utcnow)


class OwnCustomer(SQLModel, table=True):
    """A customer from a trainee's own territory, known by a code: the trainee's weights, scores,
    grid cell and key-account choice for them. The plan workspace starts from these."""

    __table_args__ = (UniqueConstraint("session_id", "participant_id", "customer"),)
    id: int = Field(default=None, primary_key=True)  # set by the database on insert
    session_id: int = Field(foreign_key="livesession.id", index=True)
    participant_id: int = Field(foreign_key="participant.id", index=True)
    customer: str = Field(max_length=12)  # a code or initials, upper case
    note: str = Field(default="", max_length=80)  # e.g. "三甲 内分泌科 主任" — no names
    stage: str = Field(max_length=32)  # a rung of the course's adoption ladder
    scores: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    segment: str | None = Field(default=None, max_length=16)  # "potential-adoption"
    key_account: bool = False
    reason: str = Field(default="", max_length=200)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

"""Tables. The database is the one source of truth for every view."""

from datetime import UTC, datetime

from sqlalchemy import Column, UniqueConstraint
from sqlalchemy.types import JSON
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """A stored moment, aware: SQLite gives back naive UTC datetimes."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class Facilitator(SQLModel, table=True):
    id: int = Field(default=None, primary_key=True)  # set by the database on insert
    username: str = Field(max_length=64, unique=True, index=True)
    password_hash: str = Field(max_length=255)
    created_at: datetime = Field(default_factory=utcnow)
    is_admin: bool = False  # sees and runs every session (the first account of a server is one)


class CoFacilitator(SQLModel, table=True):
    """A facilitator the session's owner added: runs the session as the owner does, but neither
    adds others nor erases its personal data."""

    __table_args__ = (UniqueConstraint("session_id", "facilitator_id"),)
    id: int = Field(default=None, primary_key=True)  # set by the database on insert
    session_id: int = Field(foreign_key="livesession.id", index=True, ondelete="CASCADE")
    facilitator_id: int = Field(foreign_key="facilitator.id", ondelete="CASCADE")


class Login(SQLModel, table=True):
    """A browser a facilitator logged in on. Its cookie holds a random token and says nothing by
    itself; the server keeps the token's hash, so a login can be ended: logging out, a new
    password or "log out everywhere" makes a copied cookie worthless."""

    id: int = Field(default=None, primary_key=True)  # set by the database on insert
    facilitator_id: int = Field(foreign_key="facilitator.id", index=True, ondelete="CASCADE")
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime


class LiveSession(SQLModel, table=True):
    """One live run (场次) of a course."""

    id: int = Field(default=None, primary_key=True)  # set by the database on insert
    course_id: str = Field(max_length=64)
    code: str = Field(max_length=6, index=True)  # unique among sessions not ended (service rule)
    status: str = Field(default="lobby", max_length=16)  # lobby | running | ended
    locked: bool = False
    paused: bool = False
    leaderboards_hidden: bool = False  # the facilitator may run the day without rankings
    current_activity: str | None = Field(default=None, max_length=64)
    screen_language: str = Field(default="zh-CN", max_length=8)
    created_by: int | None = Field(default=None, foreign_key="facilitator.id")
    created_at: datetime = Field(default_factory=utcnow)
    ended_at: datetime | None = None


class Team(SQLModel, table=True):
    id: int = Field(default=None, primary_key=True)  # set by the database on insert
    session_id: int = Field(foreign_key="livesession.id", index=True)
    name: str = Field(max_length=32)
    position: int = 0


class Participant(SQLModel, table=True):
    """A trainee (学员) in one session; identified by a random token kept in a cookie."""

    __table_args__ = (
        UniqueConstraint("session_id", "name_key"),
        UniqueConstraint("session_id", "rejoin_code"),
    )
    id: int = Field(default=None, primary_key=True)  # set by the database on insert
    session_id: int = Field(foreign_key="livesession.id", index=True)
    display_name: str = Field(max_length=64)
    name_key: str = Field(max_length=64)  # normalised name: one per session
    token_hash: str = Field(max_length=64, unique=True, index=True)
    rejoin_code: str = Field(max_length=8)
    team_id: int | None = Field(default=None, foreign_key="team.id")
    language: str = Field(default="zh-CN", max_length=8)
    joined_at: datetime = Field(default_factory=utcnow)
    # The seat's last move to another device (its rejoin code used): the device it left is told
    # when, so a holder whose code someone else used knows.
    moved_at: datetime | None = None
    moved_from_hash: str | None = Field(default=None, max_length=64, index=True)


class ActivityVisit(SQLModel, table=True):
    """A stretch of time an activity was on screen: elapsed time per unit is their sum."""

    id: int = Field(default=None, primary_key=True)  # set by the database on insert
    session_id: int = Field(foreign_key="livesession.id", index=True)
    activity_id: str = Field(max_length=64)
    opened_at: datetime = Field(default_factory=utcnow)
    closed_at: datetime | None = None


class ActivityState(SQLModel, table=True):
    """The phase of one activity in one session and any state its kind keeps."""

    __table_args__ = (UniqueConstraint("session_id", "activity_id"),)
    id: int = Field(default=None, primary_key=True)  # set by the database on insert
    session_id: int = Field(foreign_key="livesession.id", index=True)
    activity_id: str = Field(max_length=64)
    phase: str = Field(default="", max_length=32)
    data: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow)


class Response(SQLModel, table=True):
    """A trainee's answer to one item of an activity. One row per (participant, item): saving
    again replaces the answer, so a retried or double submit counts once."""

    __table_args__ = (UniqueConstraint("session_id", "activity_id", "participant_id", "item"),)
    id: int = Field(default=None, primary_key=True)  # set by the database on insert
    session_id: int = Field(foreign_key="livesession.id", index=True)
    activity_id: str = Field(max_length=64)
    participant_id: int = Field(foreign_key="participant.id")
    item: str = Field(default="", max_length=64)  # e.g. a question id; "" for one-item kinds
    value: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow)


class TeamAnswer(SQLModel, table=True):
    """A team's shared answer to one item (its weights, one card's scores...). Any member may
    change it; the latest change wins and records who made it. One row per (team, item)."""

    __table_args__ = (UniqueConstraint("session_id", "activity_id", "team_id", "item"),)
    id: int = Field(default=None, primary_key=True)  # set by the database on insert
    session_id: int = Field(foreign_key="livesession.id", index=True)
    activity_id: str = Field(max_length=64)
    team_id: int = Field(foreign_key="team.id", ondelete="CASCADE")
    item: str = Field(default="", max_length=64)
    value: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    participant_id: int | None = Field(default=None, foreign_key="participant.id", ondelete="SET NULL")
    updated_at: datetime = Field(default_factory=utcnow)

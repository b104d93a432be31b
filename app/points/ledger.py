"""The points service other features call: award once per key, then the team and individual boards.

Boards are summed by the database (GROUP BY), never by loading the ledger. Ranks are competition
ranks: ties share a rank and the next one skips (1, 1, 3).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from app.errors import ServiceError
from app.models import Participant, Team
from app.points.models import PointsEntry

MAX_POINTS = 10_000
MODES = ("sum", "average")


@dataclass(frozen=True)
class TeamScore:
    team_id: int
    name: str
    points: int | float  # a float in "average" mode
    rank: int


@dataclass(frozen=True)
class PersonScore:
    participant_id: int
    display_name: str
    points: int
    rank: int


@dataclass(frozen=True)
class PersonRank:
    rank: int
    points: int
    out_of: int  # everyone in the session, with or without points


@dataclass(frozen=True)
class Award:
    """Points to add once per (session, key): to a trainee (and the team they are in now, where
    the points then stay), or to a team."""

    activity_id: str
    reason: str
    points: int
    key: str
    participant_id: int | None = None
    team_id: int | None = None


def award(
    db: Session,
    session_id: int,
    *,
    activity_id: str,
    reason: str,
    points: int,
    key: str,
    participant_id: int | None = None,
    team_id: int | None = None,
) -> PointsEntry:
    """Add points once per (session, key); calling again with the same key returns the first row."""
    award_all(db, session_id, [Award(activity_id, reason, points, key, participant_id, team_id)])
    entry = _by_key(db, session_id, key)
    assert entry is not None  # just added, or added before
    return entry


def award_all(db: Session, session_id: int, awards: Iterable[Award]) -> int:
    """Add each award whose key is new, in one transaction and a few statements whatever their
    number (a reveal awards the whole room at once); returns how many were added."""
    by_key: dict[str, Award] = {}
    for a in awards:
        by_key.setdefault(a.key, a)  # a key given twice counts once, as first given
    wanted = list(by_key.values())
    for a in wanted:
        _check(a.activity_id, a.reason, a.points, a.key, a.participant_id, a.team_id)
    for attempt in range(3):
        have = _existing_keys(db, session_id, [a.key for a in wanted])
        new = [a for a in wanted if a.key not in have]
        if not new:
            return 0
        rows = [entry.model_dump(exclude={"id"}) for entry in _entries(db, session_id, new)]
        try:  # one statement for all (the ORM would insert them one by one to learn each id)
            db.execute(insert(PointsEntry), rows)
            db.commit()
            return len(new)
        except IntegrityError:  # a parallel reveal added some of the keys: leave those out
            db.rollback()
            if attempt == 2:
                raise
    return 0


def _existing_keys(db: Session, session_id: int, keys: list[str]) -> set[str]:
    query = select(PointsEntry.key).where(PointsEntry.session_id == session_id)
    return {key for chunk in _chunks(keys) for key in db.exec(query.where(col(PointsEntry.key).in_(chunk)))}


def _entries(db: Session, session_id: int, awards: list[Award]) -> list[PointsEntry]:
    """The rows to add, each trainee's points with the team they are in now; every trainee and
    team must be of this session."""
    people = {a.participant_id for a in awards if a.participant_id is not None}
    team_of = _of_session(db, Participant, session_id, people, col(Participant.team_id))
    teams = {a.team_id for a in awards if a.team_id is not None}
    _of_session(db, Team, session_id, teams | {t for t in team_of.values() if t is not None}, col(Team.id))
    return [
        PointsEntry(
            session_id=session_id,
            participant_id=a.participant_id,
            team_id=a.team_id
            if a.team_id is not None or a.participant_id is None
            else team_of[a.participant_id],
            activity_id=a.activity_id,
            reason=a.reason,
            points=a.points,
            key=a.key,
        )
        for a in awards
    ]


def _of_session(db: Session, table, session_id: int, ids: set[int], value) -> dict[int, Any]:
    """id -> value of these rows of the session's; ServiceError (404) if one is missing."""
    found: dict[int, Any] = {}
    for chunk in _chunks(sorted(ids)):
        query = select(table.id, value).where(table.session_id == session_id, col(table.id).in_(chunk))
        found.update(dict(db.exec(query).all()))
    if len(found) != len(ids):
        raise ServiceError("error.not_found", status=404)
    return found


def _chunks(values: list, size: int = 500) -> Iterable[list]:
    """Bounded IN lists (SQLite's parameter limit)."""
    return (values[start : start + size] for start in range(0, len(values), size))


def team_board(
    db: Session,
    session_id: int,
    *,
    activities: set[str] | None = None,
    mode: str = "sum",
    leaving_out: str | None = None,
) -> list[TeamScore]:
    """Every team of the session, best first. "average" divides by current members, so size does
    not win. `leaving_out` is a prefix of idempotency keys whose points do not count: the board
    as it stood before them (a quiz question's awards, to show how the order moved)."""
    if mode not in MODES:
        raise ValueError(f"unknown board mode {mode!r}")
    earned = _only(
        select(PointsEntry.team_id, func.sum(PointsEntry.points).label("total")).where(
            PointsEntry.session_id == session_id
        ),
        activities,
    )
    if leaving_out is not None:
        earned = earned.where(~col(PointsEntry.key).startswith(leaving_out, autoescape=True))
    earned = earned.group_by(PointsEntry.team_id).subquery()
    members = (
        select(Participant.team_id, func.count().label("size"))
        .where(Participant.session_id == session_id)
        .group_by(Participant.team_id)
        .subquery()
    )
    query = (
        select(Team.id, Team.name, func.coalesce(earned.c.total, 0), func.coalesce(members.c.size, 0))
        .outerjoin(earned, earned.c.team_id == Team.id)
        .outerjoin(members, members.c.team_id == Team.id)
        .where(Team.session_id == session_id)
        .order_by(col(Team.position), col(Team.id))
    )
    rows = [
        (team_id, name, total if mode == "sum" else (total / size if size else 0.0))
        for team_id, name, total, size in db.exec(query)
    ]
    rows.sort(key=lambda row: -row[2])  # stable: tied teams keep their screen order
    return [TeamScore(*row) for row in _ranked(rows)]


def individual_top(
    db: Session, session_id: int, n: int = 5, activities: set[str] | None = None
) -> list[PersonScore]:
    """The top few only: a full public list would discourage those at the bottom."""
    totals, points = _totals(session_id, activities)
    rows = db.exec(totals.order_by(points.desc(), col(Participant.id)).limit(max(n, 0))).all()
    return [PersonScore(*row) for row in _ranked(rows)]


def rank_of(
    db: Session, session_id: int, participant_id: int, activities: set[str] | None = None
) -> PersonRank:
    ranked = _ranks(session_id, activities)
    row = db.exec(
        select(ranked.c.rank, ranked.c.points, ranked.c.out_of).where(ranked.c.id == participant_id)
    ).first()
    if row is None:
        raise ServiceError("error.not_found", status=404)
    return PersonRank(rank=row[0], points=row[1], out_of=row[2])


def standings(db: Session, session_id: int, activities: set[str] | None = None) -> dict[int, PersonRank]:
    """Everyone's points and rank (for the day, or those activities), in one query."""
    ranked = _ranks(session_id, activities)
    rows = db.exec(select(ranked.c.id, ranked.c.rank, ranked.c.points, ranked.c.out_of))
    return {pid: PersonRank(rank=rank, points=points, out_of=out_of) for pid, rank, points, out_of in rows}


def points_of(db: Session, session_id: int, participant_id: int, activities: set[str] | None = None) -> int:
    """One trainee's points (for the day, or those activities), without ranking the room."""
    query = _only(
        select(func.coalesce(func.sum(PointsEntry.points), 0)).where(
            PointsEntry.session_id == session_id, PointsEntry.participant_id == participant_id
        ),
        activities,
    )
    return db.exec(query).one()


def _ranks(session_id: int, activities: set[str] | None):
    totals = _totals(session_id, activities)[0].subquery()
    return select(
        totals.c.id,
        totals.c.points,
        func.rank().over(order_by=totals.c.points.desc()).label("rank"),
        func.count().over().label("out_of"),
    ).subquery()


def history(db: Session, session_id: int, participant_id: int) -> list[PointsEntry]:
    query = select(PointsEntry).where(
        PointsEntry.session_id == session_id, PointsEntry.participant_id == participant_id
    )
    return list(db.exec(query.order_by(col(PointsEntry.id))))


def count_by_participant(
    db: Session, session_id: int, reason: str, participant_id: int | None = None
) -> dict[int, int]:
    """How many awards for `reason` each trainee (or this one) has."""
    query = select(PointsEntry.participant_id, func.count()).where(
        PointsEntry.session_id == session_id, PointsEntry.reason == reason
    )
    if participant_id is not None:
        query = query.where(PointsEntry.participant_id == participant_id)
    return dict(db.exec(query.group_by(col(PointsEntry.participant_id))).all())


def keys_of(db: Session, session_id: int, reason: str) -> set[str]:
    """The keys of every award for `reason` (which of the room's plans were rated best...)."""
    query = select(PointsEntry.key).where(PointsEntry.session_id == session_id, PointsEntry.reason == reason)
    return set(db.exec(query))


def awarded(db: Session, session_id: int, key: str) -> bool:
    """Points with this key were given already (an award that must happen once)."""
    return _by_key(db, session_id, key) is not None


def _by_key(db: Session, session_id: int, key: str) -> PointsEntry | None:
    return db.exec(
        select(PointsEntry).where(PointsEntry.session_id == session_id, PointsEntry.key == key)
    ).first()


def _check(
    activity_id: str, reason: str, points: int, key: str, participant_id: int | None, team_id: int | None
) -> None:
    # Checked here, not left to the database: SQLite would store an over-long string PostgreSQL refuses.
    if (
        abs(points) > MAX_POINTS
        or not 0 < len(key) <= 128
        or not 0 < len(activity_id) <= 64
        or not 0 < len(reason) <= 64
        or (participant_id is None and team_id is None)
    ):
        raise ServiceError("error.bad_request")


def _only(query, activities: Iterable[str] | None):
    return query if activities is None else query.where(col(PointsEntry.activity_id).in_(sorted(activities)))


def _totals(session_id: int, activities: set[str] | None):
    """Everyone's total (0 without points) and the total's expression, to order by."""
    on = and_(PointsEntry.participant_id == Participant.id, PointsEntry.session_id == session_id)
    if activities is not None:  # in the join, not the WHERE: people without points must stay
        on = and_(on, col(PointsEntry.activity_id).in_(sorted(activities)))
    points = func.coalesce(func.sum(PointsEntry.points), 0)
    query = (
        select(Participant.id, Participant.display_name, points.label("points"))
        .outerjoin(PointsEntry, on)
        .where(Participant.session_id == session_id)
        .group_by(Participant.id, Participant.display_name)
    )
    return query, points


def _ranked(rows: list) -> list[tuple]:
    """Rows sorted best first, score last, each with its competition rank appended."""
    ranked: list[tuple] = []
    for index, row in enumerate(rows):
        tied = index > 0 and row[-1] == rows[index - 1][-1]
        ranked.append((*row, ranked[-1][-1] if tied else index + 1))
    return ranked

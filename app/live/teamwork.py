"""Teams' shared answers (a core service for kinds where a team works on one thing together)."""

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.models import Participant, TeamAnswer, utcnow


def save(
    db: Session,
    session_id: int,
    activity_id: str,
    team_id: int,
    item: str,
    value: dict,
    participant_id: int | None,
) -> TeamAnswer:
    """Insert or replace the team's answer to this item; `participant_id` made the change."""
    answer = _get(db, session_id, activity_id, team_id, item)
    if answer is None:
        answer = TeamAnswer(session_id=session_id, activity_id=activity_id, team_id=team_id, item=item)
        db.add(answer)
        try:
            db.flush()
        except IntegrityError:  # a teammate saved the same item at the same moment
            db.rollback()
            answer = _get(db, session_id, activity_id, team_id, item)
            assert answer is not None  # the teammate's row, which the insert collided with
    answer.value, answer.participant_id, answer.updated_at = value, participant_id, utcnow()
    db.add(answer)
    db.commit()
    return answer


def of_team(db: Session, session_id: int, activity_id: str, team_id: int) -> dict[str, dict]:
    """The team's answers by item."""
    query = select(TeamAnswer).where(
        TeamAnswer.session_id == session_id,
        TeamAnswer.activity_id == activity_id,
        TeamAnswer.team_id == team_id,
    )
    return {a.item: a.value for a in db.exec(query)}


def every(db: Session, session_id: int, activity_id: str) -> dict[int, dict[str, dict]]:
    """Every team's answers: team id → item → value."""
    query = select(TeamAnswer).where(
        TeamAnswer.session_id == session_id, TeamAnswer.activity_id == activity_id
    )
    teams: dict[int, dict[str, dict]] = {}
    for answer in db.exec(query):
        teams.setdefault(answer.team_id, {})[answer.item] = answer.value
    return teams


def captain(db: Session, session_id: int, team_id: int) -> int | None:
    """The team's captain: its earliest member to join (so every member can tell who it is)."""
    query = (
        select(Participant.id)
        .where(Participant.session_id == session_id, Participant.team_id == team_id)
        .order_by(col(Participant.id))
    )
    return db.exec(query.limit(1)).first()


def members(db: Session, session_id: int, team_id: int) -> list[int]:
    query = select(Participant.id).where(Participant.session_id == session_id, Participant.team_id == team_id)
    return list(db.exec(query))


def rosters(db: Session, session_id: int) -> dict[int, list[int]]:
    """Every team's members (team id → participant ids), in one query."""
    query = select(Participant.team_id, Participant.id).where(
        Participant.session_id == session_id, col(Participant.team_id).is_not(None)
    )
    teams: dict[int, list[int]] = {}
    for team_id, participant_id in db.exec(query.order_by(col(Participant.id))):
        if team_id is not None:  # always, by the query: said for the type checker
            teams.setdefault(team_id, []).append(participant_id)
    return teams


def _get(db: Session, session_id: int, activity_id: str, team_id: int, item: str) -> TeamAnswer | None:
    return db.exec(
        select(TeamAnswer).where(
            TeamAnswer.session_id == session_id,
            TeamAnswer.activity_id == activity_id,
            TeamAnswer.team_id == team_id,
            TeamAnswer.item == item,
        )
    ).first()

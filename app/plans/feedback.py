"""The room's feedback on a presented plan: a strength, a suggestion and a 1–5 vote each, and
which plans the room rated best (they earn points and a badge when the facilitator awards)."""

from dataclasses import dataclass
from statistics import mean

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.errors import ServiceError
from app.models import utcnow
from app.plans.models import Plan, PlanFeedback

MIN_VOTES_TO_WIN = 2


def give(
    db: Session, plan: Plan, participant_id: int, strength: str, suggestion: str, vote: int
) -> PlanFeedback:
    """Record (or replace) one trainee's feedback; nobody rates their own plan."""
    if plan.participant_id == participant_id:
        raise ServiceError("plan.error.own_plan", status=409)
    if vote not in range(1, 6):
        raise ServiceError("plan.error.vote")
    row = mine(db, plan.id, participant_id) or PlanFeedback(
        session_id=plan.session_id, plan_id=plan.id, participant_id=participant_id
    )
    row.strength, row.suggestion, row.vote = strength.strip(), suggestion.strip(), vote
    row.updated_at = utcnow()
    db.add(row)
    try:
        db.commit()
    except IntegrityError:  # a double tap: the first landed a moment ago; this one replaces it
        db.rollback()
        return give(db, plan, participant_id, strength, suggestion, vote)
    return row


def mine(db: Session, plan_id: int, participant_id: int) -> PlanFeedback | None:
    return db.exec(
        select(PlanFeedback).where(
            PlanFeedback.plan_id == plan_id, PlanFeedback.participant_id == participant_id
        )
    ).first()


def of_plan(db: Session, plan_id: int) -> list[PlanFeedback]:
    return list(
        db.exec(select(PlanFeedback).where(PlanFeedback.plan_id == plan_id).order_by(col(PlanFeedback.id)))
    )


def of_session(db: Session, session_id: int) -> list[PlanFeedback]:
    return list(
        db.exec(
            select(PlanFeedback)
            .where(PlanFeedback.session_id == session_id)
            .order_by(col(PlanFeedback.plan_id), col(PlanFeedback.id))
        )
    )


@dataclass(frozen=True)
class Rating:
    plan_id: int
    votes: int
    average: float


def ratings(db: Session, session_id: int) -> list[Rating]:
    """Every rated plan, best average first (more votes first on a tie)."""
    votes: dict[int, list[int]] = {}
    for row in of_session(db, session_id):
        votes.setdefault(row.plan_id, []).append(row.vote)
    found = [Rating(plan_id, len(v), round(mean(v), 2)) for plan_id, v in votes.items()]
    return sorted(found, key=lambda r: (-r.average, -r.votes, r.plan_id))


def best(db: Session, session_id: int, n: int = 3) -> list[Rating]:
    """The room's best-rated plans with enough votes to count."""
    return [r for r in ratings(db, session_id) if r.votes >= MIN_VOTES_TO_WIN][:n]

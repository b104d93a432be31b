"""Service API for customer hypotheses (used by the key-account list and the plan workspace)."""

import re

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.customers.models import CustomerHypothesis
from app.errors import ServiceError
from app.models import utcnow

# Initials or an internal code ("ZL", "HOSP3-ZL"): letters, digits, "-", "_" or ".", 1–12
# characters. No spaces and no Chinese characters, so a full name cannot be typed by habit.
CODE = re.compile(r"^[A-Z0-9][A-Z0-9._-]{0,11}$")
CONFIDENCE = ("low", "medium", "high")


def clean_code(raw: str) -> str:
    code = raw.strip().upper()
    if not CODE.match(code):
        raise ServiceError("customers.error.code")
    return code


def save(
    db: Session,
    session_id: int,
    participant_id: int,
    customer: str,
    style: str | None,
    confidence: str,
    cues: list[str],
    activity_id: str,
) -> CustomerHypothesis:
    """Record (or replace) this trainee's hypothesis about one customer."""
    customer = clean_code(customer)
    if confidence not in CONFIDENCE:
        raise ValueError(f"confidence must be one of {CONFIDENCE}")
    found = of_customer(db, session_id, participant_id, customer)
    if found is None:
        found = CustomerHypothesis(
            session_id=session_id,
            participant_id=participant_id,
            customer=customer,
            confidence=confidence,
            activity_id=activity_id,
        )
    found.style, found.confidence, found.cues = style, confidence, list(cues)
    found.activity_id, found.updated_at = activity_id, utcnow()
    db.add(found)
    try:
        db.commit()
    except IntegrityError:  # the same customer saved twice at once: the later one wins
        db.rollback()
        return save(db, session_id, participant_id, customer, style, confidence, cues, activity_id)
    db.refresh(found)
    return found


def of_customer(
    db: Session, session_id: int, participant_id: int, customer: str
) -> CustomerHypothesis | None:
    return db.exec(
        select(CustomerHypothesis).where(
            CustomerHypothesis.session_id == session_id,
            CustomerHypothesis.participant_id == participant_id,
            CustomerHypothesis.customer == customer.strip().upper(),
        )
    ).first()


def of_participant(db: Session, session_id: int, participant_id: int) -> list[CustomerHypothesis]:
    return list(
        db.exec(
            select(CustomerHypothesis)
            .where(
                CustomerHypothesis.session_id == session_id,
                CustomerHypothesis.participant_id == participant_id,
            )
            .order_by(col(CustomerHypothesis.customer))
        )
    )


def of_session(db: Session, session_id: int) -> list[CustomerHypothesis]:
    return list(
        db.exec(
            select(CustomerHypothesis)
            .where(CustomerHypothesis.session_id == session_id)
            .order_by(col(CustomerHypothesis.participant_id), col(CustomerHypothesis.customer))
        )
    )


def remove(db: Session, session_id: int, participant_id: int, customer: str) -> bool:
    found = of_customer(db, session_id, participant_id, customer)
    if found is None:
        return False
    db.delete(found)
    db.commit()
    return True

"""Service API for a trainee's own territory (梳理自己区域的大客户): their customers by code, with
scores, grid cell and key-account choice. The plan workspace reads `key_accounts`."""

from dataclasses import dataclass
from fractions import Fraction

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.course.territory import CRITERIA, Territory
from app.customers import hypotheses, selection
from app.customers.models import CustomerHypothesis, OwnCustomer
from app.errors import ServiceError
from app.models import utcnow

MAX_CUSTOMERS = 15
MIN_CUSTOMERS = 5  # the exercise asks for at least this many; fewer is allowed while working


def of_participant(db: Session, session_id: int, participant_id: int) -> list[OwnCustomer]:
    return list(
        db.exec(
            select(OwnCustomer)
            .where(
                OwnCustomer.session_id == session_id,
                OwnCustomer.participant_id == participant_id,
            )
            .order_by(col(OwnCustomer.id))
        )
    )


def of_session(db: Session, session_id: int) -> list[OwnCustomer]:
    return list(
        db.exec(
            select(OwnCustomer)
            .where(OwnCustomer.session_id == session_id)
            .order_by(col(OwnCustomer.participant_id), col(OwnCustomer.id))
        )
    )


def add(
    db: Session,
    session_id: int,
    participant_id: int,
    customer: str,
    stage: str,
    note: str,
    territory: Territory,
) -> OwnCustomer:
    code = hypotheses.clean_code(customer)
    if stage not in {s.id for s in territory.ladder}:
        raise ServiceError("accounts.error.stage")
    if len(note) > 80:
        raise ServiceError("accounts.error.note")
    if _get(db, session_id, participant_id, code) is not None:
        raise ServiceError("accounts.error.exists", customer=code)
    if len(of_participant(db, session_id, participant_id)) >= MAX_CUSTOMERS:
        raise ServiceError("accounts.error.full", n=MAX_CUSTOMERS)
    row = OwnCustomer(
        session_id=session_id, participant_id=participant_id, customer=code, stage=stage, note=note.strip()
    )
    db.add(row)
    try:
        db.commit()
    except IntegrityError:  # the same customer added twice at once
        db.rollback()
        raise ServiceError("accounts.error.exists", customer=code) from None
    return row


def score(
    db: Session, session_id: int, participant_id: int, customer: str, criterion: str, value: int
) -> OwnCustomer:
    if criterion not in CRITERIA or value not in range(1, 6):
        raise ServiceError("activity.error.invalid")
    row = _owned(db, session_id, participant_id, customer)
    return _update(db, row, scores={**row.scores, criterion: value})


def place(
    db: Session, session_id: int, participant_id: int, customer: str, segment: str, territory: Territory
) -> OwnCustomer:
    if segment not in {s.id for s in territory.segments}:
        raise ServiceError("activity.error.invalid")
    return _update(db, _owned(db, session_id, participant_id, customer), segment=segment)


def choose(
    db: Session, session_id: int, participant_id: int, customer: str, chosen: bool, reason: str
) -> OwnCustomer:
    reason = reason.strip()
    if chosen and not reason:
        raise ServiceError("keyaccount.error.reason")
    return _update(
        db,
        _owned(db, session_id, participant_id, customer),
        key_account=chosen,
        reason=reason if chosen else "",
    )


def remove(db: Session, session_id: int, participant_id: int, customer: str) -> None:
    db.delete(_owned(db, session_id, participant_id, customer))
    db.commit()


@dataclass(frozen=True)
class KeyAccount:
    """One of the trainee's customers as the plan workspace sees it."""

    customer: str
    note: str
    stage: str
    segment: str | None
    grade: str | None
    weighted: Fraction | None
    key_account: bool
    reason: str
    preference: str | None  # the latest hypothesis about the customer's thinking preference
    confidence: str | None


def listing(
    db: Session, session_id: int, participant_id: int, territory: Territory, weights: dict[str, int]
) -> list[KeyAccount]:
    """The trainee's customers, best weighted score first (unscored last, in the order added)."""
    found = {h.customer: h for h in hypotheses.of_participant(db, session_id, participant_id)}
    rows = of_participant(db, session_id, participant_id)
    return [_account(row, value, territory, found.get(row.customer)) for row, value in ranked(rows, weights)]


def ranked(rows: list[OwnCustomer], weights: dict[str, int]) -> list[tuple[OwnCustomer, Fraction | None]]:
    """A trainee's customers with their weighted scores, best first (unscored last, in the
    order added)."""
    values = {r.customer: selection.weighted(r.scores, weights) for r in rows}
    by_code = {r.customer: r for r in rows}
    return [(by_code[code], values[code]) for code in selection.ranking(list(by_code), values)]


def key_accounts(
    db: Session, session_id: int, participant_id: int, territory: Territory, weights: dict[str, int]
) -> list[KeyAccount]:
    """The customers the trainee chose as key accounts (what the plan workspace starts from)."""
    return [a for a in listing(db, session_id, participant_id, territory, weights) if a.key_account]


def _account(
    row: OwnCustomer, value: Fraction | None, territory: Territory, hypothesis: CustomerHypothesis | None
) -> KeyAccount:
    grade = next((s.grade for s in territory.segments if s.id == row.segment), None)
    return KeyAccount(
        row.customer,
        row.note,
        row.stage,
        row.segment,
        grade,
        value,
        row.key_account,
        row.reason,
        hypothesis.style if hypothesis else None,
        hypothesis.confidence if hypothesis else None,
    )


def _update(db: Session, row: OwnCustomer, **changes) -> OwnCustomer:
    for name, value in changes.items():
        setattr(row, name, value)
    row.updated_at = utcnow()
    db.add(row)
    db.commit()
    return row


def _owned(db: Session, session_id: int, participant_id: int, customer: str) -> OwnCustomer:
    row = _get(db, session_id, participant_id, customer.strip().upper())
    if row is None:
        raise ServiceError("error.not_found", status=404)
    return row


def _get(db: Session, session_id: int, participant_id: int, code: str) -> OwnCustomer | None:
    return db.exec(
        select(OwnCustomer).where(
            OwnCustomer.session_id == session_id,
            OwnCustomer.participant_id == participant_id,
            OwnCustomer.customer == code,
        )
    ).first()

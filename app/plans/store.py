"""Saving plans so that nothing typed is ever lost and nothing newer is ever overwritten.

Each page that edits a plan is a *device* with its own counter *seq*; each save says which
version it started from (*base*). A save is:
- a repeat (same device, seq not above the last one stored): already there, nothing changes —
  a retried request or a late duplicate never rolls the text back;
- the next version when it starts from the current one, or when the current one came from the
  same device (its earlier save landed but the answer was lost): the device's text is newer;
- otherwise a conflict: another device saved in between. Nothing is overwritten; the text that
  lost is kept as a restore point and the page is told, with the current text, to choose.
Versions are written with compare-and-set, so two saves at the same moment cannot both win.
Each save also stores how complete the text is (for the room's progress) and, at most once a
minute, a restore point — without reading anything but the plan row it was given.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select

from app.customers import hypotheses
from app.errors import ServiceError
from app.models import as_utc, utcnow
from app.plans import checks
from app.plans.body import PlanBody
from app.plans.checks import Completeness
from app.plans.models import Plan, PlanRevision

MAX_PLANS = 6  # per trainee: one per key account
RESTORE_POINT_SECONDS = 60  # at most one restore point a minute from saves
MAX_RESTORE_POINTS = 60


class SaveConflict(Exception):
    """Another device saved this plan since the page loaded it; `plan` is the current text."""

    def __init__(self, plan: Plan):
        super().__init__(plan.id)
        self.plan = plan


@dataclass(frozen=True)
class Saved:
    plan: Plan
    progress: Completeness | None = None  # of the text saved (None: a repeat, nothing changed)

    @property
    def repeat(self) -> bool:  # this save had landed already
        return self.progress is None


def start(
    db: Session, session_id: int, participant_id: int, customer: str, body: PlanBody, ladder: list[str]
) -> Plan:
    """The trainee's plan for this customer, begun with `body` if it does not exist yet."""
    code = hypotheses.clean_code(customer)
    if (found := of_customer(db, session_id, participant_id, code)) is not None:
        return found
    if len(of_participant(db, session_id, participant_id)) >= MAX_PLANS:
        raise ServiceError("plan.error.full", n=MAX_PLANS)
    progress = checks.completeness(body, ladder)
    plan = Plan(
        session_id=session_id,
        participant_id=participant_id,
        customer=code,
        body=body.model_dump(),
        percent=progress.percent,
        sections=progress.sections,
    )
    db.add(plan)
    try:
        db.commit()
    except IntegrityError:  # begun twice at once (a double tap): the first one stands
        db.rollback()
        return of_customer(db, session_id, participant_id, code)
    db.refresh(plan)
    return plan


def save(
    db: Session, plan: Plan, body: PlanBody, *, base: int, device: str, seq: int, ladder: list[str]
) -> Saved:
    """Store `body` as the plan's next version, or tell why not (see the module's rules)."""
    progress = checks.completeness(body, ladder)
    for attempt in range(3):  # compare-and-set: another writer in between means read again
        if attempt:
            db.refresh(plan)
        own = device == plan.device
        if own and seq <= plan.seq:
            return Saved(plan)
        if base != plan.version and not own:
            _keep(db, plan.id, plan.version, body.model_dump(), device, "conflict")
            raise SaveConflict(plan)
        if _write(db, plan, body.model_dump(), device, seq, progress):
            return Saved(plan, progress)
    raise ServiceError("plan.error.busy", status=503)


def restore(db: Session, plan: Plan, revision_id: int, device: str, ladder: list[str]) -> Plan:
    """Make an earlier restore point the current text (as a new version: nothing is lost)."""
    revision = db.get(PlanRevision, revision_id)
    if revision is None or revision.plan_id != plan.id:
        raise ServiceError("error.not_found", status=404)
    body = PlanBody.model_validate(revision.body)
    progress = checks.completeness(body, ladder)
    db.refresh(plan)
    while not _write(db, plan, body.model_dump(), device, 0, progress, point=False):
        db.refresh(plan)
    _keep(db, plan.id, plan.version, plan.body, device, "restore")
    return plan


def _write(
    db: Session, plan: Plan, body: dict, device: str, seq: int, progress: Completeness, point: bool = True
) -> bool:
    """The next version if nobody wrote one since `plan` was read; a restore point with it when
    the last one is a minute old. On success `plan` holds what was written."""
    now = utcnow()
    point = point and (
        plan.restore_point_at is None
        or as_utc(plan.restore_point_at) <= now - timedelta(seconds=RESTORE_POINT_SECONDS)
    )
    values = {
        "body": body,
        "version": plan.version + 1,
        "device": device,
        "seq": seq,
        "percent": progress.percent,
        "sections": progress.sections,
        "updated_at": now,
    }
    if point:
        values["restore_point_at"] = now
    done = db.execute(
        update(Plan).where(col(Plan.id) == plan.id, col(Plan.version) == plan.version).values(**values),
        execution_options={"synchronize_session": False},
    )
    if done.rowcount != 1:
        db.rollback()
        return False
    if point:
        db.add(
            PlanRevision(
                plan_id=plan.id,
                version=values["version"],
                body=body,
                device=device,
                reason="save",
                saved_at=now,
            )
        )
    db.commit()
    for name, value in values.items():  # what the row now holds, without reading it back
        set_committed_value(plan, name, value)
    if point:
        _prune(db, plan.id)
    return True


def _keep(db: Session, plan_id: int, version: int, body: dict, device: str, reason: str) -> None:
    db.add(PlanRevision(plan_id=plan_id, version=version, body=body, device=device, reason=reason))
    db.commit()


def _prune(db: Session, plan_id: int) -> None:
    ids = db.exec(
        select(PlanRevision.id)
        .where(PlanRevision.plan_id == plan_id)
        .order_by(col(PlanRevision.id).desc())
        .offset(MAX_RESTORE_POINTS)
    ).all()
    for old in ids:
        db.delete(db.get(PlanRevision, old))
    db.commit()


def revisions(db: Session, plan_id: int) -> list[PlanRevision]:
    return list(
        db.exec(
            select(PlanRevision).where(PlanRevision.plan_id == plan_id).order_by(col(PlanRevision.id).desc())
        )
    )


def of_customer(db: Session, session_id: int, participant_id: int, customer: str) -> Plan | None:
    return db.exec(
        select(Plan).where(
            Plan.session_id == session_id,
            Plan.participant_id == participant_id,
            Plan.customer == customer.strip().upper(),
        )
    ).first()


def of_participant(db: Session, session_id: int, participant_id: int) -> list[Plan]:
    return list(
        db.exec(
            select(Plan)
            .where(Plan.session_id == session_id, Plan.participant_id == participant_id)
            .order_by(col(Plan.id))
        )
    )


def of_session(db: Session, session_id: int) -> list[Plan]:
    return list(
        db.exec(
            select(Plan).where(Plan.session_id == session_id).order_by(col(Plan.participant_id), col(Plan.id))
        )
    )


@dataclass(frozen=True)
class Standing:
    """How far one plan is, without its text (the room's progress and the trainees' lists of
    plans read only these)."""

    participant_id: int
    customer: str
    percent: int
    sections: dict
    updated_at: datetime


def standings(db: Session, session_id: int, participant_id: int | None = None) -> list[Standing]:
    """How far each plan of the session (or of one trainee) is."""
    query = (
        select(Plan.participant_id, Plan.customer, Plan.percent, Plan.sections, Plan.updated_at)
        .where(Plan.session_id == session_id)
        .order_by(col(Plan.participant_id), col(Plan.id))
    )
    if participant_id is not None:
        query = query.where(Plan.participant_id == participant_id)
    return [Standing(*row) for row in db.exec(query)]


def get(db: Session, session_id: int, plan_id: int) -> Plan:
    plan = db.get(Plan, plan_id)
    if plan is None or plan.session_id != session_id:
        raise ServiceError("error.not_found", status=404)
    return plan


def body_of(plan: Plan) -> PlanBody:
    """The stored text as a PlanBody (fields added since it was written get their defaults)."""
    return PlanBody.model_validate(plan.body)

"""The plan workspace's rules around the plan store: where a plan starts from (what the trainee
produced earlier in the day), when editing is locked, and how far everyone is."""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from app.course.models import Activity, Course
from app.customers import accounts, hypotheses, selection
from app.customers.accounts import KeyAccount
from app.customers.models import OwnCustomer
from app.errors import ServiceError
from app.live import participants, responses, sessions
from app.models import LiveSession, Participant
from app.plans import store
from app.plans.body import Objective, Person, PlanBody
from app.plans.models import Plan
from app.points import badges, ledger


def activity_of(course: Course) -> Activity | None:
    """The course's plan-writing activity (its phase is the lock)."""
    return next(iter(course.activities_of("plan")), None)


def ladder(course: Course) -> list[str]:
    return [stage.id for stage in course.territory.ladder] if course.territory else []


def locked(db: Session, session: LiveSession, course: Course) -> bool:
    """The facilitator closed the plan activity: plans are read-only until it opens again."""
    activity = activity_of(course)
    state = sessions.activity_state(db, session.id, activity.id) if activity else None
    return state is not None and state.phase == "closed"


def require_unlocked(db: Session, session: LiveSession, course: Course) -> None:
    if locked(db, session, course):
        raise ServiceError("plan.error.locked", status=423)


def key_accounts(db: Session, session: LiveSession, course: Course, me: Participant) -> list[KeyAccount]:
    """The trainee's chosen key accounts from the morning's exercise (none if they skipped it)."""
    if course.territory is None:
        return []
    weights = _weights(db, session, course, me)
    return accounts.key_accounts(db, session.id, me.id, course.territory, weights)


def _weights(db: Session, session: LiveSession, course: Course, me: Participant) -> dict[str, int]:
    exercise = _exercise(course)
    saved = responses.mine(db, session.id, exercise.id, me.id).get("weights") if exercise else None
    return selection.usable_weights(saved)


def _exercise(course: Course) -> Activity | None:
    """The morning's exercise where trainees chose their key accounts by weighted criteria."""
    return next(iter(course.activities_of("myaccounts")), None)


def key_accounts_of_room(db: Session, session: LiveSession, course: Course) -> dict[int, list[OwnCustomer]]:
    """Everyone's key accounts at once (participant id → accounts), in the order `key_accounts`
    gives each trainee's: best weighted score by their own weights first."""
    exercise = _exercise(course)
    saved = (
        {r.participant_id: r.value for r in responses.every(db, session.id, exercise.id, "weights")}
        if exercise
        else {}
    )
    chosen: dict[int, list[OwnCustomer]] = {}
    for row in accounts.of_session(db, session.id):
        if row.key_account:
            chosen.setdefault(row.participant_id, []).append(row)
    return {
        person: [row for row, _value in accounts.ranked(rows, selection.usable_weights(saved.get(person)))]
        for person, rows in chosen.items()
    }


def begin(
    db: Session, session: LiveSession, course: Course, me: Participant, customer: str, stage: str = ""
) -> Plan:
    """The trainee's plan for a customer, prefilled from their key-account list and hypotheses."""
    require_unlocked(db, session, course)
    code = hypotheses.clean_code(customer)
    if stage and stage not in ladder(course):
        raise ServiceError("accounts.error.stage")
    known = {a.customer: a for a in key_accounts(db, session, course, me)}
    hunch = hypotheses.of_customer(db, session.id, me.id, code)
    body = prefill(code, known.get(code), stage, hunch.style if hunch else None)
    return store.start(db, session.id, me.id, code, body, ladder(course))


def prefill(code: str, account: KeyAccount | None, stage: str, style: str | None) -> PlanBody:
    """What the trainee already said about this customer, so they start from their own work."""
    stage = account.stage if account else stage
    profile = account.note if account else ""
    potential = account.reason if account else ""
    first = Person(who=code, style=style or "")
    goal = Objective(who=code, from_stage=stage) if stage else Objective(who=code)
    return PlanBody(profile=profile, potential=potential, stage=stage, people=[first], objectives=[goal])


@dataclass(frozen=True)
class Progress:
    """One trainee's plans as the control page shows them."""

    participant: Participant
    plans: int
    sections_done: int  # of their most complete plan
    percent: int
    last_edit: datetime | None


def progress(db: Session, session: LiveSession, standings: list[store.Standing]) -> list[Progress]:
    """Everyone's plans as the control page shows them, from what each save stored."""
    mine: dict[int, list[store.Standing]] = {}
    for plan in standings:
        mine.setdefault(plan.participant_id, []).append(plan)
    rows = []
    for person in participants.roster(db, session.id):
        plans = mine.get(person.id, [])
        best = max(plans, key=lambda p: p.percent, default=None)
        rows.append(
            Progress(
                person,
                len(plans),
                sum(best.sections.values()) if best else 0,
                best.percent if best else 0,
                max((p.updated_at for p in plans), default=None),
            )
        )
    return rows


def reward_if_complete(
    db: Session, session: LiveSession, course: Course, me: Participant, plan: Plan
) -> bool:
    """Points once for a complete, SMART plan, then the badges it may complete; True if new."""
    activity = activity_of(course)
    key = f"plan:complete:{plan.id}"
    if activity is None or plan.percent < 100 or ledger.awarded(db, session.id, key):
        return False
    ledger.award(
        db,
        session.id,
        activity_id=activity.id,
        reason="plan.complete",
        points=activity.config.complete_points,
        key=key,
        participant_id=me.id,
    )
    badges.refresh(db, session, course)
    return True

"""Badges for real mastery: rules from the course content over facts each activity kind reports
about a trainee (a quiz: questions asked and answered right). Earned badges are kept for good."""

from collections import Counter, defaultdict
from collections.abc import Mapping

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app.course.models import Badge, Course
from app.live import participants, sessions
from app.models import LiveSession
from app.modules.contract import ViewContext
from app.points.models import EarnedBadge


def facts(db: Session, session: LiveSession, course: Course, participant) -> Counter:
    """The sum over the day's activities of what each kind reports about this trainee."""
    return _room_facts(db, session, course, [participant])[participant.id]


def _room_facts(db: Session, session: LiveSession, course: Course, people: list) -> dict[int, Counter]:
    """Each trainee's facts, read for all of them together: an activity's state once, and its
    answers in one query per activity (the trainees are one batch, see ViewContext.batch)."""
    batch = frozenset(person.id for person in people)
    totals: dict[int, Counter] = {person.id: Counter() for person in people}
    for activity in course.activities:
        kind = course.kind_of(activity)
        if not kind.overrides("facts"):
            continue  # this kind reports nothing: skip the database
        state, shared = sessions.activity_state(db, session.id, activity.id), {}
        for person in people:
            context = ViewContext(
                db, session, course, activity, state, person.language, person, shared, batch
            )
            totals[person.id].update(kind.facts(context))
    return totals


def qualifies(badge: Badge, known: Mapping[str, float]) -> bool:
    rule = badge.rule
    fact = known.get(rule.fact, 0)
    if rule.of is None:
        return fact >= rule.min
    base = known.get(rule.of, 0)
    return base >= rule.min_of and 100 * fact / base >= rule.min_percent


def refresh(db: Session, session: LiveSession, course: Course) -> list[EarnedBadge]:
    """Award every badge newly earned by anyone in the session; returns the new ones."""
    if not course.badges:
        return []
    have = earned(db, session.id)
    roster = participants.roster(db, session.id)
    new = []
    for person, known in zip(roster, _room_facts(db, session, course, roster).values(), strict=True):
        for badge in course.badges:
            if badge.id not in have.get(person.id, ()) and qualifies(badge, known):
                new.append(EarnedBadge(session_id=session.id, participant_id=person.id, badge_id=badge.id))
    for row in new:
        db.add(row)
    try:
        db.commit()
    except IntegrityError:  # awarded by a parallel refresh a moment ago
        db.rollback()
    return new


def earned(db: Session, session_id: int) -> dict[int, list[str]]:
    """Badge ids per participant, in the order earned."""
    found: dict[int, list[str]] = defaultdict(list)
    query = select(EarnedBadge).where(EarnedBadge.session_id == session_id).order_by(EarnedBadge.id)
    for row in db.exec(query):
        found[row.participant_id].append(row.badge_id)
    return dict(found)

"""Everything a trainee leaves the day with, read once through the services that own it: the
report, the facilitator's documents and the print view are all drawn from these records."""

from dataclasses import dataclass
from datetime import datetime
from statistics import mean

from sqlmodel import Session

from app.course.models import Course
from app.customers import accounts, selection
from app.customers.accounts import KeyAccount
from app.live import responses
from app.models import LiveSession, Participant, Team
from app.modules import selfassessment
from app.modules.preference import profiles
from app.modules.preference.scoring import Incomplete, Profile
from app.modules.selfassessment import Competency, SelfAssessmentConfig
from app.plans import checks, feedback, store
from app.plans.body import Objective, Person, PlanBody
from app.plans.checks import Completeness
from app.plans.models import Plan, PlanFeedback
from app.points import badges, ledger
from app.points.ledger import PersonRank
from app.points.models import PointsEntry


@dataclass(frozen=True)
class PlanView:
    plan: Plan
    body: PlanBody
    check: Completeness
    problems: list[list[str]]  # SMART findings, one list per objective
    feedback: list[PlanFeedback]

    @property
    def objectives(self) -> list[tuple[int, Objective, list[str]]]:
        """(number, objective, SMART findings) for each objective with anything written in it."""
        written = [(o, p) for o, p in zip(self.body.objectives, self.problems, strict=True) if not _blank(o)]
        return [(n, o, p) for n, (o, p) in enumerate(written, 1)]

    @property
    def people(self) -> list[Person]:
        return [p for p in self.body.people if p.who or p.role or p.message]

    @property
    def average(self) -> float | None:
        return round(mean(f.vote for f in self.feedback), 1) if self.feedback else None


def _blank(objective: Objective) -> bool:
    """A row the trainee added but left empty (it keeps its default kind only)."""
    return not any(
        (
            objective.who,
            objective.text,
            objective.measure,
            objective.due,
            objective.from_stage,
            objective.to_stage,
        )
    )


@dataclass(frozen=True)
class Assessment:
    config: SelfAssessmentConfig
    values: dict[str, float] | None  # None until every statement is rated
    strengths: list[Competency]


@dataclass(frozen=True)
class Dossier:
    session: LiveSession
    participant: Participant
    team: str | None
    profile: Profile | Incomplete | None
    assessment: Assessment | None
    accounts: list[KeyAccount]
    plans: list[PlanView]
    badges: list[str]  # badge ids, in the order earned
    points: list[PointsEntry]
    rank: PersonRank | None

    @property
    def day(self) -> datetime:
        return self.session.created_at


def ladder_of(course: Course) -> list[str]:
    return [stage.id for stage in course.territory.ladder] if course.territory else []


def plan_view(course: Course, plan: Plan, given: list[PlanFeedback]) -> PlanView:
    body, ladder = store.body_of(plan), ladder_of(course)
    return PlanView(
        plan,
        body,
        checks.completeness(body, ladder),
        [checks.smart_problems(o, ladder) for o in body.objectives],
        given,
    )


def plan_views(db: Session, course: Course, plans: list[Plan]) -> list[PlanView]:
    return [plan_view(course, plan, feedback.of_plan(db, plan.id)) for plan in plans]


def gather(db: Session, session: LiveSession, course: Course, participant: Participant) -> Dossier:
    team = db.get(Team, participant.team_id) if participant.team_id else None
    mine = store.of_participant(db, session.id, participant.id)
    return Dossier(
        session=session,
        participant=participant,
        team=team.name if team else None,
        profile=profiles.profile_of(db, session.id, course, participant.id),
        assessment=assessment_of(db, session, course, participant),
        accounts=accounts_of(db, session, course, participant),
        plans=plan_views(db, course, mine),
        badges=badges.earned(db, session.id).get(participant.id, []),
        points=ledger.history(db, session.id, participant.id),
        rank=ledger.standings(db, session.id).get(participant.id),
    )


def assessment_of(
    db: Session, session: LiveSession, course: Course, participant: Participant
) -> Assessment | None:
    activity = _first(course, "selfassessment")
    if activity is None:
        return None
    values = selfassessment.profile(db, session.id, activity.id, participant.id)
    strengths = selfassessment.strengths(activity.config, values) if values else []
    return Assessment(activity.config, values, strengths)


def accounts_of(
    db: Session, session: LiveSession, course: Course, participant: Participant
) -> list[KeyAccount]:
    """The trainee's own customers, ranked by their own weights (equal ones if they set none)."""
    if course.territory is None:
        return []
    exercise = _first(course, "myaccounts")
    saved = responses.mine(db, session.id, exercise.id, participant.id).get("weights") if exercise else None
    weights = saved if saved and not selection.weights_problem(saved) else selection.EQUAL_WEIGHTS
    return accounts.listing(db, session.id, participant.id, course.territory, weights)


def _first(course: Course, kind: str):
    return next((a for a in course.activities if a.kind == kind), None)

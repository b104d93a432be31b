"""What a trainee leaves the day with beside their kinds' own sections (ActivityKind.report),
read once through the services that own it: their plans with the room's feedback, points and
badges. The report, the facilitator's documents and the print view are drawn from it."""

from dataclasses import dataclass
from datetime import datetime
from statistics import mean

from sqlmodel import Session

from app.course.models import Course
from app.models import LiveSession, Participant, Team
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
class Dossier:
    session: LiveSession
    participant: Participant
    team: str | None
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
        plans=plan_views(db, course, mine),
        badges=badges.earned(db, session.id).get(participant.id, []),
        points=ledger.history(db, session.id, participant.id),
        rank=ledger.standings(db, session.id).get(participant.id),
    )

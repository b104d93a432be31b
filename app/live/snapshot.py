"""Everything the three views show about one session, read from the database in one go."""

from dataclasses import dataclass, field
from functools import cached_property

import segno
from sqlmodel import Session

from app.course.models import Activity, Course, Unit
from app.live import participants, sessions, teams
from app.models import ActivityState, LiveSession, Participant, Team
from app.modules import registry
from app.modules.contract import ActivityKind, ViewContext


@dataclass
class Snapshot:
    session: LiveSession
    course: Course
    activity: Activity | None
    unit: Unit | None
    state: ActivityState | None
    teams: list[Team]
    people: list[Participant]
    online: set[int]
    pace: dict
    join_url: str
    team_names: dict[int, str] = field(default_factory=dict)

    @property
    def kind(self) -> ActivityKind | None:
        return registry.get(self.activity.kind) if self.activity else None

    @property
    def online_count(self) -> int:
        return sum(1 for p in self.people if p.id in self.online)

    @cached_property
    def qr_svg(self) -> str:
        qr = segno.make(self.join_url, error="m")
        return qr.svg_inline(border=2, dark="#111", light="#fff", omitsize=True)

    def view_context(self, lang: str, participant: Participant | None = None) -> ViewContext | None:
        if self.activity is None:
            return None
        return ViewContext(self.session, self.course, self.activity, self.state, lang, participant)

    def members(self, team_id: int | None) -> list[Participant]:
        return [p for p in self.people if p.team_id == team_id]


def load(db: Session, session_id: int, courses: dict[str, Course], online: set[int],
         join_base: str) -> Snapshot:
    session = sessions.get(db, session_id)
    course = courses[session.course_id]
    activity = course.activity(session.current_activity)
    team_list = teams.teams(db, session_id)
    return Snapshot(
        session=session,
        course=course,
        activity=activity,
        unit=course.unit_of(activity.id) if activity else None,
        state=sessions.activity_state(db, session_id, activity.id) if activity else None,
        teams=team_list,
        people=participants.roster(db, session_id),
        online=online,
        pace=sessions.pace(db, session, course),
        join_url=f"{join_base.rstrip('/')}/j/{session.code}",
        team_names={t.id: t.name for t in team_list},
    )

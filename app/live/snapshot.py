"""Everything the three views show about one session, read from the database as needed."""

from dataclasses import dataclass, field, replace
from functools import cached_property

from sqlmodel import Session

from app.course.models import Activity, Badge, Course, Unit
from app.live import participants, sessions, teams
from app.models import ActivityState, LiveSession, Participant, Team
from app.modules.contract import ActivityKind, ViewContext
from app.points import badges, ledger
from app.points.ledger import PersonRank

LOBBY_NAMES = 60


@dataclass
class Snapshot:
    """The state of one session. Rosters, teams and pacing load on first use, so an update
    that only shows the current activity never reads a thousand participants."""

    session: LiveSession
    course: Course
    activity: Activity | None
    unit: Unit | None
    state: ActivityState | None
    online: set[int]
    join_url: str
    db: Session = field(repr=False)
    shared: dict = field(default_factory=dict, repr=False)  # see ViewContext.shared
    batch: frozenset[int] = frozenset()  # see ViewContext.batch

    @cached_property
    def people(self) -> list[Participant]:
        return participants.roster(self.db, self.session.id)

    @cached_property
    def newest_people(self) -> list[Participant]:
        """The lobby shows the latest arrivals first."""
        return participants.newest(self.db, self.session.id, LOBBY_NAMES)

    @cached_property
    def teams(self) -> list[Team]:
        return teams.teams(self.db, self.session.id)

    @cached_property
    def team_names(self) -> dict[int, str]:
        return {team.id: team.name for team in self.teams}

    @cached_property
    def standings(self) -> dict[int, PersonRank]:
        return ledger.standings(self.db, self.session.id)

    @cached_property
    def badges(self) -> dict[int, list[Badge]]:
        """Earned badges per participant, as the course defines them."""
        known = {badge.id: badge for badge in self.course.badges}
        return {
            pid: [known[b] for b in ids if b in known]
            for pid, ids in badges.earned(self.db, self.session.id).items()
        }

    @cached_property
    def pace(self) -> dict:
        return sessions.pace(self.db, self.session, self.course)

    @property
    def kind(self) -> ActivityKind | None:
        return self.course.kind_of(self.activity) if self.activity else None

    @property
    def online_count(self) -> int:
        return len(self.online)  # presence is counted per session

    @cached_property
    def people_count(self) -> int:
        return participants.count(self.db, self.session.id)

    @cached_property
    def qr_svg(self) -> str:
        import segno  # only the lobby draws a QR code: not imported at start-up

        qr = segno.make(self.join_url, error="m")
        return qr.svg_inline(border=2, dark="#111", light="#fff", omitsize=True)

    def view_context(self, lang: str, participant: Participant | None = None) -> ViewContext | None:
        if self.activity is None:
            return None
        return ViewContext(
            self.db,
            self.session,
            self.course,
            self.activity,
            self.state,
            lang,
            participant,
            self.shared,
            self.batch if participant is not None else frozenset(),
        )

    def members(self, team_id: int | None) -> list[Participant]:
        return [p for p in self.people if p.team_id == team_id]


def focused(snap: Snapshot, activity: Activity) -> Snapshot:
    """The same session seen on another activity (a trainee's own work, off screen)."""
    return replace(
        snap,
        activity=activity,
        unit=snap.course.unit_of(activity.id),
        state=sessions.activity_state(snap.db, snap.session.id, activity.id),
        shared={},
    )


def load(
    db: Session,
    session_id: int,
    courses: dict[str, Course],
    online: set[int],
    join_base: str,
    known: ActivityState | None = None,
) -> Snapshot:
    """Read a session's state (its activity's state is `known` when the caller read it in this
    database session); the snapshot must be rendered while `db` is open."""
    session = sessions.get(db, session_id)
    course = courses[session.course_id]
    activity = course.activity(session.current_activity)
    if activity is not None and known is not None and known.activity_id == activity.id:
        state: ActivityState | None = known
    else:
        state = sessions.activity_state(db, session_id, activity.id) if activity else None
    return Snapshot(
        session=session,
        course=course,
        activity=activity,
        unit=course.unit_of(activity.id) if activity else None,
        state=state,
        online=online,
        join_url=f"{join_base.rstrip('/')}/j/{session.code}",
        db=db,
    )

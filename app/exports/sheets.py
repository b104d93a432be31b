"""The rows of the session workbook, one function per sheet; the headers are in the reader's
language. `Room` reads what several sheets share once (the roster, team names, points); the
kinds add their own sheets and columns (ActivityKind.sheets, trainee_columns)."""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property

from sqlmodel import Session, col, select

from app.course.models import Course
from app.exports.labels import Labels
from app.live import participants, teams
from app.models import LiveSession, Participant
from app.modules.contract import Sheet, remember
from app.plans import feedback, store
from app.points import badges, ledger
from app.points.models import PointsEntry


@dataclass
class Room:
    db: Session
    session: LiveSession
    course: Course
    words: Labels

    @cached_property
    def people(self) -> list[Participant]:
        return participants.roster(self.db, self.session.id)

    @cached_property
    def team_names(self) -> dict[int, str]:
        return {team.id: team.name for team in teams.teams(self.db, self.session.id)}

    @cached_property
    def by_id(self) -> dict[int, Participant]:
        return {p.id: p for p in self.people}

    def name(self, participant_id: int | None) -> str:
        person = self.by_id.get(participant_id) if participant_id else None
        return person.display_name if person else ""

    def team_of(self, participant_id: int) -> str:
        person = self.by_id.get(participant_id)
        return self.words.team(self.team_names.get(person.team_id) if person and person.team_id else None)

    shared: dict = field(default_factory=dict, repr=False)  # what `once` computed

    def once(self, key, compute):
        """A figure several sheets need (a kind's rows, read once for the whole workbook)."""
        return remember(self.shared, key, compute)

    def kind_parts(self):
        """(kind, its activities) for every kind of the course, in the course's order."""
        return [(kind, self.course.activities_of(kind.name)) for kind in self.course.kinds_used]


def plain_time(moment: datetime | None) -> datetime | None:
    """Excel has no time zones: UTC without one (the headers say UTC)."""
    if moment is None:
        return None
    return (moment.astimezone(UTC) if moment.tzinfo else moment).replace(tzinfo=None)


def trainees(room: Room) -> Sheet:
    t, words = room.words.t, room.words
    standings = ledger.standings(room.db, room.session.id)
    earned = badges.earned(room.db, room.session.id)
    sheet = Sheet(
        "export.sheet.participants",
        [
            t(f"export.col.{c}")
            for c in ("id", "trainee", "team", "language", "joined", "points", "rank", "badges")
        ],
    )
    extra = [column for kind, found in room.kind_parts() for column in kind.trainee_columns(room, found)]
    sheet.headers += [header for header, _values in extra]
    for p in room.people:
        rank = standings.get(p.id)
        sheet.rows.append(
            [
                p.id,
                p.display_name,
                room.team_of(p.id),
                t(f"lang.{p.language}"),
                plain_time(p.joined_at),
                rank.points if rank else 0,
                rank.rank if rank else None,
                words.listed(words.badge(b)[0] for b in earned.get(p.id, [])),
                *(values.get(p.id, "") for _header, values in extra),
            ]
        )
    return sheet


def team_sheet(room: Room) -> Sheet:
    t, words = room.words.t, room.words
    sheet = Sheet(
        "export.sheet.teams",
        [t(f"export.col.{c}") for c in ("team", "members", "points", "rank", "trainees")],
    )
    for score in ledger.team_board(room.db, room.session.id):
        members = [p.display_name for p in room.people if p.team_id == score.team_id]
        sheet.rows.append([score.name, len(members), score.points, score.rank, words.listed(members)])
    return sheet


def feedback_sheet(room: Room) -> Sheet:
    t = room.words.t
    plans = {p.id: p for p in store.of_session(room.db, room.session.id)}
    sheet = Sheet(
        "export.sheet.feedback",
        [
            t("export.col.trainee"),
            t("export.col.customer"),
            t("export.col.from"),
            t("export.feedback.vote"),
            t("export.feedback.strength"),
            t("export.feedback.suggestion"),
        ],
    )
    for row in feedback.of_session(room.db, room.session.id):
        plan = plans.get(row.plan_id)
        sheet.rows.append(
            [
                room.name(plan.participant_id if plan else None),
                plan.customer if plan else "",
                room.name(row.participant_id),
                row.vote,
                row.strength,
                row.suggestion,
            ]
        )
    return sheet


def points_sheet(room: Room) -> Sheet:
    t, words = room.words.t, room.words
    sheet = Sheet(
        "export.sheet.points",
        [t(f"export.col.{c}") for c in ("trainee", "team", "activity", "reason", "points", "when")],
    )
    entries = room.db.exec(
        select(PointsEntry).where(PointsEntry.session_id == room.session.id).order_by(col(PointsEntry.id))
    )
    for entry in entries:
        sheet.rows.append(
            [
                room.name(entry.participant_id),
                words.team(room.team_names.get(entry.team_id) if entry.team_id else None),
                words.activity(entry.activity_id),
                words.reason(entry.reason),
                entry.points,
                plain_time(entry.created_at),
            ]
        )
    return sheet


def badge_sheet(room: Room) -> Sheet:
    t, words = room.words.t, room.words
    sheet = Sheet(
        "export.sheet.badges",
        [
            t("export.col.trainee"),
            t("export.col.team"),
            t("export.badge.name"),
            t("export.badge.description"),
        ],
    )
    for pid, ids in badges.earned(room.db, room.session.id).items():
        for badge_id in ids:
            sheet.rows.append([room.name(pid), room.team_of(pid), *words.badge(badge_id)])
    return sheet

"""Thinking-preference profiles of a session: the service other features use (the take-home
report, the exports, the plan's communication tips). Profiles are computed from the stored
answers on demand, so they always match them."""

from collections import Counter
from dataclasses import dataclass, field

from sqlmodel import Session

from app.course.models import STYLE_IDS, Activity, Course
from app.errors import ServiceError
from app.live import participants, responses, teams
from app.models import LiveSession
from app.modules.preference.scoring import Incomplete, Profile, score

KIND = "preference"


def questionnaire(course: Course) -> Activity | None:
    """The course's questionnaire (the first, if it has several)."""
    return next(iter(course.activities_of(KIND)), None)


def answers_by_person(db: Session, session_id: int, activity_id: str) -> dict[int, dict[str, dict]]:
    people: dict[int, dict[str, dict]] = {}
    for row in responses.every(db, session_id, activity_id):
        people.setdefault(row.participant_id, {})[row.item] = row.value
    return people


def answers_of_sessions(
    db: Session, courses: dict[str, Course], session_ids: list[int]
) -> tuple[Course, Activity, list[dict[str, dict]]]:
    """Every trainee's answers to the questionnaire of one or more sessions of one course."""
    found = [db.get(LiveSession, sid) for sid in session_ids]
    if any(s is None or s.course_id not in courses for s in found):
        raise ServiceError("error.not_found", status=404)
    if len({s.course_id for s in found}) != 1:
        raise ServiceError("preference.error.courses")
    course = courses[found[0].course_id]
    if (activity := questionnaire(course)) is None:
        raise ServiceError("error.not_found", status=404)
    people = [answers for sid in session_ids for answers in answers_by_person(db, sid, activity.id).values()]
    return course, activity, people


def profile_of(
    db: Session, session_id: int, course: Course, participant_id: int
) -> Profile | Incomplete | None:
    """One trainee's profile; Incomplete while questions are open; None if the course has no
    questionnaire."""
    activity = questionnaire(course)
    if activity is None:
        return None
    return score(activity.config, responses.mine(db, session_id, activity.id, participant_id))


# (session, activity, participant) → (their answers' count and last change, profile). Profiles are
# derived data: the cache only saves re-reading and re-scoring answers that did not change.
_scored: dict[tuple[int, str, int], tuple[tuple, Profile | Incomplete]] = {}
CACHE_LIMIT = 50_000


def finished(db: Session, session_id: int, activity: Activity) -> dict[int, Profile]:
    """Participant id → profile, for everyone who answered every question."""
    return {pid: p for pid, p in _scores(db, session_id, activity).items() if isinstance(p, Profile)}


def _scores(db: Session, session_id: int, activity: Activity) -> dict[int, Profile | Incomplete]:
    """Everyone's result; only those whose answers changed since last time are read and scored."""
    total = len(activity.config.questions)
    stamps = responses.stamps(db, session_id, activity.id)
    results: dict[int, Profile | Incomplete] = {}
    stale = set()
    for pid, stamp in stamps.items():
        cached = _scored.get((session_id, activity.id, pid))
        if cached is not None and cached[0] == stamp:
            results[pid] = cached[1]
        elif stamp[0] < total:  # too few answers to be complete: no need to read them
            results[pid] = Incomplete(stamp[0], total)
        else:
            stale.add(pid)
    if len(_scored) > CACHE_LIMIT:
        _scored.clear()
    for pid, answers in responses.of_participants(db, session_id, activity.id, stale).items():
        results[pid] = score(activity.config, answers)
        _scored[(session_id, activity.id, pid)] = (stamps[pid], results[pid])
    return results


@dataclass
class TeamMix:
    name: str
    counts: dict[str, int]  # style → how many have it as their strongest preference
    names: dict[str, list[str]] = field(default_factory=dict)  # style → display names


@dataclass
class RoomMap:
    started: int
    finished: int
    counts: dict[str, int]  # strongest preference → people
    teams: list[TeamMix]
    primary: dict[int, str]  # participant id → strongest preference

    def summary(self) -> dict:
        return {
            "started": self.started,
            "finished": self.finished,
            "counts": self.counts,
            "teams": {t.name: t.counts for t in self.teams},
        }


def room(db: Session, session_id: int, activity: Activity) -> RoomMap:
    """The room's map: strongest preferences overall and per team (no team: left out of the mix)."""
    results = _scores(db, session_id, activity)
    done = {pid: p for pid, p in results.items() if isinstance(p, Profile)}
    primary = {pid: p.primary for pid, p in done.items()}
    mixes = {
        t.id: TeamMix(t.name, dict.fromkeys(STYLE_IDS, 0), {s: [] for s in STYLE_IDS})
        for t in teams.teams(db, session_id)
    }
    for person in participants.some(db, session_id, set(primary)):
        if (mix := mixes.get(person.team_id)) is not None:
            mix.counts[primary[person.id]] += 1
            mix.names[primary[person.id]].append(person.display_name)
    counts = Counter(primary.values())
    return RoomMap(
        started=len(results),
        finished=len(done),
        counts={s: counts.get(s, 0) for s in STYLE_IDS},
        teams=[m for m in mixes.values() if any(m.counts.values())],
        primary=primary,
    )


def export_rows(db: Session, session_id: int, course: Course) -> list[dict]:
    """One row per trainee who finished: scores and levels per style, strongest preferences."""
    activity = questionnaire(course)
    if activity is None:
        return []
    found = finished(db, session_id, activity)
    rows = []
    for person in participants.some(db, session_id, set(found)):
        profile = found[person.id]
        rows.append(
            {
                "participant_id": person.id,
                "name": person.display_name,
                "primary": profile.primary,
                "secondary": profile.secondary,
                **{f"{s}_score": profile.scores[s] for s in STYLE_IDS},
                **{f"{s}_level": profile.levels[s] for s in STYLE_IDS},
            }
        )
    return rows

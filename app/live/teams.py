"""Teams (小组): create, auto-balance, rename, move people; the name a reader sees."""

import re
from functools import cache

from sqlmodel import Session, col, select

from app.errors import ServiceError
from app.i18n import LANGUAGES, catalogue, translate
from app.live.names import clean_name
from app.models import Participant, Team

MAX_TEAM_NAME = 20
MAX_TEAMS = 40  # a hall of 300 in teams of eight


def teams(db: Session, session_id: int) -> list[Team]:
    query = select(Team).where(Team.session_id == session_id)
    return list(db.exec(query.order_by(col(Team.position), col(Team.id))))


def create(db: Session, session_id: int, name: str) -> Team:
    existing = teams(db, session_id)
    if len(existing) >= MAX_TEAMS:
        raise ServiceError("team.error.too_many", max=MAX_TEAMS)
    team = Team(session_id=session_id, name=_valid_name(name), position=len(existing))
    db.add(team)
    db.commit()
    db.refresh(team)
    return team


def rename(db: Session, session_id: int, team_id: int, name: str) -> None:
    team = _owned(db, session_id, team_id)
    team.name = _valid_name(name)
    db.add(team)
    db.commit()


def move(db: Session, session_id: int, participant_id: int, team_id: int | None) -> None:
    participant = db.get(Participant, participant_id)
    if participant is None or participant.session_id != session_id:
        raise ServiceError("error.not_found", status=404)
    if team_id is not None:
        _owned(db, session_id, team_id)
    participant.team_id = team_id
    db.add(participant)
    db.commit()


def auto_balance(db: Session, session_id: int, count: int, name_for) -> list[Team]:
    """Make exactly `count` teams (adding or keeping the first ones) and deal everyone round-robin.

    name_for(n) gives the default name of team n (1-based), in the screen's language.
    """
    if not 1 <= count <= MAX_TEAMS:
        raise ServiceError("team.error.count", max=MAX_TEAMS)
    current = teams(db, session_id)
    for position in range(len(current), count):
        team = Team(session_id=session_id, name=name_for(position + 1), position=position)
        db.add(team)
        current.append(team)
    db.flush()
    kept = current[:count]
    people = db.exec(
        select(Participant).where(Participant.session_id == session_id).order_by(col(Participant.id))
    ).all()
    for index, participant in enumerate(people):
        participant.team_id = kept[index % count].id
        db.add(participant)
    for extra in current[count:]:
        db.delete(extra)
    db.commit()
    return kept


def shown_name(name: str, lang: str) -> str:
    """A team's name as a reader of `lang` sees it: a default name ("第 2 组", "Team 2") in their
    language, whichever language made it; a name someone typed, as typed."""
    for pattern in _default_names():
        if found := pattern.fullmatch(name):
            return translate(lang, "team.default_name", n=int(found.group(1)))
    return name


@cache
def _default_names() -> tuple[re.Pattern[str], ...]:
    """The default name of a team in each language, as a pattern that finds its number."""
    parts = (catalogue(lang)["team.default_name"].split("{n}") for lang in LANGUAGES)
    return tuple(re.compile(re.escape(before) + r"(\d{1,3})" + re.escape(after)) for before, after in parts)


def _valid_name(raw: str) -> str:
    name = clean_name(raw)
    if not name or len(name) > MAX_TEAM_NAME:
        raise ServiceError("team.error.name", max=MAX_TEAM_NAME)
    return name


def _owned(db: Session, session_id: int, team_id: int) -> Team:
    team = db.get(Team, team_id)
    if team is None or team.session_id != session_id:
        raise ServiceError("error.not_found", status=404)
    return team

"""Every trainee's plan document in one ZIP, named so the facilitator can find each one:
"03-王小明-A队.docx" (the roster's order, the display name, the team)."""

import io
import zipfile

from sqlmodel import Session

from app.course.models import Course
from app.exports import filenames
from app.exports.labels import Labels
from app.exports.report import report_docx
from app.live import participants, teams
from app.models import LiveSession, Participant


def plans_zip(db: Session, session: LiveSession, course: Course, lang: str) -> bytes:
    people = participants.roster(db, session.id)
    names = entry_names(people, {t.id: t.name for t in teams.teams(db, session.id)}, Labels(course, lang))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:  # UTF-8 names are flagged
        for name, person in zip(names, people, strict=True):
            archive.writestr(name, report_docx(db, session, course, person, lang))
    return buffer.getvalue()


def entry_names(people: list[Participant], team_names: dict[int, str], words: Labels) -> list[str]:
    digits = max(2, len(str(len(people))))
    return filenames.unique(
        [
            filenames.joined(
                [
                    str(n).zfill(digits),
                    p.display_name,
                    words.team(team_names.get(p.team_id) if p.team_id else None),
                ],
                ".docx",
            )
            for n, p in enumerate(people, 1)
        ]
    )

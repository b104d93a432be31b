"""The take-home report (and the facilitator's per-trainee plan document): a DOCX laid out as a
real document — who and when, what the day's activities left them (their kinds write those
sections: the thinking-preference profile, the self-assessment, the customer list), every plan
with the room's feedback, then points and badges. Every word is document text in the reader's
language; the charts' bars are pictures without text beside their numbers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlmodel import Session

from app.course.models import Course
from app.exports import docxkit, dossier, plan_docx
from app.exports.dossier import Dossier
from app.exports.labels import Labels
from app.live import sessions
from app.models import LiveSession, Participant
from app.modules.contract import ViewContext

if TYPE_CHECKING:
    from docx.document import Document as DocumentObject


def report_docx(
    db: Session, session: LiveSession, course: Course, participant: Participant, lang: str
) -> bytes:
    return docxkit.to_bytes(report_document(db, session, course, participant, lang))


def report_document(
    db: Session, session: LiveSession, course: Course, participant: Participant, lang: str
) -> DocumentObject:
    """The report as a document: saved as DOCX, or read back as a web page (docx_html)."""
    found = dossier.gather(db, session, course, participant)
    words = Labels(course, lang)
    doc = docxkit.new_document(words.t("export.report.title"), lang)
    _cover(doc, found, words)
    _kind_sections(doc, db, session, course, participant, words)
    plan_docx.add_plans(doc, found.plans, words)
    _points(doc, found, words)
    return doc


def _kind_sections(
    doc: DocumentObject, db: Session, session: LiveSession, course: Course, participant: Participant, words
) -> None:
    """Each kind's section, from the first of its activities, in the course's order."""
    for kind in course.kinds_used:
        if kind.overrides("report"):
            activity = course.activities_of(kind.name)[0]
            state = sessions.activity_state(db, session.id, activity.id)
            kind.report(
                doc, words, ViewContext(db, session, course, activity, state, words.lang, participant)
            )


def _cover(doc: DocumentObject, found: Dossier, words: Labels) -> None:
    t = words.t
    docxkit.paragraph(doc, t("export.report.title"), style="Title")
    docxkit.paragraph(
        doc, t("export.report.subtitle", course=words.course.title.get(words.lang)), style="Subtitle"
    )
    rows = [
        [t("export.meta.trainee"), found.participant.display_name],
        [t("export.meta.team"), words.team(found.team)],
        [t("export.meta.date"), found.day.strftime("%Y-%m-%d")],
    ]
    docxkit.pairs(doc, rows, [4, 13])


def _points(doc: DocumentObject, found: Dossier, words: Labels) -> None:
    t = words.t
    docxkit.heading(doc, t("export.points.title"), 1)
    if found.rank is not None:
        docxkit.paragraph(
            doc,
            t(
                "export.points.total",
                points=found.rank.points,
                rank=found.rank.rank,
                out_of=found.rank.out_of,
            ),
        )
    earned = [words.badge(b) for b in found.badges]
    if earned:
        docxkit.table(
            doc, [t("export.badge.name"), t("export.badge.description")], [list(b) for b in earned], [5, 12]
        )
    else:
        docxkit.paragraph(doc, t("export.badges.none"))
    if found.points:
        headers = [t("export.points.activity"), t("export.points.reason"), t("export.points.points")]
        docxkit.table(
            doc,
            headers,
            [[words.activity(p.activity_id), words.reason(p.reason), str(p.points)] for p in found.points],
            [8, 6, 3],
        )

"""The take-home report (and the facilitator's per-trainee plan document): a DOCX laid out as a
real document — who and when, the thinking-preference profile, the self-assessment, the customer
list, every plan with the room's feedback, then points and badges. Every word is document text
in the reader's language; the charts' bars are pictures without text beside their numbers."""

from docx.document import Document as DocumentObject
from sqlmodel import Session

from app.course.models import Course
from app.exports import bars, docxkit, dossier, plan_docx
from app.exports.dossier import Dossier
from app.exports.labels import Labels, number
from app.models import LiveSession, Participant
from app.modules.preference.scoring import Incomplete

BRAND = "#0b5c57"


def report_docx(
    db: Session, session: LiveSession, course: Course, participant: Participant, lang: str
) -> bytes:
    found = dossier.gather(db, session, course, participant)
    words = Labels(course, lang)
    doc = docxkit.new_document(words.t("export.report.title"), lang)
    _cover(doc, found, words)
    _profile(doc, found, words)
    _assessment(doc, found, words)
    _accounts(doc, found, words)
    plan_docx.add_plans(doc, found.plans, words)
    _points(doc, found, words)
    return docxkit.to_bytes(doc)


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


def _profile(doc: DocumentObject, found: Dossier, words: Labels) -> None:
    t, profile = words.t, found.profile
    if profile is None:  # the course has no questionnaire
        return
    docxkit.heading(doc, t("export.profile.title"), 1)
    if isinstance(profile, Incomplete):
        docxkit.paragraph(doc, t("export.profile.unfinished", done=profile.answered, total=profile.total))
        return
    docxkit.paragraph(
        doc,
        t(
            "export.profile.primary",
            style=words.style(profile.primary),
            second=words.style(profile.secondary),
        ),
    )
    rows = [
        [
            words.style(s),
            str(profile.scores[s]),
            t(f"export.level.{profile.levels[s]}"),
            bars.bar(profile.scores[s] / 100, _colour(words, s)),
        ]
        for s in profile.order
    ]
    docxkit.table(
        doc,
        [
            t("export.profile.style"),
            t("export.profile.score"),
            t("export.profile.level"),
            t("export.profile.chart"),
        ],
        rows,
        [4, 3, 3, 7],
    )
    docxkit.paragraph(doc, t("export.profile.note"))


def _colour(words: Labels, style_id: str) -> str:
    style = words.course.style(style_id)
    return style.colour if style else BRAND


def _assessment(doc: DocumentObject, found: Dossier, words: Labels) -> None:
    t, assessment = words.t, found.assessment
    if assessment is None:
        return
    docxkit.heading(doc, t("export.assessment.title"), 1)
    if assessment.values is None:
        docxkit.paragraph(doc, t("export.assessment.unfinished"))
        return
    config, values, lang = assessment.config, assessment.values, words.lang
    docxkit.paragraph(
        doc,
        t("export.assessment.strengths", names=words.listed(c.name.get(lang) for c in assessment.strengths)),
    )
    low, span = config.scale.min, config.scale.max - config.scale.min
    rows = [
        [
            c.name.get(lang),
            f"{values[c.id]:.1f}",
            f"{config.reference[c.id]:.1f}",
            bars.bar((values[c.id] - low) / span, BRAND, marker=(config.reference[c.id] - low) / span),
        ]
        for c in config.competencies
        if c.id in values
    ]
    docxkit.table(
        doc,
        [
            t("export.assessment.competency"),
            t("export.assessment.mine"),
            config.reference_label.get(lang),
            t("export.profile.chart"),
        ],
        rows,
        [5, 2.5, 2.5, 7],
    )
    docxkit.paragraph(doc, t("export.assessment.chart_note"))


def _accounts(doc: DocumentObject, found: Dossier, words: Labels) -> None:
    t = words.t
    docxkit.heading(doc, t("export.accounts.title"), 1)
    rows = [
        [
            a.customer,
            a.note,
            words.stage(a.stage),
            a.grade or "",
            number(a.weighted, 2) or "",
            words.yes_no(a.key_account),
            a.reason,
            words.style(a.preference),
        ]
        for a in found.accounts
    ]
    headers = [
        t(f"export.accounts.{c}")
        for c in ("customer", "note", "stage", "grade", "weighted", "key", "reason", "preference")
    ]
    if not rows:
        docxkit.paragraph(doc, t("export.none_yet"))
        return
    docxkit.table(doc, headers, rows, [1.6, 3, 2, 1.2, 1.6, 1.4, 4.2, 2])


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

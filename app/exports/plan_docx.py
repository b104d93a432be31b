"""One key-account plan as part of a DOCX: a heading per plan, the course's five sections as
sub-headings, the decision-making unit and the objectives as tables, then the room's feedback."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.exports import docxkit
from app.exports.dossier import PlanView
from app.exports.labels import Labels

if TYPE_CHECKING:
    from docx.document import Document as DocumentObject

ANALYSIS = ("profile", "potential", "stage", "needs")
SWOT = ("strengths", "weaknesses", "opportunities", "threats")
RESOURCES = ("calls", "meetings", "materials", "speakers", "covisits", "resources_why")
REVIEW = ("measures", "reviews", "triggers")


def add_plans(doc: DocumentObject, views: list[PlanView], words: Labels) -> None:
    docxkit.heading(doc, words.t("export.plans.title"), 1)
    if not views:
        docxkit.paragraph(doc, words.t("export.plan.none"))
    for view in views:
        add_plan(doc, view, words)


def add_plan(doc: DocumentObject, view: PlanView, words: Labels) -> None:
    t = words.t
    docxkit.heading(doc, t("export.plan.heading", customer=view.plan.customer), 2)
    check = view.check
    docxkit.paragraph(
        doc,
        t(
            "export.plan.completeness",
            percent=check.percent,
            done=len(check.done),
            total=len(check.done) + len(check.missing),
        ),
    )
    if check.missing:
        docxkit.paragraph(doc, t("export.plan.missing", items=words.checks(check.missing)))
    _analysis(doc, view, words)
    _objectives(doc, view, words)
    _fields(doc, "resources", RESOURCES, view, words)
    _messages(doc, view, words)
    _fields(doc, "review", REVIEW, view, words)
    _feedback(doc, view, words)


def _label(words: Labels, name: str) -> str:
    return words.t("common.label", label=words.t(f"export.field.{name}"))


def field_value(body, words: Labels, name: str) -> str:
    """A plain field's text; the stage is a rung id, shown by its name."""
    value = getattr(body, name)
    return words.stage(value) if name == "stage" else value


def _fields(doc: DocumentObject, section: str, names: tuple[str, ...], view: PlanView, words: Labels) -> None:
    docxkit.heading(doc, words.t(f"export.section.{section}"), 3)
    for name in names:
        docxkit.field(doc, _label(words, name), field_value(view.body, words, name))


def _analysis(doc: DocumentObject, view: PlanView, words: Labels) -> None:
    t, body = words.t, view.body
    _fields(doc, "analysis", ANALYSIS, view, words)
    docxkit.paragraph(doc, t("export.field.swot"), style="Caption")
    docxkit.pairs(doc, [[t(f"export.field.{name}"), getattr(body, name)] for name in SWOT], [3.5, 13.5])
    docxkit.paragraph(doc, t("export.field.people"), style="Caption")
    people = [p for p in view.people if p.who or p.role]
    docxkit.table(
        doc,
        [t(f"export.person.{c}") for c in ("who", "role", "influence", "stance", "style")],
        [
            [
                p.who,
                p.role,
                words.choice("influence", p.influence),
                words.choice("stance", p.stance),
                words.style(p.style),
            ]
            for p in people
        ]
        or [[""] * 5],
        [3, 5, 2.5, 2.5, 4],
    )


def _objectives(doc: DocumentObject, view: PlanView, words: Labels) -> None:
    t = words.t
    docxkit.heading(doc, t("export.section.objectives"), 3)
    rows = [
        [
            str(n),
            o.who,
            words.choice("objective.kind", o.kind),
            words.move(o),
            o.text,
            o.measure,
            o.due,
            words.problems(problems),
        ]
        for n, o, problems in view.objectives
    ]
    headers = [
        "#",
        *(t(f"export.objective.{c}") for c in ("who", "kind", "move", "text", "measure", "due", "smart")),
    ]
    docxkit.table(doc, headers, rows or [[""] * 8], [0.7, 1.8, 1.6, 2.4, 3.5, 2.5, 1.6, 2.9])


def _messages(doc: DocumentObject, view: PlanView, words: Labels) -> None:
    t = words.t
    docxkit.heading(doc, t("export.section.communication"), 3)
    people = [p for p in view.people if p.who or p.message]
    docxkit.table(
        doc,
        [t(f"export.person.{c}") for c in ("who", "style", "message")],
        [[p.who, words.style(p.style), p.message] for p in people] or [[""] * 3],
        [3, 3.5, 10.5],
    )


def _feedback(doc: DocumentObject, view: PlanView, words: Labels) -> None:
    t = words.t
    docxkit.heading(doc, t("export.feedback.title"), 3)
    if not view.feedback:
        docxkit.paragraph(doc, t("export.feedback.none"))
        return
    docxkit.paragraph(doc, t("export.feedback.votes", n=len(view.feedback), average=view.average))
    headers = [t("export.feedback.strength"), t("export.feedback.suggestion"), t("export.feedback.vote")]
    rows = [[f.strength, f.suggestion, str(f.vote)] for f in view.feedback]
    docxkit.table(doc, headers, rows, [7.5, 7.5, 2])

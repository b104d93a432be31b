"""The plans for the workbook: one row per filled-in line of a plan — each analysis field, each
person of the decision-making unit, each objective (with its SMART findings), each resource line,
each key message, each review field — with the plan's completeness on every row."""

from app.exports import dossier
from app.exports.dossier import PlanView
from app.exports.labels import Labels
from app.exports.plan_docx import ANALYSIS, RESOURCES, REVIEW, SWOT, field_value
from app.exports.sheets import Room, Sheet
from app.plans import feedback, store


def plan_sheet(room: Room) -> Sheet:
    t = room.words.t
    sheet = Sheet(
        "export.sheet.plans",
        [
            t(f"export.col.{c}")
            for c in ("trainee", "team", "customer", "section", "item", "text", "smart", "completeness")
        ],
    )
    given: dict[int, list] = {}
    for row in feedback.of_session(room.db, room.session.id):
        given.setdefault(row.plan_id, []).append(row)
    for plan in store.of_session(room.db, room.session.id):
        view = dossier.plan_view(room.course, plan, given.get(plan.id, []))
        head = [room.name(plan.participant_id), room.team_of(plan.participant_id), plan.customer]
        lines = plan_lines(view, room.words) or [("", "", "", "")]
        sheet.rows += [[*head, *line, view.check.percent] for line in lines]
    return sheet


def plan_lines(view: PlanView, words: Labels) -> list[tuple[str, str, str, str]]:
    """(section, item, text, SMART findings) for every line of the plan that has text."""
    t, body = words.t, view.body
    lines = [("analysis", t(f"export.field.{n}"), field_value(body, words, n), "") for n in ANALYSIS]
    lines += [("analysis", t(f"export.field.{n}"), getattr(body, n), "") for n in SWOT]
    lines += [
        (
            "analysis",
            _who(words, "export.field.people", p.who),
            words.listed(
                [
                    p.role,
                    words.choice("influence", p.influence),
                    words.choice("stance", p.stance),
                    words.style(p.style),
                ]
            ),
            "",
        )
        for p in view.people
    ]
    lines += [
        (
            "objectives",
            _who(words, "export.objective.number", o.who, n=n),
            _objective(o, words),
            words.problems(problems),
        )
        for n, o, problems in view.objectives
    ]
    lines += [("resources", t(f"export.field.{n}"), getattr(body, n), "") for n in RESOURCES]
    lines += [
        ("communication", _who(words, "export.person.message", p.who), p.message, "") for p in view.people
    ]
    lines += [("review", t(f"export.field.{n}"), getattr(body, n), "") for n in REVIEW]
    return [(t(f"export.section.{s}"), item, text, smart) for s, item, text, smart in lines if text]


def _who(words: Labels, key: str, who: str, **values) -> str:
    return words.t("common.label", label=words.t(key, **values)) + who


def _objective(objective, words: Labels) -> str:
    t = words.t
    parts = [
        words.choice("objective.kind", objective.kind),
        words.move(objective),
        objective.text,
        objective.measure and t("common.label", label=t("export.objective.measure")) + objective.measure,
        objective.due and t("common.label", label=t("export.objective.due")) + objective.due,
    ]
    return " · ".join(p for p in parts if p)

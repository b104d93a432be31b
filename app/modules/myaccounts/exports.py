"""The own-territory exercise's parts of the exports: a trainee's customer list in their report,
and everyone's in the session workbook."""

from typing import Any

from app.customers import accounts, selection
from app.customers.accounts import KeyAccount
from app.exports import docxkit
from app.exports.labels import number
from app.live import responses
from app.modules.contract import Sheet, ViewContext


def listing(ctx: ViewContext) -> list[KeyAccount]:
    """The trainee's own customers, ranked by their own weights (equal ones if they set none)."""
    weights = selection.usable_weights(responses.mine_here(ctx).get("weights"))
    return accounts.listing(ctx.db, ctx.session.id, ctx.participant.id, ctx.course.territory, weights)


def report(doc: Any, words: Any, ctx: ViewContext) -> None:
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
        for a in listing(ctx)
    ]
    if not rows:
        docxkit.paragraph(doc, t("export.none_yet"))
        return
    columns = ("customer", "note", "stage", "grade", "weighted", "key", "reason", "preference")
    headers = [t(f"export.accounts.{c}") for c in columns]
    docxkit.table(doc, headers, rows, [1.6, 3, 2, 1.2, 1.6, 1.4, 4.2, 2])


def account_sheet(room: Any) -> Sheet:
    t, words = room.words.t, room.words
    territory = room.course.territory
    criteria = list(territory.criteria)
    grades = {s.id: s.grade for s in territory.segments}
    sheet = Sheet(
        "export.sheet.accounts",
        [
            t("export.col.trainee"),
            t("export.col.team"),
            t("export.accounts.customer"),
            t("export.accounts.note"),
            t("export.accounts.stage"),
            *(c.name.get(words.lang) for c in criteria),
            t("export.accounts.grade"),
            t("export.accounts.key"),
            t("export.accounts.reason"),
        ],
    )
    for row in accounts.of_session(room.db, room.session.id):
        sheet.rows.append(
            [
                room.name(row.participant_id),
                room.team_of(row.participant_id),
                row.customer,
                row.note,
                words.stage(row.stage),
                *(row.scores.get(c.id) for c in criteria),
                grades.get(row.segment or "", ""),
                words.yes_no(row.key_account),
                row.reason,
            ]
        )
    return sheet

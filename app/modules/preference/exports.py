"""The questionnaire's parts of the exports: the profile in a trainee's take-home report; the
profiles sheet and each trainee's strongest preference in the session workbook."""

from typing import Any

from app.course.models import STYLE_IDS
from app.exports import bars, docxkit
from app.modules.contract import Sheet, ViewContext
from app.modules.preference import profiles
from app.modules.preference.scoring import Incomplete


def report(doc: Any, words: Any, ctx: ViewContext) -> None:
    t = words.t
    profile = profiles.profile_of(ctx.db, ctx.session.id, ctx.course, ctx.participant.id)
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
    headers = [t(f"export.profile.{c}") for c in ("style", "score", "level", "chart")]
    docxkit.table(doc, headers, rows, [4, 3, 3, 7])
    docxkit.paragraph(doc, t("export.profile.note"))


def _colour(words: Any, style_id: str) -> str:
    style = words.course.style(style_id)
    return style.colour if style else bars.BRAND


def finished_profiles(room: Any) -> dict[int, dict]:
    """Every finished profile of the session by participant, read once for the whole workbook."""

    def read() -> dict[int, dict]:
        rows = profiles.export_rows(room.db, room.session.id, room.course)
        return {row["participant_id"]: row for row in rows}

    return room.once("preference.profiles", read)


def profile_sheet(room: Any) -> Sheet:
    t, words = room.words.t, room.words
    styles = [s for s in STYLE_IDS if room.course.style(s)]
    sheet = Sheet(
        "export.sheet.profiles",
        [
            t("export.col.trainee"),
            t("export.col.team"),
            t("export.col.primary"),
            t("export.col.secondary"),
            *(t("export.col.score", style=words.style(s)) for s in styles),
            *(t("export.col.level", style=words.style(s)) for s in styles),
        ],
    )
    for pid, row in sorted(finished_profiles(room).items()):
        sheet.rows.append(
            [
                row["name"],
                room.team_of(pid),
                words.style(row["primary"]),
                words.style(row["secondary"]),
                *(row[f"{s}_score"] for s in styles),
                *(t(f"export.level.{row[f'{s}_level']}") for s in styles),
            ]
        )
    return sheet


def primary_column(room: Any) -> tuple[str, dict[int, str]]:
    """The trainees sheet's column: each trainee's strongest preference, once they finished."""
    found = finished_profiles(room)
    return room.words.t("export.col.primary"), {
        pid: room.words.style(r["primary"]) for pid, r in found.items()
    }

"""The room's tags on each case for the workbook: one row per tag, where it was made, the
trainee's comment, and whether it met one of the expert's annotations."""

from typing import Any

from app.course.models import Activity
from app.modules.case import tags
from app.modules.contract import Sheet
from app.templating import minutes_seconds

COLUMNS = ("activity", "trainee", "team", "where", "tag", "comment", "near_expert")


def case_sheet(room: Any, activities: list[Activity]) -> Sheet:
    sheet = Sheet("export.sheet.cases", [room.words.t(f"export.col.{c}") for c in COLUMNS])
    for activity in activities:
        sheet.rows += _rows(room, activity)
    return sheet


def _rows(room: Any, activity: Activity) -> list[list]:
    words, config = room.words, activity.config
    labels = {tag.id: tag.label.get(words.lang) for tag in config.tags}
    title, rows = words.activity(activity.id), []
    for person, mine in sorted(tags.everyone(room.db, room.session.id, activity.id).items()):
        if not room.name(person):
            continue
        for tag in sorted(mine, key=lambda t: t["at"]):
            near = bool(tags.matched(config, [tag]))
            where = _line(room, tag["at"]) if config.script is not None else minutes_seconds(tag["at"])
            rows.append(
                [
                    title,
                    room.name(person),
                    room.team_of(person),
                    where,
                    labels.get(tag["tag"], tag["tag"]),
                    tag.get("comment", ""),
                    words.t("export.yes") if near else words.t("export.no"),
                ]
            )
    return rows


def _line(room: Any, at: float) -> str:
    return room.words.t("case.line", n=int(at) + 1)

"""The room's tags on each case for the workbook: one row per tag, where it was made, the
trainee's comment, and whether it met one of the expert's annotations."""

from app.exports.sheets import Room, Sheet
from app.modules.case import tags
from app.templating import minutes_seconds


def case_sheet(room: Room) -> Sheet:
    t = room.words.t
    sheet = Sheet(
        "export.sheet.cases",
        [
            t(f"export.col.{c}")
            for c in ("activity", "trainee", "team", "where", "tag", "comment", "near_expert")
        ],
    )
    for activity in room.course.activities:
        if activity.kind == "case":
            sheet.rows += _rows(room, activity)
    return sheet


def _rows(room: Room, activity) -> list[list]:
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


def _line(room: Room, at: float) -> str:
    return room.words.t("case.line", n=int(at) + 1)

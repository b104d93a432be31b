"""The answers sheet of the workbook: one row per trainee and question, from every kind that
writes rows there (polls, quizzes), in the course's order."""

from app.exports.sheets import Room, Sheet
from app.live import responses

COLUMNS = ("activity", "kind", "question", "trainee", "team", "answer", "correct")


def answer_sheet(room: Room) -> Sheet:
    sheet = Sheet("export.sheet.answers", [room.words.t(f"export.col.{c}") for c in COLUMNS])
    for activity in room.course.activities:
        kind = room.course.kind_of(activity)
        if kind.overrides("answer_rows"):
            given = responses.every(room.db, room.session.id, activity.id)
            sheet.rows += kind.answer_rows(room, activity, sorted(given, key=lambda r: r.participant_id))
    return sheet

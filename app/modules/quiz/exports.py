"""A quiz's rows in the workbook's answers sheet: each trainee's answer per question in words,
and whether it was right."""

from typing import Any

from app.course.models import Activity
from app.models import Response


def answer_rows(room: Any, activity: Activity, given: list[Response]) -> list[list]:
    words, title, rows = room.words, room.words.activity(activity.id), []
    for question in activity.config.questions:
        options = {o.id: o.text.get(words.lang) for o in question.options}
        options |= {"true": words.t("quiz.true"), "false": words.t("quiz.false")}
        between = " → " if question.type == "order" else words.t("common.list_sep")
        for r in given:
            if r.item != question.id or not room.name(r.participant_id):
                continue
            choice = r.value.get("choice", [])
            rows.append(
                [
                    title,
                    words.t("export.kind.quiz"),
                    question.prompt.get(words.lang),
                    room.name(r.participant_id),
                    room.team_of(r.participant_id),
                    between.join(options.get(c, c) for c in choice),
                    words.t("export.right") if question.is_correct(choice) else words.t("export.wrong"),
                ]
            )
    return rows

"""A poll's rows in the workbook's answers sheet: each trainee's choices in words."""

from typing import Any

from app.course.models import Activity
from app.models import Response


def answer_rows(room: Any, activity: Activity, given: list[Response]) -> list[list]:
    words, config = room.words, activity.config
    options = {o.id: o.text.get(words.lang) for o in config.options}
    title, question = words.activity(activity.id), config.question.get(words.lang)
    return [
        [
            title,
            words.t("export.kind.poll"),
            question,
            room.name(r.participant_id),
            room.team_of(r.participant_id),
            words.listed(options.get(c, c) for c in r.value.get("choices", [])),
            "",
        ]
        for r in given
        if room.name(r.participant_id)
    ]

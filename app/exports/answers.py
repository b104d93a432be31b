"""The polls' and quizzes' answers for the workbook: one row per trainee and question, with the
options in words and, for a quiz, whether the answer was right."""

from app.exports.sheets import Room, Sheet
from app.live import responses

KINDS = ("poll", "quiz")


def answer_sheet(room: Room) -> Sheet:
    t = room.words.t
    sheet = Sheet(
        "export.sheet.answers",
        [
            t(f"export.col.{c}")
            for c in ("activity", "kind", "question", "trainee", "team", "answer", "correct")
        ],
    )
    for activity in room.course.activities:
        if activity.kind in KINDS:
            given = sorted(
                responses.every(room.db, room.session.id, activity.id), key=lambda r: r.participant_id
            )
            rows = _poll if activity.kind == "poll" else _quiz
            sheet.rows += rows(room, activity, given)
    return sheet


def _poll(room: Room, activity, given) -> list[list]:
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


def _quiz(room: Room, activity, given) -> list[list]:
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

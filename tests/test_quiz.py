"""The quiz: a timer the facilitator runs, answers until it closes, points once on the reveal."""

import threading
from contextlib import contextmanager
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import event
from sqlmodel import Session, select

from app.errors import ServiceError
from app.live import actions, responses, sessions
from app.models import Participant, utcnow
from app.modules.quiz import flow, scrambled
from app.modules.quiz.config import QuizConfig
from app.points import ledger
from tests.support.clients import join
from tests.support.html import elements, one
from tests.support.i18n import t
from tests.support.quiz import answer, quiz_room, step, with_quiz
from tests.support.ws import HEADERS, receive_until


@pytest.fixture
def quiz_app(settings, tmp_path):
    with quiz_room(settings, with_quiz(tmp_path)) as room:
        yield room


def board(app, session_id):
    with Session(app.state.engine) as db:
        return {t.name: t.points for t in ledger.team_board(db, session_id, activities={"test-quiz"})}


def test_a_whole_question_from_start_to_reveal(quiz_app):
    app, trainer, session_id, code = quiz_app
    right, wrong, silent = join(app, code, "对"), join(app, code, "错"), join(app, code, "静")
    trainer.post(f"/control/{session_id}/teams/balance", data={"count": "3"})
    assert t("activity.error.closed") in answer(right, code, "q1", "scale", status=409)  # not started yet
    step(trainer, session_id, "start")
    answer(right, code, "q1", "gifts")
    answer(right, code, "q1", "scale")  # changed their mind before the close
    answer(wrong, code, "q1", "gifts")
    step(trainer, session_id, "close")
    assert t("activity.error.closed") in answer(wrong, code, "q1", "scale", status=409)
    step(trainer, session_id, "reveal")
    step(trainer, session_id, "reveal")  # twice: points still once
    scores = board(app, session_id)
    assert sorted(scores.values()) == [0, 0, scores[max(scores, key=scores.get)]]
    assert 100 <= max(scores.values()) <= 120
    page = right.get(f"/play/{code}").text
    assert t("quiz.you_right") in page and "规模是四项标准之一" in page
    assert t("quiz.no_answer") in silent.get(f"/play/{code}").text


def test_time_up_closes_the_question_even_after_a_restart(quiz_app):
    app, trainer, session_id, code = quiz_app
    phone = join(app, code, "甲")
    step(trainer, session_id, "start")
    with Session(app.state.engine) as db:
        session = sessions.get(db, session_id)
        state = sessions.activity_state(db, session_id, "test-quiz")
        late = dict(state.data, opened_at=(utcnow() - timedelta(seconds=31)).isoformat())
        sessions.save_activity_data(db, session, app.state.courses["kam"], "test-quiz", late)
    assert t("activity.error.closed") in answer(phone, code, "q1", "scale", status=409)
    assert t("quiz.times_up") in phone.get(f"/play/{code}").text


def test_an_answer_is_judged_by_when_it_arrived_not_when_it_was_processed(quiz_app):
    """A tap that reached a busy server a second before time ran out still counts, with the
    time it was given in; one that arrived after the end does not."""
    app, trainer, session_id, code = quiz_app
    join(app, code, "甲")
    step(trainer, session_id, "start")
    with Session(app.state.engine, expire_on_commit=False) as db:
        session, course = sessions.get(db, session_id), app.state.courses["kam"]
        state = sessions.activity_state(db, session_id, "test-quiz")
        opened = utcnow() - timedelta(seconds=31)  # a 30 s question: time is up now
        sessions.save_activity_data(
            db, session, course, "test-quiz", dict(state.data, opened_at=opened.isoformat())
        )
        me = db.exec(select(Participant).where(Participant.session_id == session_id)).one()
        payload = {"question": "q1", "choice": ["scale"]}
        in_time = actions.Attempt("answer", payload, "test-quiz", arrived=opened + timedelta(seconds=29))
        actions.perform(db, sessions.get(db, session_id), course, me, in_time)
        assert responses.mine(db, session_id, "test-quiz", me.id)["q1"]["after"] == pytest.approx(29, abs=0.1)
        late = actions.Attempt("answer", payload, "test-quiz")
        with pytest.raises(ServiceError, match="activity.error.closed"):
            actions.perform(db, sessions.get(db, session_id), course, me, late)


def test_questions_follow_each_other_and_the_order_question_builds_up(quiz_app):
    app, trainer, session_id, code = quiz_app
    phone = join(app, code, "甲")
    step(trainer, session_id, "start")
    assert t("quiz.error.reveal_first") in step(trainer, session_id, "next", status=409)
    step(trainer, session_id, "reveal")
    step(trainer, session_id, "next")
    step(trainer, session_id, "start")
    step(trainer, session_id, "reveal")
    step(trainer, session_id, "next")
    step(trainer, session_id, "start")
    answer(phone, code, "q3", "consider")
    phone.post(
        f"/play/{code}/act/reorder",
        headers={"HX-Request": "true"},
        data={"activity": "test-quiz", "question": "q3"},
    )
    for item in ("aware", "consider", "decide"):
        answer(phone, code, "q3", item)
    step(trainer, session_id, "reveal")
    assert t("quiz.you_right") in phone.get(f"/play/{code}").text
    step(trainer, session_id, "next")
    assert t("quiz.finished") in trainer.get(f"/screen/{session_id}").text


def test_bad_answers_are_told(quiz_app):
    app, trainer, session_id, code = quiz_app
    phone = join(app, code, "甲")
    step(trainer, session_id, "start")
    assert t("activity.error.invalid") in answer(phone, code, "q1", "nonsense", status=400)
    assert t("activity.error.invalid") in answer(phone, code, "q1", "scale", "gifts", status=400)
    assert t("activity.error.closed") in answer(
        phone, code, "q2", "true", status=409
    )  # not the question asked


def test_points_reward_accuracy_first():
    config = QuizConfig.model_validate(
        {
            "questions": [
                {
                    "id": "q",
                    "type": "truefalse",
                    "prompt": {"zh-CN": "题", "en": "Q"},
                    "answer": True,
                    "explanation": {"zh-CN": "因为", "en": "Because"},
                }
            ]
        }
    )
    question = config.questions[0]
    fastest = flow.points_for(question, config, 0, 30)
    slowest = flow.points_for(question, config, 30, 30)
    assert (fastest, slowest) == (120, 100)
    assert all(
        flow.points_for(question, config, t, 30) >= flow.points_for(question, config, t + 1, 30)
        for t in range(30)
    )
    with pytest.raises(ValueError, match="quarter"):
        QuizConfig.model_validate({**config.model_dump(), "speed_bonus": 60})


@contextmanager
def statements(engine):
    """The SQL statements the request runs meanwhile: not the publisher's renders, which run
    beside it in the event loop's own threads, as many as a busy machine happens to fit in."""
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        if not threading.current_thread().name.startswith("asyncio"):
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_a_reveal_costs_the_same_statements_for_a_room_of_any_size(quiz_app):
    """Points and badge checks are set-based: revealing to three trainees or to twelve runs the
    same statements, not a few per trainee."""
    app, trainer, session_id, code = quiz_app
    counts = []
    for room_size in (3, 12):
        phones = [join(app, code, f"r{room_size}-{n}") for n in range(room_size - len(counts) * 3)]
        step(trainer, session_id, "next" if counts else "start")
        if counts:
            step(trainer, session_id, "start")
        question = "q1" if not counts else "q2"
        for phone in phones:
            answer(phone, code, question, "scale" if question == "q1" else "false")
        with statements(app.state.engine) as seen:
            step(trainer, session_id, "reveal")
        counts.append(len(seen))
    assert counts[0] == counts[1] > 0, counts


def test_after_a_reveal_every_connected_phone_shows_its_points(quiz_app):
    """A new stage leaves the headers as they are; points given by a reveal reach them."""
    app, trainer, session_id, code = quiz_app
    phone = join(app, code, "甲")
    step(trainer, session_id, "start")
    answer(phone, code, "q1", "scale")
    with phone.websocket_connect(f"/ws/play/{code}", headers=HEADERS) as ws:
        receive_until(ws, 'id="play-me"')  # the header that follows the snapshot: no points yet
        step(trainer, session_id, "reveal")
        header = receive_until(ws, 'class="me-points"')
        assert 'id="play-me"' in header and t("quiz.you_right") in header


def test_after_a_reveal_the_board_says_who_moved_and_the_phone_what_it_earned(quiz_app):
    """Team 2 leads after question 1, answered late (a small speed bonus); team 1 overtakes it
    with a quick right answer to question 2. The phones' cards say what each answer earned."""
    app, trainer, session_id, code = quiz_app
    first, second = join(app, code, "甲"), join(app, code, "乙")
    trainer.post(f"/control/{session_id}/teams/balance", data={"count": "2"})
    step(trainer, session_id, "start")
    answer(first, code, "q1", "gifts")
    with Session(app.state.engine) as db:
        session = sessions.get(db, session_id)
        state = sessions.activity_state(db, session_id, "test-quiz")
        late = dict(state.data, opened_at=(utcnow() - timedelta(seconds=25)).isoformat())
        sessions.save_activity_data(db, session, app.state.courses["kam"], "test-quiz", late)
    answer(second, code, "q1", "scale")
    step(trainer, session_id, "reveal")
    assert one(second.get(f"/play/{code}").text, ".answer-card.right .answer-gained").text.startswith("+1")
    wrong = one(first.get(f"/play/{code}").text, ".answer-card.wrong")
    assert "采购规模" in one(wrong, ".answer-right").text and "礼品" in one(wrong, ".answer-picked").text
    step(trainer, session_id, "next")
    step(trainer, session_id, "start")
    answer(first, code, "q2", "false")
    answer(second, code, "q2", "true")
    step(trainer, session_id, "reveal")
    rows = elements(trainer.get(f"/screen/{session_id}").text, ".quiz-board li")
    names = [t("team.default_name", n=n) for n in (1, 2)]
    assert [one(row, ".team-name").text for row in rows] == names
    assert "--from: 1" in rows[0].attrs["style"] and "--from: -1" in rows[1].attrs["style"]
    assert one(rows[0], ".move.up").text == "▲1" + t("board.up", n=1)
    assert one(rows[1], ".move.down").text == "▼1" + t("board.down", n=1)


def test_a_streak_counts_right_answers_in_a_row_up_to_the_revealed_question(quiz_app):
    app, trainer, session_id, code = quiz_app
    phone = join(app, code, "甲")
    for question, choice in (("q1", "scale"), ("q2", "false")):
        step(trainer, session_id, "start")
        answer(phone, code, question, choice)
        step(trainer, session_id, "reveal")
        card = one(phone.get(f"/play/{code}").text, ".answer-card.right")
        step(trainer, session_id, "next")
    assert one(card, ".answer-streak").text == t("answer.streak", n=2)


@given(
    items=st.lists(st.text(min_size=1, max_size=4), min_size=2, max_size=8, unique=True),
    seed=st.text(max_size=12),
)
def test_an_order_question_is_shown_scrambled_the_same_way_everywhere(items, seed):
    shown = scrambled(items, seed)
    assert sorted(shown) == sorted(items) and shown != items  # never the answer itself
    assert scrambled(items, seed) == shown  # every phone and the projector: the same letters

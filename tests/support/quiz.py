"""A three-question quiz added to unit 1, and the facilitator's and trainees' moves in it."""

import textwrap
from contextlib import contextmanager
from pathlib import Path

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.auth import accounts
from app.live import sessions
from app.main import create_app
from tests.support.clients import PASSWORD, login, post_action
from tests.support.content import sample_copy

QUIZ = textwrap.indent(
    textwrap.dedent("""\
      - id: test-quiz
        kind: quiz
        title: {zh-CN: 小测验, en: Little quiz}
        minutes: 5
        speed_bonus: 20
        questions:
          - id: q1
            prompt: {zh-CN: 哪个是标准？, en: "Which is a criterion?"}
            options:
              - {id: scale, text: {zh-CN: 采购规模, en: Purchase scale}}
              - {id: gifts, text: {zh-CN: 礼品, en: Gifts}}
            correct: [scale]
            explanation: {zh-CN: 规模是四项标准之一。, en: Scale is one of the four criteria.}
          - id: q2
            type: truefalse
            prompt: {zh-CN: 拜访越多越好。, en: More calls are always better.}
            answer: false
            explanation: {zh-CN: 超过最佳频率没有用。, en: Beyond the optimum they add nothing.}
          - id: q3
            type: order
            prompt: {zh-CN: 排序, en: Order}
            options:
              - {id: aware, text: {zh-CN: 意识, en: Awareness}}
              - {id: consider, text: {zh-CN: 考虑, en: Consideration}}
              - {id: decide, text: {zh-CN: 决策, en: Decision}}
            explanation: {zh-CN: 采纳周期的顺序。, en: The adoption cycle in order.}
    """),
    "  ",
)


def step(trainer, session_id, name, status=200):
    response = trainer.post(f"/control/{session_id}/kind/{name}", data={"activity": "test-quiz"})
    assert response.status_code == status, response.text
    return response.text


def answer(phone, code, question, *choice, status=200):
    return post_action(phone, code, "answer", "test-quiz", status, question=question, choice=list(choice))


def with_quiz(tmp_path: Path) -> Path:
    """A copy of the sample content with the test quiz at the end of unit 1."""
    content = sample_copy(tmp_path)
    unit = content / "kam" / "units" / "1-success-factors.yaml"
    unit.write_text(unit.read_text(encoding="utf-8") + "\n" + QUIZ, encoding="utf-8")
    return content


@contextmanager
def quiz_room(settings, content: Path):
    """The app on `content`, its facilitator logged in, a session open on the test quiz:
    yields (app, trainer, session_id, code)."""
    app = create_app(settings.model_copy(update={"content_dir": content}))
    with trainer_room(app) as (trainer, session_id, code):
        trainer.post(f"/control/{session_id}/go", data={"activity": "test-quiz"})
        yield app, trainer, session_id, code


@contextmanager
def trainer_room(app):
    """The app running, its facilitator logged in with a session open: (trainer, session id, code)."""
    with TestClient(app) as trainer:
        with Session(app.state.engine) as db:
            accounts.create(db, "trainer", PASSWORD)
        login(trainer)
        opened = trainer.post("/control/sessions", data={"course_id": "kam"}, follow_redirects=False)
        session_id = int(opened.headers["location"].rsplit("/", 1)[1])
        with Session(app.state.engine) as db:
            code = sessions.get(db, session_id).code
        yield trainer, session_id, code

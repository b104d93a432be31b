"""Badges: content rules over what kinds report; earned once, kept, shown on the phone."""

import pytest
from sqlmodel import Session

from app.course.models import Badge
from app.points import badges
from tests.support.clients import join
from tests.support.quiz import answer, quiz_room, step, with_quiz

BADGES = """
badges:
  - id: sharp
    name: {zh-CN: 神准, en: Sharp}
    description: {zh-CN: 至少答对八成, en: At least 80 % right}
    rule: {fact: quiz.right, of: quiz.asked, min_percent: 80, min_of: 2}
"""


def test_rules():
    badge = Badge.model_validate(
        {
            "id": "b",
            "name": {"zh-CN": "名", "en": "N"},
            "description": {"zh-CN": "述", "en": "D"},
            "rule": {"fact": "quiz.right", "of": "quiz.asked", "min_of": 5},
        }
    )
    assert badges.qualifies(badge, {"quiz.right": 4, "quiz.asked": 5})
    assert not badges.qualifies(badge, {"quiz.right": 3, "quiz.asked": 5})
    assert not badges.qualifies(badge, {"quiz.right": 3, "quiz.asked": 3})  # too few asked yet
    simple = badge.model_copy(update={"rule": badge.rule.model_copy(update={"of": None, "min": 2})})
    assert badges.qualifies(simple, {"quiz.right": 2}) and not badges.qualifies(simple, {})


@pytest.fixture
def badge_app(settings, tmp_path):
    content = with_quiz(tmp_path)
    course = content / "kam" / "course.yaml"
    text = course.read_text(encoding="utf-8")
    course.write_text(text[: text.index("badges:")] + BADGES, encoding="utf-8")
    with quiz_room(settings, content) as room:
        yield room


def test_a_badge_is_earned_on_the_reveal_and_shown_on_the_phone(badge_app):
    app, trainer, session_id, code = badge_app
    good, poor = join(app, code, "好"), join(app, code, "差")
    step(trainer, session_id, "start")
    answer(good, code, "q1", "scale")
    answer(poor, code, "q1", "gifts")
    step(trainer, session_id, "reveal")
    assert "神准" not in good.get(f"/play/{code}").text  # one question asked: too early
    step(trainer, session_id, "next")
    step(trainer, session_id, "start")
    answer(good, code, "q2", "false")
    answer(poor, code, "q2", "false")
    step(trainer, session_id, "reveal")
    assert "★ 神准" in good.get(f"/play/{code}").text
    assert "神准" not in poor.get(f"/play/{code}").text
    step(trainer, session_id, "reveal")  # again: still one badge
    with Session(app.state.engine) as db:
        assert list(badges.earned(db, session_id).values()) == [["sharp"]]

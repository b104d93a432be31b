"""When the content says trainees score alone, each keeps their own scores and the team's
ranking is the mean of its members' weighted scores."""

from fractions import Fraction

import pytest

from tests.support.content import with_activity
from tests.support.html import texts
from tests.support.keyaccount import act, phase, two_teams

SOLO_ID = "test-ka-solo"
SOLO = """\
- id: test-ka-solo
  kind: keyaccount
  title: {zh-CN: 个人打分, en: Scoring alone}
  minutes: 5
  scoring: individual
  intro: {zh-CN: 各自打分。, en: Score on your own.}
"""


@pytest.fixture
def settings(settings, tmp_path):
    return with_activity(settings, tmp_path, SOLO)


@pytest.fixture
def room(app, trainer, live, db):
    return two_teams(app, trainer, live, db)


def test_each_member_scores_alone_and_the_team_ranks_by_the_mean(room, trainer, course):
    session_id, code, phones, people = room
    trainer.post(f"/control/{session_id}/go", data={"activity": SOLO_ID})
    phase(trainer, session_id, "score")
    card = course.territory.customers[0]
    for name, value in (("A1", 5), ("A2", 2)):
        for criterion in ("scale", "influence", "potential", "recognition"):
            page = act(
                phones[name], code, "score", activity=SOLO_ID, card=card.id, criterion=criterion, score=value
            )
    assert texts(page, "[aria-pressed=true]").count("2") == 4  # A2 sees their own scores...
    assert f"{float(Fraction(7, 2)):.2f}" in page  # ...and the team's mean, 3.50
    a1 = phones["A1"].get(f"/play/{code}").text
    assert texts(a1, "[aria-pressed=true]").count("5") == 4 and "3.50" in a1

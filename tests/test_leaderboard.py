"""Leaderboards: teams first, only the top few people on the screen, each phone its own rank."""

import re

import pytest

from app.live import participants
from app.models import Team
from app.points import ledger
from app.points.models import EarnedBadge
from tests.support.clients import join
from tests.support.html import elements, texts
from tests.support.i18n import t
from tests.support.ws import HEADERS, receive_until

BOARD = "u1-leaderboard"


def test_board_shows_teams_top_people_and_my_rank(app, trainer, live, db):
    session_id, code = live
    phones = {name: join(app, code, name) for name in ("甲", "乙", "丙", "丁", "戊")}
    trainer.post(f"/control/{session_id}/teams/balance", data={"count": "2"})
    people = {p.display_name: p for p in participants.roster(db, session_id)}
    for points, name in enumerate(("甲", "乙", "丙", "丁", "戊"), start=1):
        ledger.award(
            db,
            session_id,
            activity_id="u1-quiz",
            reason="quiz.correct",
            points=points * 10,
            key=f"t:{name}",
            participant_id=people[name].id,
        )
    ledger.award(
        db,
        session_id,
        activity_id="u3-detective-game",
        reason="game",
        points=999,
        key="other-unit",
        participant_id=people["甲"].id,
    )  # not in this unit's board
    trainer.post(f"/control/{session_id}/go", data={"activity": BOARD})
    screen = trainer.get(f"/screen/{session_id}").text
    named = re.findall(r'<li><span class="rank">(\d+)</span><span>([^<]+)</span>', screen)
    assert named == [("1", "戊"), ("2", "丁"), ("3", "丙")]  # top 3 only, unit 1 points only
    assert screen.index(t("board.teams")) < screen.index(t("board.top_people", n=3))
    assert t("board.my_rank", rank=5, out_of=5, n=10) in phones["甲"].get(f"/play/{code}").text


def test_facilitator_can_hide_every_leaderboard(app, trainer, live, db):
    session_id, code = live
    phone = join(app, code, "甲")
    me = participants.roster(db, session_id)[0]
    ledger.award(
        db, session_id, activity_id="u1-quiz", reason="quiz.correct", points=50, key="k", participant_id=me.id
    )
    trainer.post(f"/control/{session_id}/go", data={"activity": BOARD})
    trainer.post(f"/control/{session_id}/leaderboards", data={"hidden": "true"})
    assert t("board.hidden") in trainer.get(f"/screen/{session_id}").text
    page = phone.get(f"/play/{code}").text
    assert t("board.hidden") in page and "第 1 名" not in page and t("play.points_only", n=50) in page
    trainer.post(f"/control/{session_id}/leaderboards", data={"hidden": "false"})
    assert t("play.points", n=50, rank=1) in phone.get(f"/play/{code}").text


# ---- the day's standings and the closing ceremony ----------------------------------------------

CEREMONY = "u4-ceremony"


def _points(db, session_id, people, by_name: dict[str, int], activity="u1-quiz"):
    for name, points in by_name.items():
        ledger.award(
            db,
            session_id,
            activity_id=activity,
            reason="quiz.correct",
            points=points,
            key=f"t:{activity}:{name}",
            participant_id=people[name].id,
        )


def test_the_standings_after_unit_2_are_the_day_s_so_far(app, trainer, live, db):
    session_id, code = live
    join(app, code, "甲")
    people = {p.display_name: p for p in participants.roster(db, session_id)}
    _points(db, session_id, people, {"甲": 40})
    _points(db, session_id, people, {"甲": 20}, activity="u2-quiz")
    trainer.post(f"/control/{session_id}/go", data={"activity": "u2-leaderboard"})
    screen = trainer.get(f"/screen/{session_id}").text
    assert re.findall(
        r'<li><span class="rank">1</span><span>甲</span><span class="team-points">(\d+)<', screen
    ) == ["60"]
    assert t("board.scope_day") in trainer.get(f"/control/{session_id}").text


@pytest.fixture
def ceremony(app, trainer, live, db):
    """Four teams of one trainee each, with points 10 < 20 < 30 < 40; 甲 and 乙 earned the quiz
    badge, 丙 the plan badge; the ceremony on screen."""
    session_id, code = live
    names = ("甲", "乙", "丙", "丁")
    phones = {name: join(app, code, name) for name in names}
    trainer.post(f"/control/{session_id}/teams/balance", data={"count": "4"})
    people = {p.display_name: p for p in participants.roster(db, session_id)}
    _points(db, session_id, people, {name: 10 * (n + 1) for n, name in enumerate(names)})
    for name, badge in (("甲", "quiz-master"), ("乙", "quiz-master"), ("丙", "smart-plan")):
        db.add(EarnedBadge(session_id=session_id, participant_id=people[name].id, badge_id=badge))
    db.commit()
    teams = {p.display_name: p.team_id for p in participants.roster(db, session_id)}
    trainer.post(f"/control/{session_id}/go", data={"activity": CEREMONY})
    return session_id, code, phones, teams


def reveal(trainer, session_id, shown, name="reveal"):
    response = trainer.post(
        f"/control/{session_id}/kind/{name}", data={"activity": CEREMONY, "shown": str(shown)}
    )
    assert response.status_code == 200, response.text
    return response.text


def test_the_ceremony_reveals_each_badge_then_the_podium_one_click_at_a_time(trainer, ceremony, db):
    session_id, code, phones, teams = ceremony
    screen = trainer.get(f"/screen/{session_id}").text
    assert texts(screen, ".ceremony-waiting") == [t("board.waiting")]
    assert "丁" not in screen and not elements(screen, ".award")  # nothing revealed yet
    control = trainer.get(f"/control/{session_id}").text
    first = t("board.reveal_next", n=1, total=6, what=t("board.step_badge", name="测验达人"))
    assert first in texts(control, ".leaderboard-control button")

    reveal(trainer, session_id, 0)
    reveal(trainer, session_id, 0)  # the same click again: one step only
    screen = trainer.get(f"/screen/{session_id}").text
    assert texts(screen, ".award-name") == ["★ 测验达人"]
    assert texts(screen, ".award-names li") == ["甲", "乙"]
    assert texts(screen, ".award-count") == [t("board.badge_holders", n=2)]
    assert t("board.my_badge", name="测验达人") in phones["甲"].get(f"/play/{code}").text
    assert t("board.my_badge", name="测验达人") not in phones["丙"].get(f"/play/{code}").text

    reveal(trainer, session_id, 1)  # the plan badge
    assert t("board.my_badge", name="计划书达人") in phones["丙"].get(f"/play/{code}").text
    reveal(trainer, session_id, 2)  # third place
    screen = trainer.get(f"/screen/{session_id}").text
    assert texts(screen, ".podium-places .place-name") == [t(f"board.place_{n}") for n in (1, 2, 3)]
    assert texts(screen, ".podium-places .team-name") == ["？", "？", _team_name(db, teams["乙"])]
    assert texts(screen, ".podium-places .team-points") == ["20"]
    assert [a.split()[1] for a in texts(screen, ".award-chip")] == ["测验达人", "计划书达人"]

    reveal(trainer, session_id, 3)
    control = reveal(trainer, session_id, 4)  # first place
    names = texts(trainer.get(f"/screen/{session_id}").text, ".podium-places .team-name")
    assert names == [_team_name(db, teams[name]) for name in ("丁", "丙", "乙")]
    assert t("board.reveal_next", n=6, total=6, what=t("board.step_board")) in texts(control, "button")
    control = reveal(trainer, session_id, 5)  # the whole board: all is revealed
    assert t("board.revealed_all") in control
    screen = trainer.get(f"/screen/{session_id}").text
    assert not elements(screen, ".podium") and len(elements(screen, ".board.teams li")) == 4
    assert texts(screen, ".board.people li")[0] == "1丁40"

    reveal(trainer, session_id, 6, name="hide")  # one step back: the podium again
    reveal(trainer, session_id, 5, name="hide")  # and first place hidden
    names = texts(trainer.get(f"/screen/{session_id}").text, ".podium-places .team-name")
    assert names == ["？", _team_name(db, teams["丙"]), _team_name(db, teams["乙"])]


def _team_name(db, team_id):
    return db.get(Team, team_id).name


def test_a_revealed_badge_reaches_the_phone_that_earned_it(trainer, ceremony):
    session_id, code, phones, _teams = ceremony
    with phones["乙"].websocket_connect(f"/ws/play/{code}", headers=HEADERS) as ws:
        receive_until(ws, 'id="play-own"')
        reveal(trainer, session_id, 0)
        assert "测验达人" in receive_until(ws, t("board.my_badge", name="测验达人"))


def test_with_the_boards_hidden_the_ceremony_reveals_only_the_badges(trainer, ceremony):
    session_id, _code, _phones, _teams = ceremony
    trainer.post(f"/control/{session_id}/leaderboards", data={"hidden": "true"})
    reveal(trainer, session_id, 0)
    control = reveal(trainer, session_id, 1)
    assert t("board.revealed_all") in control
    screen = trainer.get(f"/screen/{session_id}").text
    assert (
        t("board.hidden") in screen
        and not elements(screen, ".podium")
        and not elements(screen, ".board.teams li")
    )

"""Leaderboards: teams first, only the top few people on the screen, each phone its own rank."""

import re

from app.live import participants
from app.points import ledger
from tests.support.clients import join
from tests.support.i18n import t

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

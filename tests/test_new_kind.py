"""Adding an activity kind needs no change to the core: a tiny kind (tests/support/stamp/),
registered only here, runs end to end — content, the three views, its action, its own route and
script, a fact for badges and its rows in the workbook."""

import io
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from app.course.loader import ContentErrors, load_courses
from app.exports import workbook
from app.kinds import KINDS
from app.live import participants, sessions
from app.main import create_app
from app.points import badges
from tests.support.clients import join
from tests.support.html import elements, one
from tests.support.stamp import StampKind

CONTENT = Path(__file__).parent / "support" / "stamp" / "content"
SCRIPT = "/static/kinds/stamp/stamp.js"


@pytest.fixture
def app(settings):
    return create_app(settings.model_copy(update={"content_dir": CONTENT}), kinds=KINDS.with_(StampKind()))


@pytest.fixture
def course(client):
    return client.app.state.courses["stamped"]


@pytest.fixture
def stamping(trainer, live):
    session_id, code = live
    assert trainer.post(f"/control/{session_id}/go", data={"activity": "s1-stamp"}).status_code == 200
    return session_id, code


def test_the_app_without_the_kind_refuses_its_content():
    with pytest.raises(ContentErrors, match="unknown kind 'stamp'"):
        load_courses(CONTENT, KINDS)


def test_a_kind_registered_in_a_test_runs_end_to_end(app, trainer, stamping, db, course):
    session_id, code = stamping
    phone = join(app, code, "甲")
    page = phone.get(f"/play/{code}").text
    assert one(page, "[data-kind=stamp] h2").text == "看到就按"
    assert [s.attrs["src"] for s in elements(page, "script[src]") if "kinds" in s.attrs["src"]] == [
        app.state.assets.url(SCRIPT)  # served from the kind's own folder, under its hash
    ]
    assert phone.get(app.state.assets.url(SCRIPT)).status_code == 200
    for _ in range(3):
        assert phone.post(f"/play/{code}/act/press", data={"activity": "s1-stamp"}).status_code == 200
    assert one(trainer.get(f"/screen/{session_id}").text, "#stamp-total").text == "3"
    assert one(trainer.get(f"/control/{session_id}").text, "#stamp-people").text == "1"
    assert phone.get(f"/play/{code}/stamp/s1-stamp").json() == {"presses": 3}
    assert "loaded" in phone.get(SCRIPT).text
    session = sessions.get(db, session_id)
    me = participants.roster(db, session_id)[0]
    assert badges.facts(db, session, course, me)["stamp.pressed"] == 3
    book = load_workbook(io.BytesIO(workbook.session_workbook(db, session, course, "zh-CN")))
    rows = [[c.value for c in row] for row in book["投票与测验"].iter_rows(min_row=2)]
    assert rows == [["按一下", "stamp", "看到就按", "甲", None, 3, None]]  # empty cells read back as None


def test_the_kinds_route_answers_only_the_trainee_of_the_code(app, stamping):
    _session_id, code = stamping
    stranger = TestClient(app)  # a browser without a seat
    assert stranger.get(f"/play/{code}/stamp/s1-stamp").status_code == 403


def test_a_course_without_the_kind_does_not_load_its_script(client):
    sample = load_courses(Path(__file__).parents[1] / "content", KINDS.with_(StampKind()))["kam"]
    assert SCRIPT not in sample.scripts and "/static/kinds/case/case.js" in sample.scripts
    assert "/static/kinds/case/case.js" not in client.app.state.courses["stamped"].scripts

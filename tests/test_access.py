"""Who may use what: every route of the app declares its audience here, and each is tried as
each kind of visitor (the authorisation matrix); and a session's owner adding and removing a
co-facilitator."""

import re

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select
from starlette.websockets import WebSocketDisconnect

from app.auth import accounts
from app.exports import links
from app.models import Facilitator, Participant, Team
from app.plans.models import Plan
from tests.support.case_content import case_content
from tests.support.clients import ORIGIN, PASSWORD, csrf_of, join, login
from tests.support.i18n import t
from tests.support.routes import routes

ANYONE, FACILITATOR, RUNS, MANAGES, TRAINEE = "anyone", "facilitator", "runs", "manages", "trainee"
# Every route and who may use it. A route missing here fails the test: say who it is for.
AUDIENCES = {
    "GET /login": ANYONE,
    "POST /login": ANYONE,
    "POST /logout": ANYONE,
    "POST /lang": ANYONE,
    "GET /": ANYONE,
    "GET /healthz": ANYONE,
    "GET /favicon.ico": ANYONE,
    "GET /join": ANYONE,
    "GET /j/{code}": ANYONE,
    "POST /join": ANYONE,
    "POST /rejoin": ANYONE,
    "GET /content/{course_id}/media/{name}": ANYONE,
    "POST /play/{code}/lang": ANYONE,
    "GET /account": FACILITATOR,
    "POST /account/password": FACILITATOR,
    "POST /account/logout-everywhere": FACILITATOR,
    "GET /control": FACILITATOR,
    "POST /control/sessions": FACILITATOR,
    "GET /control/{session_id}": RUNS,
    "GET /screen/{session_id}": RUNS,
    "POST /control/{session_id}/go": RUNS,
    "POST /control/{session_id}/next": RUNS,
    "POST /control/{session_id}/prev": RUNS,
    "POST /control/{session_id}/lock": RUNS,
    "POST /control/{session_id}/pause": RUNS,
    "POST /control/{session_id}/leaderboards": RUNS,
    "POST /control/{session_id}/phase": RUNS,
    "POST /control/{session_id}/screen-language": RUNS,
    "POST /control/{session_id}/end": RUNS,
    "POST /control/{session_id}/teams": RUNS,
    "POST /control/{session_id}/teams/balance": RUNS,
    "POST /control/{session_id}/teams/{team_id}/rename": RUNS,
    "POST /control/{session_id}/participants/{participant_id}/team": RUNS,
    "POST /control/{session_id}/kind/{name}": RUNS,
    "GET /control/{session_id}/export/plans.zip": RUNS,
    "GET /control/{session_id}/export/workbook.xlsx": RUNS,
    "GET /control/{session_id}/export/participants/{participant_id}.docx": RUNS,
    "GET /control/{session_id}/export/people": RUNS,
    "GET /control/{session_id}/plans/{plan_id}/print": RUNS,
    "POST /control/{session_id}/case/{activity_id}/media": RUNS,
    "POST /control/{session_id}/case/{activity_id}/media/delete": RUNS,
    "GET /control/{session_id}/case/{activity_id}/media": RUNS,
    "POST /control/{session_id}/case/{activity_id}/position": RUNS,
    "WS /ws/screen/{session_id}": RUNS,
    "WS /ws/control/{session_id}": RUNS,
    "POST /control/{session_id}/erase": MANAGES,
    "POST /control/{session_id}/facilitators": MANAGES,
    "POST /control/{session_id}/facilitators/{facilitator_id}/remove": MANAGES,
    "GET /play/{code}": TRAINEE,
    "GET /play/{code}/mine": TRAINEE,
    "GET /play/{code}/work/{activity_id}": TRAINEE,
    "POST /play/{code}/act/{name}": TRAINEE,
    "POST /play/{code}/team": TRAINEE,
    "GET /play/{code}/report": TRAINEE,
    "GET /play/{code}/report.docx": TRAINEE,
    "GET /take-home/{token}": ANYONE,  # whoever holds the signed link (app/exports/links.py)
    "GET /take-home/{token}/report.docx": ANYONE,
    "GET /play/{code}/plans/{customer}/print": TRAINEE,
    "POST /play/{code}/plans": TRAINEE,
    "GET /play/{code}/plans/{customer}": TRAINEE,
    "POST /play/{code}/plans/{customer}/save": TRAINEE,
    "GET /play/{code}/plans/{customer}/history": TRAINEE,
    "POST /play/{code}/plans/{customer}/restore": TRAINEE,
    "WS /ws/play/{code}": TRAINEE,
}
# What changes the world for the requests after it: tried last, in this order.
LAST = ("/media/delete", "/end", "/logout-everywhere", "/logout")
# One form for every POST, with each field a route may require, harmless for the world: a
# visitor the route is for must get past its checks, not be stopped by a missing field.
FORM = {
    "username": "co",
    "confirm": "",
    "current": "wrong",
    "new": "a new password",
    "course_id": "kam",
    "name": "乙队",
    "count": "2",
    "team": "",
    "phase": "open",
    "locked": "false",
    "paused": "false",
    "hidden": "false",
    "lang": "zh-CN",
    "customer": "ZL",
    "revision": "1",
    "rev": "0",
}
SAVE = {"body": "{}", "base": "1", "device": "matrix", "seq": "1"}  # a plan's save takes 8 fields at most
ROLES = ("anonymous", "trainee here", "trainee elsewhere", "stranger", "co-facilitator", "owner", "admin")
ALLOWED = {
    ANYONE: set(ROLES),
    FACILITATOR: {"stranger", "co-facilitator", "owner", "admin"},
    RUNS: {"co-facilitator", "owner", "admin"},
    MANAGES: {"owner", "admin"},
    TRAINEE: {"trainee here"},
}
MP4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + bytes(range(256)) * 40
VIDEO_CASE, WRITING, CUSTOMER = "u3-video-case", "u4-plan-writing", "ZL"


def every_route(app) -> list[tuple[str, str]]:
    """(method, path) of every HTTP and websocket route; static files aside."""
    return [(method, r.path) for r in routes(app) for method in (r.methods or ("WS",))]


def test_every_route_declares_its_audience(app):
    routes = {f"{method} {path}" for method, path in every_route(app)}
    assert routes - set(AUDIENCES) == set(), "say who may use these routes"
    assert set(AUDIENCES) - routes == set(), "these routes are gone"


@pytest.fixture
def settings(settings, tmp_path):
    """The sample course with a video case, so its media routes have something to serve."""
    return settings.model_copy(update={"content_dir": case_content(tmp_path)})


@pytest.fixture
def world(app, trainer, live, db):
    """Two sessions (A, the one tried; B, elsewhere) and a browser for every kind of visitor."""
    session_id, code = live
    other = trainer.post("/control/sessions", data={"course_id": "kam"}, follow_redirects=False)
    other_code = re.search(r'class="mono big">(\d{6})<', trainer.get(other.headers["location"]).text)[1]
    for name, admin in (("stranger", False), ("co", False), ("admin", True)):
        accounts.create(db, name, PASSWORD, admin=admin)
    trainer.post(f"/control/{session_id}/facilitators", data={"username": "co"})
    trainer.post(f"/control/{session_id}/teams", data={"name": "甲队"})
    trainer.post(f"/control/{session_id}/go", data={"activity": WRITING})
    here = join(app, code, "在场学员")
    assert here.post(f"/play/{code}/plans", data={"customer": CUSTOMER}).status_code == 200
    assert trainer.post(
        f"/control/{session_id}/case/{VIDEO_CASE}/media", content=MP4, headers={"X-File-Name": "call.mp4"}
    ).is_success
    anonymous = TestClient(app)  # with a CSRF token of its own: the route itself must refuse
    anonymous.headers["X-CSRF-Token"] = csrf_of(anonymous, "/login")
    browsers = {"anonymous": anonymous, "trainee here": here, "owner": trainer}
    browsers["trainee elsewhere"] = join(app, other_code, "别处学员")
    for role, username in (("stranger", "stranger"), ("co-facilitator", "co"), ("admin", "admin")):
        login(browsers.setdefault(role, TestClient(app)), username)
    with Session(app.state.engine) as fresh:
        ids = {
            "session_id": session_id,
            "code": code,
            "team_id": fresh.exec(select(Team.id).where(Team.session_id == session_id)).first(),
            "participant_id": fresh.exec(
                select(Participant.id).where(Participant.display_name == "在场学员")
            ).one(),
            "plan_id": fresh.exec(select(Plan.id)).first(),
            "facilitator_id": fresh.exec(
                select(Facilitator.id).where(Facilitator.username == "stranger")
            ).one(),
            "activity_id": VIDEO_CASE,
            "customer": CUSTOMER,
            "course_id": "kam",
            "name": "next",
        }
    ids["token"] = links.sign(app.state.settings.resolved_secret(), session_id, ids["participant_id"])
    return browsers, ids


def visit(browser: TestClient, method: str, path: str, ids: dict) -> tuple[int, str]:
    """The status of one request (a websocket: 101 when it got its first view, else 403), and
    where a redirect leads."""
    if method == "WS":
        try:
            with browser.websocket_connect(path, headers={"origin": ORIGIN}) as ws:
                first = ws.receive_text()
                return (101 if 'data-seq="' in first else 403), ""
        except WebSocketDisconnect:
            return 403, ""
    response = browser.request(method, path, follow_redirects=False, data=form_for(method, path, ids))
    return response.status_code, response.headers.get("location", "")


def form_for(method: str, path: str, ids: dict) -> dict | None:
    if method != "POST":
        return None
    if path.endswith("/team") and path.startswith("/play/"):
        return {"team": str(ids["team_id"])}
    return SAVE if path.endswith("/save") else FORM


def refused(method: str, audience: str, role: str, status: int, location: str) -> bool:
    """How a visitor the route is not for is turned away: to the login page (or 401 for htmx);
    a facilitator not on the session gets the 404 of a session that does not exist; a
    co-facilitator is told only the owner may; a trainee route sends others to join; a
    websocket is closed."""
    if method == "WS":
        return status == 403
    to_login = (status == 303 and location.startswith("/login?next=")) or status == 401
    if audience == TRAINEE:
        return (status == 303 and location.startswith("/j/")) or status in (401, 403)
    if role == "stranger" and audience in (RUNS, MANAGES):
        return status == 404
    if role == "co-facilitator" and audience == MANAGES:
        return status == 403
    return to_login


def test_the_authorisation_matrix(app, world):
    browsers, ids = world
    routes = sorted(
        every_route(app), key=lambda r: next((i for i, e in enumerate(LAST) if r[1].endswith(e)), -1)
    )
    wrong = []
    for method, template in routes:
        audience = AUDIENCES[f"{method} {template}"]
        path = template.format(**{key: ids[key] for key in re.findall(r"{(\w+)}", template)})
        for role in ROLES:
            status, location = visit(browsers[role], method, path, ids)
            if status >= 500:
                wrong.append((method, path, role, status))
            elif audience != ANYONE and (role in ALLOWED[audience]) == refused(
                method, audience, role, status, location
            ):
                wrong.append((method, path, role, status, location))
    assert wrong == [], "\n".join(map(str, wrong))


def test_the_owner_adds_and_removes_a_co_facilitator(app, trainer, live, db):
    session_id, _ = live
    accounts.create(db, "co", PASSWORD)
    colleague = TestClient(app)
    login(colleague, "co")
    assert colleague.get(f"/control/{session_id}").status_code == 404  # not theirs yet
    assert f"/control/{session_id}" not in colleague.get("/control").text
    nobody = trainer.post(f"/control/{session_id}/facilitators", data={"username": "nobody"})
    assert nobody.status_code == 400 and t("access.error.no_such_account", username="nobody") in nobody.text
    added = trainer.post(
        f"/control/{session_id}/facilitators", data={"username": "co"}, follow_redirects=False
    )
    assert added.status_code == 303
    page = colleague.get(f"/control/{session_id}").text
    assert "co" in page and t("access.cofacilitator") in page and t("access.add") not in page
    assert f"/control/{session_id}" in colleague.get("/control").text
    assert colleague.post(f"/control/{session_id}/next", data={"seen": "@lobby"}).status_code == 200
    refused_here = colleague.post(f"/control/{session_id}/erase", data={"confirm": "x"})
    assert refused_here.status_code == 403 and t("access.error.owner_only") in refused_here.text
    co_id = db.exec(select(Facilitator.id).where(Facilitator.username == "co")).one()
    trainer.post(f"/control/{session_id}/facilitators/{co_id}/remove")
    assert colleague.get(f"/control/{session_id}").status_code == 404
    with (
        pytest.raises(WebSocketDisconnect),
        colleague.websocket_connect(f"/ws/control/{session_id}", headers={"origin": ORIGIN}) as ws,
    ):
        ws.receive_text()

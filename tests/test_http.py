"""HTTP endpoints: health, login, CSRF, who may see what, joining and rejoining."""

import base64
import json
import re

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from app.config import Settings
from app.db import with_db
from app.i18n import translate
from app.live import routes_control
from tests.support.clients import ORIGIN, PASSWORD, csrf_of, join, login
from tests.support.html import elements, one
from tests.support.i18n import t, t_start
from tests.support.waiting import until


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "sockets": 0, "vanished": 0}


def test_secret_key_required_outside_development():
    with pytest.raises(ValueError, match="SECRET_KEY"):
        Settings(_env_file=None, environment="production", secret_key="")
    assert Settings(_env_file=None, environment="production", secret_key="s" * 40)


def test_data_dir_alone_moves_the_database_there(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert Settings(_env_file=None, data_dir=tmp_path).database_url == f"sqlite:///{tmp_path}/workshop.db"
    explicit = Settings(_env_file=None, data_dir=tmp_path, database_url="sqlite:///elsewhere.db")
    assert explicit.database_url == "sqlite:///elsewhere.db"


def test_control_pages_need_a_facilitator(client, facilitator):
    for path in ("/control", "/control/1", "/screen/1"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].startswith("/login")
    response = client.post("/control/1/next", headers={"HX-Request": "true"})
    assert response.status_code in (401, 403)


def test_wrong_password_is_told_and_right_one_logs_in(client, facilitator):
    token = csrf_of(client, "/login")
    bad = client.post("/login", data={"username": "trainer", "password": "nope", "csrf_token": token})
    assert bad.status_code == 401 and t("auth.error.invalid") in bad.text
    good = client.post(
        "/login",
        data={"username": "trainer", "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert good.status_code == 303 and good.headers["location"] == "/control"


def _copy_of(client: TestClient) -> TestClient:
    """Another browser holding a copy of this one's cookies (a stolen login)."""
    thief = TestClient(client.app)
    thief.cookies.update(client.cookies)
    return thief


def _logged_in(browser: TestClient) -> bool:
    return browser.get("/control", follow_redirects=False).status_code == 200


def test_the_login_cookie_says_nothing_by_itself(trainer):
    cookie = base64.b64decode(trainer.cookies["kam_session"].split(".")[0] + "==")
    assert set(json.loads(cookie)) == {"login", "csrf"}  # a random token: no account id


def test_logging_out_ends_the_login_for_every_copy_of_its_cookie(trainer):
    thief = _copy_of(trainer)
    assert _logged_in(thief)
    trainer.post("/logout")
    assert not _logged_in(trainer) and not _logged_in(thief)
    with (
        pytest.raises(WebSocketDisconnect) as closed,
        thief.websocket_connect("/ws/control/1", headers={"origin": ORIGIN}) as ws,
    ):
        ws.receive_text()
    assert closed.value.code == 1008


def test_a_new_password_ends_every_login_but_the_browsers_own_new_one(trainer):
    laptop, thief = TestClient(trainer.app), _copy_of(trainer)
    login(laptop)
    page = trainer.post("/account/password", data={"current": "wrong one", "new": "a new password"})
    assert page.status_code == 400 and t("auth.error.current_password") in page.text
    short = trainer.post("/account/password", data={"current": PASSWORD, "new": "short"})
    assert short.status_code == 400 and t("auth.error.password_short", min=8) in short.text
    done = trainer.post("/account/password", data={"current": PASSWORD, "new": "a new password"})
    assert done.status_code == 200 and t("auth.password_changed") in done.text
    assert _logged_in(trainer)  # the browser that changed it goes on, with a new login
    assert not _logged_in(thief) and not _logged_in(laptop)  # a copy of its old cookie too


def test_logging_out_everywhere_ends_every_login(trainer):
    laptop = TestClient(trainer.app)
    login(laptop)
    assert t("auth.logout_everywhere") in trainer.get("/account").text
    response = trainer.post("/account/logout-everywhere", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert not _logged_in(trainer) and not _logged_in(laptop)


def test_the_account_page_is_a_facilitators(client):
    assert client.get("/account", follow_redirects=False).headers["location"].startswith("/login")


def test_forms_without_csrf_token_are_refused(client, facilitator):
    csrf_of(client, "/login")
    response = client.post("/login", data={"username": "trainer", "password": PASSWORD})
    assert response.status_code == 403 and t("error.csrf") in response.text


def test_open_session_shows_code_and_qr(trainer, live):
    session_id, code = live
    screen = trainer.get(f"/screen/{session_id}")
    assert code[:3] in screen.text and "<svg" in screen.text
    assert "http://testserver/join" in screen.text


def test_join_rejoin_and_reclaim_on_a_new_device(app, live):
    session_id, code = live
    phone = join(app, code, "李娜")
    play = phone.get(f"/play/{code}")
    assert play.status_code == 200 and "李娜" in play.text
    # Closing the tab and opening the link again: the cookie brings them back.
    again = phone.get(f"/j/{code}", follow_redirects=False)
    assert again.headers["location"] == f"/play/{code}"
    rejoin_code = re.search(r'class="rejoin-code" lang="en">([A-Z0-9]+)<', play.text).group(1)
    # A new phone: the name alone is not enough ...
    laptop_token = csrf_of(new := TestClient(app), f"/j/{code}")
    taken = new.post("/join", data={"code": code, "name": "李娜", "csrf_token": laptop_token})
    assert taken.status_code == 409 and t("join.error.name_taken") in taken.text
    # ... the personal rejoin code is.
    moved = new.post(
        "/rejoin",
        data={"code": code, "rejoin_code": rejoin_code, "csrf_token": laptop_token},
        follow_redirects=False,
    )
    assert moved.status_code == 303
    assert "李娜" in new.get(f"/play/{code}").text
    old = phone.get(f"/play/{code}", follow_redirects=False)
    assert old.status_code == 303  # the first phone's seat has moved


@pytest.mark.parametrize(
    ("code", "name", "message", "status"),
    [
        ("000000", "A", "没有找到这个加入码", 404),
        ("12ab", "A", "没有找到这个加入码", 404),
        (None, "", "请填写你的名字", 400),
        (None, "x" * 40, "名字太长了", 400),
    ],
)
def test_join_mistakes_are_told_in_the_trainees_language(app, live, code, name, message, status):
    phone = TestClient(app)
    token = csrf_of(phone, "/join")
    response = phone.post("/join", data={"code": code or live[1], "name": name, "csrf_token": token})
    assert response.status_code == status and message in response.text
    assert f'value="{name}"' in response.text or not name  # what they typed is kept


def test_join_messages_in_english(app, live):
    phone = TestClient(app, cookies={"lang": "en"})
    token = csrf_of(phone, "/join")
    response = phone.post("/join", data={"code": "999999", "name": "A", "csrf_token": token})
    assert translate("en", "join.error.no_session") in response.text


def test_locked_and_ended_sessions_refuse_joiners(app, trainer, live):
    session_id, code = live
    trainer.post(f"/control/{session_id}/lock", data={"locked": "true"})
    phone = TestClient(app)
    token = csrf_of(phone, "/join")
    locked = phone.post("/join", data={"code": code, "name": "迟到", "csrf_token": token})
    assert locked.status_code == 423 and t("join.error.locked") in locked.text
    trainer.post(f"/control/{session_id}/end")
    ended = phone.post("/join", data={"code": code, "name": "迟到", "csrf_token": token})
    assert ended.status_code == 409 and t("join.error.ended") in ended.text


def test_a_trainee_cannot_open_control_pages_or_act_for_others(app, trainer, live):
    session_id, code = live
    phone = join(app, code, "学员甲")
    assert phone.get("/control", follow_redirects=False).status_code == 303
    assert phone.get(f"/screen/{session_id}", follow_redirects=False).status_code == 303
    response = phone.post(f"/control/{session_id}/next", follow_redirects=False)
    assert response.status_code == 303  # sent to the login page, nothing changed
    assert t("control.in_lobby") in trainer.get(f"/control/{session_id}").text


def test_trainee_text_is_escaped_everywhere(app, trainer, live):
    session_id, code = live
    join(app, code, "<script>x()</script>")
    for page in (trainer.get(f"/control/{session_id}"), trainer.get(f"/screen/{session_id}")):
        assert "<script>x()</script>" not in page.text
        assert "&lt;script&gt;x()&lt;/script&gt;" in page.text


def test_double_submitted_join_counts_once(app, live):
    session_id, code = live
    phone = TestClient(app)
    token = csrf_of(phone, f"/j/{code}")
    form = {"code": code, "name": "双击", "csrf_token": token}
    first = phone.post("/join", data=form, follow_redirects=False)
    second = phone.post("/join", data=form, follow_redirects=False)
    assert first.status_code == second.status_code == 303
    assert second.headers["location"] == f"/play/{code}"


def test_control_walks_the_agenda_and_teams(app, trainer, live, course):
    session_id, code = live
    for name in ("甲", "乙", "丙", "丁"):
        join(app, code, name)
    response = trainer.post(f"/control/{session_id}/next")
    assert course.activities[0].title.get("zh-CN") in response.text
    trainer.post(f"/control/{session_id}/teams/balance", data={"count": "2"})
    page = trainer.get(f"/control/{session_id}").text
    assert t("team.default_name", n=1) in page and t("team.default_name", n=2) in page
    bad = trainer.post(f"/control/{session_id}/teams", data={"name": " "}, headers={"HX-Request": "true"})
    assert bad.status_code == 400 and t_start("team.error.name") in bad.text


def test_language_switch_for_a_trainee(app, live):
    session_id, code = live
    phone = join(app, code, "Amy")
    phone.post(f"/play/{code}/lang", data={"lang": "en"})
    assert translate("en", "play.lobby_title") in phone.get(f"/play/{code}").text


def test_double_clicked_next_moves_one_step(trainer, live, course):
    session_id, _ = live

    def on_screen() -> str:
        page = trainer.get(f"/screen/{session_id}").text
        return re.search(r'id="screen-stage"[^>]*data-activity="([^"]*)"', page).group(1)

    trainer.post(f"/control/{session_id}/next", data={"seen": "@lobby"})
    trainer.post(f"/control/{session_id}/next", data={"seen": "@lobby"})  # the second click
    assert on_screen() == course.activities[0].id
    trainer.post(f"/control/{session_id}/next", data={"seen": course.activities[0].id})
    trainer.post(f"/control/{session_id}/next", data={"seen": course.activities[0].id})
    assert on_screen() == course.activities[1].id


def test_a_facilitator_request_holds_one_connection_at_a_time(trainer, live, monkeypatch):
    """The login check's connection goes back to the pool before the request's own work takes
    one: a rush of facilitator actions needs one pooled connection each, not two."""
    session_id, _ = live
    pool, held = trainer.app.state.engine.pool, []

    def counted(request, work):
        held.append(pool.checkedout())
        return with_db(request, work)

    monkeypatch.setattr(routes_control, "with_db", counted)
    until(trainer.app.state.publisher.idle)  # what the session's opening set going is done
    before = pool.checkedout()  # the test's own session holds one
    trainer.post(f"/control/{session_id}/kind/start", data={"activity": "nothing-on-screen"})
    assert held == [before]


def _without_tokens(page: str) -> str:
    """A page less what differs on every request: its CSRF token and the server's clock."""
    return re.sub(r'data-now="\d+"', "", re.sub(r'value="[^"]*"', 'value=""', page))


def test_a_live_code_and_a_dead_one_look_the_same_until_a_name_is_sent(app, trainer, live):
    session_id, code = live
    trainer.post(f"/control/{session_id}/teams", data={"name": "秘密队"})
    dead = "000000" if code != "000000" else "000001"
    guesser = TestClient(app)
    pages = [
        guesser.get(path) for path in (f"/j/{code}", f"/j/{dead}", f"/join?code={code}", f"/join?code={dead}")
    ]
    assert {p.status_code for p in pages} == {200}
    shown = {_without_tokens(p.text).replace(code, "X").replace(dead, "X") for p in pages}
    assert len(shown) == 1 and "秘密队" not in shown.pop()


def test_looking_codes_up_is_limited_like_joining(app, live):
    app.state.join_limiter.per_minute = 3
    guesser = TestClient(app)
    statuses = [guesser.get(f"/j/{n:06d}").status_code for n in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert t("join.error.rate") in guesser.get("/join?code=123456").text


def test_a_trainee_without_a_team_picks_one_after_joining(app, trainer, live, db):
    session_id, code = live
    trainer.post(f"/control/{session_id}/teams", data={"name": "红队"})
    phone = join(app, code, "自选")
    page = phone.get(f"/play/{code}").text
    assert t("play.choose_team") in page and "红队" in page
    team_id = re.search(r'<option value="(\d+)">红队</option>', page).group(1)
    picked = phone.post(f"/play/{code}/team", data={"team": team_id}, follow_redirects=False)
    assert picked.status_code == 303 and t("play.team_is", name="红队") in phone.get(f"/play/{code}").text
    again = phone.post(f"/play/{code}/team", data={"team": team_id})
    assert again.status_code == 409 and t("team.error.already_in") in again.text
    stranger = join(app, code, "别人")
    assert stranger.post(f"/play/{code}/team", data={"team": "999999"}).status_code == 404


def test_wrong_rejoin_codes_are_limited_per_session_too(app, live):
    session_id, code = live
    app.state.rejoin_misses.per_minute = 3
    phone = join(app, code, "李娜")
    rejoin_code = re.search(r'class="rejoin-code" lang="en">([A-Z0-9]+)<', phone.get(f"/play/{code}").text)[1]
    guessers = [TestClient(app) for _ in range(4)]  # as if from four addresses
    tries = []
    for n, guesser in enumerate(guessers):
        token = csrf_of(guesser, "/join")
        guess = "ZZZZZ" + str(n + 2) if n < 3 else rejoin_code
        tries.append(guesser.post("/rejoin", data={"code": code, "rejoin_code": guess, "csrf_token": token}))
    assert [r.status_code for r in tries] == [400, 400, 400, 429]
    assert t("join.error.rejoin_rate") in tries[-1].text


def test_joining_is_rate_limited_per_address(app, live):
    app.state.join_limiter.per_minute = 3
    phone = TestClient(app)
    token = csrf_of(phone, "/join")
    statuses = [
        phone.post("/join", data={"code": "000000", "name": "A", "csrf_token": token}).status_code
        for _ in range(4)
    ]
    assert statuses[-1] == 429


def test_security_headers_and_no_outside_assets(client):
    response = client.get("/join")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"
    assert not re.search(r'(src|href)="(https?:)?//', response.text)


def test_course_media_is_served_only_from_the_media_folder(client, settings):
    media = settings.content_dir / "kam" / "media"
    assert client.get("/content/kam/media/..%2Fcourse.yaml").status_code == 404
    assert client.get("/content/kam/media/missing.png").status_code == 404
    assert client.get("/content/nope/media/a.png").status_code == 404
    if media.is_dir():
        for image in media.iterdir():
            assert client.get(f"/content/kam/media/{image.name}").status_code == 200


def test_brief_markdown_never_passes_raw_html():
    from app.templating import render_markdown

    html = str(render_markdown("**好** <script>alert(1)</script> [x](javascript:alert(1))"))
    assert "<strong>好</strong>" in html and "<script>" not in html
    assert 'href="javascript:' not in html


def test_language_switch_from_a_live_fragment_uses_htmx_redirect(app, live):
    session_id, code = live
    phone = join(app, code, "Bo")
    response = phone.post(f"/play/{code}/lang", data={"lang": "en"}, headers={"HX-Request": "true"})
    assert response.headers["HX-Redirect"] == f"/play/{code}"
    assert translate("en", "play.lobby_title") in phone.get(f"/play/{code}").text


def test_fields_people_type_into_survive_live_updates(trainer, live):
    """An update of a live region must not wipe what the facilitator is typing."""
    session_id, code = live
    trainer.post(f"/control/{session_id}/teams", data={"name": "红队"})
    page = trainer.get(f"/control/{session_id}").text
    region = page[page.index('id="control-roster"') :]
    inputs = re.findall(r"<input\b[^>]*>", region)
    typed = [tag for tag in inputs if 'type="hidden"' not in tag]
    assert len(typed) >= 3
    assert all("hx-preserve" in tag and " id=" in tag for tag in typed)


def test_a_full_session_tells_the_next_trainee_so(app, live):
    session_id, code = live
    app.state.settings.session_capacity = 2
    join(app, code, "甲")
    join(app, code, "乙")
    late = TestClient(app)
    token = csrf_of(late, f"/j/{code}")
    page = late.post("/join", data={"code": code, "name": "丙", "csrf_token": token})
    assert page.status_code == 503 and t("join.error.full", max=2) in page.text


def test_the_icon_a_browser_asks_for_is_ours(client):
    """Every page names its icon, served from here; /favicon.ico answers too (no 404 per page)."""
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"] == "image/x-icon"
    assert icon.content[:4] == b"\x00\x00\x01\x00"  # an ICO file
    (link,) = elements(client.get("/join").text, "link[rel=icon]")
    linked = client.get(link.attrs["href"])
    assert linked.status_code == 200 and linked.headers["content-type"].startswith("image/svg+xml")


def test_default_team_names_are_in_the_readers_language_a_typed_one_as_typed(app, trainer, live):
    """Teams dealt while the screen shows Chinese are "第 1 组" to a Chinese reader and "Team 1"
    to an English one, on the phone, the control page and the exports' list of people."""
    session_id, code = live
    chinese, english = join(app, code, "王芳"), join(app, code, "Li Na")
    english.post(f"/play/{code}/lang", data={"lang": "en"})
    trainer.post(f"/control/{session_id}/teams/balance", data={"count": 2})
    assert one(chinese.get(f"/play/{code}").text, ".me-team").text == "小组：第 1 组"  # label + name
    assert one(english.get(f"/play/{code}").text, ".me-team").text == "Team: Team 2"  # label + name
    trainer.post("/lang", data={"lang": "en"})
    roster = trainer.get(f"/control/{session_id}").text
    assert [e.attrs["value"] for e in elements(roster, ".team-name input[name=name]")] == ["Team 1", "Team 2"]
    assert [e.text for e in elements(trainer.get(f"/control/{session_id}/export/people").text, "td")].count(
        "Team 1"
    ) == 1
    team_id = int(re.search(r"/teams/(\d+)/rename", roster).group(1))
    trainer.post(f"/control/{session_id}/teams/{team_id}/rename", data={"name": "第 1 组 · 红队"})
    assert one(chinese.get(f"/play/{code}").text, ".me-team").text == "小组：第 1 组 · 红队"

"""What guards the app from outside: per-address limits that a forged X-Forwarded-For cannot
dodge, the growing delay per account after wrong passwords, the headers of every response, and
text that cannot reorder a page."""

import httpx
import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from app import ratelimit
from app.main import create_app
from app.ratelimit import Backoff
from tests.support.clients import PASSWORD, csrf_of
from tests.support.i18n import t
from tests.support.server import Server


def attempt(client: httpx.Client, password: str, forwarded: str | None = None, username: str = "trainer"):
    token = csrf_of(client, "/login")
    headers = {"x-forwarded-for": forwarded} if forwarded else {}
    data = {"username": username, "password": password, "csrf_token": token}
    return client.post("/login", data=data, headers=headers, follow_redirects=False)


def app_with(settings, sample_courses, **changes):
    return create_app(settings.model_copy(update=changes), courses=sample_courses)


def test_a_forged_forwarded_for_does_not_dodge_the_limit_per_address(settings, sample_courses, facilitator):
    app = app_with(settings, sample_courses, login_rate_per_minute=3)
    with TestClient(app) as client:
        codes = [
            attempt(client, "wrong", forwarded=f"10.0.0.{n}", username=f"u{n}").status_code for n in range(4)
        ]
    assert codes == [401, 401, 401, 429]


def test_the_served_app_believes_no_forwarded_for_unless_told(tmp_path):
    """`kam serve` on loopback: a client writing X-Forwarded-For itself is still one address."""
    server = Server(tmp_path)
    server.env["LOGIN_RATE_PER_MINUTE"] = "3"
    server.start()
    try:
        with httpx.Client(base_url=server.url) as client:
            codes = [attempt(client, "wrong", f"10.0.0.{n}", f"u{n}").status_code for n in range(4)]
    finally:
        server.stop()
        server.log.close()
    assert codes == [401, 401, 401, 429]


def test_behind_a_trusted_proxy_each_client_has_its_own_limit(settings, sample_courses):
    app = app_with(settings, sample_courses, login_rate_per_minute=3, trusted_proxies=["*"])
    with TestClient(app) as client:
        codes = [
            attempt(client, "wrong", forwarded=f"10.0.0.{n}", username=f"u{n}").status_code for n in range(4)
        ]
    assert codes == [401, 401, 401, 401]


@given(st.lists(st.sampled_from(["fail", "wait", "succeed"]), max_size=30))
def test_the_delay_grows_after_the_free_failures_and_is_never_a_lock(steps):
    clock = [1000.0]
    backoff = Backoff(free=3, longest=20.0, forget_after=600.0)
    failures = 0
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ratelimit.time, "monotonic", lambda: clock[0])
        for step in steps:
            if step == "fail":
                backoff.failed("trainer")
                failures += 1
            elif step == "succeed":
                backoff.succeeded("trainer")
                failures = 0
            else:
                clock[0] += 7.0
            wait = backoff.wait("trainer")
            assert 0.0 <= wait <= 20.0  # never longer than the longest delay
            assert (wait == 0.0) if failures < 3 else True
        clock[0] += 20.0
        assert backoff.wait("trainer") == 0.0  # the owner always gets in after the longest delay
        assert backoff.wait("someone else") == 0.0


def test_wrong_passwords_slow_the_account_down_then_the_right_one_works(client, facilitator, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(ratelimit.time, "monotonic", lambda: clock[0])
    for n in range(5):
        assert attempt(client, "wrong", forwarded=f"10.1.0.{n}").status_code == 401
    slowed = attempt(client, PASSWORD)
    assert slowed.status_code == 429 and t("auth.error.slow_down", seconds=1) in slowed.text
    clock[0] += 1.5
    assert attempt(client, PASSWORD).status_code == 303  # a slowing delay, not a lock


def test_pages_are_not_cached_and_assets_are(trainer, live):
    session_id, code = live
    for path in ("/control", f"/control/{session_id}", f"/screen/{session_id}", "/join", "/healthz"):
        assert trainer.get(path).headers["cache-control"] == "no-store", path
    assert "no-store" not in trainer.get("/static/css/app.css").headers.get("cache-control", "")
    assert "strict-transport-security" not in trainer.get("/join").headers  # plain HTTP


def test_https_is_remembered_when_cookies_are_secure(settings, sample_courses):
    with TestClient(app_with(settings, sample_courses, secure_cookies=True)) as client:
        assert client.get("/join").headers["strict-transport-security"] == "max-age=31536000"


def test_the_api_description_is_served_in_development_only(settings, sample_courses):
    for environment, status in (("development", 200), ("production", 404), ("test", 404)):
        with TestClient(app_with(settings, sample_courses, environment=environment)) as client:
            assert client.get("/openapi.json").status_code == status, environment
            assert client.get("/docs").status_code == 404


def test_typed_text_never_reorders_a_page(app):
    with TestClient(app):
        render = app.state.templates.env.from_string("<td>{{ name }}</td><td>{{ note }}</td>").render
    shown = render(name="\u202eevil\u202c", note="a\u2066b\u2069c\u200f <b>")
    assert shown == "<td>evil</td><td>abc &lt;b&gt;</td>"

"""The trainer's side of the bench: log in, open a session, move every screen on, end it."""

import re
import time
from pathlib import Path

import httpx

from bench.harness.course import COURSE, ROOT, sample_course

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
JOIN_CODE = re.compile(r'class="mono big">(\d{6})<')


def agenda(course_id: str = COURSE, root: Path = ROOT) -> list[str]:
    """The course's activity ids in the order POST /next walks through them."""
    return [activity.id for activity in sample_course(root, course_id).activities]


class Facilitator:
    """One logged-in facilitator; also the round trigger: prepare() says what fire() will show."""

    def __init__(self, base_url: str, activities: list[str], with_own: set[str] = frozenset()):
        self.client = httpx.Client(base_url=base_url, timeout=60.0, trust_env=False)
        self.activities, self.with_own = activities, with_own
        self.position = -1  # the lobby
        self.session_id: int | None = None
        self._request: tuple[str, dict] = ("next", {})

    def __enter__(self) -> "Facilitator":
        return self

    def __exit__(self, *_exc) -> None:
        self.client.close()

    def login(self, username: str, password: str) -> None:
        page = self.client.get("/login")
        token = _match(CSRF, page.text, "CSRF token on /login")
        response = self.client.post(
            "/login",
            data={"username": username, "password": password, "csrf_token": token, "next": "/control"},
        )
        _expect(response, 303, "log in")
        self.client.headers["X-CSRF-Token"] = token

    def open_session(self) -> tuple[int, str]:
        response = self.client.post("/control/sessions", data={"course_id": COURSE})
        _expect(response, 303, "open a session")
        self.session_id = int(response.headers["location"].rstrip("/").rsplit("/", 1)[1])
        page = self.client.get(f"/control/{self.session_id}")
        return self.session_id, _match(JOIN_CODE, page.text, "join code on the control page")

    def prepare(self, _round: int) -> str:
        """Choose the next move (the next activity, or back to the first at the end)."""
        if self.position + 1 < len(self.activities):
            self.position += 1
            self._request = ("next", {})
        else:
            self.position = 0
            self._request = ("go", {"activity": self.activities[0]})
        return self.activities[self.position]

    def own(self, activity: str) -> bool:
        """Whether a phone's view of the activity is whole only with the trainee's own part."""
        return activity in self.with_own

    def fire(self) -> float:
        """Send the prepared move; returns the request's duration in ms."""
        return self.post(*self._request)

    def post(self, action: str, form: dict | None = None) -> float:
        """POST /control/{id}/{action} (e.g. "go", "kind/start"); its duration in ms."""
        started = time.perf_counter()
        response = self.client.post(f"/control/{self.session_id}/{action}", data=form or {})
        elapsed = (time.perf_counter() - started) * 1000
        _expect(response, 200, f"POST /{action}")
        return elapsed

    @property
    def cookie_header(self) -> str:
        """The browser's Cookie header: what the control page's websocket sends."""
        return "; ".join(f"{cookie.name}={cookie.value}" for cookie in self.client.cookies.jar)

    def make_teams(self, count: int) -> float:
        """Split the room into `count` teams, as a trainer does before the team games."""
        return self.post("teams/balance", {"count": str(count)})

    def end_session(self) -> None:
        if self.session_id is not None:
            self.client.post(f"/control/{self.session_id}/end")


def _match(pattern: re.Pattern, text: str, what: str) -> str:
    found = pattern.search(text)
    if not found:
        raise RuntimeError(f"no {what}")
    return found.group(1)


def _expect(response: httpx.Response, status: int, what: str) -> None:
    if response.status_code != status:
        raise RuntimeError(f"{what}: HTTP {response.status_code}: {response.text[:300]}")

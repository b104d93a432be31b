"""Test clients as the facilitator and as trainees: logging in, joining, the CSRF token."""

import re
import threading
from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import Participant

PASSWORD = "correct horse battery"
ORIGIN = "http://testserver"


def csrf_of(client: TestClient, path: str = "/join") -> str:
    page = client.get(path)
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def login(client: TestClient, username: str = "trainer") -> None:
    token = csrf_of(client, "/login")
    response = client.post(
        "/login",
        data={"username": username, "password": PASSWORD, "csrf_token": token, "next": "/control"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    client.headers["X-CSRF-Token"] = token


def join(app, code: str, name: str, **extra) -> TestClient:
    """A new trainee's phone (its own cookie jar) that joined with code and name."""
    phone = TestClient(app)
    token = csrf_of(phone, f"/j/{code}")
    response = phone.post(
        "/join", data={"code": code, "name": name, "csrf_token": token, **extra}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    phone.headers["X-CSRF-Token"] = token
    return phone


def post_action(
    phone: TestClient, code: str, action: str, activity: str, status: int = 200, /, **data
) -> str:
    """A trainee's action as their page posts it (htmx); checks the status, returns the reply.
    Positional only: a form may have fields of any name (a ladder move's `action`...)."""
    response = phone.post(
        f"/play/{code}/act/{action}", headers={"HX-Request": "true"}, data={"activity": activity, **data}
    )
    assert response.status_code == status, response.text
    return response.text


def post_in_parallel(code: str, action: str, activity: str, sends: list[tuple[TestClient, dict]]) -> list:
    """Actions sent at once (two tabs of one seat, a retry racing its original, teammates):
    each (phone, payload) from its own thread, released together; the responses in order."""
    start = threading.Barrier(len(sends))

    def post(send: tuple[TestClient, dict]):
        phone, data = send
        start.wait()
        return phone.post(
            f"/play/{code}/act/{action}", headers={"HX-Request": "true"}, data={"activity": activity, **data}
        )

    with ThreadPoolExecutor(len(sends)) as pool:
        return list(pool.map(post, sends))


def seat_id(app, name: str) -> int:
    """The participant id of the trainee who joined with this name."""
    with Session(app.state.engine) as db:
        return db.exec(select(Participant.id).where(Participant.display_name == name)).one()

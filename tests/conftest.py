"""Fixtures: a fresh app and database per test (SQLite, or PostgreSQL via TEST_DATABASE_URL)."""

import os
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlmodel import Session

from app.auth import accounts
from app.config import ROOT, Settings
from app.main import create_app

PASSWORD = "correct horse battery"
ORIGIN = "http://testserver"


def pytest_collection_modifyitems(items):
    """Real-browser tests run last: they are the slowest and hold an event loop."""
    items.sort(key=lambda item: "/e2e/" in str(item.fspath))


def _fresh_database(tmp_path: Path) -> str:
    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        return f"sqlite:///{tmp_path / 'test.db'}"
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    return url


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(
        _env_file=None,
        environment="test",
        database_url=_fresh_database(tmp_path),
        secret_key="test-secret-" + "x" * 32,
        content_dir=ROOT / "content",
        data_dir=tmp_path,
        public_url="http://testserver",
        heartbeat_seconds=1.0,
        coalesce_seconds=0.0,
    )


@pytest.fixture
def app(settings):
    return create_app(settings)


@pytest.fixture
def client(app):
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def db(client):
    with Session(client.app.state.engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def course(client):
    return client.app.state.courses["kam"]


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


@pytest.fixture
def facilitator(db):
    return accounts.create(db, "trainer", PASSWORD)


@pytest.fixture
def trainer(client, facilitator):
    """The client, logged in as a facilitator (htmx-style CSRF header set)."""
    login(client)
    return client


@pytest.fixture
def live(trainer, course):
    """A live session opened by the trainer: returns its id and join code."""
    response = trainer.post("/control/sessions", data={"course_id": course.id}, follow_redirects=False)
    session_id = int(response.headers["location"].rsplit("/", 1)[1])
    code = re.search(r'class="mono big">(\d{6})<', trainer.get(f"/control/{session_id}").text)
    return session_id, code.group(1)


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

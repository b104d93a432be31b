"""Fixtures: a fresh app and database per test (SQLite, or PostgreSQL via TEST_DATABASE_URL)."""

import re
import shutil
import uuid

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.auth import accounts
from app.config import ROOT, Settings
from app.course.loader import load_courses
from app.kinds import KINDS
from app.main import create_app
from tests.support.clients import PASSWORD, login
from tests.support.database import fresh_database
from tests.support.redis import redis_or_skip


def pytest_collection_modifyitems(items):
    """Real-browser tests run last: they are the slowest and hold an event loop."""
    items.sort(key=lambda item: "/e2e/" in str(item.fspath))


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(
        _env_file=None,
        environment="test",
        database_url=fresh_database(tmp_path),
        secret_key="test-secret-" + "x" * 32,
        content_dir=ROOT / "content",
        data_dir=tmp_path,
        public_url="http://testserver",
        heartbeat_seconds=1.0,
        coalesce_seconds=0.0,
    )


@pytest.fixture(scope="session")
def sample_courses():
    """The sample course, loaded once for every test that runs it as it is."""
    return load_courses(ROOT / "content", KINDS)


@pytest.fixture
def app(settings, sample_courses):
    """The app; on the sample course unless a test gave the settings content of its own."""
    own_content = settings.content_dir != ROOT / "content"
    return create_app(settings, courses=None if own_content else sample_courses)


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


@pytest.fixture
def course_copy(tmp_path):
    shutil.copytree(ROOT / "content", tmp_path / "content")
    return tmp_path / "content"


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


@pytest.fixture
def redis_prefix():
    """A prefix for the test's own Redis channels and keys, so tests running at the same time
    (or a key left over) never meet; its keys are removed afterwards."""
    client = redis_or_skip()
    prefix = f"test-{uuid.uuid4().hex[:10]}:"
    yield prefix
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)
    client.close()

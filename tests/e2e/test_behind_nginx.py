"""The deployment for a big room: two processes (as two machines) on one database and one Redis,
behind nginx with deploy/nginx.conf. The facilitator, the projector and the phones land on
whichever process nginx picks; one process is killed (kill -9) mid-quiz and the room goes on."""

import shutil
import signal
import time
from types import SimpleNamespace

import httpx
import pytest
from playwright.sync_api import expect
from sqlalchemy import create_engine, text

from app.config import ROOT
from app.course.loader import load_courses
from app.kinds import KINDS
from tests.support.browser import answer, open_room
from tests.support.nginx import running_nginx
from tests.support.redis import URL as REDIS_URL
from tests.support.required import missing
from tests.support.server import Server, free_port

pytestmark = pytest.mark.e2e
QUIZ = "u1-quiz"


@pytest.fixture
def deployment(tmp_path, redis_prefix):
    if not shutil.which("nginx", path="/usr/sbin:/usr/bin"):
        missing("nginx is not installed (apt-get install nginx-light)")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    first = Server(tmp_path)
    first.env.update(
        HUB_URL=REDIS_URL, HUB_PREFIX=redis_prefix, PUBLIC_URL=url, TRUSTED_PROXIES='["127.0.0.1"]'
    )
    second = first.sibling()
    processes = [first, second]
    for process in processes:
        process.start()
    try:
        with running_nginx(tmp_path / "nginx", [first.port, second.port], port) as front:
            yield SimpleNamespace(url=front, processes=processes)
    finally:
        for process in processes:
            process.stop()
        first.log.close()


def sockets_on(process: Server) -> int:
    return httpx.get(f"{process.url}/healthz", timeout=10).json()["sockets"]


def until_connected(processes: list[Server], sockets: int) -> list[int]:
    """Each process's open websockets, once there are that many in all."""
    deadline = time.monotonic() + 30
    while sum(counts := [sockets_on(process) for process in processes]) < sockets:
        assert time.monotonic() < deadline, counts
        time.sleep(0.2)
    return counts


def stored_answers(process: Server, question: str) -> list[int]:
    """Who has an answer to the question stored: each trainee once."""
    engine = create_engine(process.env["DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://", 1))
    query = text("SELECT participant_id FROM response WHERE activity_id = :a AND item = :q")
    with engine.connect() as db:
        rows = [row[0] for row in db.execute(query, {"a": QUIZ, "q": question})]
    engine.dispose()
    return rows


def test_a_room_on_two_processes_behind_nginx_goes_on_when_one_is_killed(deployment, browser):
    lang = "zh-CN"
    quiz = load_courses(ROOT / "content", KINDS)["kam"].activity(QUIZ).config
    room = open_room(browser, deployment.url, lang, ["王芳", "李强", "Chen Jing"])
    control, screen = room.control, room.screen
    phones = list(room.phones.values())
    counts = until_connected(deployment.processes, 5)  # the control page, the projector, three phones
    assert all(counts), counts  # spread by nginx over both processes
    control.locator(f'.agenda-item[data-activity="{QUIZ}"]').click()
    question = quiz.questions[0]
    control.get_by_role("button", name=room.t("quiz.start")).click()
    for page in phones:
        expect(page.locator("h1")).to_contain_text(question.prompt.get(lang)[:8])
    answer(phones[0], question, right=True)
    answer(phones[1], question, right=False)
    expect(screen.locator(".respondents")).to_contain_text(room.t("quiz.answered_of", n=2, m=3))

    # The busier process dies without a word; its views reconnect through nginx to the other.
    victim = max(deployment.processes, key=sockets_on)
    victim.stop(signal.SIGKILL)
    for page in phones:
        expect(page.locator("#link-banner")).to_be_hidden(timeout=30_000)
    answer(phones[2], question, right=True)  # the third answers after the crash
    expect(screen.locator(".respondents")).to_contain_text(room.t("quiz.answered_of", n=3, m=3))
    expect(control.locator("#control-roster .count")).to_contain_text("3 / 3")
    control.get_by_role("button", name=room.t("quiz.reveal")).click()
    expect(phones[0].locator(".verdict")).to_contain_text(room.t("quiz.you_right"))
    expect(phones[1].locator(".verdict")).to_contain_text(room.t("quiz.you_wrong"))
    expect(phones[2].locator(".verdict")).to_contain_text(room.t("quiz.you_right"))

    # The killed process comes back and takes its share again; nothing was stored twice.
    victim.start()
    control.get_by_role("button", name=room.t("quiz.next")).click()
    control.get_by_role("button", name=room.t("quiz.start")).click()
    for page in phones:
        expect(page.locator("h1")).to_contain_text(quiz.questions[1].prompt.get(lang)[:8])
    stored = stored_answers(deployment.processes[0], question.id)
    assert len(stored) == len(set(stored)) == 3  # one per trainee: none lost, none doubled
    room.close()

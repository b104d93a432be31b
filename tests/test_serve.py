"""`kam serve` as a person runs it: the link it prints answers, the addresses are the ones it
listens on, and the commands start without the libraries only some of their work needs."""

import os
import queue
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.support.redis import URL as REDIS_URL
from tests.support.server import STARTING, Server, free_port


def serve(tmp_path, host: str, port: int, *more: str, **env: str) -> subprocess.Popen:
    settings = {**os.environ, "DATA_DIR": str(tmp_path), "PYTHONUNBUFFERED": "1", **env}
    settings.pop("DATABASE_URL", None)  # SQLite in the test's own folder
    if "PUBLIC_URL" not in env:
        settings.pop("PUBLIC_URL", None)
    command = [sys.executable, "-m", "app.cli", "serve", "--host", host, "--port", str(port), *more]
    output = {"stdout": subprocess.PIPE, "stderr": subprocess.STDOUT, "text": True}
    return subprocess.Popen(command, env=settings, **output)


def accepts(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def welcome(server: subprocess.Popen, port: int) -> tuple[str, bool]:
    """What the command printed up to "running", and whether the port answered at that moment."""
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        for line in server.stdout:
            lines.put(line)
        lines.put(None)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    server.reader = reader  # type: ignore[attr-defined]  # joined when the server is stopped
    printed, deadline = [], time.monotonic() + STARTING
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=1)
        except queue.Empty:
            continue
        if line is None:
            break
        printed.append(line)
        if "running" in line:
            answered = accepts(port)  # at once, as a person clicking the link would
            while (more := _next(lines)) is not None:
                printed.append(more)
            return "".join(printed), answered
    raise AssertionError("no 'running' line; the command printed:\n" + "".join(printed))


def _next(lines: queue.Queue) -> str | None:
    """The rest of the welcome (its lines come together), without waiting for the server's end."""
    try:
        return lines.get(timeout=1)
    except queue.Empty:
        return None


@pytest.fixture
def stopped():
    servers: list[subprocess.Popen] = []
    yield servers.append
    for server in servers:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        if reader := getattr(server, "reader", None):
            reader.join(30)
        server.stdout.close()


def test_serve_says_it_runs_only_once_its_port_answers(tmp_path, stopped):
    port = free_port()
    server = serve(tmp_path, "127.0.0.1", port)
    stopped(server)
    printed, answered = welcome(server, port)
    assert answered, printed
    assert "First run: log in as 'trainer'" in printed


def test_serve_on_loopback_prints_and_encodes_the_loopback_address(tmp_path, stopped):
    port = free_port()
    server = serve(tmp_path, "127.0.0.1", port)
    stopped(server)
    printed, _ = welcome(server, port)
    assert f"Trainees:    http://127.0.0.1:{port}/join" in printed
    assert f"Facilitator: http://localhost:{port}/control" in printed


def test_a_public_url_wins_over_the_address_served_on(tmp_path, stopped):
    port = free_port()
    server = serve(tmp_path, "127.0.0.1", port, PUBLIC_URL="https://kam.example.org")
    stopped(server)
    printed, _ = welcome(server, port)
    assert "Trainees:    https://kam.example.org/join" in printed


def test_serve_with_workers_runs_that_many_processes_on_one_port(tmp_path, stopped, redis_prefix):
    port = free_port()
    server = serve(tmp_path, "127.0.0.1", port, "--workers", "2", HUB_URL=REDIS_URL, HUB_PREFIX=redis_prefix)
    stopped(server)
    printed, answered = welcome(server, port)
    assert answered and f"Trainees:    http://127.0.0.1:{port}/join" in printed
    assert len(_workers_of(server.pid)) == 2


def test_workers_without_redis_are_refused_with_the_reason(tmp_path):
    server = serve(tmp_path, "127.0.0.1", free_port(), "--workers", "2", HUB_URL="memory://")
    printed, _ = server.communicate(timeout=STARTING)
    assert server.returncode == 2 and "HUB_URL=redis://" in printed


def _workers_of(pid: int) -> list[int]:
    """The server's worker processes (multiprocessing's spawned children; not its helpers)."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    spawned = [int(c) for c in children if "spawn_main" in Path(f"/proc/{c}/cmdline").read_text()]
    return spawned


HEAVY = ("docx", "openpyxl", "PIL", "segno", "hypothesis", "uvicorn", "alembic")


@pytest.mark.parametrize("module", ["app.cli", "app.main"])
def test_starting_imports_no_library_only_an_export_or_a_lobby_needs(module):
    """Documents, workbooks, charts and QR codes import their libraries when first made; the
    console commands import the server's only to serve. Each import is time at every start."""
    check = f"import sys, {module}; print(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, check=True)
    needed = {"app.cli": set(), "app.main": {"uvicorn", "alembic"}}[module]
    assert set(loaded.stdout.split()) - needed == set()


def test_a_test_server_that_ends_says_why_at_once(tmp_path):
    """The browser tests' server: a process that ended is not waited for, and its log is shown."""
    broken = tmp_path / "content"
    (broken / "kam").mkdir(parents=True)
    (broken / "kam" / "course.yaml").write_text("id: kam\ntitle: [", encoding="utf-8")
    server = Server(tmp_path)
    server.env["CONTENT_DIR"] = str(broken)
    started = time.monotonic()
    try:
        with pytest.raises(RuntimeError, match="content problems"):
            server.start()
    finally:
        server.stop()
        server.log.close()
    assert time.monotonic() - started < STARTING / 2

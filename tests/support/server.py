"""The app as a real server process, for the browser tests."""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.support.clients import PASSWORD
from tests.support.database import fresh_database

STARTING = 120  # seconds a server may take to answer: a busy machine is slow, not broken


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """`kam serve` in a subprocess that a test can kill and start again on the same port."""

    def __init__(self, tmp_path: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "DATA_DIR": str(tmp_path),
            "DATABASE_URL": fresh_database(tmp_path),
            "PUBLIC_URL": self.url,
            "HEARTBEAT_SECONDS": "2",
            "ENVIRONMENT": "test",
            "SECRET_KEY": "e2e-secret-" + "k" * 32,
        }
        self.log = (tmp_path / "server.log").open("ab")
        self.process: subprocess.Popen | None = None
        self._kam("facilitator", "add", "trainer", "--password", PASSWORD)

    def sibling(self) -> "Server":
        """Another process of the same deployment: the same database, data folder and settings,
        its own port (as a second machine behind a load balancer would be)."""
        other = object.__new__(Server)
        other.port = free_port()
        other.url = f"http://127.0.0.1:{other.port}"
        other.env = dict(self.env)
        other.log, other.process = self.log, None
        return other

    def _kam(self, *args: str) -> None:
        subprocess.run(
            [sys.executable, "-m", "app.cli", *args],
            env=self.env,
            check=True,
            stdout=self.log,
            stderr=self.log,
            timeout=60,
        )

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            env=self.env,
            stdout=self.log,
            stderr=self.log,
        )
        self._ready()

    def _ready(self) -> None:
        """Wait until the server answers its health check: as long as a busy machine needs, up
        to STARTING, and not a moment once the process has ended (its log says why)."""
        deadline = time.monotonic() + STARTING
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"kam serve ended with {self.process.returncode}:\n{self._log_tail()}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=5).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError(f"kam serve did not answer within {STARTING} s:\n{self._log_tail()}")

    def _log_tail(self) -> str:
        self.log.flush()
        return Path(self.log.name).read_text(encoding="utf-8", errors="replace")[-4000:]

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def restart(self, sig: int = signal.SIGKILL) -> None:
        self.stop(sig)
        self.start()


@contextmanager
def running_server(tmp_path: Path, content: Path | None = None) -> Iterator[Server]:
    """A started server (on `content` instead of the sample course if given), stopped after."""
    running = Server(tmp_path)
    if content is not None:
        running.env["CONTENT_DIR"] = str(content)
    running.start()
    try:
        yield running
    finally:
        running.stop()
        running.log.close()

"""A server under test, run as a child process on 127.0.0.1: start, wait, measure, stop.

The child gets its own process group, so stopping it also stops anything it started. It is
stopped on every way out of the `with` block, errors included.
"""

import contextlib
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import httpx

HOST = "127.0.0.1"

try:
    import psutil
except ImportError:  # the figures come from /proc instead
    psutil = None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def tree(pid: int) -> list[int]:
    """The process and its descendants (a server run with --workers is several)."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    below = children.read_text().split() if children.exists() else []
    return [pid, *(member for child in below for member in tree(int(child)))]


def rss_kb(pid: int) -> int:
    """Resident memory of a process and its children, in KiB."""
    if psutil is not None:
        process = psutil.Process(pid)
        members = [process, *process.children(recursive=True)]
        return sum(member.memory_info().rss for member in members) // 1024
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process and its live descendants have used so far."""
    return sum(_own_cpu_seconds(member) for member in tree(pid))


def _own_cpu_seconds(pid: int) -> float:
    if psutil is not None:
        times = psutil.Process(pid).cpu_times()
        return times.user + times.system
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class ServerProcess:
    """`with ServerProcess(argv, port, log_path) as server:` — ready once /healthz answers 200."""

    def __init__(
        self,
        argv: list[str],
        port: int,
        log_path: Path,
        *,
        env: dict | None = None,
        cwd: Path | None = None,
        start_timeout: float = 60.0,
    ):
        self.argv, self.port, self.log_path = argv, port, log_path
        self.env, self.cwd, self.start_timeout = env, cwd, start_timeout
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def pid(self) -> int:
        return self.process.pid

    def __enter__(self) -> "ServerProcess":
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                self.argv,
                cwd=self.cwd,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.start_timeout
        with httpx.Client(base_url=self.url, timeout=2.0, trust_env=False) as client:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    raise RuntimeError(f"server exited with {self.process.returncode}:\n{self.log_tail()}")
                try:
                    if client.get("/healthz").status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                time.sleep(0.1)
        raise TimeoutError(f"server not ready after {self.start_timeout} s:\n{self.log_tail()}")

    def stop(self, grace: float = 10.0) -> None:
        """SIGTERM to the child's group, then SIGKILL if it is still there after `grace`."""
        if self.process is None or self.process.poll() is not None:
            return
        self._signal_group(signal.SIGTERM)
        try:
            self.process.wait(grace)
        except subprocess.TimeoutExpired:
            self._signal_group(signal.SIGKILL)
            self.process.wait(5)

    def _signal_group(self, signum: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signum)  # its own group: start_new_session=True

    def rss_kb(self) -> int:
        return rss_kb(self.pid)

    def cpu_seconds(self) -> float:
        return cpu_seconds(self.pid)

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

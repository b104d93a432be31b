"""The app under test: `kam serve` in a temporary folder with its own data and database.

Nothing touches the repository: the working directory, DATA_DIR and (by default) the SQLite
database all live in a temporary folder that is removed afterwards. The server runs a copy of
this checkout's `app/` and `content/`, taken when it starts, so edits made to the tree during a
run (templates are reloaded from disk) do not change the app being measured; or, given an
app root (a folder holding such a copy), that one, so that several runs measure one version.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from bench.harness.checkout import ROOT
from bench.harness.serverproc import HOST, ServerProcess

FACILITATOR = "bench"
PASSWORD = "bench-password-123"
PROBE = Path(__file__).resolve().parent / "gcprobe"  # sitecustomize.py: the GC pause log


def kam_command() -> str:
    """The `kam` console script of this interpreter's environment (pip install -e .)."""
    beside = Path(sys.executable).with_name("kam")
    found = str(beside) if beside.exists() else shutil.which("kam")
    if not found:
        raise RuntimeError("the `kam` command is missing: run `pip install -e .` first")
    return found


def database_of(workdir: Path, given: str | None) -> str:
    """The server's database: the one given, or SQLite in its temporary folder."""
    return given or f"sqlite:///{workdir / 'bench.db'}"


def frozen_copy(workdir: Path) -> Path:
    """Copy this checkout's app and content into the run's folder; the copy's root."""
    source = workdir / "src"
    for part in ("app", "content"):
        shutil.copytree(ROOT / part, source / part, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return source


def app_env(workdir: Path, port: int, database_url: str | None, heartbeat: float, source: Path) -> dict:
    """The server's environment; `source` holds the app/ and content/ it runs."""
    env = dict(os.environ)
    env.update(
        {
            # that copy of the app, whichever clone `pip install -e` points at
            "PYTHONPATH": os.pathsep.join(filter(None, [str(source), env.get("PYTHONPATH")])),
            "ENVIRONMENT": "development",
            "DATA_DIR": str(workdir / "data"),
            "DATABASE_URL": database_of(workdir, database_url),
            "JOIN_RATE_PER_MINUTE": "1000000",
            "LOGIN_RATE_PER_MINUTE": "1000",
            "PUBLIC_URL": f"http://{HOST}:{port}",
            "HEARTBEAT_SECONDS": str(heartbeat),
            "HUB_URL": "memory://",
        }
    )
    for name in ("SECRET_KEY", "ALLOWED_ORIGINS", "CONTENT_DIR", "KAM_BENCH_GC_LOG", "KAM_BENCH_GC_TUNE"):
        env.pop(name, None)
    return env


def with_gc_probe(env: dict, log: Path, tune: str | None) -> dict:
    """Load gcprobe/sitecustomize.py into the server: it logs GC pauses (and may tune the GC)."""
    path = os.pathsep.join(filter(None, [str(PROBE), env.get("PYTHONPATH")]))
    return {
        **env,
        "PYTHONPATH": path,
        "KAM_BENCH_GC_LOG": str(log),
        **({"KAM_BENCH_GC_TUNE": tune} if tune else {}),
    }


def ensure_facilitator(kam: str, env: dict, workdir: Path) -> None:
    """Create the bench's facilitator; on a reused database, reset its password instead."""
    for action in ("add", "password"):
        done = subprocess.run(
            [kam, "facilitator", action, FACILITATOR, "--password", PASSWORD],
            cwd=workdir,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            stdin=subprocess.DEVNULL,
        )
        if done.returncode == 0:
            return
    raise RuntimeError(f"could not create the facilitator:\n{done.stdout}{done.stderr}")


@contextmanager
def app_server(
    port: int,
    database_url: str | None = None,
    heartbeat: float = 15.0,
    gc_tune: str | None = None,
    app_root: Path | None = None,
    workers: int = 1,
    hub_url: str = "memory://",
):
    """Yield a running ServerProcess for the app and the path of its GC log; always stopped
    and cleaned up afterwards. The server runs app_root's app/ and content/ if given, else a
    fresh copy of this checkout's (the root it runs: server.cwd / "src" or app_root)."""
    with tempfile.TemporaryDirectory(prefix="kam-bench-") as folder:
        workdir = Path(folder)
        kam = kam_command()
        source = app_root.resolve() if app_root else frozen_copy(workdir)
        env = app_env(workdir, port, database_url, heartbeat, source)
        env.update({"HUB_URL": hub_url, "HUB_PREFIX": f"bench-{workdir.name}:"})  # its own keys in Redis
        ensure_facilitator(kam, env, workdir)
        gc_log = workdir / "gc.log"
        argv = [kam, "serve", "--host", HOST, "--port", str(port), "--workers", str(workers)]
        with ServerProcess(
            argv, port, workdir / "server.log", cwd=workdir, env=with_gc_probe(env, gc_log, gc_tune)
        ) as server:
            yield server, gc_log

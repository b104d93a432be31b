"""The room every app bench sets up and reads back: `kam serve`, the facilitator logged in with a
session open, the trainees joined and their play websockets open; at the end, the server log's
problems, the session ended, every websocket closed, and the errors counted.

    with room.opened(pool, args) as session:
        joins = session.join()
        connects = session.connect()
        ...  # the bench's own moves and figures
        problems = session.log_problems()
        links = session.leave()
"""

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.harness import checkout
from bench.harness.appserver import FACILITATOR, PASSWORD, app_server, database_of
from bench.harness.course import with_own_part
from bench.harness.facilitator import Facilitator, agenda
from bench.harness.phases import join_phase, log, phase_budget, timed_phase, to_phones
from bench.harness.pool import WorkerPool
from bench.harness.serverproc import HOST, ServerProcess, free_port

PROBLEMS = ("WARNING", "ERROR", "Error", "Traceback")  # the server log lines a result keeps


@dataclass
class Room:
    pool: WorkerPool
    server: ServerProcess
    gc_log: Path
    trainer: Facilitator
    session_id: int
    code: str
    app_digest: str
    args: argparse.Namespace

    @property
    def database(self) -> str:
        """The server's database URL, for the checks that read it back."""
        return database_of(self.server.cwd, self.args.database_url)

    def ws_url(self, path: str) -> str:
        return f"ws://{HOST}:{self.server.port}/ws/{path}"

    def join(self) -> dict:
        return join_phase(self.pool, self.server.url, self.code, self.args)

    def play_connect(self) -> tuple[str, list[dict]]:
        """The workers' command that opens every trainee's play websocket, and its arguments."""
        connect = {
            "url": self.ws_url(f"play/{self.code}"),
            "origin": self.server.url,
            "concurrency": self.args.concurrency,
            "timeout": 60.0,
        }
        return "connect_app", [connect] * self.args.workers

    def connect(self) -> dict:
        """Open every trainee's play websocket up to its snapshot: the phase's figures."""
        connects = timed_phase(self.pool, *self.play_connect(), phase_budget(self.args.trainees))
        log(f"{connects['ok']} websockets open in {connects['seconds']} s")
        return connects

    def to_phones(self, activity: str, action: str, form: dict, marker: str | None, number: int) -> dict:
        """POST the facilitator's `action`, timed to every phone showing `activity` (and `marker`)."""
        return to_phones(
            self.pool,
            activity,
            lambda: self.trainer.post(action, form),
            marker,
            number,
            self.args.round_timeout,
        )

    def log_problems(self, lines: list[str] | None = None) -> list[str]:
        """The server log's warning and error lines (of `lines`, or of its tail)."""
        lines = self.server.log_tail(100_000).splitlines() if lines is None else lines
        return [line for line in lines if any(word in line for word in PROBLEMS)]

    def leave(self) -> dict:
        """End the session and close every play websocket: the closes nobody asked for, the gaps."""
        self.trainer.end_session()
        links = self.pool.call("disconnect", {"timeout": 10.0}, timeout=60)
        return {
            "closes": [why for reply in links for why in reply["unexpected_closes"]],
            "seq_gaps": sum(reply["seq_gaps"] for reply in links),
        }


@contextmanager
def opened(pool: WorkerPool, args, gc_tune: str | None = None) -> Iterator[Room]:
    """The app server up (args.app_root's app, or a fresh copy of this checkout's), the
    facilitator logged in and a session open; everything stopped on the way out."""
    app_root = getattr(args, "app_root", None)  # the live broadcast always runs a fresh copy
    root = app_root or checkout.ROOT
    with (
        app_server(
            args.port or free_port(),
            args.database_url,
            args.heartbeat,
            gc_tune,
            app_root,
            getattr(args, "server_workers", 1),
            getattr(args, "hub_url", "memory://"),
        ) as (server, gc_log),
        Facilitator(server.url, agenda(root=root), with_own_part(root)) as trainer,
    ):
        app_digest = checkout.digest(app_root or server.cwd / "src")  # what the server runs
        log(f"app server up at {server.url} (pid {server.pid}), app {app_digest}")
        trainer.login(FACILITATOR, PASSWORD)
        session_id, code = trainer.open_session()
        yield Room(pool, server, gc_log, trainer, session_id, code, app_digest, args)


def error_counts(joins: dict, connects: dict, own: dict, left: dict, closed_pages: int = 0) -> dict:
    """Failed joins and connects, the bench's own errors, then the closes and sequence gaps."""
    return {
        "failed joins": joins["failures"],
        "failed connects": connects["failures"],
        **own,
        "unexpected closes": len(left["closes"]) + closed_pages,
        "sequence gaps": left["seq_gaps"],
    }


def outcome(counts: dict, left: dict | None, problems: list[str]) -> dict:
    """The end of every app bench's result: its errors by kind, in all, and samples of both."""
    closes = {"unexpected_closes": left["closes"][:10]} if left is not None else {}
    return {
        "error_counts": counts,
        "errors": sum(counts.values()),
        **closes,
        "server_log_problems": problems[-40:],
    }

"""What the benches' command lines and mains share: the flags that mean the same in each bench,
and what a bench does once the flags are read (run, keep the result, print it).

Each function adds flags that stand next to each other, in this order, in every bench that has
them, so that a bench's --help lists its flags in the order it always has.
"""

import argparse
import time
from pathlib import Path

from bench.harness import results
from bench.harness.host import machine
from bench.harness.worker import raise_open_files_limit

ROUND_TIMEOUT = "seconds a phone may take to show a new view before it counts as missed"
APP_ROOT = (
    "run the app/ and content/ in this folder (a copy of the tree, e.g. "
    "`cp -r app content DIR/`) instead of a fresh copy of this checkout"
)
APP_ROOT_SHORT = (
    "run the app/ and content/ in this folder (a copy of the tree) instead of a fresh copy of this checkout"
)


def trainees_argument(parser: argparse.ArgumentParser, default: int) -> None:
    """--trainees: every bench has it, each with its own N."""
    parser.add_argument("--trainees", type=int, default=default, help=f"N (default {default})")


def workers_argument(parser: argparse.ArgumentParser) -> None:
    """--workers: the same in every bench."""
    parser.add_argument("--workers", type=int, default=4, help="client processes (default 4)")


def server_arguments(parser: argparse.ArgumentParser, *, quick: str, opens: str = "websocket opens") -> None:
    """--port, --database-url, --quick (`quick`: what it sets) and --concurrency (`opens`: of what)."""
    parser.add_argument("--port", type=int, default=0, help="app port (default: a free one)")
    parser.add_argument(
        "--database-url",
        help="e.g. postgresql://postgres@127.0.0.1/kam_bench (default: SQLite in a temporary folder)",
    )
    parser.add_argument(
        "--server-workers", type=int, default=1, help="kam serve --workers (more than 1 needs --hub-url)"
    )
    parser.add_argument("--hub-url", default="memory://", help="HUB_URL, e.g. redis://127.0.0.1:6379/0")
    parser.add_argument("--quick", action="store_true", help=quick)
    parser.add_argument(
        "--concurrency", type=int, default=16, help=f"joins / {opens} in flight per worker (default 16)"
    )


def seed_argument(parser: argparse.ArgumentParser, of: str) -> None:
    """--seed: every bench has it, seeding its own plan (`of`)."""
    parser.add_argument("--seed", type=int, default=1, help=f"of {of} (default 1)")


def round_timeout_argument(parser: argparse.ArgumentParser, text: str = ROUND_TIMEOUT) -> None:
    """--round-timeout: how long a phone may take to show a facilitator's move (`text`: its help)."""
    parser.add_argument("--round-timeout", type=float, default=60.0, help=text)


def post_timeout_arguments(parser: argparse.ArgumentParser) -> None:
    """--post-timeout and --answer-timeout of the benches whose trainees post in turn."""
    parser.add_argument(
        "--post-timeout",
        type=float,
        default=30.0,
        help="seconds one post may take before it counts as failed (default 30)",
    )
    parser.add_argument(
        "--answer-timeout",
        type=float,
        default=120.0,
        help="seconds after the window by which every post must be back",
    )


def app_arguments(parser: argparse.ArgumentParser, app_root: str = APP_ROOT) -> None:
    """--heartbeat and --app-root: how the app server is run, the same in every bench."""
    parser.add_argument("--heartbeat", type=float, default=15.0, help="HEARTBEAT_SECONDS")
    parser.add_argument("--app-root", type=Path, help=app_root)


def max_seconds_argument(parser: argparse.ArgumentParser, default: int) -> None:
    """--max-seconds: every bench has it, each with its own limit."""
    parser.add_argument(
        "--max-seconds",
        type=int,
        default=default,
        help=f"stop the whole run after this long (default {default})",
    )


def measured(args, pool_type, measure) -> tuple[dict, dict]:
    """The machine's facts, read first (was something else busy?), and measure(pool)'s figures."""
    raise_open_files_limit()  # the server inherits it: a socket per client
    host = machine()
    with pool_type(args.workers) as pool:
        return host, measure(pool)


def judged(args, pool_type, measure, judge, settings: tuple[str, ...], **config) -> dict:
    """measured(), kept as result() keeps it with the flags named in `settings` (and `config`),
    then judged: the checks it met."""
    host, figures = measured(args, pool_type, measure)
    named = {name: getattr(args, name) for name in settings}
    outcome = result(host, figures, args, **named, **config)
    outcome["checks"] = judge(outcome)
    return outcome


def result(host: dict, figures: dict, args, **config) -> dict:
    """The result as every bench keeps it: when, on what machine, with what settings; the figures."""
    return {
        "date": time.strftime("%Y-%m-%d %H:%M:%S"),
        "machine": host,
        "config": {
            **config,
            "app_root": str(args.app_root) if args.app_root else None,
            "database": "postgresql" if args.database_url else "sqlite",
            "server_workers": getattr(args, "server_workers", 1),
            "hub": getattr(args, "hub_url", "memory://").split(":", 1)[0],
        },
        **figures,
    }


def run_and_save(args, run, table, bench: str) -> int:
    """The end of every bench's main: run within --max-seconds, print the table, save the result."""
    outcome = results.bounded(args.max_seconds, lambda: run(args))
    print(table(outcome))
    print(f"\nresult: {results.save(outcome, bench)}")
    return 0

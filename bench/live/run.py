"""Live broadcast bench: N trainees in one session, "next" through the whole day, delay to every phone.

1. The app (`kam serve`, SQLite in a temporary folder unless --database-url) is started; the
   facilitator logs in and opens a session; N trainees join over HTTP from W worker processes and
   are split into teams (one per ten, at most the app's 40).
2. Every trainee opens the play websocket and waits for its snapshot; server RSS is read before
   and after.
3. R rounds (by default every activity of the sample day, in order): the facilitator POSTs /next;
   each trainee's delay is the time from just before that POST until their view of the new
   activity is whole: the room's stage, and for a kind with a part of the trainee's own, that too.
4. Reconnect storms (storms.py): every websocket dropped at once and opened again, at a brief, an
   open quiz, a revealed quiz and the leaderboard.
5. The same N clients and R rounds against a bare `websockets` broadcast of the same number of
   bytes (harness/bare_broadcast.py), measured from the same workers: the floor to compare with.

Run: python -m bench.live [--quick] [--trainees N] [--workers W] [--rounds R]
Only 127.0.0.1 is ever contacted; every wait is bounded; the servers are always stopped.
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

from bench.harness import checkout, cli, results, room, stats
from bench.harness.bare_broadcast import bare_server
from bench.harness.course import sample_course
from bench.harness.gcpauses import pauses
from bench.harness.phases import log, measure_broadcast, split
from bench.harness.pool import WorkerPool
from bench.harness.profiling import hot_functions, phase_file, phase_profile
from bench.harness.serverproc import HOST, free_port
from bench.live import report
from bench.live.storms import run_storms

PHASES = ("joins", "connects", "rounds")
MAX_TEAMS = 40  # as app/live/teams.py allows
STORM_TIMEOUT = 60.0  # seconds a storm may take before a phone counts as not back


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.live", description=__doc__.splitlines()[0])
    cli.trainees_argument(parser, 1000)
    cli.workers_argument(parser)
    parser.add_argument(
        "--rounds",
        type=int,
        default=len(sample_course().activities),
        help="R broadcasts (default: the whole day)",
    )
    parser.add_argument("--no-storms", action="store_true", help="skip the reconnect storms")
    cli.server_arguments(parser, quick="N=100")
    parser.add_argument(
        "--round-timeout",
        type=float,
        default=10.0,
        help="seconds an update may take before it counts as missed",
    )
    parser.add_argument("--gap", type=float, default=0.5, help="seconds between rounds")
    parser.add_argument("--heartbeat", type=float, default=15.0, help="HEARTBEAT_SECONDS")
    parser.add_argument(
        "--profile", action="store_true", help="sample the app server with py-spy (joins, connects, rounds)"
    )
    parser.add_argument(
        "--gc-tune",
        metavar="T0,T1,T2",
        help="experiment: gc.freeze() after startup and gc.set_threshold(T0, T1, "
        "T2) in the app server (the result is then not the app's own)",
    )
    cli.max_seconds_argument(parser, 1800)
    args = parser.parse_args(argv)
    if args.quick:
        args.trainees = 100
    if not 1 <= args.workers <= args.trainees or args.rounds < 1:
        parser.error("need 1 <= workers <= trainees and rounds >= 1")
    return args


def teams_for(trainees: int) -> int:
    return max(1, min(MAX_TEAMS, trainees // 10))


def measure_app(pool: WorkerPool, args, profile: Path | None) -> dict:
    with room.opened(pool, args, gc_tune=args.gc_tune) as session:
        with phase_profile(session.server.pid, profile, "joins"):
            joins = session.join()
        session.trainer.make_teams(teams_for(args.trainees))
        figures = measure_broadcast(
            pool,
            session.server,
            session.trainer,
            session.play_connect(),
            args,
            profile,
            keep_links=not args.no_storms,
        )
        if not args.no_storms:
            figures["storms"] = run_storms(pool, session, checkout.ROOT, STORM_TIMEOUT)
            pool.call("disconnect", {"timeout": 10.0}, timeout=60)
            storm_errors = {
                f"storm at {name}: not back": storm["not_whole"] + storm["failed_connects"]
                for name, storm in figures["storms"].items()
            }
            figures["error_counts"].update(storm_errors)
            figures["errors"] += sum(storm_errors.values())
        session.trainer.end_session()
        figures["gc_pauses_during_rounds"] = pauses(session.gc_log, *figures["rounds"]["window"])
    figures["joins"] = joins
    figures["error_counts"] = {"failed joins": joins["failures"], **figures["error_counts"]}
    figures["errors"] += joins["failures"]
    return figures


def measure_bare(pool: WorkerPool, args, size: int) -> dict:
    with (
        tempfile.TemporaryDirectory(prefix="kam-bench-bare-") as folder,
        bare_server(free_port(), size, Path(folder) / "bare.log") as (server, trigger),
    ):
        log(f"bare server up at {server.url}, {size} bytes per message")
        connect = [
            {
                "url": f"ws://{HOST}:{server.port}/",
                "count": count,
                "concurrency": args.concurrency,
                "timeout": 60.0,
            }
            for count in split(args.trainees, args.workers)
        ]
        return measure_broadcast(pool, server, trigger, ("connect_bare", connect), args)


def measure_both(pool: WorkerPool, args, profile: Path | None) -> tuple[dict, dict]:
    """The app, then the bare broadcast of its median update's size, from the same workers."""
    app = measure_app(pool, args, profile)
    return app, measure_bare(pool, args, app["rounds"]["update_bytes"] or 5000)


def run(args) -> dict:
    results.RESULTS.mkdir(exist_ok=True)
    profile = results.RESULTS / f"py-spy-n{args.trainees}" if args.profile else None
    host, (app, bare) = cli.measured(args, WorkerPool, lambda pool: measure_both(pool, args, profile))
    result = {
        "date": time.strftime("%Y-%m-%d %H:%M:%S"),
        "machine": host,
        "config": {
            "trainees": args.trainees,
            "workers": args.workers,
            "rounds": args.rounds,
            "concurrency": args.concurrency,
            "round_timeout": args.round_timeout,
            "gap": args.gap,
            "database": "postgresql" if args.database_url else "sqlite",
            "gc_tune": args.gc_tune,
        },
        "app": app,
        "bare": bare,
        "ratio": {
            p: stats.ratio(app["rounds"]["delay_ms"][p], bare["rounds"]["delay_ms"][p])
            for p in ("p50", "p95", "p99")
        },
    }
    result["targets"] = report.judge(result)
    if profile:
        result["profile"] = {
            phase: {"file": str(path), **hot_functions(path)}
            for phase in PHASES
            if (path := phase_file(profile, phase)).exists()
        }
    return result


def main(argv: list[str] | None = None) -> int:
    return cli.run_and_save(parse_args(argv), run, report.table, "live_broadcast")


if __name__ == "__main__":
    sys.exit(main())

"""Plan autosave bench: N trainees write their key-account plans, each editor page saving every
few seconds, for a while, with the facilitator's control page open. Nothing saved may be lost.

1. The app (`kam serve`, SQLite in a temporary folder unless --database-url) is started; the
   facilitator logs in, opens a session and goes to `u4-plan-writing`; N trainees join (as
   the live broadcast bench does), and each begins a plan and opens its editor (page.py).
2. The control page's websocket opens (control.py). Every trainee edits their plan every
   --interval seconds (±10 %, spread over the room) for --seconds, and their page saves as
   plan.js does: one save in flight, the newest text, retried after a failure. Each save is
   timed; so is GET /healthz, sampled from the same workers: the reference in the same run.
3. After the last save, the database must hold every page's last confirmed text (or a later
   one it sent), with version = 1 + the saves accepted (check.py); the control page's
   last update must show every trainee's final percent.

Run: python -m bench.plans [--quick] [--trainees N] [--seconds S] [--interval I]
     [--database-url URL]
Only 127.0.0.1 is ever contacted; every wait is bounded; the server and workers are always
stopped.
"""

import argparse
import sys
import time

from bench.harness import cli, room
from bench.harness.cpu import cores_busy, cpu_now
from bench.harness.phases import log, phase_budget, timed_phase, wait_idle
from bench.plans import check, control, plan, report
from bench.plans.worker import PlansPool

ACTIVITY = "u4-plan-writing"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.plans", description=__doc__.splitlines()[0])
    cli.trainees_argument(parser, 200)
    cli.workers_argument(parser)
    parser.add_argument(
        "--seconds", type=float, default=120.0, help="how long the trainees keep editing (default 120)"
    )
    parser.add_argument(
        "--interval",
        type=float,
        default=2.0,
        help="seconds between a trainee's edits, each followed by a save (default 2)",
    )
    cli.server_arguments(parser, quick="N=20 for 20 s", opens="editors opened")
    cli.seed_argument(parser, "the edit times")
    parser.add_argument(
        "--save-timeout",
        type=float,
        default=30.0,
        help="seconds one save may take before the page counts it failed (default 30)",
    )
    parser.add_argument(
        "--drain",
        type=float,
        default=60.0,
        help="seconds after the last edit for every page to finish saving (default 60)",
    )
    parser.add_argument(
        "--reference-interval",
        type=float,
        default=0.5,
        help="seconds between GET /healthz samples in each worker (default 0.5)",
    )
    cli.app_arguments(parser, cli.APP_ROOT_SHORT)
    cli.max_seconds_argument(parser, 900)
    args = parser.parse_args(argv)
    if args.quick:
        args.trainees, args.seconds = 20, 20.0
    args.workers = min(args.workers, args.trainees)
    if args.workers < 1 or args.seconds <= 0 or args.interval <= 0:
        parser.error("need at least one trainee and worker, and positive seconds and interval")
    return args


def steps_every(args) -> int:
    """Edits between two of plan.STEPS, so that they spread over the whole run."""
    return max(1, round(args.seconds / args.interval / (len(plan.STEPS) + 1)))


def write_plans(pool: PlansPool, server, page: control.ProgressPage, args) -> dict:
    """Everyone edits and saves for args.seconds, then finishes saving: the raw figures."""
    start = time.time() + 1.0  # every worker has its orders before the first edit is due
    cpu_before = cpu_now(pool, server)
    replies = pool.call(
        "autosave",
        {
            "base_url": server.url,
            "start": start,
            "seconds": args.seconds,
            "interval": args.interval,
            "steps_every": steps_every(args),
            "drain": args.drain,
            "save_timeout": args.save_timeout,
            "reference_every": args.reference_interval,
            "seed": args.seed,
        },
        timeout=args.seconds + args.drain + args.save_timeout + 60,
    )
    cpu_after = cpu_now(pool, server)
    records = [r for reply in replies for r in reply["records"]]
    saves = report.save_figures(
        records,
        [r for reply in replies for r in reply["reference"]],
        start,
        cpu_after["server"] - cpu_before["server"],
    )
    saves["cores"] = cores_busy(cpu_before, cpu_after)
    log(
        f"{saves['sent']} saves, p50 {saves['latency_ms']['p50']} / p95 "
        f"{saves['latency_ms']['p95']} / p99 {saves['latency_ms']['p99']} ms; /healthz p95 "
        f"{saves['reference_ms']['p95']} ms; statuses {saves['statuses']}"
    )
    page.quiet()
    saves["after"] = {
        "seconds": round(time.monotonic() - cpu_after["at"], 1),
        "server_cpu_s": round(server.cpu_seconds() - cpu_after["server"], 2),
    }
    pages = [p for reply in replies for p in reply["pages"]]
    first = {p["name"]: p["first_percent"] for p in pages}
    final = {r["name"]: r["percent"] for r in sorted(records, key=lambda r: r["seq"]) if r["status"] == 200}
    progress = control.figures(page, records, first, {**first, **final})
    log(
        f"control page: {progress['updates']} updates, {progress['updates_per_second']}/s while "
        f"saving, {progress['rows_behind_at_the_end']} rows behind at the end"
    )
    return {
        "saves": saves,
        "control": progress,
        "records": records,
        "pages": pages,
        "unsettled": sum(reply["unsettled"] for reply in replies),
        "timed_out": any(reply["timed_out"] for reply in replies),
    }


def measure(pool: PlansPool, args) -> dict:
    with room.opened(pool, args) as session:
        go_ms = session.trainer.post("go", {"activity": ACTIVITY})
        joins = session.join()
        editors = open_editors(session)
        wait_idle(session.server)
        with control.ProgressPage(
            session.ws_url(f"control/{session.session_id}"), session.server.url, session.trainer.cookie_header
        ) as page:
            run = write_plans(pool, session.server, page, args)
        wait_idle(session.server)
        problems = session.log_problems()
        database = check.compare(session.database, session.session_id, run["pages"], run["records"])
        log(f"database: {database['plans']} plans, {database['lost']} lost, verdicts {database['verdicts']}")
        session.trainer.end_session()
    counts = {
        "failed joins": joins["failures"],
        "failed editor opens": editors["failures"],
        "saves not answered 200": sum(n for kind, n in run["saves"]["errors_by_kind"].items()),
        "reference probes not 200": run["saves"]["reference_errors"],
        "saves lost": database["lost"],
        "plans with a wrong version or device": database["wrong_version_or_device"],
        "pages unsettled after the drain": run["unsettled"],
        "control page closed unasked": int(bool(run["control"]["closed"])),
    }
    return {
        "app_digest": session.app_digest,
        "go_ms": round(go_ms, 1),
        "joins": joins,
        "editors": editors,
        "saves": run["saves"],
        "control": run["control"],
        "database": database,
        "unsettled": run["unsettled"],
        "timed_out": run["timed_out"],
        **room.outcome(counts, None, problems),
    }


def open_editors(session: room.Room) -> dict:
    """Every trainee begins a plan and opens its editor page: the phase's figures."""
    kwargs = {
        "base_url": session.server.url,
        "code": session.code,
        "concurrency": session.args.concurrency,
        "timeout": 60.0,
    }
    editors = timed_phase(session.pool, "open_editors", kwargs, phase_budget(session.args.trainees))
    log(f"{editors['ok']} editors open in {editors['seconds']} s, {editors['failures']} failed")
    return editors


def run(args) -> dict:
    settings = ("trainees", "workers", "seconds", "interval", "seed", "save_timeout", "drain")
    return cli.judged(
        args,
        PlansPool,
        lambda pool: measure(pool, args),
        report.checks,
        (*settings, "reference_interval"),
        steps_every=steps_every(args),
    )


def main(argv: list[str] | None = None) -> int:
    return cli.run_and_save(parse_args(argv), run, report.table, "plans")


if __name__ == "__main__":
    sys.exit(main())

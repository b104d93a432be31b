"""Case tagging bench: N trainees tap tags on a case (the script `u3-case-script`) over their
play websockets while the facilitator reads it out line by line, with the control page open.
Nothing tapped may be lost.

1. The app (`kam serve`, SQLite in a temporary folder unless --database-url) is started; the
   facilitator logs in and opens a session; N trainees join and open their play websockets
   (as the live broadcast bench does); the control page's websocket opens; the facilitator goes to
   the case, timed to every phone.
2. For --seconds: the facilitator presses "next line" (`POST /control/{id}/kind/next`, with
   the clock's revision) every --line-every seconds; every trainee taps a random tag of the
   case at random moments (mean --every seconds), 1 in 5 with a short comment, and undoes 1
   tap in 10 once its answer shows it, and stops at 25 tags (phone.py). GET /healthz is
   sampled every 0.5 s from one worker.
3. Measured (report.py): tap -> its answer on the same socket; tap -> the control page
   showing a tag count that includes it; and, as the reference in the same run, "next line" ->
   every phone showing it, and /healthz.
4. The database must hold every trainee's taps minus their undos (check.py).

Run: python -m bench.cases [--quick] [--trainees N] [--seconds S] [--every E]
     [--database-url URL]
Only 127.0.0.1 is ever contacted; every wait is bounded; the server and workers are always
stopped.
"""

import argparse
import contextlib
import re
import sys
import time
from pathlib import Path

from bench.cases import check, report
from bench.cases.worker import CasesPool
from bench.harness import checkout, cli, results, room, tables
from bench.harness.controlpage import MAIN, ControlPage
from bench.harness.course import sample_course
from bench.harness.cpu import cores_busy, cpu_now
from bench.harness.facilitator import Facilitator
from bench.harness.phases import log, wait_idle
from bench.harness.profiling import hot_functions, py_spy

ACTIVITY = "u3-case-script"
COURSE = "kam"
LANGUAGE = "zh-CN"  # the trainees' and the control page's language (the app's default)
STOP_AT = 25  # a trainee stops tapping at this many tags (the case allows max_tags, 30)
TAPS = re.compile(r'class="respondents">.*?·\s*(\d+)\s*(?:个标签|tags)', re.S)
CLOCK = re.compile(r'id="case-clock"[^>]*?data-at="([0-9.]+)"')


class TapsPage(ControlPage):
    """The control page; `shown` lists [time.time(), tags shown, line shown, bytes] per update
    of control-main."""

    def __init__(self, url: str, origin: str, cookie_header: str, timeout: float = 30.0):
        super().__init__(url, origin, cookie_header, timeout, region=MAIN, count=TAPS)
        self.shown: list[list] = []

    def _seen(self, now: float, message: str) -> None:
        super()._seen(now, message)
        clock = CLOCK.search(message)
        self.shown.append(
            [now, self.updates[-1][1], int(float(clock.group(1))) if clock else None, len(message.encode())]
        )

    def quiet(self, after: float, seconds: float = 2.0, limit: float = 60.0) -> None:
        """Wait until no update has come for `seconds` since `after` (the last answer to a
        trainee: its coalesced render is still to come) or the last update; at most `limit`."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if time.time() - max(self.shown[-1][0] if self.shown else 0.0, after) >= seconds:
                return
            time.sleep(0.1)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.cases", description=__doc__.splitlines()[0])
    cli.trainees_argument(parser, 200)
    cli.workers_argument(parser)
    parser.add_argument(
        "--seconds", type=float, default=90.0, help="how long the trainees keep tapping (default 90)"
    )
    parser.add_argument(
        "--every", type=float, default=8.0, help="mean seconds between a trainee's taps (default 8)"
    )
    parser.add_argument(
        "--line-every",
        type=float,
        default=6.0,
        help="seconds between the facilitator's 'next line' (default 6)",
    )
    parser.add_argument(
        "--comments", type=float, default=0.2, help="share of taps with a comment (default 0.2)"
    )
    parser.add_argument(
        "--undos", type=float, default=0.1, help="share of taps undone afterwards (default 0.1)"
    )
    cli.server_arguments(parser, quick="N=20 for 20 s")
    cli.seed_argument(parser, "the taps")
    parser.add_argument(
        "--answer-timeout",
        type=float,
        default=10.0,
        help="seconds an answer may take before the tap counts as unanswered (default 10)",
    )
    cli.round_timeout_argument(parser, "seconds a phone may take to show the case after `go` (default 60)")
    parser.add_argument(
        "--reference-interval",
        type=float,
        default=0.5,
        help="seconds between GET /healthz samples (default 0.5)",
    )
    parser.add_argument(
        "--drain",
        type=float,
        default=120.0,
        help="seconds to wait for the server to go idle before reading the database (default 120)",
    )
    cli.app_arguments(parser, cli.APP_ROOT_SHORT)
    parser.add_argument(
        "--profile",
        action="store_true",
        help="sample the server with py-spy while the trainees tap (pip install "
        "py-spy); its figures are not figures to quote",
    )
    cli.max_seconds_argument(parser, 900)
    args = parser.parse_args(argv)
    if args.quick:
        args.trainees, args.seconds = 20, 20.0
    args.workers = min(args.workers, args.trainees)
    if args.workers < 1 or min(args.seconds, args.every, args.line_every) <= 0:
        parser.error("need at least one trainee and worker, and positive seconds and intervals")
    return args


def the_case(root: Path) -> dict:
    """The case's tags (id, and the label phones show) and its number of lines."""
    config = sample_course(root).activity(ACTIVITY).config
    return {
        "tags": [tag.id for tag in config.tags],
        "labels": {tag.label.root[LANGUAGE]: tag.id for tag in config.tags},
        "lines": len(config.script.lines),
        "max_tags": config.max_tags,
    }


def press_next(trainer: Facilitator, rev: int) -> tuple[int, float]:
    """The control page's "next line" button: its status and duration (ms)."""
    started = time.perf_counter()
    response = trainer.client.post(
        f"/control/{trainer.session_id}/kind/next", data={"activity": ACTIVITY, "rev": rev}
    )
    return response.status_code, (time.perf_counter() - started) * 1000


def tag_case(pool: CasesPool, server, trainer: Facilitator, case: dict, args) -> dict:
    """The trainees tap for args.seconds while the facilitator reads on: the raw figures."""
    start = time.time() + 1.0  # every worker has its orders before the first tap is due
    end = start + args.seconds
    orders = [
        {
            "activity": ACTIVITY,
            "labels": case["labels"],
            "base_url": server.url,
            "start": start,
            "seconds": args.seconds,
            "every": args.every,
            "tags": case["tags"],
            "comment_share": args.comments,
            "undo_share": args.undos,
            "max_kept": min(STOP_AT, case["max_tags"]),
            "answer_timeout": args.answer_timeout,
            "reference_every": args.reference_interval if index == 0 else None,
            "seed": args.seed,
        }
        for index in range(args.workers)
    ]
    pool.call("start_tapping", orders, timeout=30)
    cpu_before = cpu_now(pool, server)
    presses, rev, line = [], 0, 1
    while line < case["lines"] and start + line * args.line_every < end:
        time.sleep(max(start + line * args.line_every - time.time(), 0))
        started = time.time()
        status, ms = press_next(trainer, rev)
        presses.append(
            {
                "line": line,
                "rev": rev,
                "started": started,
                "at_s": round(started - start, 1),
                "status": status,
                "request_ms": round(ms, 1),
            }
        )
        rev, line = rev + (status == 200), line + (status == 200)
    log(f"{len(presses)} lines read out; waiting for the last answers")
    last_line = max([p["line"] for p in presses if p["status"] == 200], default=0)
    replies = pool.call(
        "finish_tapping",
        {"last_line": last_line, "timeout": 2 * args.answer_timeout + 60},
        timeout=end - time.time() + 2 * args.answer_timeout + 90,
    )
    cpu_after = cpu_now(pool, server)
    records = [r for reply in replies for r in reply["records"]]
    taps = report.tap_figures(
        records, [s for reply in replies for s in reply["reference"]], start, end, args.answer_timeout
    )
    log(
        f"{taps['taps']} taps, answer p50 {taps['tap_ms']['p50']} / p95 {taps['tap_ms']['p95']} / "
        f"p99 {taps['tap_ms']['p99']} ms; /healthz p95 {taps['reference_ms']['p95']} ms; "
        f"{taps['outcomes']}"
    )
    cpu_s = cpu_after["server"] - cpu_before["server"]
    return {
        "start": start,
        "end": end,
        "records": records,
        "presses": presses,
        "taps": taps,
        "phones": [phone for reply in replies for phone in reply["phones"]],
        "server_cpu_s": round(cpu_s, 2),
        "cores": cores_busy(cpu_before, cpu_after),
        "cpu_ms_per_tap": round(1000 * cpu_s / max(taps["taps"] + taps["undos"], 1), 2),
    }


def measure(pool: CasesPool, args) -> dict:
    case = the_case(args.app_root or checkout.ROOT)
    with room.opened(pool, args) as session:
        joins = session.join()
        connects = session.connect()
        wait_idle(session.server)
        with TapsPage(
            session.ws_url(f"control/{session.session_id}"), session.server.url, session.trainer.cookie_header
        ) as page:
            go, run, profile = read_out(session, case, page)
        drained_s = drained(session.server, args.drain)
        server_lines = session.server.log_tail(100_000).splitlines()
        database = check.compare(session.database, session.session_id, ACTIVITY, run["phones"])
        filed = database.pop("filed")
        log(
            f"database: {database['tags_stored']} tags stored, {database['tags_expected']} "
            f"expected, {database['lost']} lost, {database['extra']} extra"
        )
        left = session.leave()
    control = report.control_figures(
        page, run["records"], filed, run["start"], run["end"], database["tags_stored"]
    )
    lines = report.line_figures(
        run["presses"], run["phones"], [[u[0], u[2]] for u in page.shown], run["start"]
    )
    log(
        f"tap -> control page p95 {control['delays']['from_sent_ms']['p95']} ms; next line -> "
        f"phones p95 {lines['delay_ms']['p95']} ms"
    )
    counts = error_counts(joins, connects, go, run, database, lines, left, page)
    outcome = room.outcome(counts, left, session.log_problems(server_lines))
    return {
        "app_digest": session.app_digest,
        "profile": hottest(profile) if args.profile else {},
        "tapping_started": run["start"],
        "drained_s": drained_s,
        "split": report.during_broadcasts(run["records"], run["presses"], run["phones"]),
        "joins": joins,
        "connects": connects,
        "go": go,
        "taps": run["taps"],
        "control": control,
        "lines": lines,
        "database": database,
        "server_cpu_s": run["server_cpu_s"],
        "cpu_ms_per_tap": run["cpu_ms_per_tap"],
        "cores": run["cores"],
        "trainees_at_the_limit": sum(p["full"] for p in run["phones"]),
        **outcome,
        "server_log_first_error": first_error(server_lines),
        "records": run["records"],
    }


def hottest(profile: Path) -> dict:
    """The server's hottest functions while the room tapped, if py-spy wrote its profile."""
    return {"tapping": {"file": str(profile), **hot_functions(profile, 25)}} if profile.exists() else {}


def read_out(session: room.Room, case: dict, page: TapsPage) -> tuple[dict, dict, Path]:
    """Go to the case (timed to every phone), then the room taps while the facilitator reads
    on, until the control page goes quiet: go's figures, the run's, and the profile's path."""
    args = session.args
    go = session.to_phones(ACTIVITY, "go", {"activity": ACTIVITY}, 'data-at="0.00"', 0)
    log(f"go: POST {go['request_ms']} ms, last phone after {go['delay_ms']['max']} ms")
    wait_idle(session.server)
    profile = results.RESULTS / f"py-spy-cases-n{args.trainees}-tapping.txt"
    results.RESULTS.mkdir(exist_ok=True)
    with py_spy(session.server.pid, profile) if args.profile else contextlib.nullcontext():
        run = tag_case(session.pool, session.server, session.trainer, case, args)
    page.quiet(
        after=max((r.get("answer", r["sent"]) for r in run["records"]), default=time.time()),
        limit=args.drain,
    )
    return go, run, profile


def drained(server, limit: float) -> float:
    """Seconds until the server went idle: late taps may still be queued in it."""
    waited = time.monotonic()
    wait_idle(server, limit)
    drained_s = round(time.monotonic() - waited, 1)
    log(f"server idle {drained_s} s after the control page went quiet")
    return drained_s


def first_error(server_lines: list[str]) -> list[str]:
    """The server log from its first ERROR line on (120 lines): the traceback to read first."""
    first = next((i for i, line in enumerate(server_lines) if "ERROR" in line), None)
    return server_lines[first : first + 120] if first is not None else []


def error_counts(
    joins: dict, connects: dict, go: dict, run: dict, database: dict, lines: dict, left: dict, page
) -> dict:
    taps = run["taps"]
    return {
        "failed joins": joins["failures"],
        "failed connects": connects["failures"],
        "phones missing the case after go": go["missed"],
        "toasts": taps["toasts"],
        "no answer within the timeout": taps["unanswered"],
        "sends on a closed socket": taps["closed"],
        "answers of another kind": taps["other_answers"],
        "answers not showing the tap": taps["answers_not_showing_the_tap"],
        "undos not gone": taps["undos_not_gone"],
        "stray answers": sum(phone["stray_answers"] for phone in run["phones"]),
        "tags lost": database["lost"],
        "extra tags": database["extra"],
        "next line not 200": lines["not_200"],
        "phones missing a line": lines["missed"],
        "websockets closed unasked": len(left["closes"]),
        "control page closed unasked": int(bool(page.closed)),
        "sequence gaps": left["seq_gaps"],
    }


def run(args) -> dict:
    settings = ("trainees", "workers", "seconds", "every", "line_every", "comments", "undos", "seed")
    return cli.judged(
        args,
        CasesPool,
        lambda pool: measure(pool, args),
        report.checks,
        (*settings, "answer_timeout", "reference_interval"),
        stop_at=STOP_AT,
        profiled=args.profile,
    )


def table(result: dict) -> str:
    """The table, then a line for each of the server's hottest functions if it was profiled."""
    return report.table(result) + "\n" + "\n".join(tables.profile_lines(result, top=25))


def main(argv: list[str] | None = None) -> int:
    return cli.run_and_save(parse_args(argv), run, table, "cases")


if __name__ == "__main__":
    sys.exit(main())

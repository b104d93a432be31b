"""Live broadcast bench: N trainees in one session, R times "next activity", delay to every phone.

1. The app (`kam serve`, SQLite in a temporary folder unless --database-url) is started; the
   facilitator logs in and opens a session; N trainees join over HTTP from W worker processes.
2. Every trainee opens the play websocket and waits for its snapshot; server RSS is read before
   and after.
3. R rounds: the facilitator POSTs /next; each trainee's delay is the time from just before that
   POST to the arrival of the update showing the new activity.
4. The same N clients and R rounds against a bare `websockets` broadcast of the same number of
   bytes (bare_broadcast.py), measured from the same workers: the floor to compare with.

Run: python bench/live_broadcast.py [--quick] [--trainees N] [--workers W] [--rounds R]
Only 127.0.0.1 is ever contacted; every wait is bounded; the servers are always stopped.
"""

import argparse
import os
import platform
import signal
import statistics
import sys
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path

import report
import stats
from appserver import FACILITATOR, PASSWORD, app_server
from bare_broadcast import bare_server
from facilitator import Facilitator, agenda
from pool import WorkerPool
from profiling import hot_functions, py_spy
from serverproc import HOST, free_port
from worker import raise_open_files_limit


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=1000, help="N (default 1000)")
    parser.add_argument("--workers", type=int, default=4, help="client processes (default 4)")
    parser.add_argument("--rounds", type=int, default=20, help="R broadcasts (default 20)")
    parser.add_argument("--port", type=int, default=0, help="app port (default: a free one)")
    parser.add_argument("--database-url", help="e.g. postgresql://postgres@127.0.0.1/kam_bench "
                        "(default: SQLite in a temporary folder)")
    parser.add_argument("--quick", action="store_true", help="N=100, R=5")
    parser.add_argument("--concurrency", type=int, default=16,
                        help="joins / websocket opens in flight per worker (default 16)")
    parser.add_argument("--round-timeout", type=float, default=10.0,
                        help="seconds an update may take before it counts as missed")
    parser.add_argument("--gap", type=float, default=0.5, help="seconds between rounds")
    parser.add_argument("--heartbeat", type=float, default=15.0, help="HEARTBEAT_SECONDS")
    parser.add_argument("--profile", action="store_true",
                        help="sample the app server with py-spy during the rounds")
    parser.add_argument("--max-seconds", type=int, default=1800,
                        help="stop the whole run after this long (default 1800)")
    args = parser.parse_args(argv)
    if args.quick:
        args.trainees, args.rounds = 100, 5
    if not 1 <= args.workers <= args.trainees or args.rounds < 1:
        parser.error("need 1 <= workers <= trainees and rounds >= 1")
    return args


def split(total: int, parts: int) -> list[int]:
    return [total // parts + (index < total % parts) for index in range(parts)]


def phase_budget(args) -> float:
    """Seconds a join or connect phase may take before the run gives up."""
    return 120 + 0.5 * args.trainees


def timed_phase(pool: WorkerPool, command: str, kwargs: list[dict], budget: float) -> dict:
    """Run a join or connect command in every worker; merge their figures."""
    started = time.perf_counter()
    replies = pool.call(command, kwargs, timeout=budget)
    seconds = time.perf_counter() - started
    latencies = [ms for reply in replies for ms in reply["latencies_ms"]]
    return {"ok": len(latencies), "failures": sum(reply["failures"] for reply in replies),
            "errors": [error for reply in replies for error in reply["errors"]][:10],
            "seconds": round(seconds, 2), "per_second": round(len(latencies) / seconds, 1),
            "latency_ms": stats.summary(latencies)}


def join_phase(pool: WorkerPool, base_url: str, code: str, args) -> dict:
    kwargs, first = [], 0
    for count in split(args.trainees, args.workers):
        names = [f"t{number:05d}" for number in range(first, first + count)]
        kwargs.append({"base_url": base_url, "code": code, "names": names,
                       "concurrency": args.concurrency, "timeout": 60.0})
        first += count
    return timed_phase(pool, "join", kwargs, phase_budget(args))


def wait_idle(server, limit: float = 20.0) -> None:
    """Let the server finish deferred work (coalesced refreshes) before measuring."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        before = server.cpu_seconds()
        time.sleep(0.5)
        if server.cpu_seconds() - before < 0.025:
            return


def run_rounds(pool: WorkerPool, trigger, args) -> dict:
    """R rounds of trigger → update on every client; delays from just before the trigger."""
    delays, sizes, requests, firsts, per_round = [], [], [], [], []
    missed = timed_out = 0
    for number in range(args.rounds):
        activity = trigger.prepare(number)
        pool.call("arm", {"number": number, "activity": activity}, timeout=30)
        started = time.time()
        requests.append(trigger.fire())
        replies = pool.call("collect", {"number": number, "started": started,
                                        "timeout": args.round_timeout},
                            timeout=args.round_timeout + 30)
        got = [ms for reply in replies for ms in reply["delays_ms"]]
        delays += got
        sizes += [size for reply in replies for size in reply["sizes"]]
        missed += sum(reply["missed"] for reply in replies)
        timed_out += any(reply["timed_out"] for reply in replies)
        firsts += [min(got)] if got else []
        summary = stats.summary(got)
        per_round.append({"started": round(started, 3), "p50_ms": summary["p50"],
                          "p95_ms": summary["p95"], "max_ms": summary["max"]})
        time.sleep(args.gap)
    return {"delay_ms": stats.summary(delays), "first_client_ms": stats.summary(firsts),
            "per_round": per_round,
            "missed": missed, "timed_out_rounds": timed_out,
            "request_ms": stats.summary(requests),
            "update_bytes": int(statistics.median(sizes)) if sizes else 0}


def profile_file(phase: str, args) -> Path:
    return report.RESULTS / f"py-spy-{phase}-n{args.trainees}.txt"


def profiled(server, phase: str, args, enabled: bool):
    """Sample the server with py-spy during a phase when --profile asks for it."""
    return py_spy(server.pid, profile_file(phase, args)) if enabled else nullcontext()


def measure_broadcast(pool: WorkerPool, server, trigger, connect: tuple[str, list[dict]], args,
                      profile: bool = False) -> dict:
    """Connect everyone (RSS before and after), run the rounds, disconnect: the figures."""
    wait_idle(server)
    rss_before = server.rss_kb()
    with profiled(server, "connects", args, profile):
        connects = timed_phase(pool, *connect, phase_budget(args))
    wait_idle(server)
    rss_connected = server.rss_kb()
    cpu_before = server.cpu_seconds()
    with profiled(server, "rounds", args, profile):
        rounds = run_rounds(pool, trigger, args)
    cpu_ms = (server.cpu_seconds() - cpu_before) * 1000 / args.rounds
    rss_after = server.rss_kb()
    links = pool.call("disconnect", {"timeout": 10.0}, timeout=60)
    closes = [why for reply in links for why in reply["unexpected_closes"]]
    counts = {"failed connects": connects["failures"], "unexpected closes": len(closes),
              "missed updates": rounds["missed"],
              "sequence gaps": sum(reply["seq_gaps"] for reply in links)}
    return {
        "connects": connects, "rounds": rounds, "cpu_ms_per_round": round(cpu_ms, 1),
        "rss_kb": {"before": rss_before, "connected": rss_connected, "after_rounds": rss_after},
        "kb_per_trainee": round((rss_connected - rss_before) / args.trainees, 1),
        "unexpected_closes": closes[:10], "error_counts": counts, "errors": sum(counts.values()),
        "heartbeats": sum(reply["heartbeats"] for reply in links),
    }


def measure_app(pool: WorkerPool, args) -> dict:
    port = args.port or free_port()
    with app_server(port, args.database_url, args.heartbeat) as server, \
            Facilitator(server.url, agenda()) as trainer:
        trainer.login(FACILITATOR, PASSWORD)
        _, code = trainer.open_session()
        with profiled(server, "joins", args, args.profile):
            joins = join_phase(pool, server.url, code, args)
        connect = {"url": f"ws://{HOST}:{port}/ws/play/{code}", "origin": server.url,
                   "concurrency": args.concurrency, "timeout": 60.0}
        figures = measure_broadcast(pool, server, trainer, ("connect_app", [connect] * args.workers),
                                    args, args.profile)
        trainer.end_session()
    figures["joins"] = joins
    figures["error_counts"] = {"failed joins": joins["failures"], **figures["error_counts"]}
    figures["errors"] += joins["failures"]
    return figures


def measure_bare(pool: WorkerPool, args, size: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="kam-bench-bare-") as folder, \
            bare_server(free_port(), size, Path(folder) / "bare.log") as (server, trigger):
        connect = [{"url": f"ws://{HOST}:{server.port}/", "count": count,
                    "concurrency": args.concurrency, "timeout": 60.0}
                   for count in split(args.trainees, args.workers)]
        return measure_broadcast(pool, server, trigger, ("connect_bare", connect), args)


def machine() -> dict:
    kib = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
               if line.startswith("MemTotal:"))
    return {"cores": os.cpu_count(), "memory_gib": round(kib / 2**20, 1),
            "python": platform.python_version(), "platform": platform.platform()}


def run(args) -> dict:
    raise_open_files_limit()  # the servers inherit it: a socket per client
    report.RESULTS.mkdir(exist_ok=True)
    with WorkerPool(args.workers) as pool:
        app = measure_app(pool, args)
        bare = measure_bare(pool, args, app["rounds"]["update_bytes"] or 5000)
    result = {
        "date": time.strftime("%Y-%m-%d %H:%M:%S"), "machine": machine(),
        "config": {"trainees": args.trainees, "workers": args.workers, "rounds": args.rounds,
                   "concurrency": args.concurrency, "round_timeout": args.round_timeout,
                   "gap": args.gap, "database": "postgresql" if args.database_url else "sqlite"},
        "app": app, "bare": bare,
        "ratio": {p: stats.ratio(app["rounds"]["delay_ms"][p], bare["rounds"]["delay_ms"][p])
                  for p in ("p50", "p95", "p99")},
    }
    result["targets"] = report.judge(result)
    if args.profile:
        result["profile"] = {phase: {"file": str(path), **hot_functions(path)}
                             for phase in ("joins", "connects", "rounds")
                             if (path := profile_file(phase, args)).exists()}
    return result


def _give_up(_signum, _frame):
    raise TimeoutError("the bench ran past --max-seconds")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGALRM, _give_up)
    signal.alarm(args.max_seconds)
    try:
        result = run(args)
    finally:
        signal.alarm(0)
    print(report.table(result))
    print(f"\nresult: {report.save(result)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The phases of one measurement, driven through the worker pool: join, connect, rounds, and a
facilitator's move timed to every phone.

The same functions measure the app and the bare baseline, so both are timed the same way.
"""

import statistics
import sys
import time
from pathlib import Path

from bench.harness import stats
from bench.harness.pool import WorkerPool
from bench.harness.profiling import phase_profile


def log(message: str) -> None:
    print(f"  {time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)


def split(total: int, parts: int) -> list[int]:
    return [total // parts + (index < total % parts) for index in range(parts)]


def phase_budget(clients: int) -> float:
    """Seconds a join or connect phase may take before the run gives up."""
    return 120 + 0.5 * clients


def timed_phase(pool: WorkerPool, command: str, kwargs: list[dict], budget: float) -> dict:
    """Run a join or connect command in every worker; merge their figures."""
    started = time.perf_counter()
    replies = pool.call(command, kwargs, timeout=budget)
    seconds = time.perf_counter() - started
    latencies = [ms for reply in replies for ms in reply["latencies_ms"]]
    return {
        "ok": len(latencies),
        "failures": sum(reply["failures"] for reply in replies),
        "errors": [error for reply in replies for error in reply["errors"]][:10],
        "seconds": round(seconds, 2),
        "per_second": round(len(latencies) / seconds, 1),
        "latency_ms": stats.summary(latencies),
    }


def join_phase(pool: WorkerPool, base_url: str, code: str, args) -> dict:
    """Join args.trainees trainees, named t00000, t00001, ..., shared among the workers."""
    kwargs, first = [], 0
    for count in split(args.trainees, args.workers):
        names = [f"t{number:05d}" for number in range(first, first + count)]
        kwargs.append(
            {
                "base_url": base_url,
                "code": code,
                "names": names,
                "concurrency": args.concurrency,
                "timeout": 60.0,
            }
        )
        first += count
    joins = timed_phase(pool, "join", kwargs, phase_budget(args.trainees))
    log(f"{joins['ok']} joined in {joins['seconds']} s, {joins['failures']} failed")
    return joins


def wait_idle(server, limit: float = 20.0) -> None:
    """Let the server finish deferred work (coalesced refreshes) before measuring."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        before = server.cpu_seconds()
        time.sleep(0.5)
        if server.cpu_seconds() - before < 0.025:
            return


def to_phones(
    pool: WorkerPool,
    activity: str,
    action,
    marker: str | None,
    number: int,
    timeout: float,
    own: bool = False,
) -> dict:
    """Arm every link, run the facilitator's action, and time each phone's first update that
    shows the activity (and the marker, if any; and with `own`, the trainee's own part) from
    just before the action."""
    pool.call("arm", {"number": number, "activity": activity, "marker": marker, "own": own}, timeout=30)
    started = time.time()
    request_ms = action()
    replies = pool.call(
        "collect", {"number": number, "started": started, "timeout": timeout}, timeout=timeout + 30
    )
    delays = [ms for reply in replies for ms in reply["delays_ms"]]
    return {
        "request_ms": round(request_ms, 1),
        "delay_ms": stats.summary(delays),
        "first_ms": round(min(delays), 1) if delays else float("nan"),
        "missed": sum(reply["missed"] for reply in replies),
        "timed_out": any(reply["timed_out"] for reply in replies),
    }


def run_rounds(pool: WorkerPool, trigger, args) -> dict:
    """R rounds of trigger → update on every client; delays from just before the trigger."""
    delays, sizes, requests, firsts, per_round = [], [], [], [], []
    missed = timed_out = 0
    window_start = time.time()
    for number in range(args.rounds):
        activity = trigger.prepare(number)
        own = getattr(trigger, "own", lambda _activity: False)(activity)
        pool.call("arm", {"number": number, "activity": activity, "own": own}, timeout=30)
        started = time.time()
        requests.append(trigger.fire())
        replies = pool.call(
            "collect",
            {"number": number, "started": started, "timeout": args.round_timeout},
            timeout=args.round_timeout + 30,
        )
        got = [ms for reply in replies for ms in reply["delays_ms"]]
        delays += got
        sizes += [size for reply in replies for size in reply["sizes"]]
        missed += sum(reply["missed"] for reply in replies)
        timed_out += any(reply["timed_out"] for reply in replies)
        firsts += [min(got)] if got else []
        summary = stats.summary(got)
        per_round.append(
            {
                "activity": activity,
                "started": round(started, 3),
                "p50_ms": summary["p50"],
                "p95_ms": summary["p95"],
                "max_ms": summary["max"],
            }
        )
        time.sleep(args.gap)
    return {
        "delay_ms": stats.summary(delays),
        "first_client_ms": stats.summary(firsts),
        "request_ms": stats.summary(requests),
        "missed": missed,
        "timed_out_rounds": timed_out,
        "update_bytes": int(statistics.median(sizes)) if sizes else 0,
        "window": [round(window_start, 3), round(time.time(), 3)],
        "per_round": per_round,
    }


def measure_broadcast(
    pool: WorkerPool,
    server,
    trigger,
    connect: tuple[str, list[dict]],
    args,
    profile: Path | None = None,
    keep_links: bool = False,
) -> dict:
    """Connect everyone (RSS before and after), run the rounds, disconnect (unless `keep_links`:
    the caller goes on with them): the figures."""
    wait_idle(server)
    rss_before = server.rss_kb()
    with phase_profile(server.pid, profile, "connects"):
        connects = timed_phase(pool, *connect, phase_budget(args.trainees))
    log(f"{connects['ok']} websockets open in {connects['seconds']} s")
    wait_idle(server)
    rss_connected = server.rss_kb()
    cpu_before = server.cpu_seconds()
    with phase_profile(server.pid, profile, "rounds"):
        rounds = run_rounds(pool, trigger, args)
    cpu_ms = (server.cpu_seconds() - cpu_before) * 1000 / args.rounds
    log(f"{args.rounds} rounds: p95 {rounds['delay_ms']['p95']} ms")
    rss_after = server.rss_kb()
    links = pool.call("links_report" if keep_links else "disconnect", {"timeout": 10.0}, timeout=60)
    closes = [why for reply in links for why in reply["unexpected_closes"]]
    counts = {
        "failed connects": connects["failures"],
        "unexpected closes": len(closes),
        "missed updates": rounds["missed"],
        "sequence gaps": sum(reply["seq_gaps"] for reply in links),
    }
    return {
        "connects": connects,
        "rounds": rounds,
        "cpu_ms_per_round": round(cpu_ms, 1),
        "rss_kb": {"before": rss_before, "connected": rss_connected, "after_rounds": rss_after},
        "kb_per_trainee": round((rss_connected - rss_before) / args.trainees, 1),
        "unexpected_closes": closes[:10],
        "error_counts": counts,
        "errors": sum(counts.values()),
        "heartbeats": sum(reply["heartbeats"] for reply in links),
    }


def gathered_posts(
    pool: WorkerPool, server, command: str, kwargs: dict, start: float, timeout: float
) -> dict:
    """Run a posting command (the trainees' answers over HTTP) in every worker: the raw records,
    the server's CPU seconds meanwhile, the posts planned, and whether a worker ran out of time."""
    cpu_before = server.cpu_seconds()
    replies = pool.call(command, kwargs, timeout=timeout)
    return {
        "start": start,
        "records": [record for reply in replies for record in reply["records"]],
        "cpu_s": server.cpu_seconds() - cpu_before,
        "planned": sum(reply["planned"] for reply in replies),
        "timed_out": any(reply["timed_out"] for reply in replies),
    }


def posts_in_turn(pool: WorkerPool, server, code: str, plan: dict, window: float, args) -> dict:
    """Every worker sends its trainees' posts in turn, each after the reply to the one before
    (the reply shows the next question): the raw records (gathered_posts)."""
    start = time.time() + 1.0  # every worker has the plan before the first post is due
    deadline = start + window + args.answer_timeout
    kwargs = {
        "base_url": server.url,
        "code": code,
        "plan": plan,
        "start": start,
        "post_timeout": args.post_timeout,
        "deadline": deadline,
    }
    return gathered_posts(pool, server, "answer_in_turn", kwargs, start, deadline - time.time() + 40)

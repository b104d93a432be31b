"""Quiz answers bench: N trainees answer one quiz question within a few seconds.

1. The app (`kam serve`, SQLite in a temporary folder unless --database-url) is started; the
   facilitator logs in and opens a session; N trainees join and open their play websockets
   (as the live broadcast bench does).
2. The facilitator goes to the quiz `u1-quiz`, opens the control page's websocket and starts
   the first question; every phone's delay to show it is measured.
3. Every trainee answers once, at a random moment of a W-second window (about 60 % right, about
   10 % tap twice): response times per tap, and the control page's coalesced updates.
4. The facilitator reveals: the POST's time and each phone's delay to its own verdict.
5. The database must hold one response row per answering trainee and one ledger row per right
   answer.

Run: python -m bench.quiz [--quick] [--trainees N] [--database-url URL]
Only 127.0.0.1 is ever contacted; every wait is bounded; the server and workers are always
stopped.
"""

import argparse
import math
import sys
import time
from collections import Counter

from bench.harness import checkout, cli, room, stats
from bench.harness.controlpage import ControlPage, page_figures
from bench.harness.gcpauses import pauses
from bench.harness.phases import gathered_posts, log, wait_idle
from bench.harness.pool import WorkerPool
from bench.quiz import check, report
from bench.quiz.plan import answer_plan, first_question

ACTIVITY = "u1-quiz"
VERDICT = 'data-buzz="'  # the revealed view: every phone gets its own verdict card


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.quiz", description=__doc__.splitlines()[0])
    cli.trainees_argument(parser, 1000)
    cli.workers_argument(parser)
    cli.server_arguments(parser, quick="N=100")
    parser.add_argument(
        "--window", type=float, default=2.0, help="seconds over which the first taps are spread (default 2)"
    )
    cli.seed_argument(parser, "the answer plan")
    cli.round_timeout_argument(parser)
    parser.add_argument(
        "--answer-timeout",
        type=float,
        default=120.0,
        help="seconds after the window opens by which every answer must be back",
    )
    cli.app_arguments(parser, cli.APP_ROOT + ": runs on several databases then measure one version")
    cli.max_seconds_argument(parser, 1800)
    args = parser.parse_args(argv)
    if args.quick:
        args.trainees = 100
    if not 1 <= args.workers <= args.trainees or args.window <= 0:
        parser.error("need 1 <= workers <= trainees and a positive window")
    return args


def answer_phase(pool: WorkerPool, server, code: str, question, plan: dict, args) -> dict:
    """Every worker sends its trainees' taps at their planned times; the raw records."""
    start = time.time() + 1.0  # every worker has the plan before the first tap is due
    kwargs = {
        "base_url": server.url,
        "code": code,
        "activity": ACTIVITY,
        "question": question.id,
        "plan": plan,
        "start": start,
        "timeout": args.answer_timeout,
    }
    return gathered_posts(pool, server, "answer", kwargs, start, args.answer_timeout + 40)


def answer_figures(raw: dict, plan: dict, opened: float) -> dict:
    records = raw["records"]

    def at(record: dict) -> float:  # when the tap was due, in ms into the window
        entry = plan[record["name"]]
        return 1000 * (entry["again"] if record["tap"] else entry["at"])

    ok = [r for r in records if r["status"] == 200]
    accepted = {r["name"]: r["choice"] for r in ok}
    first_sent = min((r["done"] - r["ms"] / 1000 for r in records if "ms" in r), default=raw["start"])
    last_reply = max((r["done"] for r in records if "done" in r), default=raw["start"])
    return {
        "taps_planned": raw["planned"],
        "taps_sent": len(records),
        "response_ms": stats.summary([r["ms"] for r in records if "ms" in r]),
        "first_tap_ms": stats.summary([r["ms"] for r in records if "ms" in r and r["tap"] == 0]),
        "second_tap_ms": stats.summary([r["ms"] for r in records if "ms" in r and r["tap"] == 1]),
        "late_ms": stats.summary([r["late_ms"] for r in records]),
        "statuses": dict(sorted(Counter(str(r["status"]) for r in records).items())),
        "error_samples": [
            f"{r['name']} tap {r['tap']}, sent {r['late_ms'] + at(r):.0f} ms into the "
            f"window, failed after {r.get('ms', math.nan):.0f} ms: {r['status']} "
            f"{r.get('error', '')}"
            for r in records
            if r["status"] != 200
        ][:10],
        "replies_not_saved": sum(1 for r in ok if not r["saved"]),
        "not_saved_at_s": [round(r["done"] - opened, 2) for r in ok if not r["saved"]][:20],
        "trainees_sent": len({r["name"] for r in records}),
        "trainees_accepted": len(accepted),
        "trainees_right": sum(1 for name in accepted if plan[name]["right"]),
        "accepted": accepted,  # name -> choice; dropped from the saved result
        "window": [round(first_sent, 3), round(last_reply, 3)],
        "seconds": round(last_reply - first_sent, 2),
        "question_age_s": round(raw["start"] - opened, 2),
        "last_reply_age_s": round(last_reply - opened, 2),
        "server_cpu_s": round(raw["cpu_s"], 2),
        "timed_out": raw["timed_out"],
    }


def measure(pool: WorkerPool, args) -> dict:
    question = first_question(ACTIVITY, root=args.app_root or checkout.ROOT)
    names = [f"t{number:05d}" for number in range(args.trainees)]  # as join_phase names them
    plan = answer_plan(names, question, args.window, args.seed)
    with room.opened(pool, args) as session:
        joins = session.join()
        connects = session.connect()
        wait_idle(session.server)
        phones, answers, controls = quiz_moves(session, question, plan)
        problems = session.log_problems()
        rows = check.stored(session.database, session.session_id, ACTIVITY, question.id)
        left = session.leave()
        gc_full = pauses(session.gc_log, *answers["window"])["full"]
    own = {
        "answers not 200": answers["taps_sent"] - answers["statuses"].get("200", 0),
        "taps never sent": answers["taps_planned"] - answers["taps_sent"],
        "phones missing an update": sum(shown["missed"] for shown in phones.values()),
    }
    counts = room.error_counts(joins, connects, own, left, closed_pages=bool(controls["closed"]))
    return {
        "app_digest": session.app_digest,
        "joins": joins,
        "connects": connects,
        "phones": phones,
        "answers": answers,
        "control": controls,
        "database": database_figures(rows, answers.pop("accepted"), plan),
        "gc_full": gc_full,
        **room.outcome(counts, left, problems),
    }


def quiz_moves(session: room.Room, question, plan: dict) -> tuple[dict, dict, dict]:
    """Go to the quiz, start the question, everyone answers, reveal: the phones' delays, the
    answers' figures and the control page's."""
    args = session.args
    phones = {"go": session.to_phones(ACTIVITY, "go", {"activity": ACTIVITY}, None, 0)}
    log(f"go: last phone after {phones['go']['delay_ms']['max']} ms")
    wait_idle(session.server)
    with ControlPage(
        session.ws_url(f"control/{session.session_id}"), session.server.url, session.trainer.cookie_header
    ) as control:
        opened = time.time()
        start_marker = f"/play/{session.code}/act/answer"
        phones["start"] = session.to_phones(ACTIVITY, "kind/start", {"activity": ACTIVITY}, start_marker, 1)
        log(f"start: last phone after {phones['start']['delay_ms']['max']} ms")
        raw = answer_phase(session.pool, session.server, session.code, question, plan, args)
        answers = answer_figures(raw, plan, opened)
        log(
            f"{answers['taps_sent']} taps in {answers['seconds']} s, "
            f"p95 {answers['response_ms']['p95']} ms, statuses {answers['statuses']}"
        )
        control.settle(answers["trainees_accepted"])
        controls = page_figures(control, answers["window"], answers["trainees_accepted"])
        log(
            f"control page: {controls['updates_per_second']} updates/s, shows {controls['final_respondents']}"
        )
        phones["reveal"] = session.to_phones(ACTIVITY, "kind/reveal", {"activity": ACTIVITY}, VERDICT, 2)
        log(
            f"reveal: POST {phones['reveal']['request_ms']} ms, "
            f"last phone after {phones['reveal']['delay_ms']['max']} ms"
        )
        wait_idle(session.server)
    return phones, answers, controls


def database_figures(rows, accepted: dict, plan: dict) -> dict:
    """What the database holds against the answers accepted and the right ones among them."""
    right = {name for name in accepted if plan[name]["right"]}
    database = check.compare(rows, accepted, right)
    database["stored_equals_accepted"] = (
        database["response_trainees"] == len(accepted)
        and not database["missing_count"]
        and not database["unexpected_count"]
    )
    database["points_equal_right"] = (
        database["points_rows"] == len(right)
        and not database["points_missing_count"]
        and not database["points_unexpected_count"]
    )
    return database


def run(args) -> dict:
    settings = ("trainees", "workers", "window", "seed", "concurrency")
    return cli.judged(args, WorkerPool, lambda pool: measure(pool, args), report.judge, settings)


def main(argv: list[str] | None = None) -> int:
    return cli.run_and_save(parse_args(argv), run, report.table, "quiz_answers")


if __name__ == "__main__":
    sys.exit(main())

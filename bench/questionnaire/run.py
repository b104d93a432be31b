"""Questionnaire bench: N trainees answer the 28-question thinking-preference questionnaire within
a window, against the self-assessment answered with as many posts over the same window.

1. The app (`kam serve`, SQLite in a temporary folder unless --database-url) is started; the
   facilitator logs in and opens a session; N trainees join and open their play websockets
   (as the live broadcast bench does).
2. For the self-assessment `u1-self-assessment`, then the questionnaire
   `u3-preference-questionnaire`: the facilitator goes to it (every phone's delay to show it is
   measured) and opens the screen's and the control page's websockets. Every trainee posts 28
   times, each post after the reply to the one before, at random moments spread over a
   W-second window (about 5 % tapped twice): the response time of every post, and the delay
   from each trainee's last answer until the screen's "N 人已完成" counts them.
3. The database must hold, for every trainee, one row per question (28) and no cursor row, with
   the values sent, and a complete profile as the app scores it; for the self-assessment one row
   per item (20) with the score last sent, and a complete profile.
4. The questionnaire's answer times are compared with the self-assessment's (p50, p95, p99).

Run: python -m bench.questionnaire [--quick] [--trainees N] [--window W] [--database-url URL]
Only 127.0.0.1 is ever contacted; every wait is bounded; the server and workers are always
stopped.
"""

import argparse
import itertools
import math
import sys
from collections import Counter

from bench.harness import checkout, cli, results, room, stats
from bench.harness.controlpage import FINISHED, SCREEN, ControlPage, page_figures
from bench.harness.gcpauses import pauses
from bench.harness.phases import log, posts_in_turn, wait_idle
from bench.harness.pool import WorkerPool
from bench.harness.profiling import hot_functions, phase_file, phase_profile
from bench.harness.serverproc import HOST
from bench.questionnaire import check, report
from bench.questionnaire.plan import PREFERENCE, SELF_ASSESSMENT, activity, final_values, plans

KEYS = {SELF_ASSESSMENT: "selfassessment", PREFERENCE: "questionnaire"}  # in the day's order


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.questionnaire", description=__doc__.splitlines()[0]
    )
    cli.trainees_argument(parser, 200)
    cli.workers_argument(parser)
    cli.server_arguments(parser, quick="N=50")
    parser.add_argument(
        "--window",
        type=float,
        default=60.0,
        help="seconds within which every trainee is planned to finish (default 60)",
    )
    parser.add_argument(
        "--double-share", type=float, default=0.05, help="share of the posts tapped twice (default 0.05)"
    )
    cli.seed_argument(parser, "the answer plan")
    cli.round_timeout_argument(parser)
    cli.post_timeout_arguments(parser)
    cli.app_arguments(parser)
    parser.add_argument(
        "--questionnaire-first",
        action="store_true",
        help="run the questionnaire before the self-assessment (default: after, as in the day)",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="sample the app server with py-spy while each activity is answered",
    )
    cli.max_seconds_argument(parser, 1800)
    args = parser.parse_args(argv)
    if args.quick:
        args.trainees = 50
    if not 1 <= args.workers <= args.trainees or args.window <= 0:
        parser.error("need 1 <= workers <= trainees and a positive window")
    if not 0 <= args.double_share <= 1:
        parser.error("--double-share is a share, between 0 and 1")
    return args


def post_figures(raw: dict, plan: dict, window: float) -> dict:
    records, start = raw["records"], raw["start"]
    firsts = [r for r in records if r["tap"] == 0]
    timed = [r for r in records if "ms" in r]
    accepted: dict[str, set[int]] = {}
    for r in records:
        if r["status"] == 200:
            accepted.setdefault(r["name"], set()).add(r["index"])
    finishing = [r for r in firsts if r["index"] == len(plan[r["name"]]) - 1 and r["status"] == 200]
    unexpected = [r for r in firsts if r["status"] == 200 and not r["saved"]]
    first_sent = min((r["sent"] for r in records if "sent" in r), default=start)
    last_reply = max((r["done"] for r in records if "done" in r), default=start)
    seconds = max(last_reply - first_sent, 1e-3)
    return {
        "posts_planned": raw["planned"],
        "posts_sent": len(records),
        "response_ms": stats.summary([r["ms"] for r in timed]),
        "first_tap_ms": stats.summary([r["ms"] for r in timed if r["tap"] == 0]),
        "second_tap_ms": stats.summary([r["ms"] for r in timed if r["tap"] == 1]),
        "late_ms": stats.summary([r["late_ms"] for r in firsts]),
        "statuses": dict(sorted(Counter(str(r["status"]) for r in records).items())),
        "error_samples": [
            f"{r['name']} post {r['index']} tap {r['tap']}, sent "
            f"{r.get('sent', math.nan) - start:.1f} s into the window, failed after "
            f"{r.get('ms', math.nan):.0f} ms: {r['status']} {r.get('error', '')}"
            for r in records
            if r["status"] != 200
        ][:10],
        "replies_unexpected": len(unexpected),
        "unexpected_samples": [f"{r['name']} post {r['index']}" for r in unexpected][:10],
        "trainees_posting": len({r["name"] for r in records}),
        "trainees_stopped": len({r["name"] for r in firsts if r["status"] != 200}),
        "trainees_finished": sum(1 for r in finishing if r["saved"]),
        "window": [round(first_sent, 3), round(last_reply, 3)],
        "seconds": round(seconds, 2),
        "planned_window_s": window,
        "last_finish_s": round(max((r["done"] for r in finishing), default=math.nan) - start, 2),
        "posts_per_second": round(len(timed) / seconds, 1),
        "server_cpu_s": round(raw["cpu_s"], 2),
        "cpu_ms_per_post": round(1000 * raw["cpu_s"] / max(len(timed), 1), 2),
        "timed_out": raw["timed_out"],
        # dropped from the saved result:
        "accepted": accepted,
        "finishers": sorted(
            ((r["sent"], r["done"]) for r in finishing if r["saved"]), key=lambda pair: pair[1]
        ),
    }


def screen_delays(updates: list[tuple[float, int | None]], finishers: list[tuple[float, float]]) -> dict:
    """The k-th trainee to finish (in the order their last replies came) counts as shown once the
    screen shows k or more finished. Delays from the last answer's send, and from its reply."""
    shown = [(when, count) for when, count in updates if count is not None]
    from_sent, from_reply, unseen, position = [], [], 0, 0
    for k, (sent, done) in enumerate(finishers, 1):
        while position < len(shown) and shown[position][1] < k:
            position += 1
        if position == len(shown):
            unseen += 1
            continue
        from_sent.append((shown[position][0] - sent) * 1000)
        from_reply.append((shown[position][0] - done) * 1000)
    last = finishers[-1] if finishers else None
    everyone = next((when for when, count in shown if count >= len(finishers)), None)
    return {
        "from_last_answer_ms": stats.summary(from_sent),
        "from_its_reply_ms": stats.summary(from_reply),
        "never_shown": unseen,
        "count_went_down": sum(1 for a, b in itertools.pairwise(shown) if b[1] < a[1]),
        "room_from_last_answer_ms": round((everyone - last[0]) * 1000, 1) if last and everyone else math.nan,
        "room_from_its_reply_ms": round((everyone - last[1]) * 1000, 1) if last and everyone else math.nan,
    }


def run_activity(session: room.Room, activity_id: str, plan: dict, number: int, profile) -> dict:
    """Go to the activity, then everyone answers it in turn while the screen is read."""
    name = KEYS[activity_id]
    pool, server, trainer, args = session.pool, session.server, session.trainer, session.args
    wait_idle(server)
    go = session.to_phones(activity_id, "go", {"activity": activity_id}, None, number)
    log(f"{name}: go, last phone after {go['delay_ms']['max']} ms")
    wait_idle(server)
    session_id, code, gc_log = session.session_id, session.code, session.gc_log
    base = f"ws://{HOST}:{server.port}/ws"
    with (
        ControlPage(
            f"{base}/screen/{session_id}", server.url, trainer.cookie_header, region=SCREEN, count=FINISHED
        ) as screen,
        ControlPage(
            f"{base}/control/{session_id}", server.url, trainer.cookie_header, count=FINISHED
        ) as control,
    ):
        with phase_profile(server.pid, profile, name):
            raw = posts_in_turn(pool, server, code, plan, args.window, args)
        posts = post_figures(raw, plan, args.window)
        log(
            f"{name}: {posts['posts_sent']} posts in {posts['seconds']} s, "
            f"p50 {posts['response_ms']['p50']} / p95 {posts['response_ms']['p95']} ms, "
            f"statuses {posts['statuses']}, {posts['trainees_finished']} finished"
        )
        screen.settle(posts["trainees_finished"])
        control.settle(posts["trainees_finished"])
        pages = {
            "screen": page_figures(screen, posts["window"], posts["trainees_finished"]),
            "control": page_figures(control, posts["window"], posts["trainees_finished"]),
        }
        pages["screen"]["snapshot_count"] = screen.first
        delays = screen_delays(list(screen.updates), posts.pop("finishers"))
    for page in pages.values():
        page["final_equals_trainees"] = page["final_respondents"] == args.trainees
    log(
        f"{name}: screen shows {pages['screen']['final_respondents']} finished, "
        f"p95 {delays['from_last_answer_ms']['p95']} ms after a trainee's last answer"
    )
    return {
        "go": go,
        "posts": posts,
        **pages,
        "screen_delay": delays,
        "gc_full": pauses(gc_log, *posts["window"])["full"],
    }


def database_figures(rows: dict, plan: dict, runs: dict, preference, trainees: int) -> dict:
    figures = {}
    for activity_id, key in KEYS.items():
        accepted = runs[key]["posts"].pop("accepted")
        expected = {
            name: final_values(plan[activity_id][name], indices) for name, indices in accepted.items()
        }
        per_trainee = len({post["item"] for post in next(iter(plan[activity_id].values()))})
        found = check.compare(rows["rows"][activity_id], expected, per_trainee)
        found["rows_expected_per_trainee"] = per_trainee
        found["every_trainee_all_rows"] = (
            found["trainees_with_all_rows"] == trainees
            and found["rows"] == trainees * per_trainee
            and not found["missing_rows"]
            and not found["extra_rows"]
        )
        if activity_id == PREFERENCE:
            found["complete_profiles"] = len(rows["finished"])
            found["profiles_unlike_sent"] = check.profiles_unlike(
                rows["finished"], preference.config, expected
            )
        else:
            found["complete_profiles"] = rows["sa_finished"]
        found["profiles_equal_trainees"] = found["complete_profiles"] == trainees
        figures[key] = found
    return figures


def measure(pool: WorkerPool, args, profile) -> dict:
    root = args.app_root or checkout.ROOT
    preference = activity(PREFERENCE, "preference", root=root)
    selfassessment = activity(SELF_ASSESSMENT, "selfassessment", root=root)
    names = [f"t{number:05d}" for number in range(args.trainees)]  # as join_phase names them
    plan = plans(names, preference, selfassessment, args.window, args.seed, args.double_share)
    with room.opened(pool, args) as session:
        joins = session.join()
        connects = session.connect()
        order = sorted(KEYS, key=lambda key: (key == PREFERENCE) != args.questionnaire_first)
        runs = {
            KEYS[activity_id]: run_activity(session, activity_id, plan[activity_id], number, profile)
            for number, activity_id in enumerate(order)
        }
        wait_idle(session.server)
        problems = session.log_problems()
        rows = check.stored(session.database, session.session_id, preference, SELF_ASSESSMENT)
        left = session.leave()
    for key, found in database_figures(rows, plan, runs, preference, args.trainees).items():
        runs[key]["database"] = found
    counts = room.error_counts(joins, connects, activity_errors(runs), left)
    return {
        "app_digest": session.app_digest,
        "joins": joins,
        "connects": connects,
        **runs,
        "ratio": {
            p: stats.ratio(
                runs["questionnaire"]["posts"]["response_ms"][p],
                runs["selfassessment"]["posts"]["response_ms"][p],
            )
            for p in ("p50", "p95", "p99")
        },
        **room.outcome(counts, left, problems),
    }


def activity_errors(runs: dict) -> dict:
    """Each activity's own errors, by kind."""
    counts = {}
    for key, run in runs.items():
        posts = run["posts"]
        counts |= {
            f"{key}: posts not 200": posts["posts_sent"] - posts["statuses"].get("200", 0),
            f"{key}: posts never sent": posts["posts_planned"] - posts["posts_sent"],
            f"{key}: replies not the expected view": posts["replies_unexpected"],
            f"{key}: phones missing the activity": run["go"]["missed"],
            f"{key}: screen or control page closed": bool(run["screen"]["closed"])
            + bool(run["control"]["closed"]),
        }
    return counts


def run(args) -> dict:
    results.RESULTS.mkdir(exist_ok=True)
    profile = results.RESULTS / f"py-spy-questionnaire-n{args.trainees}" if args.profile else None
    settings = ("trainees", "workers", "window", "double_share", "seed", "concurrency")
    result = cli.judged(
        args,
        WorkerPool,
        lambda pool: measure(pool, args, profile),
        report.judge,
        settings,
        profiled=args.profile,
        first=KEYS[PREFERENCE] if args.questionnaire_first else KEYS[SELF_ASSESSMENT],
    )
    if profile:
        result["profile"] = {
            key: {"file": str(path), **hot_functions(path)}
            for key in KEYS.values()
            if (path := phase_file(profile, key)).exists()
        }
    return result


def main(argv: list[str] | None = None) -> int:
    return cli.run_and_save(parse_args(argv), run, report.table, "questionnaire")


if __name__ == "__main__":
    sys.exit(main())

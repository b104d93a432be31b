"""Team games bench: N players in teams play a round of Preference Detective, then a quarter of
the Territory Challenge, every input live on their teammates' phones.

1. The app (`kam serve`, SQLite in a temporary folder unless --database-url) is started; the
   facilitator logs in and opens a session; N players join, are balanced into teams
   (POST /control/{id}/teams/balance) and open their play websockets (as the live broadcast bench does).
2. For `u3-game-detective`, then `u4-game-territory`: the facilitator goes to the game (the
   reference figure: a broadcast timed to every phone) and starts round 0 (timed to every
   phone). Every player sends their inputs at random moments of a window (plan.py):
   classify + choose within W seconds; or about 5 allocation edits within the team's budget
   over the challenge's window (default 120 s, the content's 300-second quarter compressed).
   Each POST is timed, and each phone's play updates are read (watch.py) to time each
   input until every teammate's screen reflects it (report.py). Then the facilitator
   closes the round: each phone's delay until it shows "时间到".
3. The database must hold every detective answer with the style and message sent, and every
   allocation cell with the last units sent (check.py).

Run: python -m bench.games [--quick] [--trainees N] [--window W] [--challenge-window W]
     [--database-url URL]
Only 127.0.0.1 is ever contacted; every wait is bounded; the server and workers are always
stopped.
"""

import argparse
import sys
import time

from bench.games import check, report
from bench.games.plan import (
    BUDGET,
    CHALLENGE,
    DETECTIVE,
    challenge_plan,
    challenge_setup,
    detective_plan,
    detective_scene,
    final_cells,
)
from bench.games.worker import GamesPool
from bench.harness import checkout, cli
from bench.harness.appserver import FACILITATOR, PASSWORD, app_server, database_of
from bench.harness.facilitator import Facilitator, agenda
from bench.harness.phases import join_phase, log, phase_budget, timed_phase, to_phones, wait_idle
from bench.harness.serverproc import HOST, free_port

MAX_TEAMS = 40  # app/live/teams.py refuses more
TIMES_UP = "时间到，等待揭晓"
STYLES = ["data", "process", "people", "vision"]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.games", description=__doc__.splitlines()[0])
    cli.trainees_argument(parser, 300)
    parser.add_argument(
        "--teams", type=int, default=0, help=f"teams (default N/10, at most {MAX_TEAMS}: the app's limit)"
    )
    cli.workers_argument(parser)
    cli.server_arguments(parser, quick="N=60")
    parser.add_argument(
        "--window",
        type=float,
        default=45.0,
        help="seconds over which Preference Detective's inputs are spread "
        "(default 45: within the content's 60-second round)",
    )
    parser.add_argument(
        "--challenge-window",
        type=float,
        default=120.0,
        help="seconds over which the Territory Challenge's edits are spread "
        "(default 120: the content's 300-second quarter, compressed)",
    )
    cli.seed_argument(parser, "the plans")
    cli.round_timeout_argument(parser)
    cli.post_timeout_arguments(parser)
    parser.add_argument(
        "--settle",
        type=float,
        default=3.0,
        help="seconds to keep reading the phones after the last reply (default 3)",
    )
    parser.add_argument(
        "--drain-timeout",
        type=float,
        default=120.0,
        help="seconds to wait for the server to go idle before the close (default 120)",
    )
    cli.app_arguments(parser)
    cli.max_seconds_argument(parser, 900)
    args = parser.parse_args(argv)
    if args.quick:
        args.trainees = 60
    args.teams = args.teams or min(max(args.trainees // 10, 1), MAX_TEAMS)
    if not 1 <= args.workers <= args.trainees or min(args.window, args.challenge_window) <= 0:
        parser.error("need 1 <= workers <= trainees and a positive window")
    if not 1 <= args.teams <= min(MAX_TEAMS, args.trainees // 2):
        parser.error(f"need 1 <= teams <= {MAX_TEAMS} and at least 2 players a team")
    return args


class Rounds:
    """Numbers for to_phones: each timed move gets its own."""

    def __init__(self) -> None:
        self.number = -1

    def next(self) -> int:
        self.number += 1
        return self.number


def play_game(
    pool: GamesPool,
    server,
    trainer: Facilitator,
    code: str,
    activity: str,
    plan: dict,
    start_marker: str,
    rounds: Rounds,
    args,
    window: float,
) -> dict:
    """Go, start, everyone's inputs (watched on every phone), close: the raw figures."""
    mode = "detective" if activity == DETECTIVE else "challenge"
    wait_idle(server)
    go = to_phones(
        pool,
        activity,
        lambda: trainer.post("go", {"activity": activity}),
        None,
        rounds.next(),
        args.round_timeout,
    )
    log(f"{mode}: go, POST {go['request_ms']} ms, last phone after {go['delay_ms']['max']} ms")
    wait_idle(server)
    start = to_phones(
        pool,
        activity,
        lambda: trainer.post("kind/start", {"activity": activity, "round": 0}),
        start_marker,
        rounds.next(),
        args.round_timeout,
    )
    log(f"{mode}: start, last phone after {start['delay_ms']['max']} ms")
    wait_idle(server)
    pool.call("watch", {"mode": mode}, timeout=30)
    begin = time.time() + 1.0  # every worker has the plan before the first post is due
    deadline = begin + window + args.answer_timeout
    cpu_before = server.cpu_seconds()
    replies = pool.call(
        "answer_in_turn",
        {
            "base_url": server.url,
            "code": code,
            "plan": plan,
            "start": begin,
            "post_timeout": args.post_timeout,
            "deadline": deadline,
        },
        timeout=deadline - time.time() + 40,
    )
    cpu = server.cpu_seconds() - cpu_before
    raw = {
        "start": begin,
        "records": [r for reply in replies for r in reply["records"]],
        "cpu_s": cpu,
        "planned": sum(reply["planned"] for reply in replies),
        "timed_out": any(reply["timed_out"] for reply in replies),
    }
    posts = report.post_figures(raw)
    log(
        f"{mode}: {posts['sent']} posts, p50 {posts['response_ms']['p50']} / p95 "
        f"{posts['response_ms']['p95']} ms, statuses {posts['statuses']}, last reply "
        f"{posts['last_reply_s']} s into the window"
    )
    time.sleep(args.settle)
    # the renders the inputs queued may still be running: wait until the server is idle (its
    # CPU under 5 % for 0.5 s), at most --drain-timeout, and say how long that took
    waited = time.monotonic()
    wait_idle(server, args.drain_timeout)
    drained_s = round(time.monotonic() - waited + args.settle, 1)
    log(f"{mode}: server idle {drained_s} s after the last reply")
    seen = report.merge_observations(pool.call("observations", {}, timeout=60))
    close = to_phones(
        pool,
        activity,
        lambda: trainer.post("kind/close", {"activity": activity, "round": 0}),
        TIMES_UP,
        rounds.next(),
        args.round_timeout,
    )
    log(f"{mode}: close, POST {close['request_ms']} ms, last phone after {close['delay_ms']['max']} ms")
    posts["idle_after_last_reply_s"] = drained_s
    return {
        "activity": activity,
        "go": go,
        "start": start,
        "close": close,
        "posts": posts,
        "records": raw["records"],
        "seen": seen,
    }


def measure(pool: GamesPool, args) -> dict:
    root = args.app_root or checkout.ROOT
    names = [f"t{number:05d}" for number in range(args.trainees)]  # as join_phase names them
    detective = detective_plan(names, detective_scene(root), STYLES, args.window, args.seed)
    customers, resources, cap = challenge_setup(root)
    port = args.port or free_port()
    rounds = Rounds()
    with (
        app_server(port, args.database_url, args.heartbeat, app_root=args.app_root) as (server, _gc_log),
        Facilitator(server.url, agenda(root=root)) as trainer,
    ):
        app_digest = checkout.digest(args.app_root or server.cwd / "src")  # what the server runs
        database = database_of(server.cwd, args.database_url)
        log(f"app server up at {server.url} (pid {server.pid}), app {app_digest}")
        trainer.login(FACILITATOR, PASSWORD)
        session_id, code = trainer.open_session()
        joins = join_phase(pool, server.url, code, args)
        trainer.post("teams/balance", {"count": args.teams})
        members = check.teams(database, session_id)
        sizes = sorted(len(names) for names in members.values())
        log(f"{len(members)} teams of {sizes[0]}–{sizes[-1]}")
        challenge = challenge_plan(members, customers, resources, cap, args.challenge_window, args.seed)
        connect = {
            "url": f"ws://{HOST}:{port}/ws/play/{code}",
            "origin": server.url,
            "concurrency": args.concurrency,
            "timeout": 60.0,
        }
        connects = timed_phase(pool, "connect_app", [connect] * args.workers, phase_budget(args.trainees))
        log(f"{connects['ok']} websockets open in {connects['seconds']} s")
        runs = {
            "detective": play_game(
                pool,
                server,
                trainer,
                code,
                DETECTIVE,
                detective,
                f"/play/{code}/act/classify",
                rounds,
                args,
                args.window,
            ),
            "challenge": play_game(
                pool, server, trainer, code, CHALLENGE, challenge, BUDGET, rounds, args, args.challenge_window
            ),
        }
        wait_idle(server)
        server_log = [
            line
            for line in server.log_tail(100_000).splitlines()
            if any(word in line for word in ("WARNING", "ERROR", "Error", "Traceback"))
        ]
        # what was sent and accepted, against what the database holds
        chose = {r["name"] for r in runs["detective"]["records"] if r["index"] == 1 and r["status"] == 200}
        sent = {
            name: {
                "style": detective[name][0]["form"]["style"],
                "message": detective[name][1]["form"]["message"],
            }
            for name in chose
        }
        runs["detective"]["database"] = check.detective(database, session_id, DETECTIVE, sent)
        accepted: dict[str, set[int]] = {}
        for r in runs["challenge"]["records"]:
            if r["status"] == 200:
                accepted.setdefault(r["name"], set()).add(r["index"])
        runs["challenge"]["database"] = check.challenge(
            database, session_id, CHALLENGE, members, final_cells(challenge, accepted)
        )
        trainer.end_session()
        links = pool.call("disconnect", {"timeout": 10.0}, timeout=60)
    for game, run in runs.items():
        records, seen = run.pop("records"), run.pop("seen")
        run["updates_received"] = seen["updates"]
        run["screens"] = (
            report.detective_delays(records, members, seen["counts"])
            if game == "detective"
            else report.challenge_delays(records, challenge, members, seen["changes"])
        )
        log(
            f"{game}: input -> teammates p95 {run['screens']['to_team_ms']['p95']} ms, "
            f"lost {run['database']['lost']}"
        )
    closes = [why for reply in links for why in reply["unexpected_closes"]]
    counts = {"failed joins": joins["failures"], "failed connects": connects["failures"]}
    for game, run in runs.items():
        counts |= {
            f"{game}: posts not 200": run["posts"]["not_200"],
            f"{game}: posts never sent": run["posts"]["planned"] - run["posts"]["sent"],
            f"{game}: replies not showing the input": run["posts"]["replies_unexpected"],
            f"{game}: phones missing go / start / close": run["go"]["missed"]
            + run["start"]["missed"]
            + run["close"]["missed"],
            f"{game}: inputs lost": run["database"]["lost"],
            f"{game}: inputs never on a teammate's screen": run["screens"]["never_shown"],
        }
    counts |= {"unexpected closes": len(closes), "sequence gaps": sum(reply["seq_gaps"] for reply in links)}
    return {
        "app_digest": app_digest,
        "joins": joins,
        "connects": connects,
        "team_sizes": sizes,
        **runs,
        "error_counts": counts,
        "errors": sum(counts.values()),
        "unexpected_closes": closes[:10],
        "server_log_problems": server_log[-40:],
    }


def run(args) -> dict:
    host, figures = cli.measured(args, GamesPool, lambda pool: measure(pool, args))
    result = cli.result(
        host,
        figures,
        args,
        trainees=args.trainees,
        teams=args.teams,
        workers=args.workers,
        window=args.window,
        challenge_window=args.challenge_window,
        seed=args.seed,
        concurrency=args.concurrency,
    )
    result["checks"] = report.checks(result)
    return result


def main(argv: list[str] | None = None) -> int:
    return cli.run_and_save(parse_args(argv), run, report.table, "games")


if __name__ == "__main__":
    sys.exit(main())

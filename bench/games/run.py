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
from bench.harness import checkout, cli, room
from bench.harness.phases import log, posts_in_turn, wait_idle

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
    session: room.Room, activity: str, plan: dict, start_marker: str, rounds: Rounds, window: float
) -> dict:
    """Go, start, everyone's inputs (watched on every phone), close: the raw figures."""
    mode = "detective" if activity == DETECTIVE else "challenge"
    pool, server, args = session.pool, session.server, session.args
    wait_idle(server)
    go = session.to_phones(activity, "go", {"activity": activity}, None, rounds.next())
    log(f"{mode}: go, POST {go['request_ms']} ms, last phone after {go['delay_ms']['max']} ms")
    wait_idle(server)
    start = session.to_phones(
        activity, "kind/start", {"activity": activity, "round": 0}, start_marker, rounds.next()
    )
    log(f"{mode}: start, last phone after {start['delay_ms']['max']} ms")
    wait_idle(server)
    pool.call("watch", {"mode": mode}, timeout=30)
    raw = posts_in_turn(pool, server, session.code, plan, window, args)
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
    close = session.to_phones(
        activity, "kind/close", {"activity": activity, "round": 0}, TIMES_UP, rounds.next()
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
    rounds = Rounds()
    with room.opened(pool, args) as session:
        joins = session.join()
        session.trainer.post("teams/balance", {"count": args.teams})
        members = check.teams(session.database, session.session_id)
        sizes = sorted(len(names) for names in members.values())
        log(f"{len(members)} teams of {sizes[0]}–{sizes[-1]}")
        challenge = challenge_plan(members, customers, resources, cap, args.challenge_window, args.seed)
        connects = session.connect()
        classify = f"/play/{session.code}/act/classify"
        runs = {
            "detective": play_game(session, DETECTIVE, detective, classify, rounds, args.window),
            "challenge": play_game(session, CHALLENGE, challenge, BUDGET, rounds, args.challenge_window),
        }
        wait_idle(session.server)
        problems = session.log_problems()
        runs["detective"]["database"] = detective_stored(session, runs["detective"]["records"], detective)
        runs["challenge"]["database"] = challenge_stored(
            session, runs["challenge"]["records"], members, challenge
        )
        left = session.leave()
    for game, run in runs.items():
        screen_figures(game, run, members, challenge)
    counts = room.error_counts(joins, connects, game_errors(runs), left)
    return {
        "app_digest": session.app_digest,
        "joins": joins,
        "connects": connects,
        "team_sizes": sizes,
        **runs,
        **room.outcome(counts, left, problems),
    }


def detective_stored(session: room.Room, records: list[dict], detective: dict) -> dict:
    """The detective answers the database holds, against the choices that got a 200."""
    chose = {r["name"] for r in records if r["index"] == 1 and r["status"] == 200}
    sent = {
        name: {
            "style": detective[name][0]["form"]["style"],
            "message": detective[name][1]["form"]["message"],
        }
        for name in chose
    }
    return check.detective(session.database, session.session_id, DETECTIVE, sent)


def challenge_stored(session: room.Room, records: list[dict], members: dict, challenge: dict) -> dict:
    """The allocation cells the database holds, against the last units accepted on each."""
    accepted: dict[str, set[int]] = {}
    for r in records:
        if r["status"] == 200:
            accepted.setdefault(r["name"], set()).add(r["index"])
    return check.challenge(
        session.database, session.session_id, CHALLENGE, members, final_cells(challenge, accepted)
    )


def screen_figures(game: str, run: dict, members: dict, challenge: dict) -> None:
    """Each input timed until every teammate's screen showed it (in place of the raw records)."""
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


def game_errors(runs: dict) -> dict:
    """Each game's own errors, by kind."""
    counts = {}
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
    return counts


def run(args) -> dict:
    settings = ("trainees", "teams", "workers", "window", "challenge_window", "seed", "concurrency")
    return cli.judged(args, GamesPool, lambda pool: measure(pool, args), report.checks, settings)


def main(argv: list[str] | None = None) -> int:
    return cli.run_and_save(parse_args(argv), run, report.table, "games")


if __name__ == "__main__":
    sys.exit(main())

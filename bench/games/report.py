"""The team games bench's figures, checks and table (JSON: report.save).

Inputs are attributed to the teammates' screens as follows (the views only ever move forward):
- Preference Detective: a teammate's view counts the players of the team who have chosen a
  message ("本组已有 k / m 人完成"). The team's accepted choices are ranked by when their replies
  came back; the r-th counts as shown on a teammate's phone at the first update that phone
  received after the choice was sent showing k ≥ r.
- Territory Challenge: each cell belongs to one player and its value only rises (plan.py),
  so an edit setting a cell to u counts as shown on a teammate's phone at the first update
  showing that cell at u or more.
An input's delay "to the team" is the largest over its teammates (not the sender, whose own
view is the POST's reply); "per teammate" lists every (input, teammate) pair.
"""

import math
from collections import Counter
from functools import partial

from bench.harness import stats
from bench.harness.checks import ERRORS, error_and_check_lines, judge, zero
from bench.harness.tables import opening, row, summary_row


def post_figures(raw: dict) -> dict:
    records = raw["records"]
    timed = [r for r in records if "ms" in r]
    first = min((r["sent"] for r in records if "sent" in r), default=raw["start"])
    last = max((r["done"] for r in records if "done" in r), default=raw["start"])
    return {
        "planned": raw["planned"],
        "sent": len(records),
        "response_ms": stats.summary([r["ms"] for r in timed]),
        "late_ms": stats.summary([r["late_ms"] for r in records]),
        "statuses": dict(sorted(Counter(str(r["status"]) for r in records).items())),
        "not_200": sum(1 for r in records if r["status"] != 200),
        "replies_unexpected": sum(1 for r in records if r["status"] == 200 and not r["saved"]),
        "error_samples": [
            f"{r['name']} post {r['index']}, {r.get('sent', math.nan) - raw['start']:.1f}"
            f" s in: {r['status']} {r.get('error', '')[:120]}"
            for r in records
            if r["status"] != 200
        ][:10],
        "first_sent_s": round(first - raw["start"], 2),
        "last_reply_s": round(last - raw["start"], 2),
        "posts_per_second": round(len(timed) / max(last - first, 1e-3), 1),
        "server_cpu_s": round(raw["cpu_s"], 2),
        "cpu_ms_per_post": round(1000 * raw["cpu_s"] / max(len(timed), 1), 2),
        "timed_out": raw["timed_out"],
    }


def _delays(
    inputs: list[tuple[str, float]], team_of: dict[str, int], members: dict[int, list[str]], seen
) -> dict:
    """inputs: (sender, sent time, key); seen(teammate, sent, key) -> time shown or None."""
    to_team, per_teammate, unseen = [], [], 0
    for sender, sent, key in inputs:
        worst = -math.inf
        for mate in members[team_of[sender]]:
            if mate == sender:
                continue
            shown = seen(mate, sent, key)
            if shown is None:
                unseen += 1
                worst = math.inf
                continue
            per_teammate.append((shown - sent) * 1000)
            worst = max(worst, (shown - sent) * 1000)
        if math.isfinite(worst):
            to_team.append(worst)
    return {
        "inputs": len(inputs),
        "to_team_ms": stats.summary(to_team),
        "per_teammate_ms": stats.summary(per_teammate),
        "never_shown": unseen,
    }


def detective_delays(records: list[dict], members: dict[int, list[str]], counts: dict) -> dict:
    team_of = {name: team for team, names in members.items() for name in names}
    chosen = sorted((r for r in records if r["index"] == 1 and r["status"] == 200), key=lambda r: r["done"])
    rank, inputs = Counter(), []
    for r in chosen:
        rank[team_of[r["name"]]] += 1
        inputs.append((r["name"], r["sent"], rank[team_of[r["name"]]]))

    def seen(mate: str, sent: float, k: int) -> float | None:
        return next((when for when, shown in counts.get(mate, ()) if when >= sent and shown >= k), None)

    return _delays(inputs, team_of, members, seen)


def challenge_delays(records: list[dict], plan: dict, members: dict[int, list[str]], changes: dict) -> dict:
    team_of = {name: team for team, names in members.items() for name in names}
    inputs = [
        (r["name"], r["sent"], (plan[r["name"]][r["index"]]["cell"], plan[r["name"]][r["index"]]["units"]))
        for r in records
        if r["status"] == 200
    ]
    by_cell: dict[tuple[str, str], list[tuple[float, int]]] = {}
    for mate, noted in changes.items():
        for when, shown_cell, value in noted:
            by_cell.setdefault((mate, shown_cell), []).append((when, value))

    def seen(mate: str, _sent: float, key: tuple[str, int]) -> float | None:
        wanted, units = key
        return next((when for when, value in by_cell.get((mate, wanted), ()) if value >= units), None)

    return _delays(inputs, team_of, members, seen)


def merge_observations(replies: list[dict]) -> dict:
    merged = {"updates": 0, "counts": {}, "changes": {}}
    for reply in replies:
        merged["updates"] += reply["updates"]
        merged["counts"] |= reply["counts"]
        merged["changes"] |= reply["changes"]
    return merged


CHECKS = [
    ERRORS,
    zero("detective inputs lost (database)", ("detective", "database", "lost")),
    zero("challenge inputs lost (database)", ("challenge", "database", "lost")),
    zero("detective inputs never on a teammate's screen", ("detective", "screens", "never_shown")),
    zero("challenge inputs never on a teammate's screen", ("challenge", "screens", "never_shown")),
]


def checks(result: dict) -> list[dict]:
    return judge(result, CHECKS)


_row = partial(row, label_width=44, width=11)


_summary_row = partial(summary_row, label_width=44, width=11)


def table(result: dict) -> str:
    config = result["config"]
    lines = [
        *opening(
            f"team games bench, {result['date']}: N={config['trainees']} players in "
            f"{config['teams']} teams, {config['workers']} workers, {config['database']}, "
            f"inputs over {config['window']} s, app {result['app_digest']}",
            result,
            _row,
            "joins per second / connects per second",
        ),
    ]
    for game in ("detective", "challenge"):
        run = result[game]
        posts, screens, db = run["posts"], run["screens"], run["database"]
        lines += [
            "",
            _row(f"{run['activity']}", "samples", "p50", "p95", "p99", "max"),
            _summary_row("(a) POST response time (ms)", posts["response_ms"]),
            _summary_row("(b) input -> every teammate's screen (ms)", screens["to_team_ms"]),
            _summary_row("    per (input, teammate) pair (ms)", screens["per_teammate_ms"]),
            _summary_row("(c) close -> every phone (ms)", run["close"]["delay_ms"]),
            _summary_row("(d) reference: go -> every phone (ms)", run["go"]["delay_ms"]),
            _summary_row("    start -> every phone (ms)", run["start"]["delay_ms"]),
            _summary_row("    posts sent late by the client (ms)", posts["late_ms"]),
            _row(
                "POSTs: go / start / close (ms)",
                run["go"]["request_ms"],
                run["start"]["request_ms"],
                run["close"]["request_ms"],
            ),
            _row("inputs planned / sent / not 200", posts["planned"], posts["sent"], posts["not_200"]),
            _row("  statuses", ", ".join(f"{k}: {v}" for k, v in posts["statuses"].items())),
            _row("replies not showing the input", posts["replies_unexpected"]),
            _row("inputs (b) attributed / never shown", screens["inputs"], screens["never_shown"]),
            _row("first post / last reply (s into the window)", posts["first_sent_s"], posts["last_reply_s"]),
            _row("server idle after the last reply (s)", posts["idle_after_last_reply_s"]),
            _row(
                "posts per second / server CPU s / ms per post",
                posts["posts_per_second"],
                posts["server_cpu_s"],
                posts["cpu_ms_per_post"],
            ),
            _row("play updates received while inputs came", run["updates_received"]),
            _row(
                "database: expected / rows / missing / wrong / extra",
                db["expected"],
                db["rows"],
                db["missing"],
                db["wrong"],
                db["extra"],
            ),
            _row("inputs lost", db["lost"]),
        ]
    lines += [
        "",
        _row("server log: warning / error lines", len(result["server_log_problems"])),
        *error_and_check_lines(result, _row),
    ]
    return "\n".join(lines)

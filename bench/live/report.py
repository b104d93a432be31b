"""The live broadcast bench's result: the targets it is judged by, and its table."""

import math

from bench.harness.checks import dig
from bench.harness.tables import cell, machine_line, profile_lines

# (label, where in the result, limit): met when the measured figure is at most the limit
TARGETS = [
    ("errors", ("app", "errors"), 0),
    ("update delay p95 (ms)", ("app", "rounds", "delay_ms", "p95"), 250),
    ("update delay p99 (ms)", ("app", "rounds", "delay_ms", "p99"), 500),
    ("p95 ratio app / bare", ("ratio", "p95"), 3),
    ("server memory per trainee (KB)", ("app", "kb_per_trainee"), 60),
    *(
        (f"storm at {name}: slowest back (ms)", ("app", "storms", name, "seconds", "max"), 5000)
        for name in ("brief", "quiz open", "quiz revealed", "leaderboard")
    ),
]


def judge(result: dict) -> list[dict]:
    verdicts = []
    for label, path, limit in TARGETS:
        if path[:2] == ("app", "storms") and "storms" not in result["app"]:
            continue  # run with --no-storms
        measured = dig(result, path)
        met = not (isinstance(measured, float) and math.isnan(measured)) and measured <= limit
        verdicts.append({"target": label, "limit": limit, "measured": measured, "met": met})
    return verdicts


def _row(label: str, app, bare="") -> str:
    return f"  {label:<34}{cell(app):>14}{cell(bare):>14}"


def _header(result: dict) -> list[str]:
    config, host = result["config"], result["machine"]
    experiment = f", EXPERIMENT gc.freeze + thresholds {config['gc_tune']}" if config["gc_tune"] else ""
    return [
        f"live broadcast bench, {result['date']}: N={config['trainees']} trainees, "
        f"{config['workers']} workers, {config['rounds']} rounds, {config['database']}" + experiment,
        machine_line(host),
        "",
    ]


def _figures(app: dict, bare: dict) -> list[str]:
    delay, bare_delay = app["rounds"]["delay_ms"], bare["rounds"]["delay_ms"]
    gc_full = app["gc_pauses_during_rounds"]["full"]
    return [
        _row("", "app", "bare"),
        _row("joins per second", app["joins"]["per_second"]),
        *(_row(f"join latency {p} (ms)", app["joins"]["latency_ms"][p]) for p in ("p50", "p95", "p99")),
        _row(
            "connects per second (to snapshot)", app["connects"]["per_second"], bare["connects"]["per_second"]
        ),
        _row(
            "connect latency p95 (ms)",
            app["connects"]["latency_ms"]["p95"],
            bare["connects"]["latency_ms"]["p95"],
        ),
        *(_row(f"update delay {p} (ms)", delay[p], bare_delay[p]) for p in ("p50", "p95", "p99", "max")),
        _row("delay samples", delay["count"], bare_delay["count"]),
        _row(
            "first client of a round p50 (ms)",
            app["rounds"]["first_client_ms"]["p50"],
            bare["rounds"]["first_client_ms"]["p50"],
        ),
        _row(
            "trigger request p50 (ms)",
            app["rounds"]["request_ms"]["p50"],
            bare["rounds"]["request_ms"]["p50"],
        ),
        _row("server CPU per round (ms)", app["cpu_ms_per_round"], bare["cpu_ms_per_round"]),
        _row("update size (bytes)", app["rounds"]["update_bytes"], bare["rounds"]["update_bytes"]),
        _row("server RSS before clients (KB)", app["rss_kb"]["before"], bare["rss_kb"]["before"]),
        _row("server RSS with clients (KB)", app["rss_kb"]["connected"], bare["rss_kb"]["connected"]),
        _row("server memory per client (KB)", app["kb_per_trainee"], bare["kb_per_trainee"]),
        _row("app full GC pauses in the rounds", gc_full["count"]),
        _row("  longest (ms)", gc_full["max"]),
        _row("errors", app["errors"], bare["errors"]),
        *(
            _row(f"  {name}", count, bare["error_counts"].get(name, ""))
            for name, count in app["error_counts"].items()
        ),
    ]


def _storms(app: dict) -> list[str]:
    if "storms" not in app:
        return []
    lines = ["", "reconnect storms: every websocket dropped at once, then opened at once"]
    lines.append(
        f"  {'at':<16}{'back whole':>12}{'p50 (ms)':>10}{'p95 (ms)':>10}{'max (ms)':>10}{'not back':>10}"
    )
    for name, storm in app["storms"].items():
        seconds = storm["seconds"]
        values = (storm["whole"], seconds["p50"], seconds["p95"], seconds["max"], storm["not_whole"])
        lines.append(f"  {name:<16}" + "".join(f"{cell(value):>11}" for value in values))
    return lines


def _slowest(app: dict, count: int = 6) -> list[str]:
    """The rounds whose p95 was worst: which activities are costly to show."""
    rounds = sorted(app["rounds"]["per_round"], key=lambda r: -r["p95_ms"])[:count]
    return [
        "",
        "slowest rounds (p95 / max ms, activity):",
        *(f"  {r['p95_ms']:>8} {r['max_ms']:>8}  {r.get('activity', '')}" for r in rounds),
    ]


def _verdicts(result: dict) -> list[str]:
    return [
        "",
        "ratio app / bare: " + ", ".join(f"{p} {value}" for p, value in result["ratio"].items()),
        "",
        "targets:",
        *(
            f"  {'met    ' if v['met'] else 'MISSED '} {v['target']:<32} limit {v['limit']:<6} "
            f"measured {cell(v['measured'])}"
            for v in result["targets"]
        ),
    ]


def table(result: dict) -> str:
    return "\n".join(
        [
            *_header(result),
            *_figures(result["app"], result["bare"]),
            *_slowest(result["app"]),
            *_storms(result["app"]),
            *_verdicts(result),
            *profile_lines(result),
        ]
    )

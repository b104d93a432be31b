"""The run's result: the targets it is judged by, a table for people, a JSON file for tools."""

import json
import math
import signal
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"

# (label, where in the result, limit): met when the measured figure is at most the limit
TARGETS = [
    ("errors", ("app", "errors"), 0),
    ("update delay p95 (ms)", ("app", "rounds", "delay_ms", "p95"), 250),
    ("update delay p99 (ms)", ("app", "rounds", "delay_ms", "p99"), 500),
    ("p95 ratio app / bare", ("ratio", "p95"), 3),
    ("server memory per trainee (KB)", ("app", "kb_per_trainee"), 60),
]


def _dig(result: dict, path: tuple[str, ...]):
    for key in path:
        result = result[key]
    return result


def judge(result: dict) -> list[dict]:
    verdicts = []
    for label, path, limit in TARGETS:
        measured = _dig(result, path)
        met = not (isinstance(measured, float) and math.isnan(measured)) and measured <= limit
        verdicts.append({"target": label, "limit": limit, "measured": measured, "met": met})
    return verdicts


def _row(label: str, app, bare="") -> str:
    return f"  {label:<34}{cell(app):>14}{cell(bare):>14}"


def row(label: str, *values, label_width: int = 46, width: int = 10) -> str:
    """A table line: the label, then each figure right-aligned."""
    return f"  {label:<{label_width}}" + "".join(f"{cell(value):>{width}}" for value in values)


def summary_row(label: str, summary: dict, **widths) -> str:
    """A table line of a stats summary: count, p50, p95, p99, max."""
    return row(label, *(summary[k] for k in ("count", "p50", "p95", "p99", "max")), **widths)


def cell(value) -> str:
    """A figure as the tables show it: NaN as '-', floats to 0.1, thousands separated."""
    if isinstance(value, float) and math.isnan(value):
        return "-"
    if isinstance(value, float):
        return f"{value:,.1f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _header(result: dict) -> list[str]:
    config, host = result["config"], result["machine"]
    experiment = f", EXPERIMENT gc.freeze + thresholds {config['gc_tune']}" if config["gc_tune"] else ""
    return [
        f"live broadcast bench, {result['date']}: N={config['trainees']} trainees, "
        f"{config['workers']} workers, {config['rounds']} rounds, {config['database']}" + experiment,
        machine_line(host),
        "",
    ]


def machine_line(host: dict) -> str:
    """The machine under every bench's table: its size, and how busy it was before the run."""
    return (
        f"machine: {host['cores']} cores, {host['memory_gib']} GiB, "
        f"{host['busy_cores_at_start']} cores busy with other work at the start"
    )


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
            *_verdicts(result),
            *profile_lines(result),
        ]
    )


def profile_lines(result: dict, top: int = 10) -> list[str]:
    lines = []
    for phase, profile in result.get("profile", {}).items():
        lines += [
            "",
            f"app server during the {phase} ({profile['samples']} py-spy samples, "
            f"{profile['file']}), top self time:",
            *(f"  {share:5.1f}%  {frame}" for frame, share in profile["self"][:top]),
        ]
    return lines


def _json_safe(value):
    """NaN (an empty sample) becomes null: the file stays strict JSON."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {key: _json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(item) for item in value]
    return value


def save(result: dict, bench: str = "live_broadcast") -> Path:
    RESULTS.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = RESULTS / f"{bench}-{stamp}-n{result['config']['trainees']}.json"
    path.write_text(json.dumps(_json_safe(result), indent=2, ensure_ascii=False) + "\n")
    return path


def bounded(max_seconds: int, work):
    """work(), stopped with a TimeoutError once it runs past max_seconds (every bench's limit)."""

    def give_up(_signum, _frame):
        raise TimeoutError("the bench ran past --max-seconds")

    signal.signal(signal.SIGALRM, give_up)
    signal.alarm(max_seconds)
    try:
        return work()
    finally:
        signal.alarm(0)

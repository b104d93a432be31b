"""The plan bench's figures, checks and table (JSON: report.save).

Save latency is the answer's time minus the send's, on the client, for every save (one that
failed without an answer counts until it failed: a timeout, a reset). The reference is
`GET /healthz`, sampled from the same workers over the same window, so the two can be read
against each other: the server's baseline on this machine at that moment.
"""

from collections import Counter
from functools import partial

from bench.harness import stats
from bench.harness.checks import ERRORS, error_and_check_lines, judge, zero
from bench.harness.tables import opening, row, summary_row


def error_kind(record: dict) -> str | None:
    """None for a 200; else what went wrong, as the table counts it."""
    status = record["status"]
    if status == 200:
        return None
    if status == 409:
        return "409 conflict"
    if status == 0:
        return f"network: {record.get('error', '?')}"
    return "cancelled at the end" if status == -1 else f"HTTP {status}"


def timeline(records: list[dict], reference: list[dict], start: float, step: float = 10.0) -> list:
    """Per `step` seconds from the start: saves sent, their p50 / p95, and the reference p50."""
    rows = []
    last = max((r["sent"] for r in records if "sent" in r), default=start)
    at = start
    while at <= last:
        saves = [r["ms"] for r in records if "ms" in r and at <= r["sent"] < at + step]
        probes = [r["ms"] for r in reference if at <= r["sent"] < at + step]
        summary = stats.summary(saves)
        rows.append(
            [
                round(at - start),
                summary["count"],
                summary["p50"],
                summary["p95"],
                stats.summary(probes)["p50"],
            ]
        )
        at += step
    return rows


def save_figures(records: list[dict], reference: list[dict], start: float, cpu_s: float) -> dict:
    answered = [r for r in records if "ms" in r and r["status"] != -1]
    first = min((r["sent"] for r in answered), default=start)
    last = max((r["done"] for r in answered), default=start)
    saves = stats.summary([r["ms"] for r in answered])
    probe = stats.summary([r["ms"] for r in reference])
    kinds = Counter(kind for r in records if (kind := error_kind(r)))
    return {
        "sent": len(records),
        "answered": len(answered),
        "latency_ms": saves,
        "latency_200_ms": stats.summary([r["ms"] for r in answered if r["status"] == 200]),
        "reference_ms": probe,
        "reference_errors": sum(1 for r in reference if r["status"] != 200),
        "ratio": {p: stats.ratio(saves[p], probe[p]) for p in ("p50", "p95", "p99")},
        "late_ms": stats.summary([r["late_ms"] for r in records]),
        "statuses": dict(sorted(Counter(str(r["status"]) for r in records).items())),
        "errors_by_kind": dict(kinds),
        "conflicts": kinds.get("409 conflict", 0),
        "repeats": sum(1 for r in records if r.get("repeat")),
        "error_samples": [
            f"{r['name']} seq {r['seq']}, {r['sent'] - start:.1f} s in: "
            f"{r['status']} {r.get('error', '')[:120]}"
            for r in records
            if r["status"] not in (200, -1)
        ][:10],
        "body_bytes": stats.summary([r["bytes"] for r in records if "bytes" in r]),
        "saves_per_second": round(len(answered) / max(last - first, 1e-3), 1),
        "last_answer_s": round(last - start, 2),
        "server_cpu_s": round(cpu_s, 2),
        "cpu_ms_per_save": round(1000 * cpu_s / max(len(answered), 1), 2),
        "timeline": timeline(records, reference, start),
    }


CHECKS = [
    zero("saves lost (database)", ("database", "lost")),
    zero("plans with a wrong version or device", ("database", "wrong_version_or_device")),
    zero("conflicts (409)", ("saves", "conflicts")),
    ERRORS,
    zero("control page rows behind at the end", ("control", "rows_behind_at_the_end")),
]


def checks(result: dict) -> list[dict]:
    return judge(result, CHECKS)


_row = partial(row, label_width=46, width=10)


_summary = partial(summary_row, label_width=46, width=10)


def _save_lines(saves: dict) -> list[str]:
    return [
        _row("saves", "count", "p50", "p95", "p99", "max"),
        _summary("save latency, every save (ms)", saves["latency_ms"]),
        _summary("  200 answers only (ms)", saves["latency_200_ms"]),
        _summary("reference: GET /healthz, same run (ms)", saves["reference_ms"]),
        _row("ratio save / reference p50 · p95 · p99", "", *saves["ratio"].values()),
        _summary("saves sent late by the client (ms)", saves["late_ms"]),
        _summary("body sent (bytes)", saves["body_bytes"]),
        _row("statuses", ", ".join(f"{k}: {v}" for k, v in saves["statuses"].items())),
        *(_row(f"  {kind}", count) for kind, count in saves["errors_by_kind"].items()),
        _row("repeats (answered repeat: true)", saves["repeats"]),
        _row("saves per second / last answer (s in)", saves["saves_per_second"], saves["last_answer_s"]),
        _row("server CPU s / ms per save", saves["server_cpu_s"], saves["cpu_ms_per_save"]),
        _row("cores busy: all / server / workers / other", *saves["cores"].values()),
        "",
        _row("every 10 s: s in", "saves", "p50", "p95", "ref p50"),
        *(_row("", *row) for row in saves["timeline"]),
    ]


def _control_lines(result: dict) -> list[str]:
    control = result["control"]
    stale = control["staleness"]
    return [
        "",
        _row("control page", "updates", "per s", "max in 1s", "bytes"),
        _row(
            "  while saving",
            control["updates_while_saving"],
            control["updates_per_second"],
            control["max_in_one_second"],
            control["update_bytes_median"],
        ),
        _row("  in all / after the last answer", control["updates"], control["updates_after_last_answer"]),
        _row(
            "  after the last answer: first / last (s)",
            control["first_update_after_last_answer_s"],
            control["last_update_after_last_answer_s"],
        ),
        _row(
            "  server CPU s after the saves, until quiet (s)",
            result["saves"]["after"]["server_cpu_s"],
            result["saves"]["after"]["seconds"],
        ),
        _summary("  gap between updates while saving (ms)", control["gap_ms"]),
        _summary("  save raising a percent -> shown, from send", stale["from_sent_ms"]),
        _summary("    from its answer (ms)", stale["from_answer_ms"]),
        _row("  raising saves never shown", stale["never_shown"]),
        _row(
            "  last update: writing / average % / rows",
            control["last_shows"]["writing"],
            control["last_shows"]["average"],
            control["last_shows"]["rows"],
        ),
        _row("  rows behind the final state at the end", control["rows_behind_at_the_end"]),
    ]


def _database_lines(db: dict) -> list[str]:
    return [
        "",
        _row("database", "plans", "lost", "later", "wrong v/d", "extra"),
        _row(
            "  plans",
            db["plans"],
            db["lost"],
            db["landed_unanswered"],
            db["wrong_version_or_device"],
            db["extra_plans"],
        ),
        _row("  verdicts", ", ".join(f"{k}: {v}" for k, v in db["verdicts"].items())),
        _row("  restore points by reason", ", ".join(f"{k}: {v}" for k, v in db["restore_points"].items())),
        _row("  stored body, median bytes", db["stored_bytes_median"]),
    ]


def table(result: dict) -> str:
    config = result["config"]
    lines = [
        *opening(
            f"plan autosave bench, {result['date']}: N={config['trainees']} trainees, "
            f"{config['workers']} workers, {config['database']}, a save every "
            f"{config['interval']} s for {config['seconds']} s, app {result['app_digest']}",
            result,
            _row,
            "joins / editors opened per second",
            "editors",
        ),
        "",
        *_save_lines(result["saves"]),
        *_control_lines(result),
        *_database_lines(result["database"]),
        "",
        _row("pages unsettled after the drain", result["unsettled"]),
        _row("server log: warning / error lines", len(result["server_log_problems"])),
        *error_and_check_lines(result, _row),
    ]
    return "\n".join(lines)

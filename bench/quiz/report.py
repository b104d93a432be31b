"""The quiz bench's result: the checks it is judged by and a table for people (JSON: results.save)."""

from functools import partial

from bench.harness import checks
from bench.harness.checks import ERRORS, zero
from bench.harness.tables import opening, row

# (label, where in the result, test, what the test says)
CHECKS = [
    ERRORS,
    ("stored trainees = trainees answered 200", ("database", "stored_equals_accepted"), bool, "yes"),
    zero("extra response rows (double taps)", ("database", "duplicate_rows")),
    zero("stored choices unlike the sent ones", ("database", "wrong_choice_count")),
    ("ledger rows = right answers", ("database", "points_equal_right"), bool, "yes"),
    ("control page count = answering trainees", ("control", "final_equals_answered"), bool, "yes"),
    (
        "control updates per second, overall",
        ("control", "updates_per_second_overall"),
        lambda v: v <= 5,
        "<= 5",
    ),
]


def judge(result: dict) -> list[dict]:
    return checks.judge(result, CHECKS)


_row = partial(row, label_width=52, width=12)


def _delays(label: str, shown: dict) -> list[str]:
    delay = shown["delay_ms"]
    return [
        _row(
            label,
            delay["count"],
            shown["first_ms"],
            delay["p50"],
            delay["p95"],
            delay["max"],
            shown["request_ms"],
        )
    ]


def table(result: dict) -> str:
    config = result["config"]
    answers, control, db = result["answers"], result["control"], result["database"]
    latency, shown = answers["response_ms"], result["phones"]
    return "\n".join(
        [
            *opening(
                f"quiz answers bench, {result['date']}: N={config['trainees']} trainees, "
                f"{config['workers']} workers, {config['database']}, answers over {config['window']} s, "
                f"app {result['app_digest']}",
                result,
                _row,
                "joins per second / connects per second",
            ),
            "",
            _row("phones show the new view (ms)", "phones", "first", "p50", "p95", "last", "POST"),
            *_delays("  go to u1-quiz", shown["go"]),
            *_delays("  start: the question", shown["start"]),
            *_delays("  reveal: the verdict", shown["reveal"]),
            "",
            _row("answers", "taps", "p50", "p95", "p99", "max"),
            _row(
                "  response time, every tap (ms)",
                latency["count"],
                latency["p50"],
                latency["p95"],
                latency["p99"],
                latency["max"],
            ),
            _row(
                "  first taps only (ms)",
                answers["first_tap_ms"]["count"],
                answers["first_tap_ms"]["p50"],
                answers["first_tap_ms"]["p95"],
                answers["first_tap_ms"]["p99"],
                answers["first_tap_ms"]["max"],
            ),
            _row(
                "  double taps, the second one (ms)",
                answers["second_tap_ms"]["count"],
                answers["second_tap_ms"]["p50"],
                answers["second_tap_ms"]["p95"],
                answers["second_tap_ms"]["p99"],
                answers["second_tap_ms"]["max"],
            ),
            _row(
                "  sent late by the client (ms)",
                answers["late_ms"]["count"],
                answers["late_ms"]["p50"],
                answers["late_ms"]["p95"],
                answers["late_ms"]["p99"],
                answers["late_ms"]["max"],
            ),
            _row("  statuses", ", ".join(f"{k}: {v}" for k, v in answers["statuses"].items())),
            _row(
                "  200 replies not showing the answer saved",
                answers["replies_not_saved"],
                ", ".join(f"{s} s" for s in answers["not_saved_at_s"][:3]),
            ),
            _row(
                "  trainees sending / accepted / right",
                answers["trainees_sent"],
                answers["trainees_accepted"],
                answers["trainees_right"],
            ),
            _row("  first tap to last reply (s)", answers["seconds"]),
            _row(
                "  question open when the taps began / last reply (s)",
                answers["question_age_s"],
                answers["last_reply_age_s"],
            ),
            _row("  server CPU while answering (s)", answers["server_cpu_s"]),
            _row(
                "  full GC pauses while answering / longest ms",
                result["gc_full"]["count"],
                result["gc_full"]["max"],
            ),
            "",
            _row("control page"),
            _row("  control-main updates while answering", control["updates_in_window"]),
            _row("  per second", control["updates_per_second"]),
            _row(
                "  more after the last reply / the last after (s)",
                control["updates_after_window"],
                control["last_update_after_s"],
            ),
            _row(
                "  per second overall (max in any 1 s)",
                control["updates_per_second_overall"],
                control["max_in_one_second"],
            ),
            _row(
                "  respondents shown last / answering",
                control["final_respondents"],
                answers["trainees_accepted"],
            ),
            "",
            _row("database", "rows", "trainees", "expected", "duplicates", "missing", "extra"),
            _row(
                "  response",
                db["response_rows"],
                db["response_trainees"],
                answers["trainees_accepted"],
                db["duplicate_rows"],
                db["missing_count"],
                db["unexpected_count"],
            ),
            _row(
                "  pointsentry quiz.correct",
                db["points_rows"],
                db["points_trainees"],
                answers["trainees_right"],
                db["duplicate_points"],
                db["points_missing_count"],
                db["points_unexpected_count"],
            ),
            _row("server log: warning / error lines", len(result["server_log_problems"])),
            *checks.error_and_check_lines(result, _row),
        ]
    )

"""The questionnaire bench's result: the checks it is judged by and a table for people, the
questionnaire beside the self-assessment (JSON: results.save)."""

from functools import partial

from bench.harness import checks
from bench.harness.checks import ERRORS, zero
from bench.harness.tables import cell, opening, profile_lines, row

KINDS = (("questionnaire", "questionnaire"), ("selfassessment", "self-assessment"))


def _checks() -> list:
    """(label, where in the result, test, what the test says), as checks.judge takes them."""
    checks = [ERRORS]
    for key, label in KINDS:
        checks += [
            (f"{label}: all rows stored", (key, "database", "every_trainee_all_rows"), bool, "yes"),
            (
                f"{label}: values unlike those sent",
                (key, "database", "values_unlike_sent"),
                lambda v: v == 0,
                "0",
            ),
            (f"{label}: complete profiles = N", (key, "database", "profiles_equal_trainees"), bool, "yes"),
            (f"{label}: screen shows N finished", (key, "screen", "final_equals_trainees"), bool, "yes"),
            (f"{label}: control page shows N", (key, "control", "final_equals_trainees"), bool, "yes"),
            (
                f"{label}: screen updates/s overall",
                (key, "screen", "updates_per_second_overall"),
                lambda v: v <= 5,
                "<= 5",
            ),
        ]
    return (
        checks[:1]
        + [
            zero("questionnaire: cursor rows (@at)", ("questionnaire", "database", "cursor_rows")),
            zero(
                "questionnaire: profiles unlike those sent",
                ("questionnaire", "database", "profiles_unlike_sent"),
            ),
        ]
        + checks[1:]
    )


def judge(result: dict) -> list[dict]:
    return checks.judge(result, _checks())


_row = partial(row, label_width=52, width=20)


def _both(result: dict, label: str, pick) -> str:
    return _row(label, *(pick(result[key]) for key, _ in KINDS))


def _percentiles(result: dict, label: str, pick) -> list[str]:
    return [
        _both(result, f"{label} {p}", lambda run, p=p: pick(run)[p]) for p in ("p50", "p95", "p99", "max")
    ]


def table(result: dict) -> str:
    config = result["config"]
    q, s = result["questionnaire"], result["selfassessment"]
    return "\n".join(
        [
            *opening(
                f"questionnaire bench, {result['date']}: N={config['trainees']} trainees, "
                f"{config['workers']} workers, {config['database']}, "
                f"{q['database']['rows_expected_per_trainee']} answers each over {config['window']} s, "
                f"{config['first']} first, app {result['app_digest']}"
                + (", PROFILED (py-spy)" if config["profiled"] else ""),
                result,
                _row,
                "joins per second / connects per second",
            ),
            "",
            _row("", *(label for _, label in KINDS)),
            _both(result, "go: POST (ms)", lambda run: run["go"]["request_ms"]),
            _both(
                result,
                "go: phones show it, p95 / last (ms)",
                lambda run: f"{cell(run['go']['delay_ms']['p95'])} / {cell(run['go']['delay_ms']['max'])}",
            ),
            "",
            _row("answers (every post, double taps included)"),
            _both(
                result,
                "  posts sent (first + double) / planned",
                lambda run: (
                    f"{run['posts']['first_tap_ms']['count']} + "
                    f"{run['posts']['second_tap_ms']['count']} / {run['posts']['posts_planned']}"
                ),
            ),
            *_percentiles(result, "  response time (ms)", lambda run: run["posts"]["response_ms"]),
            _both(result, "  response time mean (ms)", lambda run: run["posts"]["response_ms"]["mean"]),
            _both(
                result,
                "  double taps, the second one p95 (ms)",
                lambda run: run["posts"]["second_tap_ms"]["p95"],
            ),
            _both(
                result,
                "  statuses",
                lambda run: ", ".join(f"{k}: {v}" for k, v in run["posts"]["statuses"].items()),
            ),
            _both(
                result,
                "  200 replies not showing the expected view",
                lambda run: run["posts"]["replies_unexpected"],
            ),
            _both(
                result,
                "  sent late by the client p50 / p95 (ms)",
                lambda run: (
                    f"{cell(run['posts']['late_ms']['p50'])} / {cell(run['posts']['late_ms']['p95'])}"
                ),
            ),
            _both(
                result,
                "  trainees finished / stopped after an error",
                lambda run: f"{run['posts']['trainees_finished']} / {run['posts']['trainees_stopped']}",
            ),
            _both(result, "  first post to last reply (s)", lambda run: run["posts"]["seconds"]),
            _both(
                result,
                "  last trainee finished after (s), planned <= W",
                lambda run: run["posts"]["last_finish_s"],
            ),
            _both(result, "  posts per second", lambda run: run["posts"]["posts_per_second"]),
            _both(result, "  server CPU while answering (s)", lambda run: run["posts"]["server_cpu_s"]),
            _both(result, "  server CPU per post (ms)", lambda run: run["posts"]["cpu_ms_per_post"]),
            _both(
                result,
                "  full GC pauses while answering / longest ms",
                lambda run: f"{run['gc_full']['count']} / {cell(run['gc_full']['max'])}",
            ),
            "",
            _row('screen ("N 人已完成")'),
            *_percentiles(
                result,
                "  last answer to the screen counting it (ms)",
                lambda run: run["screen_delay"]["from_last_answer_ms"],
            ),
            _both(
                result,
                "  the same from the reply, p50 / p95 (ms)",
                lambda run: (
                    f"{cell(run['screen_delay']['from_its_reply_ms']['p50'])} / "
                    f"{cell(run['screen_delay']['from_its_reply_ms']['p95'])}"
                ),
            ),
            _both(
                result,
                "  room's last answer to the screen showing N (ms)",
                lambda run: run["screen_delay"]["room_from_last_answer_ms"],
            ),
            _both(
                result,
                "  the same from the reply (ms)",
                lambda run: run["screen_delay"]["room_from_its_reply_ms"],
            ),
            _both(
                result,
                "  updates while answering / per second",
                lambda run: (
                    f"{run['screen']['updates_in_window']} / {cell(run['screen']['updates_per_second'])}"
                ),
            ),
            _both(
                result,
                "  per second overall (max in any 1 s)",
                lambda run: (
                    f"{cell(run['screen']['updates_per_second_overall'])} "
                    f"({run['screen']['max_in_one_second']})"
                ),
            ),
            _both(
                result,
                "  finished shown last (screen / control page)",
                lambda run: f"{run['screen']['final_respondents']} / {run['control']['final_respondents']}",
            ),
            "",
            _row("database"),
            _both(
                result,
                "  response rows / trainees",
                lambda run: f"{run['database']['rows']} / {run['database']['trainees']}",
            ),
            _both(
                result,
                "  rows per trainee: trainees",
                lambda run: ", ".join(
                    f"{rows}: {n}" for rows, n in run["database"]["rows_per_trainee"].items()
                ),
            ),
            _both(
                result,
                "  missing / extra rows",
                lambda run: f"{run['database']['missing_rows']} / {run['database']['extra_rows']}",
            ),
            _both(result, "  values unlike those sent", lambda run: run["database"]["values_unlike_sent"]),
            _both(result, "  complete profiles", lambda run: run["database"]["complete_profiles"]),
            _row(
                "  cursor rows (@at) / profiles unlike those sent",
                q["database"]["cursor_rows"],
                q["database"]["profiles_unlike_sent"],
            ),
            _row("server log: warning / error lines", len(result["server_log_problems"])),
            "",
            "ratio questionnaire / self-assessment, response time: "
            + ", ".join(f"{p} {cell(value)}" for p, value in result["ratio"].items()),
            f"  (p95 {cell(q['posts']['response_ms']['p95'])} ms against "
            f"{cell(s['posts']['response_ms']['p95'])} ms)",
            *checks.error_and_check_lines(result, _row),
            *profile_lines(result),
        ]
    )

"""The case bench's figures, checks and table (JSON: report.save).

- **Tap → own answer**: from the send of a tap on the phone's socket to the answer on that
  socket (its own part showing the tag, or a toast).
- **Tap → control page**: the control page shows one number per update, the room's tag count
  ("N 个标签"), rendered at some moment before the update arrived. The database gives the moment
  the server filed every tag still stored (`t`); undone tags are counted from the middle of
  their tap's send and answer to the middle of their undo's. That makes the room's count a
  step function of time; an update showing count C was rendered at the latest moment before
  its arrival when the count was C, and it includes every tag filed before that moment. A
  tap's delay is the arrival of the first update that includes it, minus the tap's send. It is
  an estimate: two tags filed within a few ms of each other may be told apart wrongly.
- **Next line → every phone** (the reference, in the same run): from just before the
  facilitator's POST to the first message on each phone showing the new line
  (`data-at="<line>.00"`); a phone that never shows it has missed it.
- **GET /healthz**, sampled during the run from one worker: the second reference.
"""

import bisect
from collections import Counter
from functools import partial

from bench.harness import stats
from bench.harness.checks import ERRORS, error_and_check_lines, judge, zero
from bench.harness.tables import machine_line, row, summary_row


def _mid(record: dict) -> float:
    return (record["sent"] + record.get("answer", record["sent"])) / 2


def tap_figures(
    records: list[dict], reference: list[dict], start: float, end: float, answer_timeout: float
) -> dict:
    taps = [r for r in records if r["kind"] == "tag"]
    undos = [r for r in records if r["kind"] == "untag"]
    outcomes = Counter(r.get("outcome", "unanswered") for r in records)
    answered = [r for r in taps if r.get("outcome") in ("own", "toast")]
    toasts = Counter(r["toast"] for r in records if r.get("outcome") == "toast")
    during = [r for r in taps if start <= r["sent"] <= end]
    probe = stats.summary([s["ms"] for s in reference])
    latency = stats.summary([r["ms"] for r in answered])
    return {
        "taps": len(taps),
        "undos": len(undos),
        "trainees_tapping": len({r["name"] for r in taps}),
        "taps_per_second": round(len(during) / max(end - start, 1e-3), 1),
        "with_comment": sum(1 for r in taps if r["comment"]),
        "doubles": sum(1 for r in taps if r["double"]),
        "outcomes": dict(sorted(outcomes.items())),
        "toasts": sum(toasts.values()),
        "toast_texts": dict(toasts.most_common(5)),
        # no answer within the timeout: never (by the end of the run), or later than that
        "unanswered": outcomes.get("unanswered", 0)
        + sum(1 for r in records if r.get("ms", 0) > answer_timeout * 1000),
        "never_answered": outcomes.get("unanswered", 0),
        "answered_late": sum(1 for r in records if r.get("ms", 0) > answer_timeout * 1000),
        "closed": outcomes.get("closed", 0),
        "other_answers": outcomes.get("other", 0),
        "answers_not_showing_the_tap": sum(
            1 for r in taps if r.get("outcome") == "own" and not r.get("shown")
        ),
        "undos_skipped": sum(1 for r in taps if r.get("undo_skipped")),
        "filed_later": sum(1 for r in taps if r.get("filed_at", r["seen"]) != r["seen"]),
        "undos_not_gone": sum(1 for r in undos if r.get("outcome") == "own" and not r.get("gone")),
        "tap_ms": latency,
        "tap_with_comment_ms": stats.summary([r["ms"] for r in answered if r["comment"]]),
        "undo_ms": stats.summary([r["ms"] for r in undos if r.get("outcome") in ("own", "toast")]),
        "reference_ms": probe,
        "reference_errors": sum(1 for s in reference if s["status"] != 200),
        "ratio_to_healthz": {p: stats.ratio(latency[p], probe[p]) for p in ("p50", "p95", "p99")},
        "timeline": _timeline(taps, reference, start),
    }


def _timeline(taps: list[dict], reference: list[dict], start: float, step: float = 10.0) -> list:
    """Per `step` seconds: taps sent, their answer p50 / p95, and the /healthz p50."""
    rows, at = [], start
    last = max((r["sent"] for r in taps), default=start)
    while at <= last:
        got = stats.summary([r["ms"] for r in taps if "ms" in r and at <= r["sent"] < at + step])
        probes = stats.summary([s["ms"] for s in reference if at <= s["sent"] < at + step])
        rows.append([round(at - start), got["count"], got["p50"], got["p95"], probes["p50"]])
        at += step
    return rows


def control_delays(records: list[dict], filed: dict, updates: list[list], first: int | None) -> dict:
    """Tap -> the first control update including it (see the module's docstring)."""
    undos = {(r["name"], r["k"]): r for r in records if r["kind"] == "untag"}
    events, measured = [], []  # (time, +1 / -1, the tap measured or None)
    for tap in (r for r in records if r["kind"] == "tag" and r.get("shown") and not r["double"]):
        undo = undos.get((tap["name"], tap["k"]))
        if undo is not None and undo.get("gone"):
            events += [(_mid(tap), 1, None), (_mid(undo), -1, None)]
            continue
        when = filed.get(f"{tap['name']}\t{tap['n']}")
        if when is not None:
            events.append((when, 1, tap))
    events.sort(key=lambda e: e[0])
    times = [e[0] for e in events]
    counts = [first or 0]
    for _when, delta, tap in events:
        counts.append(counts[-1] + delta)
        if tap is not None:
            measured.append((tap, len(counts) - 1))  # the segment that begins with it
    segments, unexplained = [], 0
    for when, shown, *_rest in updates:
        segment = next(
            (s for s in range(bisect.bisect_right(times, when), -1, -1) if counts[s] == shown), None
        )
        unexplained += segment is None
        segments.append(-1 if segment is None else segment)
    arrivals = [u[0] for u in updates]
    from_sent, from_answer, never = [], [], 0
    for tap, segment in measured:
        u = bisect.bisect_left(arrivals, tap["sent"])
        while u < len(updates) and segments[u] < segment:
            u += 1
        if u == len(updates):
            never += 1
            continue
        from_sent.append((arrivals[u] - tap["sent"]) * 1000)
        from_answer.append((arrivals[u] - tap["answer"]) * 1000)
    return {
        "taps_measured": len(measured),
        "never_shown": never,
        "updates_unexplained": unexplained,
        "from_sent_ms": stats.summary(from_sent),
        "from_answer_ms": stats.summary(from_answer),
    }


def control_figures(page, records: list[dict], filed: dict, start: float, end: float, stored: int) -> dict:
    updates = list(page.shown)
    during = [u for u in updates if start <= u[0] <= end]
    times = [u[0] for u in during]
    gaps = [(b - a) * 1000 for a, b in zip(times, times[1:], strict=False)]
    sizes = sorted(u[3] for u in updates)
    last = updates[-1] if updates else [None, None, None, 0]
    return {
        "updates": len(updates),
        "updates_while_tapping": len(during),
        "updates_per_second": round(len(during) / max(end - start, 1e-3), 2),
        "max_in_one_second": max((sum(1 for t in times if s <= t < s + 1) for s in times), default=0),
        "gap_ms": stats.summary(gaps),
        "update_bytes_median": sizes[len(sizes) // 2] if sizes else 0,
        "first_count": page.first,
        "last_count": last[1],
        "tags_stored": stored,
        "last_equals_stored": last[1] == stored,
        "delays": control_delays(records, filed, updates, page.first),
        "messages": page.messages,
        "closed": page.closed,
        "shown": [[round(u[0] - start, 3), u[1], u[2], u[3]] for u in updates],
    }


def line_figures(presses: list[dict], phones: list[dict], page_lines: list[list], start: float) -> dict:
    """Each press of "next line": every phone's delay to show the new line, and the control
    page's; the phones that never showed it."""
    delays, rows, missed, skipped = [], [], 0, 0
    for press in presses:
        got = []
        for phone in phones:
            seen = phone["first_seen"].get(str(press["line"]))
            if seen is not None and seen >= press["started"]:
                got.append((seen - press["started"]) * 1000)
            elif any(int(line) > press["line"] for line in phone["first_seen"]):
                skipped += 1  # a later line came first: renders coalesced under load
            else:
                missed += 1
        delays += got
        control = next(
            (when for when, line in page_lines if line == press["line"] and when >= press["started"]), None
        )
        summary = stats.summary(got)
        rows.append(
            {
                "line": press["line"],
                "at_s": press["at_s"],
                "request_ms": press["request_ms"],
                "status": press["status"],
                "phones": summary["count"],
                "p50_ms": summary["p50"],
                "p95_ms": summary["p95"],
                "max_ms": summary["max"],
                "control_ms": round((control - press["started"]) * 1000, 1) if control else None,
            }
        )
    went_back = [
        {
            "name": phone["name"],
            "at_s": round(when - start, 3),
            "from": before,
            "to": line,
            "by": kind,
            "sent_s": round(sent - start, 3) if sent else None,
            "until_shown_again_s": again,
        }
        for phone in phones
        for when, before, line, kind, sent, again in phone["went_back"]
    ]
    back = Counter(event["by"] for event in went_back)
    return {
        "presses": len(presses),
        "delay_ms": stats.summary(delays),
        "missed": missed,
        "skipped": skipped,
        "request_ms": stats.summary([p["request_ms"] for p in presses]),
        "control_ms": stats.summary([r["control_ms"] for r in rows if r["control_ms"] is not None]),
        "not_200": sum(1 for p in presses if p["status"] != 200),
        "phones_went_back": dict(back),
        "went_back": went_back,
        "per_press": rows,
    }


def during_broadcasts(records: list[dict], presses: list[dict], phones: list[dict]) -> dict:
    """Taps sent while a "next line" was on its way to the phones (from the POST to the last
    phone showing the line), against the others: what waiting for a broadcast costs a tap."""
    windows = []
    for press in presses:
        seen = [phone["first_seen"].get(str(press["line"])) for phone in phones]
        last = max((t for t in seen if t is not None), default=press["started"])
        windows.append((press["started"], last))
    during, outside = [], []
    for r in records:
        if r["kind"] == "tag" and r.get("outcome") in ("own", "toast"):
            hit = any(a <= r["sent"] <= b for a, b in windows)
            (during if hit else outside).append(r["ms"])
    return {
        "during_ms": stats.summary(during),
        "outside_ms": stats.summary(outside),
        "broadcast_seconds": round(sum(b - a for a, b in windows), 1),
    }


CHECKS = [
    zero("tags lost (database)", ("database", "lost")),
    zero("extra tags (database)", ("database", "extra")),
    zero("phones whose last view differs from the database", ("database", "phones_whose_last_view_differs")),
    zero("toasts (errors)", ("taps", "toasts")),
    zero("unanswered within the timeout", ("taps", "unanswered")),
    zero("answers not showing the tap", ("taps", "answers_not_showing_the_tap")),
    zero("phones missing a new line", ("lines", "missed")),
    ("control page's last count = tags stored", ("control", "last_equals_stored"), bool, "yes"),
    ERRORS,
]


def checks(result: dict) -> list[dict]:
    return judge(result, CHECKS)


_row = partial(row, label_width=50, width=10)


_summary = partial(summary_row, label_width=50, width=10)


def table(result: dict) -> str:
    config, host = result["config"], result["machine"]
    taps, control, lines, db = result["taps"], result["control"], result["lines"], result["database"]
    delays = control["delays"]
    return "\n".join(
        [
            f"case tagging bench, {result['date']}: N={config['trainees']} trainees, "
            f"{config['workers']} workers, {config['database']}, a tap every {config['every']} s "
            f"each, next line every {config['line_every']} s, for {config['seconds']} s, "
            f"app {result['app_digest']}",
            machine_line(host) + f", load {host['load_average_at_start']}",
            "",
            _row("", "count", "p50", "p95", "p99", "max"),
            _summary("tap -> own answer (ms)", taps["tap_ms"]),
            _summary("  sent while a next line was on its way (ms)", result["split"]["during_ms"]),
            _summary("  the other taps (ms)", result["split"]["outside_ms"]),
            _summary("  taps with a comment (ms)", taps["tap_with_comment_ms"]),
            _summary("undo -> own answer (ms)", taps["undo_ms"]),
            _summary("tap -> control page count includes it (ms)", delays["from_sent_ms"]),
            _summary("  from the tap's answer (ms)", delays["from_answer_ms"]),
            _summary("reference: next line -> every phone (ms)", lines["delay_ms"]),
            _summary("  go to the case -> every phone (ms)", result["go"]["delay_ms"]),
            _summary("reference: GET /healthz, same run (ms)", taps["reference_ms"]),
            _row("ratio tap / healthz p50 · p95 · p99", "", *taps["ratio_to_healthz"].values()),
            _summary("next line: the POST itself (ms)", lines["request_ms"]),
            _summary("next line -> control page (ms)", lines["control_ms"]),
            "",
            _row(
                "taps sent / per second / trainees",
                taps["taps"],
                taps["taps_per_second"],
                taps["trainees_tapping"],
            ),
            _row(
                "  with a comment / double taps / undos", taps["with_comment"], taps["doubles"], taps["undos"]
            ),
            _row("  answers", ", ".join(f"{k}: {v}" for k, v in taps["outcomes"].items())),
            _row(
                "  no answer within the timeout: never / later", taps["never_answered"], taps["answered_late"]
            ),
            _row("  toasts", taps["toasts"], "; ".join(f"{k} ×{v}" for k, v in taps["toast_texts"].items())),
            _row(
                "  answers not showing the tap / undo not gone",
                taps["answers_not_showing_the_tap"],
                taps["undos_not_gone"],
            ),
            _row(
                "  undos skipped (no new tag to undo) / trainees at 25",
                taps["undos_skipped"],
                result["trainees_at_the_limit"],
            ),
            _row("  answered as filed at a later line than seen (late)", taps["filed_later"]),
            _row("server CPU s / ms per tap", result["server_cpu_s"], result["cpu_ms_per_tap"]),
            _row("server idle after the control page went quiet (s)", result["drained_s"]),
            _row(
                "cores busy: all / server / workers / other",
                *(f"{value:.2f}" for value in result["cores"].values()),
            ),
            "",
            _row("every 10 s: s in", "taps", "p50", "p95", "ref p50"),
            *(_row("", *row) for row in taps["timeline"]),
            "",
            _row("control page", "updates", "per s", "max in 1s", "bytes"),
            _row(
                "  while tapping",
                control["updates_while_tapping"],
                control["updates_per_second"],
                control["max_in_one_second"],
                control["update_bytes_median"],
            ),
            _summary("  gap between updates while tapping (ms)", control["gap_ms"]),
            _row(
                "  taps measured / never shown / updates unexplained",
                delays["taps_measured"],
                delays["never_shown"],
                delays["updates_unexplained"],
            ),
            _row("  count shown last / tags stored", control["last_count"], control["tags_stored"]),
            "",
            _row("next line", "line", "s in", "POST ms", "p50", "p95", "last", "control"),
            *(
                _row(
                    "",
                    p["line"],
                    p["at_s"],
                    p["request_ms"],
                    p["p50_ms"],
                    p["p95_ms"],
                    p["max_ms"],
                    p["control_ms"],
                )
                for p in lines["per_press"]
            ),
            _row(
                "  phones missing a line / skipped it / went back",
                lines["missed"],
                lines["skipped"],
                ", ".join(f"{k}: {v}" for k, v in lines["phones_went_back"].items()) or "0",
            ),
            *(
                [
                    _row(
                        "  went back: showed the line again after (s)",
                        ", ".join(str(e["until_shown_again_s"]) for e in lines["went_back"][:6]),
                    )
                ]
                if lines["went_back"]
                else []
            ),
            "",
            _row("database", "stored", "expected", "lost", "extra", "trainees"),
            _row(
                "  tags",
                db["tags_stored"],
                db["tags_expected"],
                db["lost"],
                db["extra"],
                db["trainees_stored"],
            ),
            _row(
                "  filed at a later line (late taps) / double taps so",
                db["filed_later"],
                db["double_taps_filed_later"],
            ),
            _row(
                "  trainees with a wrong count / views differing",
                db["trainees_with_a_wrong_count"],
                db["phones_whose_last_view_differs"],
            ),
            *(f"    {sample}" for sample in db["samples"][:5]),
            _row("server log: warning / error lines", len(result["server_log_problems"])),
            *error_and_check_lines(result, _row),
        ]
    )

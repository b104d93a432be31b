"""The facilitator's control page during the plan writing: its progress table, read as it updates.

The page (controlpage.ControlPage: the websocket in a thread of the parent) gets a new
`control-main` region each time the app's coalesced render runs. Each update is timestamped
and its table read: every trainee's row and the percent it shows (plan/control.html), and the
room's line ("N 人在写计划书 · 平均完成度 P%").

The percent only moves forward (plan.STEPS fills one more field now and then), so a
save that raised a trainee's percent counts as shown at the first update after it was sent
that shows that trainee at that percent or more: the page's staleness, save by save.
"""

import re
import time

from bench.harness import stats
from bench.harness.controlpage import ControlPage

ROW = re.compile(r'<th scope="row">([^<]+)</th>(.*?)</tr>', re.S)
PERCENT = re.compile(r"(\d+)%")
ROOM = re.compile(r'class="respondents"><strong>\D*(\d+)\D+(\d+)%')


def progress(html: str) -> dict:
    """What one update shows: {"rows": name -> percent, "writing": n, "average": percent}."""
    rows = {}
    for name, cells in ROW.findall(html):
        found = PERCENT.search(cells)
        if found:
            rows[name] = int(found.group(1))
    room = ROOM.search(html)
    return {
        "rows": rows,
        "writing": int(room.group(1)) if room else None,
        "average": int(room.group(2)) if room else None,
    }


class ProgressPage(ControlPage):
    """The control page; `shown` lists (time.time(), progress(update), bytes) per update."""

    def __init__(self, url: str, origin: str, cookie_header: str, timeout: float = 30.0):
        super().__init__(url, origin, cookie_header, timeout)
        self.shown: list[tuple[float, dict, int]] = []

    def _seen(self, now: float, message: str) -> None:
        self.updates.append((now, None))
        self.shown.append((now, progress(message), len(message.encode())))

    def quiet(self, seconds: float = 2.0, limit: float = 60.0) -> None:
        """Wait until no update has come for `seconds` (at most `limit`): the renders are done."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            last = self.shown[-1][0] if self.shown else 0.0
            if time.time() - last >= seconds:
                return
            time.sleep(0.1)


def _raised(records: list[dict], first: dict[str, int]) -> list[dict]:
    """The accepted saves that raised their trainee's percent, in each trainee's order."""
    best, raised = dict(first), []
    for record in sorted((r for r in records if r["status"] == 200), key=lambda r: r["seq"]):
        if record["percent"] > best.get(record["name"], 0):
            best[record["name"]] = record["percent"]
            raised.append(record)
    return raised


def staleness(records: list[dict], first: dict[str, int], shown: list[tuple]) -> dict:
    """For each save that raised a percent: from its send, and from its answer, to the first
    update showing it (negative from the answer: the page had it before the phone)."""
    seen: dict[str, list[tuple[float, int]]] = {}
    for when, view, _size in shown:
        for name, percent in view["rows"].items():
            seen.setdefault(name, []).append((when, percent))
    from_sent, from_answer, never = [], [], 0
    for record in _raised(records, first):
        when = next(
            (
                t
                for t, percent in seen.get(record["name"], ())
                if t >= record["sent"] and percent >= record["percent"]
            ),
            None,
        )
        if when is None:
            never += 1
            continue
        from_sent.append((when - record["sent"]) * 1000)
        from_answer.append((when - record["done"]) * 1000)
    return {
        "saves_raising_percent": len(from_sent) + never,
        "never_shown": never,
        "from_sent_ms": stats.summary(from_sent),
        "from_answer_ms": stats.summary(from_answer),
    }


def figures(page: ProgressPage, records: list[dict], first: dict[str, int], final: dict[str, int]) -> dict:
    """The page's updates while the saves came (first send to last answer) and after, how
    stale it got, and whether its last update shows every trainee's final percent."""
    answered = [r for r in records if "done" in r]
    start = min((r["sent"] for r in answered), default=time.time())
    end = max((r["done"] for r in answered), default=start)
    times = [when for when, _view, _size in page.shown]
    during = [t for t in times if start <= t <= end]
    gaps = [(b - a) * 1000 for a, b in zip([start, *during], [*during, end], strict=True)]
    last_view = page.shown[-1][1] if page.shown else {"rows": {}, "writing": None, "average": None}
    behind = sorted(name for name, percent in final.items() if last_view["rows"].get(name) != percent)
    sizes = sorted(size for _when, _view, size in page.shown)
    return {
        "updates": len(times),
        "updates_while_saving": len(during),
        "updates_per_second": round(len(during) / max(end - start, 1e-3), 2),
        "max_in_one_second": max((sum(1 for t in during if s <= t < s + 1) for s in during), default=0),
        "gap_ms": stats.summary(gaps),
        "updates_after_last_answer": sum(1 for t in times if t > end),
        "first_update_after_last_answer_s": next((round(t - end, 2) for t in times if t > end), None),
        "last_update_after_last_answer_s": round(times[-1] - end, 2) if times else None,
        "update_bytes_median": sizes[len(sizes) // 2] if sizes else 0,
        "last_shows": {
            "writing": last_view["writing"],
            "average": last_view["average"],
            "rows": len(last_view["rows"]),
        },
        "rows_behind_at_the_end": len(behind),
        "behind_samples": behind[:5],
        "staleness": staleness(records, first, page.shown),
        "messages": page.messages,
        "closed": page.closed,
    }

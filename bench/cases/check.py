"""What the server's database holds for the case, against what every phone sent.

Read with SQLAlchemy on the server's own database URL (the app's engine factory), as
games/check.py does: one `response` row per trainee who tagged (activity `u3-case-script`,
item ""), its value {"tags": [{"n", "tag", "at", "comment", "t"}, ...]}.

Each phone expected: every tap it sent, minus the tags it undid, the taps refused with a toast
and the double taps the app keeps once (phone.py). A tag is compared by (tag, comment,
line). A tap that reached the server more than two lines after the phone showed its line is
filed at the line the case is on by then (tags.stamp, LATE_LINES): such a tag, stored at a
later line with the same tag and comment, is counted as **filed later**, not as lost (and a
double tap that, filed later, was no longer a double, likewise). What is left is **lost**
(expected, not stored) or **extra** (stored, not expected). The phone's last view of its own
tags is compared with the stored ones too.
"""

from collections import Counter

from bench.harness.database import RESPONSES, as_json, read


def stored_tags(database_url: str, session_id: int, activity: str) -> tuple[dict[str, list], int]:
    """name -> the stored tags; and the number of rows (items other than "" included)."""
    rows = read(database_url, RESPONSES, session=session_id, activity=activity)
    found: dict[str, list] = {}
    for name, item, value in rows:
        if item == "":
            found[name] = list((as_json(value) or {}).get("tags", []))
    return found, len(rows)


def _key(tag: dict) -> tuple:
    return tag["tag"], tag.get("comment", ""), float(tag["at"])


def _filed_later(missing: Counter, more: Counter, doubles: list[list]) -> Counter:
    """Take out of `missing` and `more` the tags filed later (see the module's docstring):
    "tags" filed at a later line than the phone showed, "doubles" (double taps that were no
    double there, so are stored once more than expected)."""
    found = Counter()
    for key in sorted(missing.elements()):
        tag, comment, line = key
        moved = next(
            (k for k in sorted(more) if more[k] > 0 and k[:2] == (tag, comment) and k[2] > line), None
        )
        if moved is not None:
            missing[key] -= 1
            more[moved] -= 1
            found["tags"] += 1
    for tag, line in doubles:
        moved = next((k for k in sorted(more) if more[k] > 0 and k[:2] == (tag, "") and k[2] > line), None)
        if moved is not None:
            more[moved] -= 1
            found["doubles"] += 1
    missing += Counter()  # drop the zeros
    more += Counter()
    return found


def compare(database_url: str, session_id: int, activity: str, phones: list[dict]) -> dict:
    stored, rows = stored_tags(database_url, session_id, activity)
    lost = extra = wrong_count = view_differs = 0
    later = Counter()
    samples: list[str] = []
    for phone in phones:
        name = phone["name"]
        mine = stored.get(name, [])
        expected = Counter(_key(t) for t in phone["expected"])
        have = Counter(_key(t) for t in mine)
        missing, more = expected - have, have - expected
        moved = _filed_later(missing, more, phone["doubles"])
        later += moved
        lost += sum(missing.values())
        extra += sum(more.values())
        wrong_count += len(mine) != len(phone["expected"]) + moved["doubles"]
        if missing or more:
            samples.append(f"{name}: lost {sorted(missing)[:3]}, extra {sorted(more)[:3]}")
        view = sorted((s[0], s[1], s[2], float(s[3])) for s in phone["shown"] or [])
        if view != sorted((t["n"], t["tag"], t.get("comment", ""), float(t["at"])) for t in mine):
            view_differs += 1
    names = {phone["name"] for phone in phones}
    return {
        "rows": rows,
        "trainees_stored": len(stored),
        "tags_stored": sum(len(tags) for tags in stored.values()),
        "tags_expected": sum(len(phone["expected"]) for phone in phones),
        "lost": lost,
        "extra": extra,
        "filed_later": later["tags"],
        "double_taps_filed_later": later["doubles"],
        "trainees_with_a_wrong_count": wrong_count,
        "phones_whose_last_view_differs": view_differs,
        "rows_of_unknown_trainees": len(set(stored) - names),
        "samples": samples[:10],
        # (name, serial) -> when the server filed it: for the control page's delays
        "filed": {f"{name}\t{t['n']}": t.get("t") for name, tags in stored.items() for t in tags},
    }

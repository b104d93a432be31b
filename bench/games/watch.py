"""What each trainee's play view shows of a team game, read in the worker as updates arrive.

- `detective`: every update showing the team's progress line "本组已有 k / m 人完成" is noted
  as (time.time(), k).
- `challenge`: every update is read for the steppers of the team's allocation (`<output>` of
  each customer and resource); each cell's value is noted as (time.time(), cell, value) when
  it differs from what that phone showed before. A cell is "customer:resource".

The parent attributes these to the inputs sent (report.py).
"""

import re

COUNT = re.compile(r"本组已有\s*(\d+)\s*/\s*(\d+)\s*人完成")
CELLS = re.compile(r'id="ch-([\w-]+)"|data-resource="(\w+)"|<output>(\d+)</output>')


def cells(text: str) -> dict[str, int]:
    """The allocation a challenge play view shows: "customer:resource" -> units."""
    shown, customer, resource = {}, None, None
    for found in CELLS.finditer(text):
        if found.group(1):
            customer, resource = found.group(1), None
        elif found.group(2):
            resource = found.group(2)
        elif customer and resource:
            shown[f"{customer}:{resource}"] = int(found.group(3))
            resource = None
    return shown


class Watcher:
    def __init__(self, mode: str):
        if mode not in ("detective", "challenge"):
            raise ValueError(f"unknown game {mode!r}")
        self.mode = mode
        self.counts: dict[str, list[tuple[float, int]]] = {}
        self.changes: dict[str, list[tuple[float, str, int]]] = {}
        self.shown: dict[str, dict[str, int]] = {}
        self.updates = 0

    def on_update(self, link, text: str, now: float) -> None:
        if link.name is None or 'id="play-own"' not in text:  # the team's work is in its own part
            return
        self.updates += 1
        if self.mode == "detective":
            found = COUNT.search(text)
            if found:
                self.counts.setdefault(link.name, []).append((now, int(found.group(1))))
            return
        before = self.shown.setdefault(link.name, {})
        for cell, value in cells(text).items():
            if before.get(cell, 0) != value:
                self.changes.setdefault(link.name, []).append((now, cell, value))
                before[cell] = value

    def result(self) -> dict:
        return {"mode": self.mode, "updates": self.updates, "counts": self.counts, "changes": self.changes}

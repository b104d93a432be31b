"""The profile chart's geometry: per competency a pair of horizontal bars (a set of averages above,
the reference below), values written as numbers. Only numbers and plain strings leave here; the
template `selfassessment/_chart.html` draws the SVG, where Jinja escapes every text."""

import re
import unicodedata
from dataclasses import dataclass, replace
from typing import Any

# A CJK character (or a full-width sign) may end a line anywhere; Latin text breaks between words.
_WIDE = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
_TOKENS = re.compile(rf"[{_WIDE}]|[^\s{_WIDE}]+\s*|\s+")


@dataclass(frozen=True)
class Layout:
    name: str
    width: int  # of the viewBox; the SVG scales to its box, so sizes are relative to this
    font: int
    bar: int  # bar thickness
    label_width: int  # 0: each label sits above its bars (phones); else the widest column left of them
    row_gap: int


PHONE = Layout("phone", width=300, font=17, bar=18, label_width=0, row_gap=14)
CONTROL = Layout("control", width=520, font=15, bar=12, label_width=200, row_gap=8)
SCREEN = Layout("screen", width=1600, font=34, bar=28, label_width=720, row_gap=18)


@dataclass(frozen=True)
class Row:
    name: str
    value: float | None  # None: nobody has a value yet
    reference: float


def text_width(text: str, font: float) -> float:
    """A generous estimate: CJK is one em wide, Latin about 0.6 em (bold included)."""
    return sum(font if unicodedata.east_asian_width(c) in "WF" else 0.6 * font for c in text)


def wrap(text: str, room: float, font: float, max_lines: int = 3) -> list[str]:
    lines, line = [], ""
    for token in _TOKENS.findall(" ".join(text.split())):
        if line and text_width((line + token).rstrip(), font) > room:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
    lines.append(line.rstrip())
    if len(lines) > max_lines:  # cut, and say so
        last = lines[max_lines - 1]
        while last and text_width(last + "…", font) > room:
            last = last[:-1]
        lines = [*lines[: max_lines - 1], last.rstrip() + "…"]
    return lines


def number(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def build(rows: list[Row], low: int, high: int, series: tuple[str, str], layout: Layout) -> dict[str, Any]:
    """Everything the template needs to draw the chart, in viewBox units."""
    font, line = layout.font, round(layout.font * 1.3)
    if layout.label_width:  # a column as wide as the longest name needs, so the bars get the rest
        widest = max(text_width(row.name, font) for row in rows)
        layout = replace(layout, label_width=min(layout.label_width, round(widest + 1)))
    legend, y = _legend(series, layout)
    x0 = layout.label_width + (font if layout.label_width else 0)
    span = layout.width - x0 - 2.4 * font  # room for the number after the longest bar

    def x(value: float) -> float:
        return round(x0 + span * value / high, 1)

    drawn = []
    for row in rows:
        drawn.append(_row(row, y, x, x0, low, high, layout))
        y = drawn[-1]["bottom"] + layout.row_gap
    axis = [{"x": x(score), "text": str(score)} for score in range(low, high + 1)]
    return {
        "layout": layout.name,
        "width": layout.width,
        "height": round(y + line),
        "font": font,
        "legend": legend,
        "rows": drawn,
        "axis": axis,
        "axis_y": round(y + font * 0.9),
        "hatch": max(6, layout.bar // 3),
    }


def _legend(series: tuple[str, str], layout: Layout) -> tuple[list[dict[str, Any]], float]:
    """The two series' swatches and names: one line when both fit, else one each."""
    font, line = layout.font, round(layout.font * 1.3)
    widths = [font * 1.5 + text_width(name, font) for name in series]
    one_line = sum(widths) + 2 * font <= layout.width
    items, x, y = [], 0.0, 0.0
    for kind, name, width in zip(("value", "reference"), series, widths, strict=True):
        items.append(
            {
                "kind": kind,
                "x": x,
                "y": y,
                "size": font,
                "tx": x + font * 1.5,
                "ty": y + font / 2,
                "text": name,
            }
        )
        x, y = (x + width + 2 * font, y) if one_line else (0.0, y + line)
    bottom = (line if one_line else 2 * line) + layout.row_gap
    return items, bottom


def _row(row: Row, top: float, x, x0: float, low: int, high: int, layout: Layout) -> dict[str, Any]:
    font, line, bar = layout.font, round(layout.font * 1.3), layout.bar
    gap = max(4, bar // 5)
    pair = 2 * bar + gap
    room = layout.label_width or layout.width
    lines = wrap(row.name, room, font)
    if layout.label_width:  # label in its column, centred on the pair of bars
        block = max(len(lines) * line, pair)
        label_top, bars_top = top + (block - len(lines) * line) / 2, top + (block - pair) / 2
    else:  # label above the bars
        block = len(lines) * line + 4 + pair
        label_top, bars_top = top, top + len(lines) * line + 4
    texts = [
        {"x": 0, "y": round(label_top + (i + 0.5) * line, 1), "text": text} for i, text in enumerate(lines)
    ]
    bars = []
    pairs = (("value", row.value, bars_top), ("reference", row.reference, bars_top + bar + gap))
    for kind, value, y in pairs:
        end = x(value) if value is not None else x0
        bars.append(
            {
                "kind": kind,
                "x": x0,
                "y": round(y, 1),
                "w": round(end - x0, 1),
                "h": bar,
                "tx": round(end + font * 0.3, 1),
                "ty": round(y + bar / 2, 1),
                "text": number(value),
            }
        )
    ticks = [x(score) for score in range(low, high + 1)]
    return {
        "name": row.name,
        "lines": texts,
        "bars": bars,
        "ticks": ticks,
        "top": round(bars_top - 2, 1),
        "tick_bottom": round(bars_top + pair + 2, 1),
        "bottom": top + block,
        "value": number(row.value),
        "reference": number(row.reference),
    }

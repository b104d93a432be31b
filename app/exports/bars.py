"""Bars for charts in documents, as small PNG images with no text in them: every label and number
stays document text beside the bar, so it reads right in Chinese and in a screen reader."""

import io
from functools import lru_cache

BRAND = "#0b5c57"  # the documents' own colour, for bars that stand for no style
TRACK = "#e4e7ea"
MARK = "#1f2328"
WIDTH, HEIGHT = 300, 18


@lru_cache(maxsize=512)  # a room's profiles repeat the same few bars
def bar(fraction: float, colour: str, marker: float | None = None) -> bytes:
    """A horizontal bar filled to `fraction` (0–1) over a grey track; `marker` draws a dark line
    at another fraction (a reference value)."""
    from PIL import Image, ImageDraw  # on the first chart, not at every start-up

    image = Image.new("RGB", (WIDTH, HEIGHT), TRACK)
    draw = ImageDraw.Draw(image)
    filled = round(WIDTH * _clamp(fraction))
    if filled:
        draw.rectangle((0, 0, filled - 1, HEIGHT - 1), fill=colour)
    if marker is not None:
        at = min(round(WIDTH * _clamp(marker)), WIDTH - 3)
        draw.rectangle((at, 0, at + 2, HEIGHT - 1), fill=MARK)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _clamp(value: float) -> float:
    return min(max(value, 0.0), 1.0)

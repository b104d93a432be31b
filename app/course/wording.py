"""Rules on the course's words and colours that the content check can enforce.

Two kinds of rule live here, each a pure function that returns the problems it finds:

- Distance from a commercial four-quadrant instrument (DOMAIN.md, "Our own instrument, our own
  names"). Its quadrant colours (blue, green, red, yellow for our data, process, people, vision), its
  one-word taglines (What / How / Who / Why) and its level names (primary / secondary / tertiary) are
  each harmless alone and recognisable together, so the course's styles may use none of them.
- Quotas in disguise (DOMAIN.md, "Compliance"): no quiz option, right or wrong, states a number of
  prescriptions, packs, patients or a share. A distractor that names "50 packs a month" still teaches
  reps to think in a doctor's prescriptions.
"""

import colorsys
import re

# Hue bands (degrees) of the instrument's colour for each of our styles' quadrants. A colour whose
# saturation is low (a grey) belongs to no hue and is always allowed.
QUADRANT_HUES: dict[str, tuple[str, tuple[float, float]]] = {
    "data": ("blue", (190.0, 250.0)),
    "process": ("green", (75.0, 165.0)),
    "people": ("red", (345.0, 30.0)),  # wraps round 0°: red and red-orange
    "vision": ("yellow", (40.0, 70.0)),
}
MIN_SATURATION = 0.25

# The instrument's one-word taglines in both languages, compared without punctuation or case.
TAGLINES = {"what", "how", "who", "why", "是什么", "怎么做", "谁", "为什么"}

# A number followed by what a prescription quota counts (Chinese and English).
QUOTA = re.compile(
    r"\d+\s*(?:%|％|盒|支|片|瓶|张处方|个处方|份处方|位病人|名病人|例病人|个病人|位新病人|名新病人|"
    r"packs?\b|boxes\b|prescriptions?\b|scripts?\b|(?:new\s+)?patients?\b)",
    re.IGNORECASE,
)


def _hue_in(hue: float, band: tuple[float, float]) -> bool:
    low, high = band
    return low <= hue <= high if low <= high else hue >= low or hue <= high


def colour_problem(style_id: str, colour: str) -> str | None:
    """Why `colour` is the instrument's colour for this style's quadrant, or None."""
    name, band = QUADRANT_HUES[style_id]
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    hue, _, saturation = colorsys.rgb_to_hls(r, g, b)
    if saturation >= MIN_SATURATION and _hue_in(hue * 360, band):
        return (
            f"colour {colour} is {name}, the commercial instrument's colour for this quadrant; choose our own"
        )
    return None


def tagline_problem(text: str) -> str | None:
    """Why `text` is one of the instrument's one-word taglines, or None."""
    bare = re.sub(r"[\s?？!！.。\"'“”]", "", text).lower()
    if bare in TAGLINES:
        return f"question {text!r} is the commercial instrument's tagline; write our own"
    return None


def quota_problem(text: str) -> str | None:
    """Why `text` states a prescription, pack, patient or share count, or None."""
    found = QUOTA.search(text)
    if found:
        counted = "a count of prescriptions, packs, patients or share"
        return f"{found.group(0)!r} is {counted}: no quota, even in a distractor"
    return None

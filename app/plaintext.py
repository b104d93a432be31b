"""Text people typed, as others see it: without the invisible controls that reorder what follows."""

import re

# Bidi embeddings, overrides and isolates, and the direction marks: a comment holding U+202E
# would show the rest of its line (a projector's row, a print view's table cell) reversed.
BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def without_bidi(text: str) -> str:
    return BIDI_CONTROLS.sub("", text)

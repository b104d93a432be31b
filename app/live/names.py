"""Display names: cleaned for display, normalised for uniqueness."""

import unicodedata

MAX_NAME_LENGTH = 24


def clean_name(raw: str) -> str:
    """NFKC, no control or format characters, inner whitespace collapsed."""
    text = unicodedata.normalize("NFKC", raw or "")
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")
    return " ".join(text.split())


def name_key(display_name: str) -> str:
    """Two names that look the same to people share a key ('Li Na', 'li  na', 'Ｌｉ Ｎａ')."""
    return clean_name(display_name).casefold().replace(" ", "")

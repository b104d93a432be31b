"""Interface text as the app shows it, from the catalogue, so that no test repeats a string of it."""

import re

from app.i18n import DEFAULT_LANGUAGE, catalogue, translate


def t(key: str, **values) -> str:
    """The string for key in zh-CN, the language clients get unless they ask for another."""
    return translate(DEFAULT_LANGUAGE, key, **values)


def t_start(key: str, **values) -> str:
    """The string for key up to its first placeholder not in values: for a check that does not know
    (or care about) the rest, such as a limit that comes from the content."""
    text = catalogue(DEFAULT_LANGUAGE)[key]
    unknown = (m.start() for m in re.finditer(r"\{(\w+)\}", text) if m.group(1) not in values)
    return text[: next(unknown, len(text))].format(**values)

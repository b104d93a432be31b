"""Interface strings from catalogues (one YAML file per language); zh-CN first."""

from functools import cache
from pathlib import Path

import yaml

LANGUAGES = ("zh-CN", "en")
DEFAULT_LANGUAGE = "zh-CN"
LANGUAGE_COOKIE = "lang"
_DIR = Path(__file__).parent


@cache
def catalogue(lang: str) -> dict[str, str]:
    return yaml.safe_load((_DIR / f"{lang}.yaml").read_text(encoding="utf-8"))


def pick_language(value: str | None) -> str:
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


def translate(lang: str, key: str, **values) -> str:
    """The string for key in lang (falling back to zh-CN, then to the key itself)."""
    text = catalogue(lang).get(key) or catalogue(DEFAULT_LANGUAGE).get(key) or key
    return text.format(**values) if values else text


def translator(lang: str):
    def t(key: str, **values) -> str:
        return translate(lang, key, **values)

    return t

"""Every string a person reads comes from a catalogue, in both languages."""

import re
from pathlib import Path

from app.i18n import LANGUAGES, catalogue, translate

APP = Path(__file__).resolve().parent.parent / "app"
KEY_USE = re.compile(r"""\bt\(\s*["']([a-z][a-zA-Z0-9_.-]*[a-z0-9])["']""")
ERROR_KEY = re.compile(r"""["']((?:error|join\.error|auth\.error|team\.error)\.[a-z_]+)["']""")
DYNAMIC = (  # keys made up in templates ("status." ~ session.status)
    [f"status.{s}" for s in ("lobby", "running", "ended")]
    + [f"lang.{lang}" for lang in LANGUAGES]
    + [f"quiz.stage.{s}" for s in ("ready", "open", "closed", "revealed", "finished")]
    + [f"board.scope_{s}" for s in ("unit", "day")]
    + [f"board.place_{n}" for n in (1, 2, 3)]
    + [f"phase.{p}" for p in ("open", "closed", "revealed")]
)


def test_catalogues_have_the_same_keys():
    keys = [set(catalogue(lang)) for lang in LANGUAGES]
    assert keys[0] == keys[1]


def test_every_key_used_in_code_and_templates_exists():
    used = set()
    for path in APP.rglob("*"):
        if path.suffix in (".html", ".py"):
            source = path.read_text(encoding="utf-8")
            used |= set(KEY_USE.findall(source)) | set(ERROR_KEY.findall(source))
    used = {key for key in used if not key.endswith(".html")} | set(DYNAMIC)
    missing = {key for key in used if key not in catalogue("zh-CN")}
    assert used and not missing


def test_translate_fills_values_and_falls_back():
    assert translate("en", "join.error.name_long", max=24).endswith("24 characters at most.")
    assert translate("en", "no.such.key") == "no.such.key"

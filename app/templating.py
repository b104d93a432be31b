"""One Jinja2 environment: app templates plus each activity kind's own templates."""

import time
from collections.abc import Iterable
from pathlib import Path

from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, FileSystemLoader
from markdown_it import MarkdownIt
from markupsafe import Markup

from app.assets import Assets
from app.i18n import translator
from app.live import teams
from app.modules.contract import ActivityKind
from app.plaintext import without_bidi

APP_DIR = Path(__file__).parent
_markdown = MarkdownIt("js-default")  # raw HTML off, unsafe link schemes refused


def render_markdown(text: str) -> Markup:
    return Markup(_markdown.render(text or ""))


def make_templates(kinds: Iterable[ActivityKind], assets: Assets) -> Jinja2Templates:
    """The app's templates, then each kind's own (`<kind>/templates/<kind>/play.html`...); a
    page names a static file by `asset(path)`, its content-hashed URL."""
    module_dirs = [str(k.folder / "templates") for k in kinds if (k.folder / "templates").is_dir()]
    templates = Jinja2Templates(directory=str(APP_DIR / "templates"))
    templates.env.loader = ChoiceLoader(
        [FileSystemLoader(str(APP_DIR / "templates")), *(FileSystemLoader(d) for d in module_dirs)]
    )
    # The templates ship with the app: checking their files on every render cost 12-23 % of the
    # server's time under load (bench/README.md, cases.py).
    templates.env.auto_reload = False
    # Every value a page shows passes here: typed text never reorders the page around it.
    # Markup is HTML the app made (a rendered part, a catalogue string), already shown so.
    templates.env.finalize = lambda value: without_bidi(value) if type(value) is str else value
    templates.env.filters["md"] = render_markdown
    templates.env.filters["tr"] = lambda text, lang: text.get(lang) if text is not None else ""
    templates.env.filters["team"] = teams.shown_name  # {{ name | team(lang) }}
    templates.env.filters["mmss"] = minutes_seconds
    templates.env.filters["deadline"] = deadline
    templates.env.globals["translator"] = translator
    templates.env.globals["server_now"] = server_now
    templates.env.globals["asset"] = assets.url
    return templates


def server_now() -> int:
    """This server's clock, in milliseconds: pages and messages carry it, so a countdown on a
    phone whose clock is wrong still ends when the server's timer does."""
    return int(time.time() * 1000)


def deadline(seconds_left: float) -> int:
    """When a countdown ends, on the server's clock: a view rendered once and sent later (a
    kept stage, to a phone that reconnects) still counts down to the right moment."""
    return server_now() + int(seconds_left * 1000)


def minutes_seconds(seconds: int) -> str:
    seconds = int(seconds)
    return f"{seconds // 60}:{seconds % 60:02d}"

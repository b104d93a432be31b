"""Render the regions of each view (play, screen, control) from a snapshot.

A region is a partial template whose root element carries an id and hx-swap-oob, so the same
HTML serves the first page load and every websocket update.
"""

from fastapi.templating import Jinja2Templates

from app.i18n import LANGUAGES, translator
from app.live.snapshot import Snapshot
from app.live.teams import MAX_TEAMS
from app.models import Participant

REGIONS = {
    "play": ("play-stage",),
    "me": ("play-me",),
    "screen": ("screen-stage",),
    "control": ("control-status", "control-main", "control-roster"),
}


def context(snap: Snapshot, lang: str, participant: Participant | None = None) -> dict:
    kind = snap.kind
    ctx = snap.view_context(lang, participant)
    return {
        "snap": snap,
        "lang": lang,
        "languages": LANGUAGES,
        "t": translator(lang),
        "me": participant,
        "kind": kind,
        "ctx": ctx,
        "cfg": snap.activity.config if snap.activity else None,
        "extra": kind.context(ctx) if kind and ctx else {},
        "max_teams": MAX_TEAMS,
        "scripts": snap.course.scripts,
    }


def render(
    templates: Jinja2Templates,
    snap: Snapshot,
    audience: str,
    lang: str,
    participant: Participant | None = None,
    regions: tuple[str, ...] | None = None,
) -> str:
    values = context(snap, lang, participant)
    return "".join(
        templates.get_template(f"live/_{name}.html").render(values) for name in regions or REGIONS[audience]
    )

"""Render the regions of each view (play, screen, control) from a snapshot.

A region is a partial template whose root element carries an id and hx-swap-oob, so the same
HTML serves the first page load and every websocket update.
"""

from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from app.i18n import LANGUAGES, translator
from app.live.snapshot import Snapshot
from app.live.teams import MAX_TEAMS
from app.models import Participant

REGIONS = {
    "play": ("play-stage",),  # the room's stage: the same for every trainee of one language
    "me": ("play-me", "play-own"),  # a trainee's header and their own part of the activity
    "screen": ("screen-stage",),
    "control": ("control-status", "control-main", "control-roster"),
}


HEADER, OWN = ("play-me",), ("play-own",)


def context(
    snap: Snapshot, lang: str, participant: Participant | None = None, with_kind: bool = True
) -> dict:
    """The templates' variables; without `with_kind`, none of the activity's (the costly part)."""
    kind = snap.kind if with_kind else None
    ctx = snap.view_context(lang, participant) if with_kind else None
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
    regions = regions or REGIONS[audience]
    # The stage is the room's: never rendered with a trainee, so no kind can make it personal.
    person = None if regions == REGIONS["play"] else participant
    values = context(snap, lang, person, with_kind=regions != HEADER)
    return "".join(templates.get_template(f"live/_{name}.html").render(values) for name in regions)


def play_page(templates: Jinja2Templates, snap: Snapshot, me: Participant) -> dict:
    """The regions of a trainee's play page, each rendered as the websocket sends it."""
    return {
        "header": Markup(render(templates, snap, "me", me.language, me, regions=HEADER)),
        "stage": Markup(render(templates, snap, "play", me.language)),
        "own": Markup(render(templates, snap, "me", me.language, me, regions=OWN)),
    }

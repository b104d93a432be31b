"""`wordcloud`: a few short answers each, grouped into a cloud; the facilitator can hide a group."""

import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Any

from opencc import OpenCC
from pydantic import BaseModel, Field
from sqlmodel import Session

from app.course.models import Course, Strict, Text
from app.errors import ServiceError
from app.live import responses, sessions
from app.models import ActivityState, LiveSession
from app.modules.contract import Action, ActionContext, ActivityKind, FacilitatorAction, ViewContext

PHASES = ("open", "closed", "revealed")
SHOWN = 30  # groups in the cloud: more would not be readable from the back of the room
SIZES = 5  # font size steps: classes w1 … w5
_simplified = OpenCC("t2s")
_DROPPED = ("P", "Z", "C")  # punctuation, spaces, and control characters such as tabs


class WordcloudConfig(Strict):
    prompt: Text
    max_entries: int = Field(default=3, ge=1, le=5)  # per trainee
    max_length: int = Field(default=12, ge=2, le=40)  # characters per entry, counted after NFKC
    show_live: bool = False  # show the cloud on the screen before the reveal


def clean(text: str) -> str:
    """An entry as it is shown: one line, runs of spaces made one."""
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())


def normalise(text: str) -> str:
    """The key entries are grouped by: 「傾聽！」, 「倾 听」 and 「ＬＩＳＴＥＮ」/「listen」 pair up."""
    folded = _simplified.convert(unicodedata.normalize("NFKC", text).casefold())
    return "".join(c for c in folded if unicodedata.category(c)[0] not in _DROPPED)


class Entry(BaseModel):
    text: str = Field(max_length=400)  # the configured limit is checked with its own message


class Hiding(BaseModel):
    key: str = Field(min_length=1, max_length=64)
    hidden: bool = True


def mine(ctx: ActionContext | ViewContext) -> list[str]:
    """The trainee's entries (a broadcast reads everyone's at once, see responses.mine_here)."""
    return list(responses.mine_here(ctx).get("", {}).get("entries", []))


def add(ctx: ActionContext, payload: Entry) -> None:
    config: WordcloudConfig = ctx.activity.config
    text = clean(payload.text)
    if not normalise(text):
        raise ServiceError("wordcloud.error.empty")
    if len(unicodedata.normalize("NFKC", text)) > config.max_length:
        raise ServiceError("wordcloud.error.too_long", max=config.max_length)
    entries = mine(ctx)
    if normalise(text) in {normalise(entry) for entry in entries}:
        return  # the same word again, or a double submit: it counts once
    if len(entries) >= config.max_entries:
        raise ServiceError("wordcloud.error.too_many", max=config.max_entries)
    _save(ctx, [*entries, text])


def remove(ctx: ActionContext, payload: Entry) -> None:
    entries = mine(ctx)
    kept = [entry for entry in entries if normalise(entry) != normalise(payload.text)]
    if kept != entries:
        _save(ctx, kept)


def _save(ctx: ActionContext, entries: list[str]) -> None:
    responses.save(ctx.db, ctx.session.id, ctx.activity.id, ctx.participant.id, {"entries": entries})


@dataclass(frozen=True)
class Group:
    key: str
    text: str  # the spelling most people used
    count: int  # how many people wrote it


def tally(db: Session, session_id: int, activity_id: str) -> dict[str, Any]:
    """Every group, most written first (first written first among equals), and who answered."""
    spellings: dict[str, Counter] = {}
    answers = sorted(responses.every(db, session_id, activity_id), key=lambda r: r.id)
    for response in answers:
        for key, text in _keyed(response.value.get("entries", [])).items():
            spellings.setdefault(key, Counter())[text] += 1
    groups = [Group(key, c.most_common(1)[0][0], c.total()) for key, c in spellings.items()]
    respondents = sum(1 for r in answers if r.value.get("entries"))
    return {"groups": sorted(groups, key=lambda g: -g.count), "respondents": respondents}


def _keyed(entries: list[str]) -> dict[str, str]:
    """One person's entries by key: writing a word twice counts once."""
    keyed: dict[str, str] = {}
    for entry in entries:
        keyed.setdefault(normalise(entry), entry)
    keyed.pop("", None)
    return keyed


def cloud(groups: list[Group], hidden: set[str]) -> list[dict[str, Any]]:
    """The top groups not hidden, each with a size step and a place (CSS order: the commonest
    in the middle); the list itself stays most-written first, the order a screen reader reads."""
    shown = [g for g in groups if g.key not in hidden][:SHOWN]
    if not shown:
        return []
    low, high = shown[-1].count, shown[0].count
    return [
        {
            "key": g.key,
            "text": g.text,
            "count": g.count,
            "size": _size(g.count, low, high),
            "place": (rank + 1) // 2 * (-1 if rank % 2 else 1),
        }
        for rank, g in enumerate(shown)
    ]


def _size(count: int, low: int, high: int) -> int:
    if high == low:
        return (SIZES + 1) // 2
    return 1 + round((SIZES - 1) * (count - low) / (high - low))


def hidden_keys(state: ActivityState | None) -> set[str]:
    return set((state.data if state else {}).get("hidden", []))


def hide(db: Session, session: LiveSession, course: Course, activity_id: str, key: str, hidden: bool) -> None:
    """Hide a group from the cloud (or show it again); kept in the activity's state."""
    state = sessions.activity_state(db, session.id, activity_id)
    if state is None:
        raise ServiceError("error.not_found", status=404)
    key = normalise(key)
    keys = (hidden_keys(state) - {key}) | ({key} if hidden else set())
    sessions.save_activity_data(db, session, course, activity_id, {**state.data, "hidden": sorted(keys)})


def hide_group(ctx: ViewContext, payload: Hiding) -> None:
    hide(ctx.db, ctx.session, ctx.course, ctx.activity.id, payload.key, payload.hidden)


class WordcloudKind(ActivityKind):
    name = "wordcloud"
    config_model = WordcloudConfig
    phases = PHASES
    own = True  # each trainee's own entries
    actions = {"add": Action(Entry, add), "remove": Action(Entry, remove)}
    facilitator_actions = {"hide": FacilitatorAction(Hiding, hide_group)}  # in any phase

    def context(self, ctx: ViewContext) -> dict[str, Any]:
        if ctx.participant is not None:  # their own part shows only their entries
            return {"mine": mine(ctx)}
        found = tally(ctx.db, ctx.session.id, ctx.activity.id)
        hidden = hidden_keys(ctx.state)
        config: WordcloudConfig = ctx.activity.config
        return {
            "cloud": cloud(found["groups"], hidden),
            "hidden_groups": [g for g in found["groups"] if g.key in hidden],
            "respondents": found["respondents"],
            "results_visible": ctx.phase == "revealed" or config.show_live,
        }

    def own_key(self, ctx: ViewContext) -> tuple | None:
        """The own part shows nothing but the trainee's entries: the same entries (none yet,
        mostly), the same part."""
        return tuple(mine(ctx))

    def results(self, ctx: ViewContext) -> dict[str, Any]:
        found, hidden = tally(ctx.db, ctx.session.id, ctx.activity.id), hidden_keys(ctx.state)
        groups = [{"text": g.text, "count": g.count, "hidden": g.key in hidden} for g in found["groups"]]
        return {"groups": groups, "respondents": found["respondents"]}

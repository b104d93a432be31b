"""`brainstorm`: trainees post short ideas and upvote each other's; the facilitator hides, pins
and merges them. An idea is a response whose item is its id; a vote is the voter's response with
item "vote:<idea id>" and value {"vote": true|false}."""

import hashlib
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, Field, StringConstraints
from sqlmodel import Session

from app.course.models import Course, Strict, Text
from app.errors import ServiceError
from app.live import responses, sessions
from app.models import LiveSession
from app.modules.contract import Action, ActionContext, ActivityKind, FacilitatorAction, ViewContext

PHASES = ("open", "closed", "revealed")
SHOWN = 6  # ideas on the screen: each must be readable from the back of the room
VOTE = "vote:"
IdeaId = Annotated[str, StringConstraints(pattern=r"^i[0-9a-f]{10}$")]


class BrainstormConfig(Strict):
    prompt: Text
    max_ideas: int = Field(default=3, ge=1, le=10)  # per trainee
    max_length: int = Field(default=140, ge=10, le=280)  # characters per idea
    show_live: bool = False  # show the ideas on the screen before the reveal


def clean(text: str) -> str:
    """An idea as it is shown: one line, runs of spaces made one."""
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())


def idea_id(participant_id: int, text: str) -> str:
    """Derived from the author and the text (width, case and spacing folded), so posting the same
    idea twice, even two requests at once, stores one row."""
    folded = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    return "i" + hashlib.sha256(f"{participant_id}:{folded}".encode()).hexdigest()[:10]


class Post(BaseModel):
    text: str = Field(max_length=2000)  # the configured limit is checked with its own message


class Vote(BaseModel):
    idea: IdeaId
    on: bool = True  # the state wanted, not a flip: a double tap cannot undo itself


class Moderation(BaseModel):
    idea: IdeaId
    on: bool = True


class Merging(BaseModel):
    idea: IdeaId
    # None (or a form's empty choice) undoes the merge
    into: Annotated[IdeaId | None, BeforeValidator(lambda v: v or None)] = None


def post(ctx: ActionContext, payload: Post) -> None:
    config: BrainstormConfig = ctx.activity.config
    text = clean(payload.text)
    if not text:
        raise ServiceError("brainstorm.error.empty")
    if len(text) > config.max_length:
        raise ServiceError("brainstorm.error.too_long", max=config.max_length)
    item = idea_id(ctx.participant.id, text)
    mine = [i for i in responses.mine_here(ctx) if not i.startswith(VOTE)]
    if item in mine:
        return  # the same idea again: still one
    if len(mine) >= config.max_ideas:
        raise ServiceError("brainstorm.error.too_many", max=config.max_ideas)
    responses.save(
        ctx.db,
        ctx.session.id,
        ctx.activity.id,
        ctx.participant.id,
        {"text": text, "author": ctx.participant.id},
        item=item,
    )


def vote(ctx: ActionContext, payload: Vote) -> None:
    found = _ideas(ctx.db, ctx.session.id, ctx.activity.id, payload.idea)
    if not found:
        raise ServiceError("activity.error.invalid")
    if found[0].participant_id == ctx.participant.id:
        raise ServiceError("brainstorm.error.own_idea")
    if not _moderated(ctx.db, ctx.session.id, ctx.activity.id).visible(payload.idea):
        raise ServiceError("brainstorm.error.gone", status=409)
    responses.save(
        ctx.db,
        ctx.session.id,
        ctx.activity.id,
        ctx.participant.id,
        {"vote": payload.on},
        item=VOTE + payload.idea,
    )


@dataclass
class Idea:
    id: str
    text: str
    author: int
    number: int  # in order of posting, from 1: how the control page names it
    voters: set[int] = field(default_factory=set)
    pinned: bool = False
    hidden: bool = False
    merged_into: str | None = None

    @property
    def votes(self) -> int:
        return len(self.voters)

    @property
    def visible(self) -> bool:
        return not self.hidden and self.merged_into is None


@dataclass(frozen=True)
class Moderated:
    """The facilitator's decisions, as kept in ActivityState.data."""

    hidden: tuple[str, ...] = ()
    pinned: tuple[str, ...] = ()
    merged: dict[str, str] = field(default_factory=dict)  # duplicate → the idea it joined

    def visible(self, idea: str) -> bool:
        return idea not in self.hidden and idea not in self.merged

    def root(self, idea: str) -> str:
        """Where an idea's votes count: follow merges to the end (never round in a circle)."""
        seen = {idea}
        while idea in self.merged and self.merged[idea] not in seen:
            idea = self.merged[idea]
            seen.add(idea)
        return idea


def _moderated(db: Session, session_id: int, activity_id: str) -> Moderated:
    state = sessions.activity_state(db, session_id, activity_id)
    data = state.data if state else {}
    return Moderated(
        tuple(data.get("hidden", [])), tuple(data.get("pinned", [])), dict(data.get("merged", {}))
    )


def board(db: Session, session_id: int, activity_id: str) -> list[Idea]:
    """Every idea, ranked: pinned first, then by votes, then in order of posting. A merged idea's
    voters count for the idea it joined, each voter once, its author never."""
    rows = sorted(responses.every(db, session_id, activity_id), key=lambda r: r.id)
    posted = [r for r in rows if not r.item.startswith(VOTE)]
    ideas = {r.item: Idea(r.item, r.value["text"], r.participant_id, n) for n, r in enumerate(posted, 1)}
    for row in rows:
        idea = ideas.get(row.item.removeprefix(VOTE))
        if row.item.startswith(VOTE) and idea is not None and row.value.get("vote"):
            idea.voters.add(row.participant_id)
    moderated = _moderated(db, session_id, activity_id)
    own = {key: set(idea.voters) for key, idea in ideas.items()}
    for key, idea in ideas.items():
        idea.pinned, idea.hidden = key in moderated.pinned, key in moderated.hidden
        idea.merged_into = moderated.merged.get(key)
        root = ideas.get(moderated.root(key))
        if root is not None and root is not idea:
            root.voters |= own[key] - {root.author}
    return sorted(ideas.values(), key=lambda i: (not i.pinned, -i.votes, i.number))


def hide(
    db: Session, session: LiveSession, course: Course, activity_id: str, idea: str, hidden: bool
) -> None:
    _require(db, session.id, activity_id, idea)
    _change(db, session, course, activity_id, lambda data: _listed(data, "hidden", idea, hidden))


def pin(db: Session, session: LiveSession, course: Course, activity_id: str, idea: str, pinned: bool) -> None:
    _require(db, session.id, activity_id, idea)
    _change(db, session, course, activity_id, lambda data: _listed(data, "pinned", idea, pinned))


def merge(
    db: Session, session: LiveSession, course: Course, activity_id: str, idea: str, into: str | None
) -> None:
    """Merge the duplicate `idea` into `into`: it is hidden and its votes count there.
    into=None undoes the merge."""
    _require(db, session.id, activity_id, idea, *([into] if into else []))

    def change(data: dict) -> dict:
        merged = {k: v for k, v in data.get("merged", {}).items() if k != idea}
        if into is not None:
            if Moderated(merged=merged).root(into) == idea:  # into itself, or round in a circle
                raise ServiceError("brainstorm.error.merge")
            merged[idea] = into
        return {**data, "merged": merged}

    _change(db, session, course, activity_id, change)


def _listed(data: dict, name: str, idea: str, on: bool) -> dict:
    ids = [i for i in data.get(name, []) if i != idea]
    return {**data, name: [*ids, idea] if on else ids}


def _change(
    db: Session, session: LiveSession, course: Course, activity_id: str, change: Callable[[dict], dict]
) -> None:
    state = sessions.activity_state(db, session.id, activity_id)
    if state is None:
        raise ServiceError("error.not_found", status=404)
    sessions.save_activity_data(db, session, course, activity_id, change(dict(state.data)))


def _ideas(db: Session, session_id: int, activity_id: str, idea: str) -> list:
    return responses.every(db, session_id, activity_id, item=idea)


def _require(db: Session, session_id: int, activity_id: str, *ideas: str) -> None:
    if not all(_ideas(db, session_id, activity_id, idea) for idea in ideas):
        raise ServiceError("error.not_found", status=404)


def hide_action(ctx: ViewContext, payload: Moderation) -> None:
    hide(ctx.db, ctx.session, ctx.course, ctx.activity.id, payload.idea, payload.on)


def pin_action(ctx: ViewContext, payload: Moderation) -> None:
    pin(ctx.db, ctx.session, ctx.course, ctx.activity.id, payload.idea, payload.on)


def merge_action(ctx: ViewContext, payload: Merging) -> None:
    merge(ctx.db, ctx.session, ctx.course, ctx.activity.id, payload.idea, payload.into)


def _board(ctx: ViewContext) -> list[Idea]:
    """The ranked ideas, read once for all the views of a broadcast."""
    return ctx.once(("brainstorm", ctx.activity.id), lambda: board(ctx.db, ctx.session.id, ctx.activity.id))


def _own(ctx: ViewContext) -> tuple[frozenset[str], frozenset[str]]:
    """The ideas the trainee posted and those they upvote, by id."""
    answers = responses.mine_here(ctx)
    posted = frozenset(item for item in answers if not item.startswith(VOTE))
    votes = {item.removeprefix(VOTE): value for item, value in answers.items() if item.startswith(VOTE)}
    return posted, frozenset(idea for idea, value in votes.items() if value.get("vote"))


class BrainstormKind(ActivityKind):
    name = "brainstorm"
    config_model = BrainstormConfig
    phases = PHASES
    own = True  # each trainee's own ideas and votes
    actions = {"post": Action(Post, post), "vote": Action(Vote, vote)}
    facilitator_actions = {  # moderation, in any phase
        "hide": FacilitatorAction(Moderation, hide_action),
        "pin": FacilitatorAction(Moderation, pin_action),
        "merge": FacilitatorAction(Merging, merge_action),
    }

    def context(self, ctx: ViewContext) -> dict[str, Any]:
        ideas = _board(ctx)
        visible = [i for i in ideas if i.visible]
        config: BrainstormConfig = ctx.activity.config
        revealed = ctx.phase == "revealed"
        results_visible = revealed or config.show_live
        if ctx.participant is not None:  # their own part: the room's ideas, theirs marked
            posted, voted = _own(ctx)
            return {
                # a phone's list keeps its order while people vote, so no button moves under a thumb
                "ideas": visible if revealed else sorted(visible, key=lambda i: (not i.pinned, i.number)),
                "posted": posted,
                "voted": voted,
                "results_visible": results_visible,
            }
        return {
            "top": visible[:SHOWN],
            "by_number": sorted(ideas, key=lambda i: i.number),
            "numbers": {i.id: i.number for i in ideas},
            "idea_count": len(visible),
            "respondents": responses.respondents(ctx.db, ctx.session.id, ctx.activity.id),
            "results_visible": results_visible,
        }

    def own_key(self, ctx: ViewContext) -> tuple | None:
        """Besides the room's ideas, the own part shows which are the trainee's and, while open,
        which they upvote: trainees alike in that (new ones, mostly) share one render."""
        posted, voted = _own(ctx)
        return (posted, voted if ctx.phase == "open" else frozenset())

    def results(self, ctx: ViewContext) -> dict[str, Any]:
        ideas = board(ctx.db, ctx.session.id, ctx.activity.id)
        rows = [
            {"text": i.text, "votes": i.votes, "pinned": i.pinned, "hidden": not i.visible} for i in ideas
        ]
        return {"ideas": rows, "respondents": responses.respondents(ctx.db, ctx.session.id, ctx.activity.id)}

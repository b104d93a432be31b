"""The activity module contract: what every activity kind provides to the core — its content
model, views, actions, phases and timers, results — and what it adds to the app around the live
views: its own routes, scripts, console commands and its parts of the exports."""

import argparse
import inspect
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

from fastapi import APIRouter
from pydantic import BaseModel
from sqlmodel import Session

from app.course.models import Activity, Course
from app.models import ActivityState, LiveSession, Participant, utcnow

VIEWS = ("play", "screen", "control")


def by_participant(rows: Iterable[Any]) -> dict[int, list]:
    """Rows that each belong to a trainee (`participant_id`), grouped by trainee, in order:
    what a room-wide read hands to ViewContext.mine."""
    found: dict[int, list] = {}
    for row in rows:
        found.setdefault(row.participant_id, []).append(row)
    return found


def remember(store: dict, key: Any, compute: Callable[[], Any]) -> Any:
    """compute() the first time `key` is asked for in `store`, the stored value after that."""
    if key not in store:
        store[key] = compute()
    return store[key]


@dataclass(frozen=True)
class ViewContext:
    """What a kind may read to render one of its views (read data through core services)."""

    db: Session
    session: LiveSession
    course: Course
    activity: Activity
    state: ActivityState | None
    lang: str
    participant: Participant | None = None  # set for a trainee's own part of the play view only
    # Shared by every render of one snapshot: room-wide figures a personal view needs are
    # computed once, not once per trainee.
    shared: dict = field(default_factory=dict, compare=False)
    # The trainees whose own parts this broadcast renders: what each needs of their own, read
    # for all of them at once (responses.mine_here does).
    batch: frozenset[int] = frozenset()

    @property
    def phase(self) -> str:
        return self.state.phase if self.state else ""

    def once(self, key: Any, compute: Callable[[], Any]) -> Any:
        """A figure every view of one broadcast needs (the room's answers, a board), computed
        for the first view that asks and reused by the rest."""
        return remember(self.shared, key, compute)

    def known(self, key: Any) -> Any:
        """What `once` computed under this key in this broadcast, or None if nothing yet."""
        return self.shared.get(key)

    @property
    def together(self) -> bool:
        """This view is one of many trainees' own parts rendered in one broadcast: what each
        needs is best read for all of them at once."""
        return len(self.batch) > 1

    def mine(
        self, name: Any, room: Callable[[], dict[int, Any]], alone: Callable[[], Any], missing: Any
    ) -> Any:
        """The trainee's share of what every trainee has (answers, customers, plans): when a
        broadcast renders many own parts together (`batch`), `room()` reads everyone's at once
        (participant id -> theirs; `missing` for a trainee without); for one trainee alone
        (their page, the reply to their answer), `alone()` reads only theirs. Kept for the
        broadcast either way: own_key and context ask alike."""
        assert self.participant is not None
        if self.together and self.participant.id in self.batch:
            return self.once((name, self.activity.id), room).get(self.participant.id, missing)
        return self.once((name, self.activity.id, self.participant.id), alone)


@dataclass(frozen=True)
class ActionContext:
    """What a kind's action handler gets: the trainee acting, in the activity on screen."""

    db: Session
    session: LiveSession
    activity: Activity
    phase: str
    participant: Participant
    course: Course | None = None
    state: ActivityState | None = None  # the activity's state, as the phase was read from
    # When the action reached the server: a round's timer judges it by this, not by the moment
    # a busy server got to it.
    arrived: datetime = field(default_factory=utcnow)


@dataclass(frozen=True)
class Action:
    """A named trainee action. The core checks the phase and validates the payload; the handler
    persists through core services and raises ServiceError for what a person must be told. The
    core runs one action per seat and per team at a time, until the handler's first commit: what
    it reads and then writes (a list, a count against a limit) cannot change in between. It may
    return the ids of trainees whose own views it changed (teammates), to be refreshed too; the
    acting trainee's is then refreshed as well, after theirs."""

    payload_model: type[BaseModel]
    handle: Callable[[ActionContext, Any], Iterable[int] | None]
    phases: tuple[str, ...] = ("open",)  # the phases in which the action is accepted


@dataclass(frozen=True)
class FacilitatorAction:
    """A named action on the activity on screen, from the control page (start a timer, hide an
    entry...). The handler gets a ViewContext without participant and the validated payload; it
    may return a number of seconds after which every view should be refreshed (a timer ends)."""

    payload_model: type[BaseModel]
    handle: Callable[[ViewContext, Any], float | None]
    awards: bool = False  # it may award points: badges are checked afterwards


@dataclass
class Sheet:
    """One sheet of the session workbook: a title (catalogue key), headers and rows of values."""

    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)


@dataclass(frozen=True)
class Timing:
    """An activity's own timing: how long its timed part runs (`seconds`: rounds × seconds, the
    questions' time limits, a script read aloud) and what it is made of, in words for the content
    check's message ("4 rounds × 300 s")."""

    seconds: float
    what: str


@dataclass(frozen=True)
class Command:
    """A console command a kind adds (`kam preference quality ...`): `arguments` declares what it
    takes, `run(args, settings, courses)` does it and returns the exit status."""

    name: str
    help: str
    arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[..., int]


class ActivityKind:
    """Base class of an activity kind. Subclasses set the class attributes and override hooks."""

    name: ClassVar[str]
    config_model: ClassVar[type[BaseModel]]
    phases: ClassVar[tuple[str, ...]] = ()  # e.g. ("open", "closed", "revealed"); first = initial
    # The play view is the room's stage (the `play` template: the same for everyone of one
    # language, rendered once, without a participant) and, with `own`, each trainee's own part
    # beside it (the `own` template, rendered with ctx.participant: my answer, my team's work).
    own: ClassVar[bool] = False
    actions: ClassVar[dict[str, Action]] = {}  # trainee actions
    facilitator_actions: ClassVar[dict[str, "FacilitatorAction"]] = {}
    # A personal result the trainee keeps (a profile...): shown on their "my results" page with
    # the kind's `takeaway` template and its play-view context.
    takeaway: ClassVar[bool] = False
    # The trainee's own work they come back to later in the day (their territory...): its actions
    # are accepted while another activity is on screen, from its page /play/{code}/work/{id}.
    anytime: ClassVar[bool] = False
    needs: ClassVar[tuple[str, ...]] = ()  # parts of the course it uses: "styles", "territory"
    # Routes of its own beyond the live views (an editor page, a video upload); included as is.
    router: ClassVar[APIRouter | None] = None
    # Scripts its views need (URL paths): loaded on the pages of a course that has this kind.
    # A kind's own files are served from its static/ folder at /static/kinds/<name>/.
    scripts: ClassVar[tuple[str, ...]] = ()
    commands: ClassVar[tuple[Command, ...]] = ()  # console commands: `kam <name> ...`
    # Its minutes are a break in the day (tea, lunch), not teaching: the agenda, the course's
    # totals and the content check count them apart.
    is_break: ClassVar[bool] = False

    @property
    def folder(self) -> Path:
        """The kind's package folder: its templates/ and static/ live there."""
        return Path(inspect.getfile(type(self))).parent

    def template(self, view: str) -> str:
        return f"{self.name}/{view}.html"

    def context(self, ctx: ViewContext) -> dict[str, Any]:
        """Extra template variables for a view; the template also gets `ctx` and `cfg`."""
        return {}

    def results(self, ctx: ViewContext) -> dict[str, Any]:
        """A summary of the activity's results for the screen and the exports."""
        return {}

    def problems(self, course: Course, config: Any) -> list[str]:
        """What in an activity's settings does not match the rest of the course (checked when the
        content loads, with the `needs` present)."""
        return []

    def own_timing(self, config: Any) -> Timing | None:
        """What the activity's own clock needs, if it has one: the content check refuses an
        activity whose `minutes` cannot hold it with room to explain and debrief
        (app/course/timing.py says how much room)."""
        return None

    def shown(self, ctx: ViewContext) -> float | None:
        """The activity has just gone on screen (the facilitator moved to it): start what starts
        by itself (a break's countdown) through the core's services. Returns seconds until every
        view must refresh (the countdown ends), if it will."""
        return None

    def own_key(self, ctx: ViewContext) -> tuple | None:
        """A key shared by the trainees whose own part looks the same (everyone who has not
        answered yet, a team's shared work), so it is rendered once for all of them; None when
        it is this trainee's alone. Read the room's answers with ctx.once: it is asked per trainee."""
        return None

    def wakeup(self, ctx: ViewContext) -> float | None:
        """Seconds until the views change by themselves (a running timer ends), if they will.
        A restarted server asks again, so a timer that was running still ends on every screen."""
        return None

    def facts(self, ctx: ViewContext) -> dict[str, float]:
        """Countable facts about ctx.participant's work here, for badge rules in the content
        (e.g. {"quiz.asked": 5, "quiz.right": 4}). Kinds without such facts keep this default."""
        return {}

    def report(self, doc: Any, words: Any, ctx: ViewContext) -> None:
        """Its section of ctx.participant's take-home report: `doc` is the DOCX being written
        (app.exports.docxkit writes into it), `words` its language (app.exports.labels.Labels).
        The first activity of each kind is asked, in the course's order."""

    def sheets(self, room: Any, activities: list[Activity]) -> list[Sheet]:
        """Its sheets in the session workbook, for every activity of this kind in the course;
        `room` (app.exports.sheets.Room) reads the roster and team names once for all sheets."""
        return []

    def answer_rows(self, room: Any, activity: Activity, given: list) -> list[list]:
        """Its rows in the workbook's answers sheet from the activity's stored answers (`given`,
        by trainee): activity, kind, question, trainee, team, answer, whether it was right."""
        return []

    def trainee_columns(self, room: Any, activities: list[Activity]) -> list[tuple[str, dict[int, Any]]]:
        """Columns it adds to the workbook's sheet of trainees: (header, value by participant id)."""
        return []

    def overrides(self, hook: str) -> bool:
        """Whether this kind has its own `hook` (the others are not asked: no database reads)."""
        return getattr(type(self), hook) is not getattr(ActivityKind, hook)


class Kinds:
    """The table of activity kinds an app runs with, by name. The list lives in `app/kinds.py`;
    the core is given the table (through the loaded course) and never imports a kind."""

    def __init__(self, *kinds: ActivityKind):
        self._by_name: dict[str, ActivityKind] = {}
        for kind in kinds:
            if kind.name in self._by_name:
                raise ValueError(f"activity kind {kind.name!r} registered twice")
            self._by_name[kind.name] = kind

    def with_(self, *kinds: ActivityKind) -> "Kinds":
        """This table and more kinds (a course of one's own, a test's)."""
        return Kinds(*self, *kinds)

    def find(self, name: str) -> ActivityKind | None:
        return self._by_name.get(name)

    def get(self, name: str) -> ActivityKind:
        return self._by_name[name]

    def names(self) -> list[str]:
        return sorted(self._by_name)

    def __iter__(self) -> Iterator[ActivityKind]:
        return iter(self._by_name.values())

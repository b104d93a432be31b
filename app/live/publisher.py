"""Turn "session N changed" into rendered fragments on the hub, once per audience variant.

Service calls say what changed (`refresh`); renders are coalesced per session, run in a worker
thread (database reads, templates) and published in order under a per-session lock, so a
connection's snapshot and the updates after it never go back in time.

A trainee's play view is the room's stage, rendered once per language and kept by the hub for
whoever connects next, and their own small part (header, my answer), rendered per trainee, or
once for all whose own parts look the same. A connecting phone takes the kept stage and asks for
its own part like any other change, so a thousand arriving at once share a few renders.
"""

import asyncio
import logging
import threading
from collections.abc import Callable, Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import partial

from fastapi.templating import Jinja2Templates
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.course.models import Course
from app.i18n import LANGUAGES
from app.live import participants, sessions, views
from app.live import snapshot as snapshots
from app.live.hub import Hub, Message
from app.live.presence import Presence
from app.live.snapshot import Snapshot
from app.models import ActivityState, Participant
from app.modules.contract import remember

log = logging.getLogger(__name__)
NOTHING_OWN = ("nothing of their own",)  # the own part while there is none: the same for all
CLOSE_VIEWS = "\x00close:"  # a message that closes the views it reaches, saying why (a catalogue key)


def channel(session_id: int, audience: str, key: str | int = "") -> str:
    """play and control: key = language; me: key = participant id; screen: no key."""
    return f"s{session_id}:{audience}:{key}" if key != "" else f"s{session_id}:{audience}"


@dataclass
class _Work:
    stage: bool = False  # the activity, its phase or the session's state changed: every view
    roster: bool = False  # who is here changed: control page, and the lobby on the screen
    counts: bool = False  # answers arrived: live results on the control page and the screen
    headers: bool = False  # points or how they show changed: every trainee's header
    people: set[int] = field(default_factory=set)  # these trainees' own views changed

    def merge(self, stage: bool, roster: bool, counts: bool, headers: bool, people: Iterable[int]) -> None:
        self.stage |= stage
        self.roster |= roster
        self.counts |= counts
        self.headers |= headers
        self.people.update(people)


class Publisher:
    def __init__(
        self,
        hub: Hub,
        engine: Engine,
        courses: dict[str, Course],
        templates: Jinja2Templates,
        presence: Presence,
        public_url: str | None,
    ):
        self.hub, self.engine, self.courses = hub, engine, courses
        self.templates, self.presence, self.public_url = templates, presence, public_url
        self._seen_base = "http://localhost/"  # the host the facilitator last opened a page on
        self._pending: dict[int, _Work] = {}
        self._pending_lock = threading.Lock()
        self._scheduled: set[int] = set()  # sessions with a delayed render already due
        self._rendering: dict[int, _Work] = {}  # sessions with a render running, and its work
        self._loop: asyncio.AbstractEventLoop | None = None
        self._tasks: set[asyncio.Future] = set()

    def remember_host(self, base_url: str) -> None:
        """Where the facilitator reached this server: phones can too, unless PUBLIC_URL says."""
        self._seen_base = base_url

    def join_base(self) -> str:
        return self.public_url or self._seen_base

    def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self.hub.when_due(self._woken)

    def refresh(
        self,
        session_id: int,
        *,
        stage: bool = False,
        roster: bool = False,
        counts: bool = False,
        headers: bool = False,
        people: Iterable[int] = (),
        delay: float = 0.0,
    ) -> None:
        """Ask for the given parts to be re-rendered and published; safe from any thread."""
        with self._pending_lock:
            self._pending.setdefault(session_id, _Work()).merge(stage, roster, counts, headers, people)
            if delay > 0 and session_id in self._scheduled:
                return  # a render is already due: it takes this change along (coalescing)
            if delay > 0:
                self._scheduled.add(session_id)
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.call_later, delay, self._run, session_id)

    def follow_up(self, session_id: int, person_id: int, delay: float = 0.0) -> None:
        """After a trainee's own action: a render that read the database before the action and
        is still running may carry their old view and reach them after their answer; if it
        includes them, send them a fresh one after it. Safe from any thread."""
        with self._pending_lock:
            running = self._rendering.get(session_id)
            stale = running is not None and (running.stage or person_id in running.people)
        if stale:
            self.refresh(session_id, people=[person_id], delay=delay)

    def seat_moved(self, session_id: int, participant_id: int) -> None:
        """The seat went to another device: the sockets it had open, on any worker, say so and
        close. The new device's socket opens afterwards, so its snapshot already covers this."""
        self.hub.publish(channel(session_id, "me", participant_id), CLOSE_VIEWS + "play.seat_moved_away")

    def session_erased(self, session_id: int) -> None:
        """The session's seats are gone (its personal data deleted): every phone of it, on any
        worker, says so and closes, so no page counts as online in a session without trainees."""
        for lang in LANGUAGES:
            self.hub.publish(channel(session_id, "play", lang), CLOSE_VIEWS + "play.data_erased")

    def wake(self, session_id: int, delay: float) -> None:
        """Re-render every view in `delay` seconds (a timer runs out). Kept apart from the
        coalescing of `refresh`, which would fold it into an earlier render; safe from any thread."""
        self.hub.wake_later(f"s{session_id}", delay)

    def _woken(self, name: str) -> None:
        self.refresh(int(name.removeprefix("s")), stage=True)

    def _run(self, session_id: int) -> None:
        """Render what is pending for a session, unless a render of it is running: changes that
        arrive meanwhile wait and go out together right after it, so renders never pile up
        behind the session's lock while trainees keep saving."""
        with self._pending_lock:
            self._scheduled.discard(session_id)
            if session_id in self._rendering:
                return
            work = self._pending.pop(session_id, None)
            if work is None:
                return
            self._rendering[session_id] = work
        assert self._loop is not None  # _run is only ever called on it
        future = self._loop.run_in_executor(None, self.publish_now, session_id, work)
        self._tasks.add(future)
        future.add_done_callback(lambda done: self._rendered(session_id, done))

    def _rendered(self, session_id: int, future: asyncio.Future) -> None:
        self._finished(future)
        with self._pending_lock:
            self._rendering.pop(session_id, None)
            more = session_id in self._pending and session_id not in self._scheduled
        if more:
            self._run(session_id)

    def _finished(self, future: asyncio.Future) -> None:
        self._tasks.discard(future)
        if not future.cancelled() and future.exception() is not None:
            log.error("publishing failed", exc_info=future.exception())

    def publish_now(self, session_id: int, work: _Work) -> None:
        with self.hub.lock(f"s{session_id}"), Session(self.engine) as db:
            snap = self.load(db, session_id)
            if work.stage:
                self._publish_stage(snap)
            if work.stage or work.roster or work.counts:
                self._publish_shared(snap, work)
            people = set(work.people)
            if work.headers or (work.stage and snap.kind is not None and snap.kind.own):
                people |= snap.online  # everyone's header, or their own part of a new stage
            own_channels = {channel(session_id, "me", person): person for person in people}
            listening = [own_channels[name] for name in self.hub.listening(own_channels)]
            snap.batch = frozenset(listening)
            headers = snap.batch if work.headers else work.people
            self._publish_own(snap, participants.some(db, session_id, set(listening)), headers)

    def _publish_stage(self, snap: Snapshot) -> None:
        """The room's stage, once per language, kept by the hub as where a newcomer starts: it
        is sent even with nobody listening, so what is kept is never older than the database."""
        for lang in LANGUAGES:
            html = views.render(self.templates, snap, "play", lang)
            self.hub.publish(channel(snap.session.id, "play", lang), html, retain=True)

    def _publish_shared(self, snap: Snapshot, work: _Work) -> None:
        """The control page in each language and the projector, rendered only where someone
        listens (asked of the hub once: with Redis, one round trip)."""
        sid = snap.session.id
        control_regions = (
            "control-status",
            *(["control-main"] if work.stage or work.counts else []),
            *(["control-roster"] if work.roster else []),
        )
        views_of = {
            channel(sid, "control", lang): partial(
                views.render, self.templates, snap, "control", lang, regions=control_regions
            )
            for lang in LANGUAGES
        }
        if work.stage or work.counts or snap.activity is None:  # the lobby lists who joined
            lang = snap.session.screen_language
            views_of[channel(sid, "screen")] = partial(views.render, self.templates, snap, "screen", lang)
        heard = self.hub.listening(views_of)
        for name, render in views_of.items():  # in this order: the control page, then the screen
            if name in heard:
                self.hub.publish(name, render())

    def _publish_own(self, snap: Snapshot, people: Iterable[Participant], headers: AbstractSet[int]) -> None:
        """Each trainee's own part, with their header for those in `headers` (a new stage
        leaves headers as they are). Trainees whose own parts look the same (see
        ActivityKind.own_key) share one render of it."""
        owns: dict[tuple, str] = {}

        def render(person: Participant) -> str:
            def region(names: tuple[str, ...]) -> str:
                return views.render(self.templates, snap, "me", person.language, person, names)

            header = region(views.HEADER) if person.id in headers else ""
            key = _own_key(snap, person)
            own = partial(region, views.OWN)
            return header + (own() if key is None else remember(owns, (key, person.language), own))

        for person in people:  # all of them listening (publish_now asked)
            self.hub.publish(channel(snap.session.id, "me", person.id), render(person))

    def stage(self, session_id: int, lang: str) -> Message:
        """The room's latest stage and its sequence number: the one the hub kept, or, the first
        time after a start, rendered now (once: whoever comes next finds it kept)."""
        name = channel(session_id, "play", lang)
        if (kept := self.hub.retained(name)) is not None:
            return kept
        with self.hub.lock(f"s{session_id}"), Session(self.engine) as db:
            if (kept := self.hub.retained(name)) is None:
                html = views.render(self.templates, self.load(db, session_id), "play", lang)
                self.hub.publish(name, html, retain=True)
                kept = self.hub.retained(name)
        assert kept is not None
        return kept

    def load(self, db: Session, session_id: int, known: ActivityState | None = None) -> Snapshot:
        """The session's snapshot; `known`: its activity's state, if the caller has just read it."""
        return snapshots.load(
            db, session_id, self.courses, self.presence.online(session_id), self.join_base(), known
        )

    def locked_snapshot(
        self, session_id: int, render: Callable[[Snapshot], str], channels: Iterable[str]
    ) -> tuple[str, dict[str, int]]:
        """A full view and the sequence numbers it covers, consistent with published updates."""
        with self.hub.lock(f"s{session_id}"), Session(self.engine) as db:
            seqs = {name: self.hub.last_seq(name) for name in channels}
            return render(self.load(db, session_id)), seqs

    def resume_timers(self) -> None:
        """After a restart: schedule the refresh of every running timer (a round, a question)."""
        with Session(self.engine) as db:
            for session_id in sessions.running_ids(db):
                snap = self.load(db, session_id)
                ctx = snap.view_context(snap.session.screen_language)
                due = snap.kind.wakeup(ctx) if ctx is not None and snap.kind else None
                if due is not None:
                    self.wake(session_id, due)

    def idle(self) -> bool:
        """Nothing is waiting to be rendered or being rendered: what was asked for is out."""
        with self._pending_lock:
            return not (self._pending or self._rendering or self._tasks)

    async def drain(self) -> None:
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)


def _own_key(snap: Snapshot, person: Participant) -> tuple | None:
    kind = snap.kind
    if kind is None or not kind.own or snap.session.paused or snap.session.status == "ended":
        return NOTHING_OWN
    ctx = snap.view_context(person.language, person)
    return kind.own_key(ctx) if ctx is not None else NOTHING_OWN

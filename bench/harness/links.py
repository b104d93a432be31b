"""A worker's open websockets, each read by its own task that timestamps what arrives.

A round is armed with the activity the next update must show (and, optionally, a marker the
update must contain, e.g. a quiz's revealed view, and whether the trainee's own part must come
too); every link notes the wall-clock time (time.time(), comparable across processes on one
machine) at which its view is complete: the room's stage for that activity arrived, and with
`own`, the trainee's own part for it. The parent subtracts the trigger's start time.
A link also notes when its first own part for each activity arrived (a reconnect storm's
figures).
"""

import asyncio
import contextlib
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, WebSocketException

STAGE = re.compile(r'id="play-stage"[^>]*data-activity="([^"]*)"')
OWN = re.compile(r'id="play-own"[^>]*data-activity="([^"]*)"')
PLAY_SEQ = re.compile(r'id="seq-play" data-seq="(\d+)"')


@dataclass
class Link:
    socket: ClientConnection
    received: dict[int, float] = field(default_factory=dict)  # round -> time.time()
    sizes: dict[int, int] = field(default_factory=dict)  # round -> bytes of that update
    seq: int | None = None
    seq_gaps: int = 0
    heartbeats: int = 0
    closed: str | None = None  # why, when the server closed it unasked
    task: asyncio.Task | None = None
    name: str | None = None  # the trainee it belongs to, when the caller said so
    opened_at: float = 0.0  # time.time() when its snapshot arrived
    own_at: dict[str, float] = field(default_factory=dict)  # activity -> its first own part


@dataclass
class Round:
    number: int
    activity: str
    waiting: set[int]  # ids of the links still waiting
    done: asyncio.Event
    marker: str | None = None  # text the update must also contain
    own: bool = False  # the trainee's own part must arrive too
    staged: set[int] = field(default_factory=set)  # links whose stage has arrived
    owned: set[int] = field(default_factory=set)  # links whose own part has arrived
    marked: set[int] = field(default_factory=set)  # links that have seen the marker (in either)

    def complete(self, link: int) -> bool:
        return (
            link in self.staged
            and (not self.own or link in self.owned)
            and (self.marker is None or link in self.marked)
        )


class Links:
    def __init__(self) -> None:
        self.links: list[Link] = []
        self.round: Round | None = None
        self.closing = False
        # called with (link, text, time.time()) for every update, when set (games/watch.py)
        self.watch: Callable[[Link, str, float], None] | None = None

    async def connect_all(
        self, targets: list[tuple], origin: str | None, concurrency: int, timeout: float
    ) -> dict:
        """Open one link per (url, headers) or (url, headers, name), each complete once its
        snapshot has arrived."""
        gate = asyncio.Semaphore(concurrency)

        async def one(url: str, headers: dict, name: str | None = None):
            async with gate:
                try:
                    return await self._open(url, headers, origin, timeout, name)
                except (OSError, TimeoutError, WebSocketException, RuntimeError) as error:
                    return error

        outcomes = await asyncio.gather(*(one(*target) for target in targets))
        errors = [repr(outcome) for outcome in outcomes if not isinstance(outcome, float)]
        return {
            "latencies_ms": [ms for ms in outcomes if isinstance(ms, float)],
            "failures": len(errors),
            "errors": errors[:5],
        }

    async def _open(
        self, url: str, headers: dict, origin: str | None, timeout: float, name: str | None = None
    ) -> float:
        started, socket = time.perf_counter(), None
        try:
            async with asyncio.timeout(timeout):
                socket = await connect(
                    url,
                    origin=origin,
                    additional_headers=headers,
                    compression=None,
                    proxy=None,
                    ping_interval=None,
                    max_size=None,
                    open_timeout=None,
                    close_timeout=5,
                )
                first = await socket.recv()
            if not isinstance(first, str) or "data-snapshot" not in first:
                raise RuntimeError(f"first message is not a snapshot: {str(first)[:120]!r}")
        except BaseException:
            if socket is not None:
                socket.transport.abort()
            raise
        link = Link(socket, name=name, opened_at=time.time())
        self._note_seq(link, first)
        link.task = asyncio.create_task(self._read(link))
        self.links.append(link)
        return (time.perf_counter() - started) * 1000

    async def _read(self, link: Link) -> None:
        try:
            async for message in link.socket:
                now = time.time()
                if message == "hb":
                    link.heartbeats += 1
                else:
                    self._on_update(link, message, now)
        except ConnectionClosed:
            pass
        finally:
            if not self.closing:
                link.closed = f"{link.socket.close_code} {link.socket.close_reason}".strip()
                self._stop_waiting(link)

    def _on_update(self, link: Link, message: str | bytes, now: float) -> None:
        text = message if isinstance(message, str) else message.decode("utf-8", "replace")
        self._note_seq(link, text)
        if self.watch is not None:
            self.watch(link, text, now)
        own = OWN.search(text)
        if own:
            link.own_at.setdefault(own.group(1), now)
        current = self.round
        if current is None or id(link) not in current.waiting:
            return
        stage = STAGE.search(text)
        for found, arrived in ((stage, current.staged), (own, current.owned)):
            if found and found.group(1) == current.activity:
                arrived.add(id(link))
                if current.marker is not None and current.marker in text:
                    current.marked.add(id(link))
        if current.complete(id(link)):
            link.received[current.number] = now
            link.sizes[current.number] = len(text.encode())
            self._stop_waiting(link)

    @staticmethod
    def _note_seq(link: Link, text: str) -> None:
        found = PLAY_SEQ.search(text)
        if found is None:
            return
        seq = int(found.group(1))
        if link.seq is not None and seq != link.seq + 1 and "data-snapshot" not in text:
            link.seq_gaps += 1
        link.seq = seq

    def _stop_waiting(self, link: Link) -> None:
        current = self.round
        if current is not None and id(link) in current.waiting:
            current.waiting.discard(id(link))
            if not current.waiting:
                current.done.set()

    def arm(self, number: int, activity: str, marker: str | None = None, own: bool = False) -> int:
        live = {id(link) for link in self.links if link.closed is None}
        self.round = Round(number, activity, live, asyncio.Event(), marker, own)
        if not live:
            self.round.done.set()
        return len(live)

    async def collect(self, number: int, started: float, timeout: float) -> dict:
        """Wait (until `started + timeout` at most) for the armed round; the delays in ms."""
        current = self.round
        if not current.done.is_set():
            remaining = max(started + timeout - time.time(), 0.01)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(current.done.wait(), remaining)
        self.round = None
        got = [link for link in self.links if number in link.received]
        return {
            "delays_ms": [(link.received[number] - started) * 1000 for link in got],
            "sizes": [link.sizes[number] for link in got],
            "missed": len(self.links) - len(got),
            "timed_out": bool(current.waiting),
        }

    async def drop_all(self) -> None:
        """Cut every link without a closing handshake, as a lost network does."""
        self.closing = True
        for link in self.links:
            link.socket.transport.abort()
            link.task.cancel()
        await asyncio.gather(*(link.task for link in self.links), return_exceptions=True)
        self.links, self.closing = [], False

    async def whole(self, activity: str, started: float, deadline: float) -> dict:
        """Wait (until `deadline`) for every link's view of `activity` to be whole: the snapshot
        (the room's stage), then the trainee's header and own part, which follow it; the
        seconds each took from `started`."""
        while time.time() < deadline and any(activity not in link.own_at for link in self.links):
            await asyncio.sleep(0.05)
        whole = [link.own_at[activity] - started for link in self.links if activity in link.own_at]
        return {"whole_s": [round(s, 3) for s in whole], "not_whole": len(self.links) - len(whole)}

    async def close_all(self, timeout: float) -> dict:
        """Close every link; report the ones the server had closed on its own."""
        self.closing = True
        sockets = [link.socket.close() for link in self.links if link.closed is None]
        try:
            async with asyncio.timeout(timeout):
                await asyncio.gather(*sockets, return_exceptions=True)
        except TimeoutError:
            pass
        for link in self.links:
            link.task.cancel()
        await asyncio.gather(*(link.task for link in self.links), return_exceptions=True)
        closed = self.report()
        self.links, self.closing = [], False
        return closed

    def report(self) -> dict:
        """The closes the server made on its own, the sequence gaps, the heartbeats heard."""
        return {
            "unexpected_closes": [link.closed for link in self.links if link.closed],
            "seq_gaps": sum(link.seq_gaps for link in self.links),
            "heartbeats": sum(link.heartbeats for link in self.links),
        }

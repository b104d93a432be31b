"""Publish rendered fragments to channels; each subscriber reads from its own bounded queue.

A backend is what `Hub` describes, so the publisher and the websockets never change: `MemoryHub`
serves one process, `redis_hub.RedisHub` several (app.live.backends chooses by HUB_URL).
"""

import asyncio
import itertools
import threading
from collections import defaultdict
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import AbstractAsyncContextManager, AbstractContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Message:
    channel: str
    seq: int  # per channel, increasing by one: a gap means something was missed
    data: str


HEARTBEAT = Message("", 0, "hb")  # offered to every subscriber by `heartbeat()`


class SlowConsumer(Exception):
    """The subscriber's queue overflowed: it must reconnect and take a fresh snapshot."""


class HubClosed(Exception):
    """The hub is shutting down."""


class HubUnavailable(Exception):
    """The backend cannot be reached (Redis restarting): try again, from a fresh snapshot."""


_LOST = Message("", 0, "lost")  # what was published meanwhile may have gone by unseen


class Subscription:
    def __init__(self, channels: tuple[str, ...], maxsize: int):
        self.channels = channels
        self._queue: asyncio.Queue[Message | None] = asyncio.Queue(maxsize)
        self._overflowed = False
        self.loop = asyncio.get_running_loop()

    def offer(self, message: Message | None) -> None:
        """Never waits: a full queue marks this subscriber as too slow."""
        try:
            self._queue.put_nowait(message)
        except asyncio.QueueFull:
            self._overflowed = True

    def deliver(self, message: Message | None) -> None:
        """`offer`, on the subscriber's own event loop; from any thread."""
        if on_loop(self.loop):
            self.offer(message)
        else:
            self.loop.call_soon_threadsafe(self.offer, message)

    def lose(self) -> None:
        """Messages may have been missed: the subscriber must take a fresh snapshot. Any thread."""
        self._overflowed = True
        self.deliver(_LOST)  # wakes a waiting `get` (a full queue is noticed anyway)

    async def get(self) -> Message:
        if self._overflowed:
            raise SlowConsumer
        message = await self._queue.get()
        if message is None:
            raise HubClosed
        if message is _LOST:
            raise SlowConsumer
        return message


class Hub(Protocol):
    """What the publisher and the websockets use of a backend."""

    async def connect(self) -> None: ...

    async def disconnect(self) -> None:
        """Every subscription ends with HubClosed (its socket closes with 1012 and reconnects)."""

    def publish(self, channel: str, data: str, retain: bool = False) -> int:
        """Send data to the channel's subscribers; returns its sequence number. With `retain`
        the message is kept as the channel's latest, for whoever subscribes next. Any thread."""
        ...

    def retained(self, channel: str) -> Message | None:
        """The channel's latest retained message (a stage every newcomer starts from)."""
        ...

    def subscribe(self, *channels: str) -> AbstractAsyncContextManager[Subscription]: ...

    def heartbeat(self) -> None:
        """Offer HEARTBEAT to every subscriber."""

    def last_seq(self, channel: str) -> int: ...

    def listening(self, channels: Iterable[str]) -> set[str]:
        """Those of the channels someone subscribes to, anywhere (one question for many)."""
        ...

    def lock(self, name: str) -> AbstractContextManager[object]:
        """Held by one thread of one process at a time, across every process of this hub: a
        session's renders publish in the order they read the database. Any thread."""
        ...

    def wake_later(self, name: str, delay: float) -> None:
        """In `delay` seconds, call the `when_due` handler with `name` in exactly one process of
        this hub (another, if the one that asked has died meanwhile). Any thread."""

    def when_due(self, handler: Callable[[str], None]) -> None:
        """Who is called for wake-ups that come due (once, after connect)."""


class MemoryHub:
    """Fan-out inside one process. `publish` may be called from any thread."""

    def __init__(self, queue_size: int = 64):
        self.queue_size = queue_size
        self._subscribers: dict[str, set[Subscription]] = defaultdict(set)
        self._seq: dict[str, itertools.count] = {}
        self._last: dict[str, int] = defaultdict(int)
        self._retained: dict[str, Message] = {}
        self._lock = threading.Lock()
        self._named_locks: defaultdict[str, threading.Lock] = defaultdict(threading.Lock)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._on_due: Callable[[str], None] = lambda name: None

    async def connect(self) -> None:
        self._loop = asyncio.get_running_loop()

    async def disconnect(self) -> None:
        with self._lock:
            subscribers = {s for subs in self._subscribers.values() for s in subs}
        self._deliver(list(subscribers), None)

    def publish(self, channel: str, data: str, retain: bool = False) -> int:
        with self._lock:
            counter = self._seq.setdefault(channel, itertools.count(self._last[channel] + 1))
            seq = self._last[channel] = next(counter)
            message = Message(channel, seq, data)
            if retain:
                self._retained[channel] = message
            targets = list(self._subscribers.get(channel, ()))
            self._deliver(targets, message)
        return seq

    def heartbeat(self) -> None:
        """Offer HEARTBEAT to every subscriber: one ticker for all, no timer per connection."""
        with self._lock:
            subscribers = {s for subs in self._subscribers.values() for s in subs}
        self._deliver(list(subscribers), HEARTBEAT)

    def last_seq(self, channel: str) -> int:
        return self._last[channel]

    def retained(self, channel: str) -> Message | None:
        return self._retained.get(channel)

    @staticmethod
    def _deliver(targets: list[Subscription], message: Message | None) -> None:
        """Hand the message to each subscriber on its own event loop, in publish order."""
        for subscription in targets:
            subscription.deliver(message)

    @asynccontextmanager
    async def subscribe(self, *channels: str) -> AsyncIterator[Subscription]:
        subscription = Subscription(channels, self.queue_size)
        with self._lock:
            for channel in channels:
                self._subscribers[channel].add(subscription)
        try:
            yield subscription
        finally:
            with self._lock:
                for channel in channels:
                    self._subscribers[channel].discard(subscription)
                    if not self._subscribers[channel]:
                        del self._subscribers[channel]

    def listening(self, channels: Iterable[str]) -> set[str]:
        return {channel for channel in channels if self._subscribers.get(channel)}

    def lock(self, name: str) -> threading.Lock:
        with self._lock:
            return self._named_locks[name]

    def wake_later(self, name: str, delay: float) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.call_later, delay, lambda: self._on_due(name))

    def when_due(self, handler: Callable[[str], None]) -> None:
        self._on_due = handler


def on_loop(loop: asyncio.AbstractEventLoop) -> bool:
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False

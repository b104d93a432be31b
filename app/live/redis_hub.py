"""The hub across processes: Redis pub/sub carries every message to every worker that has a
subscriber for its channel; each worker hands it to its own sockets' queues.

A channel's sequence number and its kept (retained) message live in Redis beside the channel,
written with the publish in one script, so every worker numbers and keeps the same. Redis holds
nothing that is not also in the database: if it restarts or a message is lost, every subscriber
of this worker is told to reconnect (its socket closes with 1013) and takes a fresh snapshot.

Publishing and reading run in worker threads (redis-py's blocking client, thread-safe through
its pool); the listener runs on the event loop (redis-py's asyncio client).
"""

import asyncio
import functools
import logging
import random
import threading
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from contextlib import asynccontextmanager, contextmanager, suppress

import redis
import redis.asyncio as aioredis
from redis.exceptions import RedisError

from app.live.hub import HEARTBEAT, HubUnavailable, Message, Subscription, on_loop

log = logging.getLogger(__name__)
LOCK_SECONDS = 30  # longer than any render; a dead worker's lock is free again after it
WAKE_POLL_SECONDS = 0.1  # how late a timer's end may be seen
KEEP_SECONDS = 2 * 24 * 3600  # a session's numbers outlive its day, then Redis forgets them
# INCR the channel's number, keep the message if asked, publish "seq\ndata": one atomic step.
PUBLISH = """
local seq = redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[4])
local payload = seq .. '\\n' .. ARGV[2]
if ARGV[3] == '1' then redis.call('SET', KEYS[2], payload, 'EX', ARGV[4]) end
redis.call('PUBLISH', ARGV[1], payload)
return seq
"""
# The wake-ups due by ARGV[1], taken off the set: the worker whose call removes one runs it.
CLAIM = """
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 100)
if #due > 0 then redis.call('ZREM', KEYS[1], unpack(due)) end
return due
"""


@functools.cache
def blocking_client(url: str) -> redis.Redis:
    """One pool of blocking connections per Redis and process, shared by the hub, the roster and
    the limits (thread-safe; used from request and render threads)."""
    return redis.Redis.from_url(url, decode_responses=True, socket_keepalive=True, socket_timeout=5)


@contextmanager
def unavailable_when_redis_fails() -> Iterator[None]:
    """A Redis that cannot be reached is `HubUnavailable`: a socket reconnects, a request is 503."""
    try:
        yield
    except RedisError as error:
        raise HubUnavailable(str(error)) from error


def _message(channel: str, payload: str) -> Message:
    seq, _, data = payload.partition("\n")
    return Message(channel, int(seq), data)


class RedisHub:
    """`Hub` over Redis. Every worker keeps one pub/sub connection, subscribed to the channels
    its own sockets listen to."""

    def __init__(self, url: str, queue_size: int = 64, prefix: str = "kam:", retry_seconds: float = 0.5):
        self.url, self.queue_size, self.prefix, self.retry_seconds = url, queue_size, prefix, retry_seconds
        self._client = blocking_client(url)
        self._publish = self._client.register_script(PUBLISH)
        self._local: dict[str, set[Subscription]] = defaultdict(set)
        self._subscribed: dict[str, asyncio.Future[None]] = {}  # confirmed by Redis when done
        self._pubsub: aioredis.client.PubSub | None = None
        self._listener: asyncio.Task | None = None
        self._waker: asyncio.Task | None = None
        self._claim = self._client.register_script(CLAIM)
        self._on_due: Callable[[str], None] = lambda name: None
        self._closing = False
        self._ready = asyncio.Event()  # the listener is connected
        self._tasks: set[asyncio.Task] = set()
        self._local_locks: defaultdict[str, threading.Lock] = defaultdict(threading.Lock)
        self._commands = asyncio.Lock()  # subscribes and unsubscribes reach Redis in the order decided
        self._loop: asyncio.AbstractEventLoop  # the one the listener runs on (connect)

    def _keys(self, channel: str) -> tuple[str, str, str]:
        """The pub/sub channel, the sequence counter and the kept message of a channel."""
        p = self.prefix
        return f"{p}{channel}", f"{p}seq:{channel}", f"{p}kept:{channel}"

    async def connect(self) -> None:
        """Start listening; a worker that cannot reach Redis at start-up says so and stops."""
        self._loop = asyncio.get_running_loop()
        self._listener = asyncio.create_task(self._listen_forever())
        self._waker = asyncio.create_task(self._wake_forever())
        try:
            async with asyncio.timeout(10):
                await self._ready.wait()
        except TimeoutError:
            await self.disconnect()
            raise HubUnavailable(f"cannot reach Redis at {self.url}") from None

    async def disconnect(self) -> None:
        self._closing = True
        for subscription in self._all_local():
            subscription.deliver(None)
        for task in (self._listener, self._waker):
            if task is not None:
                task.cancel()
                with suppress(asyncio.CancelledError):
                    await task

    def publish(self, channel: str, data: str, retain: bool = False) -> int:
        name, seq_key, kept_key = self._keys(channel)
        with unavailable_when_redis_fails():
            return int(self._publish(keys=[seq_key, kept_key], args=[name, data, int(retain), KEEP_SECONDS]))

    def retained(self, channel: str) -> Message | None:
        payload = self._read(self._keys(channel)[2])
        return None if payload is None else _message(channel, payload)

    def last_seq(self, channel: str) -> int:
        return int(self._read(self._keys(channel)[1]) or 0)

    def listening(self, channels: Iterable[str]) -> set[str]:
        names = {self._keys(channel)[0]: channel for channel in channels}
        if not names:
            return set()
        with unavailable_when_redis_fails():
            counts = self._client.pubsub_numsub(*names)
        return {names[str(name)] for name, count in counts if count}

    @contextmanager
    def lock(self, name: str) -> Iterator[None]:
        """This process's threads queue on a local lock; one of them at a time holds Redis's.
        It expires after `LOCK_SECONDS` if its worker dies holding it."""
        with self._local_locks[name]:
            wait = 2 * LOCK_SECONDS  # longer than a dead holder's lock lives
            redis_lock = self._client.lock(
                f"{self.prefix}lock:{name}", timeout=LOCK_SECONDS, sleep=0.005, blocking_timeout=wait
            )
            with unavailable_when_redis_fails():
                if not redis_lock.acquire():
                    raise HubUnavailable(f"{name} stayed locked for {wait} s")
            try:
                yield
            finally:
                with suppress(RedisError):  # expired or Redis away: it goes by itself
                    redis_lock.release()

    def wake_later(self, name: str, delay: float) -> None:
        """Kept in Redis (a sorted set by due time): whichever worker is alive when it comes due
        claims it, atomically, and runs it."""
        due = time.time() + delay
        with unavailable_when_redis_fails():
            self._client.zadd(f"{self.prefix}wakeups", {f"{name}@{due:.3f}": due})

    def when_due(self, handler: Callable[[str], None]) -> None:
        self._on_due = handler

    async def _wake_forever(self) -> None:
        while True:
            await asyncio.sleep(WAKE_POLL_SECONDS)
            try:
                due = await asyncio.to_thread(self._claim, keys=[f"{self.prefix}wakeups"], args=[time.time()])
            except RedisError as error:
                log.warning("could not read the wake-ups: %s", error)
                continue
            for member in due:
                self._on_due(str(member).rpartition("@")[0])

    def heartbeat(self) -> None:
        for subscription in self._all_local():
            subscription.deliver(HEARTBEAT)

    @asynccontextmanager
    async def subscribe(self, *channels: str) -> AsyncIterator[Subscription]:
        """Subscribe; the Redis side of it runs on the hub's own event loop (a test's socket
        may run on another), and is given back once nobody here listens to a channel."""
        subscription = Subscription(channels, self.queue_size)
        try:
            if on_loop(self._loop):
                await self._join(subscription)
            else:
                await asyncio.wrap_future(
                    asyncio.run_coroutine_threadsafe(self._join(subscription), self._loop)
                )
            yield subscription
        finally:
            self._loop.call_soon_threadsafe(self._leave, subscription)

    async def _join(self, subscription: Subscription) -> None:
        """Subscribe in Redis to the channels this worker did not listen to yet, and wait until
        Redis says so: a snapshot taken afterwards misses nothing published after it."""
        if self._pubsub is None:
            raise HubUnavailable("not connected to Redis")
        channels = subscription.channels
        for channel in channels:
            self._local[channel].add(subscription)
        new = [channel for channel in channels if channel not in self._subscribed]
        for channel in new:
            self._subscribed[channel] = self._loop.create_future()
        confirmations = [asyncio.shield(self._subscribed[channel]) for channel in channels]
        try:
            if new:
                async with self._commands:
                    await self._pubsub.subscribe(*(self._keys(channel)[0] for channel in new))
            async with asyncio.timeout(5):
                await asyncio.gather(*confirmations)
        except (RedisError, OSError, TimeoutError) as error:
            raise HubUnavailable(str(error)) from error

    def _leave(self, subscription: Subscription) -> None:
        """On the hub's loop: forget the subscription; unsubscribe what nobody here needs."""
        gone = []
        for channel in subscription.channels:
            here = self._local.get(channel)
            if here is not None:
                here.discard(subscription)
                if not here:
                    del self._local[channel]
                    gone.append(channel)
        for channel in gone:
            self._subscribed.pop(channel, None)
        if gone and self._pubsub is not None:
            task = self._loop.create_task(self._unsubscribe(self._pubsub, gone))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _unsubscribe(self, pubsub: aioredis.client.PubSub, channels: list[str]) -> None:
        async with self._commands:
            unwanted = [channel for channel in channels if channel not in self._subscribed]
            if unwanted:  # not subscribed again meanwhile
                with suppress(RedisError, OSError):  # a lost connection forgets them anyway
                    await pubsub.unsubscribe(*(self._keys(channel)[0] for channel in unwanted))

    async def _listen_forever(self) -> None:
        """Listen; when the connection to Redis is lost, every local subscriber reconnects (what
        was published meanwhile is lost to them) and the listener tries again, backing off."""
        delay = self.retry_seconds
        while not self._closing:
            try:
                async for _ in self._listen():
                    delay = self.retry_seconds  # connected again
            except (RedisError, OSError) as error:
                log.warning("lost the connection to Redis (%s); retrying in %.1f s", error, delay)
            self._lost()
            await asyncio.sleep(delay * (1 + random.random()))
            delay = min(delay * 2, 5.0)

    async def _listen(self) -> AsyncIterator[None]:
        """Dispatch every message; yields once connected."""
        client = aioredis.Redis.from_url(
            self.url, decode_responses=True, socket_keepalive=True, health_check_interval=10
        )
        pubsub = client.pubsub()
        try:
            # One channel always: the connection is open and reading before anyone subscribes.
            await pubsub.subscribe(f"{self.prefix}hello")
            self._pubsub = pubsub
            self._ready.set()
            yield
            while True:
                event = await pubsub.get_message(timeout=None)  # no read timeout: pub/sub is quiet
                if event is not None:
                    self._dispatch(event)
        finally:
            self._pubsub = None
            self._ready.clear()
            with suppress(RedisError, OSError):
                await pubsub.aclose()
                await client.aclose()

    def _dispatch(self, event: dict) -> None:
        name = event["channel"]
        if not name.startswith(self.prefix):
            return
        channel = name[len(self.prefix) :]
        if event["type"] == "subscribe":
            waiting = self._subscribed.get(channel)
            if waiting is not None and not waiting.done():
                waiting.set_result(None)
        elif event["type"] == "message":
            message = _message(channel, event["data"])
            for subscription in list(self._local.get(channel, ())):
                subscription.deliver(message)

    def _lost(self) -> None:
        """Messages may have gone by unseen: every local subscriber must take a fresh snapshot,
        and every channel be subscribed again."""
        for future in self._subscribed.values():
            if not future.done():
                future.set_exception(HubUnavailable("lost the connection to Redis"))
                future.exception()  # retrieved: nobody may be waiting for it
        self._subscribed.clear()
        for subscription in self._all_local():
            subscription.lose()
        self._local.clear()

    def _all_local(self) -> list[Subscription]:
        return list({s for here in self._local.values() for s in here})

    def _read(self, key: str) -> str | None:
        with unavailable_when_redis_fails():
            return self._client.get(key)  # type: ignore[return-value]

"""Who is online across workers: each worker lists its connected trainees in Redis, one sorted
set per session scored by when the entry expires, and renews its entries with every heartbeat.

A worker that dies (kill -9) stops renewing: its trainees drop off the roster within `ttl`
seconds, unless they have reconnected to another worker meanwhile (which lists them again).
"""

import asyncio
import logging
import time
import uuid
from collections.abc import Iterable

from redis.exceptions import RedisError

from app.live.redis_hub import blocking_client, unavailable_when_redis_fails

log = logging.getLogger(__name__)


class RedisRoster:
    """Kept with redis-py's blocking client (thread-safe), called through a thread: a worker's
    sockets may be served by more than one event loop (the tests' clients are)."""

    def __init__(self, url: str, ttl: float, prefix: str = "kam:"):
        self.ttl, self.prefix = ttl, prefix
        self.worker = uuid.uuid4().hex[:12]
        self._client = blocking_client(url)

    def _key(self, session_id: int) -> str:
        return f"{self.prefix}online:{session_id}"

    def _member(self, participant_id: int) -> str:
        return f"{participant_id}:{self.worker}"

    async def here(self, session_id: int, participant_id: int) -> None:
        await self.renew([(session_id, participant_id)])

    async def gone(self, session_id: int, participant_id: int) -> None:
        await asyncio.to_thread(
            self._quietly, self._client.zrem, self._key(session_id), self._member(participant_id)
        )

    async def renew(self, present: Iterable[tuple[int, int]]) -> None:
        """List (session, trainee) pairs connected here as online for another `ttl` seconds;
        while Redis is away they are listed again with the next heartbeat."""
        await asyncio.to_thread(self._quietly, self._renew, list(present))

    def _renew(self, present: list[tuple[int, int]]) -> None:
        until = time.time() + self.ttl
        with self._client.pipeline(transaction=False) as pipe:
            for session_id, participant_id in present:
                pipe.zadd(self._key(session_id), {self._member(participant_id): until})
                pipe.expire(self._key(session_id), int(self.ttl) + 1)
            pipe.execute()

    @staticmethod
    def _quietly(write, *args) -> None:
        try:
            write(*args)
        except RedisError as error:  # entries expire by themselves; the next heartbeat renews
            log.warning("could not update who is online: %s", error)

    def online(self, session_id: int) -> set[int]:
        with unavailable_when_redis_fails():
            members = self._client.zrangebyscore(self._key(session_id), time.time(), "+inf")
        return {int(str(member).split(":", 1)[0]) for member in members}  # type: ignore[union-attr]

"""Rate limits shared by every worker: the same sliding window as `app.ratelimit.RateLimiter`,
kept in Redis (one sorted set of hit times per key), so several workers allow a client IP its
minute's worth in total, not once each."""

import time
import uuid

from app.live.redis_hub import blocking_client, unavailable_when_redis_fails

# Drop the hits older than the window, count, and add this one if there is room.
# ARGV: now, the window's seconds, the limit, this hit's id, whether to count it.
HIT = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1] - ARGV[2])
local hits = redis.call('ZCARD', KEYS[1])
if hits >= tonumber(ARGV[3]) then return 0 end
if ARGV[5] == '1' then
  redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
  redis.call('EXPIRE', KEYS[1], math.ceil(tonumber(ARGV[2])) + 1)
end
return 1
"""


class RedisRateLimiter:
    def __init__(self, url: str, name: str, per_minute: int, prefix: str = "kam:"):
        self.per_minute, self._prefix = per_minute, f"{prefix}limit:{name}:"
        self._hit = blocking_client(url).register_script(HIT)

    def allow(self, key: str) -> bool:
        """Count a hit, unless the key had its minute's worth already."""
        return self._ask(key, count=True)

    def full(self, key: str) -> bool:
        """Whether the key had its minute's worth, without counting a hit."""
        return not self._ask(key, count=False)

    def _ask(self, key: str, count: bool) -> bool:
        args: list[str | float] = [time.time(), 60, self.per_minute, uuid.uuid4().hex, int(count)]
        with unavailable_when_redis_fails():
            return bool(self._hit(keys=[self._prefix + key], args=args))

"""The hub and the roster a deployment uses, chosen by HUB_URL as in encode/broadcaster:
`memory://` for one process (the default), `redis://host:port/db` for several workers."""

from app.config import Settings
from app.live.hub import Hub, MemoryHub
from app.live.presence import Presence
from app.ratelimit import Limiter, RateLimiter

REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


def make_hub(url: str, queue_size: int, prefix: str = "kam:") -> Hub:
    if url.startswith("memory://"):
        return MemoryHub(queue_size)
    if url.startswith(REDIS_SCHEMES):
        from app.live.redis_hub import RedisHub  # only a deployment of several processes needs redis

        return RedisHub(url, queue_size, prefix)
    raise ValueError(f"unsupported HUB_URL {url!r}: memory:// or redis://host:port/db")


def make_presence(url: str, heartbeat_seconds: float, prefix: str = "kam:") -> Presence:
    """Counted in this process alone with `memory://`; listed in Redis for several workers."""
    if url.startswith(REDIS_SCHEMES):
        from app.live.redis_roster import RedisRoster

        return Presence(RedisRoster(url, ttl=max(10.0, 3 * heartbeat_seconds), prefix=prefix))
    return Presence()


def make_limiter(settings: Settings, name: str, per_minute: int) -> Limiter:
    """A sliding window per key, counted across every worker when they share Redis."""
    if settings.hub_url.startswith(REDIS_SCHEMES):
        from app.live.redis_limits import RedisRateLimiter

        return RedisRateLimiter(settings.hub_url, name, per_minute, settings.hub_prefix)
    return RateLimiter(per_minute)

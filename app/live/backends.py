"""The hub and the roster a deployment uses, chosen by HUB_URL as in encode/broadcaster:
`memory://` for one process (the default), `redis://host:port/db` for several workers."""

from app.live.hub import Hub, MemoryHub
from app.live.presence import Presence

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

"""The local Redis for the tests of several workers. Under CI=true Redis must be there."""

import os

import redis

from tests.support.required import missing

URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def redis_or_skip() -> redis.Redis:
    client = redis.Redis.from_url(URL, socket_timeout=2)
    try:
        client.ping()
    except redis.exceptions.RedisError:
        missing(f"Redis is not running at {URL}")
    return client

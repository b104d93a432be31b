"""The local Redis for the tests of several workers. Under CI=true Redis must be there."""

import os

import pytest
import redis

URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def redis_or_skip() -> redis.Redis:
    client = redis.Redis.from_url(URL, socket_timeout=2)
    try:
        client.ping()
    except redis.exceptions.RedisError:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is not running at {URL} (required under CI=true)")
        pytest.skip(f"Redis is not running at {URL}")
    return client

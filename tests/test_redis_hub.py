"""The hub across processes (Redis): two hubs stand for two workers sharing one Redis."""

import asyncio
import threading
import time

import pytest
import redis

from app.live import redis_hub
from app.live.backends import make_hub, make_presence
from app.live.hub import HubUnavailable, SlowConsumer
from app.live.redis_hub import RedisHub
from app.live.redis_limits import RedisRateLimiter
from tests.support.redis import URL


def two_workers(prefix: str) -> tuple[RedisHub, RedisHub]:
    return RedisHub(URL, 16, prefix, retry_seconds=0.05), RedisHub(URL, 16, prefix, retry_seconds=0.05)


def run(scenario, prefix):
    async def both():
        a, b = two_workers(prefix)
        await a.connect()
        await b.connect()
        try:
            await scenario(a, b)
        finally:
            await a.disconnect()
            await b.disconnect()

    asyncio.run(asyncio.wait_for(both(), 30))


def test_a_message_published_on_one_worker_reaches_subscribers_on_the_other_in_order(redis_prefix):
    async def scenario(a, b):
        async with b.subscribe("s1:play:zh-CN", "s1:me:7") as phone:
            assert a.listening(["s1:play:zh-CN", "s1:me:7", "s1:me:8"]) == {"s1:play:zh-CN", "s1:me:7"}
            assert a.listening(["s1:me:7"]) == {"s1:me:7"} and a.listening(["s1:me:8"]) == set()
            await asyncio.to_thread(a.publish, "s1:play:zh-CN", "stage one", True)
            b.publish("s1:me:7", "mine")  # from another worker too: one numbering per channel
            a.publish("s1:play:zh-CN", "stage two\nwith a line break")
            got = [await phone.get() for _ in range(3)]
        assert [(m.channel, m.seq, m.data) for m in got] == [
            ("s1:play:zh-CN", 1, "stage one"),
            ("s1:me:7", 1, "mine"),
            ("s1:play:zh-CN", 2, "stage two\nwith a line break"),
        ]
        kept = b.retained("s1:play:zh-CN")
        assert (kept.seq, kept.data) == (1, "stage one")  # what a newcomer starts from, anywhere
        assert a.last_seq("s1:play:zh-CN") == b.last_seq("s1:play:zh-CN") == 2
        assert b.retained("s1:screen") is None and b.last_seq("s1:screen") == 0

    run(scenario, redis_prefix)


def test_a_subscription_is_confirmed_before_its_snapshot_so_nothing_after_it_is_missed(redis_prefix):
    async def scenario(a, b):
        for n in range(20):  # subscribe, then publish at once from the other worker
            async with b.subscribe(f"s1:me:{n}") as phone:
                a.publish(f"s1:me:{n}", "right after")
                assert (await asyncio.wait_for(phone.get(), 5)).data == "right after"
        for n in range(20):  # left and joined again at once: never unsubscribed under its feet
            async with b.subscribe("s1:screen") as screen:
                a.publish("s1:screen", f"round {n}")
                assert (await asyncio.wait_for(screen.get(), 5)).data == f"round {n}"
        for _ in range(100):  # all given back to Redis, soon after
            if not a.listening([f"s1:me:{n}" for n in range(20)] + ["s1:screen"]):
                break
            await asyncio.sleep(0.05)
        else:
            raise AssertionError("channels nobody listens to are still subscribed")

    run(scenario, redis_prefix)


def test_losing_redis_sends_every_subscriber_back_for_a_snapshot_and_the_hub_recovers(redis_prefix):
    async def scenario(a, b):
        admin = redis.Redis.from_url(URL)
        async with b.subscribe("s1:screen") as screen:
            admin.client_kill_filter(_type="pubsub")  # what a Redis restart does to the listener
            with pytest.raises(SlowConsumer):  # the socket closes with 1013 and reconnects
                await asyncio.wait_for(screen.get(), 5)
        for _ in range(100):  # back within 5 s
            try:
                async with b.subscribe("s1:screen") as screen:
                    a.publish("s1:screen", "after the restart")
                    assert (await asyncio.wait_for(screen.get(), 5)).data == "after the restart"
                break
            except HubUnavailable:
                await asyncio.sleep(0.05)
        else:
            raise AssertionError("the hub did not come back")
        admin.close()

    run(scenario, redis_prefix)


def test_an_unreachable_redis_is_said_as_unavailable_not_a_crash():
    hub = RedisHub("redis://127.0.0.1:1/0", 4)
    with pytest.raises(HubUnavailable):
        hub.publish("s1:screen", "x")
    with pytest.raises(HubUnavailable):
        hub.retained("s1:screen")


def test_the_roster_lists_who_is_connected_on_any_worker_and_forgets_a_dead_worker(redis_prefix):
    async def scenario():
        here, there = (make_presence(URL, 1.0, redis_prefix) for _ in range(2))
        here.roster.ttl = there.roster.ttl = 0.5  # a dead worker is forgotten quickly
        assert await here.connected(1, 7) and await there.connected(1, 8)
        assert await here.connected(1, 7) is False  # a second tab
        assert here.online(1) == there.online(1) == {7, 8}
        await here.disconnected(1, 7)
        assert there.online(1) == {7, 8}  # one tab left
        await here.disconnected(1, 7)
        assert there.online(1) == {8}
        assert await here.connected(2, 9)  # then this worker dies: it renews no more
        for _ in range(4):
            await asyncio.sleep(0.2)
            await there.renew()  # a live worker renews with every heartbeat
        assert here.online(1) == {8} and there.online(2) == set()

    asyncio.run(scenario())


def test_backends_are_chosen_by_url(redis_prefix):
    assert isinstance(make_hub(URL, 8, redis_prefix), RedisHub)
    assert make_presence("memory://", 15).roster is None


def test_a_session_lock_is_held_by_one_worker_at_a_time_and_freed_when_its_holder_dies(
    redis_prefix, monkeypatch
):
    a, b = RedisHub(URL, 4, redis_prefix), RedisHub(URL, 4, redis_prefix)
    order, inside = [], threading.Event()

    def hold_on_a():
        with a.lock("s1"):
            inside.set()
            time.sleep(0.3)
            order.append("a done")

    holder = threading.Thread(target=hold_on_a)
    holder.start()
    inside.wait(5)
    with b.lock("s1"):  # waits for A's render to publish first
        order.append("b in")
    holder.join()
    assert order == ["a done", "b in"]

    monkeypatch.setattr(redis_hub, "LOCK_SECONDS", 1)
    dead = redis.Redis.from_url(URL).lock(f"{redis_prefix}lock:s2", timeout=1)
    assert dead.acquire()  # taken by a worker that is then killed: never released
    started = time.monotonic()
    with b.lock("s2"):
        assert time.monotonic() - started < 3


def test_a_timer_end_wakes_exactly_one_worker_even_when_the_one_that_set_it_died(redis_prefix):
    async def scenario():
        a, b, c = (RedisHub(URL, 4, redis_prefix) for _ in range(3))
        woken: list[tuple[str, str]] = []
        for name, hub in (("a", a), ("b", b), ("c", c)):
            await hub.connect()
            hub.when_due(lambda due, name=name: woken.append((name, due)))
        a.wake_later("s1", 0.3)
        await a.disconnect()  # the worker that set the timer is gone before it ends
        for n in range(5):
            b.wake_later(f"s{n + 2}", 0.1)
        await asyncio.sleep(1.0)
        assert sorted(due for _, due in woken) == ["s1", "s2", "s3", "s4", "s5", "s6"]  # each once
        assert {name for name, _ in woken} <= {"b", "c"}
        await b.disconnect()
        await c.disconnect()

    asyncio.run(asyncio.wait_for(scenario(), 30))


def test_a_rate_limit_counts_the_hits_of_every_worker_together(redis_prefix):
    a, b = (RedisRateLimiter(URL, "join", 3, redis_prefix) for _ in range(2))
    assert a.allow("10.0.0.1") and b.allow("10.0.0.1") and a.allow("10.0.0.1")
    assert b.full("10.0.0.1") and not b.allow("10.0.0.1") and not a.allow("10.0.0.1")
    assert not a.full("10.0.0.2") and b.allow("10.0.0.2")  # per key
    assert not a.full("10.0.0.2") and a.allow("10.0.0.2")  # asking did not count a hit

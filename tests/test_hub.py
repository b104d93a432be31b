"""The hub: ordered per-channel sequence numbers, bounded queues, any-thread publishing."""

import asyncio
import threading

import pytest

from app.live.backends import make_hub
from app.live.hub import HEARTBEAT, HubClosed, MemoryHub, SlowConsumer


def run(coro):
    return asyncio.run(coro)


def test_subscribers_get_messages_in_order_with_sequence_numbers():
    async def scenario():
        hub = MemoryHub()
        async with hub.subscribe("a", "b") as sub:
            hub.publish("a", "one")
            hub.publish("b", "two")
            hub.publish("a", "three")
            got = [await sub.get() for _ in range(3)]
        assert [(m.channel, m.seq, m.data) for m in got] == [
            ("a", 1, "one"),
            ("b", 1, "two"),
            ("a", 2, "three"),
        ]
        assert hub.last_seq("a") == 2 and hub.listening(["a"]) == set()

    run(scenario())


def test_a_slow_subscriber_is_cut_off_not_waited_for():
    async def scenario():
        hub = MemoryHub(queue_size=3)
        async with hub.subscribe("a") as slow, hub.subscribe("a") as fast:
            for n in range(5):
                hub.publish("a", str(n))
                await fast.get()
            with pytest.raises(SlowConsumer):
                await slow.get()

    run(scenario())


def test_publishing_from_another_thread_and_closing():
    async def scenario():
        hub = MemoryHub()
        async with hub.subscribe("a") as sub:
            thread = threading.Thread(target=hub.publish, args=("a", "from thread"))
            thread.start()
            message = await asyncio.wait_for(sub.get(), 2)
            thread.join()
            assert message.data == "from thread"
            await hub.disconnect()
            with pytest.raises(HubClosed):
                await sub.get()

    run(scenario())


def test_backend_is_chosen_by_url():
    assert isinstance(make_hub("memory://", 8), MemoryHub)
    with pytest.raises(ValueError):
        make_hub("kafka://x", 8)


def test_heartbeat_reaches_every_subscriber():
    async def scenario():
        hub = MemoryHub()
        async with hub.subscribe("a") as one, hub.subscribe("b") as two:
            hub.heartbeat()
            assert await one.get() is HEARTBEAT and await two.get() is HEARTBEAT

    run(scenario())

"""The baseline: a bare `websockets` server (plain asyncio, no app) broadcasting one fragment.

Each client gets a snapshot on connect; `GET /next?activity=X` then sends every client one
message of `--size` bytes shaped like the app's update (a play-stage element naming activity X
and a sequence marker), and answers once it has been written to every socket. The bench
measures it exactly like the app, from the same worker processes.

Run alone: python -m bench.harness.bare_broadcast --port 8765 --size 5000
"""

import argparse
import asyncio
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
from websockets.asyncio.server import ServerConnection, broadcast, serve

from bench.harness import checkout
from bench.harness.serverproc import HOST, ServerProcess


def fragment(activity: str, seq: int, size: int, snapshot: bool = False) -> str:
    """A message of `size` bytes (at least the markup) shaped like the app's update."""
    head = f'<main id="play-stage" class="play-stage" hx-swap-oob="true" data-activity="{activity}">'
    flag = " data-snapshot" if snapshot else ""
    tail = f'</main><span id="seq-play" data-seq="{seq}"{flag} hidden></span>'
    return head + "." * max(size - len(head) - len(tail), 0) + tail


class Broadcaster:
    def __init__(self, size: int):
        self.size = size
        self.clients: set[ServerConnection] = set()
        self.seq = 0

    async def handler(self, connection: ServerConnection) -> None:
        self.clients.add(connection)
        try:
            await connection.send(fragment("", self.seq, self.size, snapshot=True))
            await connection.wait_closed()
        finally:
            self.clients.discard(connection)

    def process_request(self, connection: ServerConnection, request):
        """Plain HTTP: /healthz, and /next (the trigger); anything else is a websocket."""
        url = urlsplit(request.path)
        if url.path == "/healthz":
            return connection.respond(200, "ok\n")
        if url.path == "/next":
            activity = parse_qs(url.query).get("activity", ["bare"])[0]
            self.seq += 1
            broadcast(self.clients, fragment(activity, self.seq, self.size))
            return connection.respond(200, f"{len(self.clients)}\n")
        return None


async def main(port: int, size: int) -> None:
    broadcaster = Broadcaster(size)
    async with serve(
        broadcaster.handler,
        HOST,
        port,
        process_request=broadcaster.process_request,
        compression=None,
        ping_interval=None,
        max_size=2**16,
        backlog=2048,
    ) as server:
        await server.serve_forever()


class BareTrigger:
    """The round trigger for the baseline, with the same prepare()/fire() as the facilitator."""

    def __init__(self, base_url: str):
        self.client = httpx.Client(base_url=base_url, timeout=60.0, trust_env=False)
        self.activity = ""

    def prepare(self, number: int) -> str:
        self.activity = f"bare-{number}"
        return self.activity

    def fire(self) -> float:
        started = time.perf_counter()
        response = self.client.get("/next", params={"activity": self.activity})
        response.raise_for_status()
        return (time.perf_counter() - started) * 1000

    def close(self) -> None:
        self.client.close()


@contextmanager
def bare_server(port: int, size: int, log_path: Path):
    """Run this module as a child process; yield its ServerProcess and a BareTrigger."""
    argv = [sys.executable, "-m", "bench.harness.bare_broadcast", "--port", str(port), "--size", str(size)]
    with ServerProcess(argv, port, log_path, cwd=checkout.ROOT) as server:
        trigger = BareTrigger(server.url)
        try:
            yield server, trigger
        finally:
            trigger.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--size", type=int, default=5000, help="bytes per message")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.port, arguments.size))

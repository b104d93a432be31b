"""A load-generating process: one asyncio loop holding its share of the trainees.

It obeys the parent's commands, one at a time, over a pipe: each command is a (name, kwargs)
pair and gets one (ok, payload) reply. Meanwhile its websockets keep being read.
"""

import asyncio
import resource
import traceback
from multiprocessing.connection import Connection

from bench.harness.answering import answer_all, answer_in_turn
from bench.harness.links import Links
from bench.harness.trainees import Trainee, join_all


def raise_open_files_limit() -> int:
    """Lift the soft limit on open files to the hard one (a socket per trainee)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


def run(pipe: Connection, index: int, worker_type: type["Worker"]) -> None:
    """The process's entry point: a Worker, or the subclass with a bench's own commands."""
    raise_open_files_limit()
    asyncio.run(worker_type(pipe, index).serve())


class Worker:
    def __init__(self, pipe: Connection, index: int):
        self.pipe, self.index = pipe, index
        self.trainees: list[Trainee] = []
        self.links = Links()
        self.commands = {
            "join": self.join,
            "connect_app": self.connect_app,
            "connect_bare": self.connect_bare,
            "arm": self.arm,
            "collect": self.collect,
            "disconnect": self.disconnect,
            "storm": self.storm,
            "links_report": self.links_report,
            "answer": self.answer,
            "answer_in_turn": self.answer_in_turn,
        }

    async def serve(self) -> None:
        while True:
            try:
                name, kwargs = await asyncio.to_thread(self.pipe.recv)
            except EOFError:  # the parent is gone
                name, kwargs = "stop", {}
            if name == "stop":
                await self.links.close_all(5.0)
                return
            try:
                reply = (True, await self.commands[name](**kwargs))
            except Exception:
                reply = (False, traceback.format_exc())
            self.pipe.send(reply)

    async def join(
        self, base_url: str, code: str, names: list[str], concurrency: int, timeout: float
    ) -> dict:
        self.trainees, figures = await join_all(base_url, code, names, concurrency, timeout)
        return figures

    async def connect_app(self, url: str, origin: str, concurrency: int, timeout: float) -> dict:
        targets = [(url, {"Cookie": trainee.cookie_header}, trainee.name) for trainee in self.trainees]
        return await self.links.connect_all(targets, origin, concurrency, timeout)

    async def connect_bare(self, url: str, count: int, concurrency: int, timeout: float) -> dict:
        return await self.links.connect_all([(url, {})] * count, None, concurrency, timeout)

    async def arm(self, number: int, activity: str, marker: str | None = None, own: bool = False) -> int:
        return self.links.arm(number, activity, marker, own)

    async def collect(self, number: int, started: float, timeout: float) -> dict:
        return await self.links.collect(number, started, timeout)

    async def answer(
        self, base_url: str, code: str, activity: str, question: str, plan: dict, start: float, timeout: float
    ) -> dict:
        return await answer_all(base_url, code, activity, question, self.trainees, plan, start, timeout)

    async def answer_in_turn(
        self, base_url: str, code: str, plan: dict, start: float, post_timeout: float, deadline: float
    ) -> dict:
        return await answer_in_turn(base_url, code, self.trainees, plan, start, post_timeout, deadline)

    async def storm(self, url: str, origin: str, activity: str, started: float, timeout: float) -> dict:
        """Every play link dropped at once (a restart, the room's Wi-Fi) and opened again at
        once: each trainee's seconds from `started` until their view of `activity` is whole."""
        await self.links.drop_all()
        targets = [(url, {"Cookie": trainee.cookie_header}, trainee.name) for trainee in self.trainees]
        opened = await self.links.connect_all(targets, origin, len(targets), timeout)
        return {**opened, **await self.links.whole(activity, started, started + timeout)}

    async def links_report(self, timeout: float) -> dict:
        """What `disconnect` reports, with the links left open."""
        return self.links.report()

    async def disconnect(self, timeout: float) -> dict:
        return await self.links.close_all(timeout)

"""The case bench's worker processes: the usual worker (join, connect, arm, collect, ...) plus
the phones tapping tags on the case (cases_phone.py), run in the background so the worker
still obeys other commands meanwhile.

pool.py always starts `worker.run`, so this module brings its own pool, as plans_worker.py does.
"""

import asyncio
from multiprocessing.connection import Connection

from cases_phone import Room
from pool import WorkerPool
from worker import Worker, raise_open_files_limit


class CasesWorker(Worker):
    def __init__(self, pipe: Connection, index: int):
        super().__init__(pipe, index)
        self.room: Room | None = None
        self.commands |= {"start_tapping": self.start_tapping, "finish_tapping": self.finish_tapping}

    async def start_tapping(self, activity: str, labels: dict[str, str], **kwargs) -> int:
        """Watch every phone and start the trainees tapping; returns at once."""
        self.room = Room(self.links, activity, labels)
        return self.room.begin(index=self.index, **kwargs)

    async def finish_tapping(self, last_line: int, timeout: float) -> dict:
        """Wait for the tapping to end, every answer (or its timeout) and every phone showing
        the last line: the records."""
        try:
            return await self.room.finish(last_line, timeout)
        finally:
            self.links.watch = None


def run(pipe: Connection, index: int) -> None:
    """The process's entry point."""
    raise_open_files_limit()
    asyncio.run(CasesWorker(pipe, index).serve())


class CasesPool(WorkerPool):
    """A WorkerPool whose processes run CasesWorker."""

    def __init__(self, count: int):
        super().__init__(count, target=run, name="bench-cases-worker")

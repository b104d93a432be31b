"""The case bench's worker processes: the usual worker (join, connect, arm, collect, ...) plus
the phones tapping tags on the case (phone.py), run in the background so the worker
still obeys other commands meanwhile.

A pool's processes run its `worker_type` (harness/pool.py), so this module brings its own pool,
as games/ and plans/ do.
"""

from multiprocessing.connection import Connection

from bench.cases.phone import Room
from bench.harness.pool import WorkerPool
from bench.harness.worker import Worker


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


class CasesPool(WorkerPool):
    """A WorkerPool whose processes run CasesWorker."""

    worker_type, name = CasesWorker, "bench-cases-worker"

"""The plan bench's worker processes: the usual worker (join, ...) plus the editor pages.

A pool's processes run its `worker_type` (harness/pool.py), so this module brings its own pool
whose processes have the same commands as every bench's worker, and `open_editors` /
`autosave` (page.py).
"""

from multiprocessing.connection import Connection

from bench.harness.pool import WorkerPool
from bench.harness.worker import Worker
from bench.plans import page


class PlansWorker(Worker):
    def __init__(self, pipe: Connection, index: int):
        super().__init__(pipe, index)
        self.editors: list[page.Editor] = []
        self.commands |= {"open_editors": self.open_editors, "autosave": self.autosave}

    async def open_editors(self, base_url: str, code: str, concurrency: int, timeout: float) -> dict:
        self.editors, figures = await page.open_editors(base_url, code, self.trainees, concurrency, timeout)
        return figures

    async def autosave(self, **kwargs) -> dict:
        return await page.autosave(editors=self.editors, index=self.index, **kwargs)


class PlansPool(WorkerPool):
    """A WorkerPool whose processes run PlansWorker."""

    worker_type, name = PlansWorker, "bench-plans-worker"

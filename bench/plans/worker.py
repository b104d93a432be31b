"""The plan bench's worker processes: the usual worker (join, ...) plus the editor pages.

harness/pool.py starts harness/worker.py's `run` unless told otherwise, so this module brings its
own pool that starts `run` below:
the same commands as every bench's worker, and `open_editors` / `autosave` (page.py).
"""

import asyncio
from multiprocessing.connection import Connection

from bench.harness.pool import WorkerPool
from bench.harness.worker import Worker, raise_open_files_limit
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


def run(pipe: Connection, index: int) -> None:
    """The process's entry point."""
    raise_open_files_limit()
    asyncio.run(PlansWorker(pipe, index).serve())


class PlansPool(WorkerPool):
    """A WorkerPool whose processes run PlansWorker."""

    def __init__(self, count: int):
        super().__init__(count, target=run, name="bench-plans-worker")

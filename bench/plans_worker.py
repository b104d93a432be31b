"""The plan bench's worker processes: the usual worker (join, ...) plus the editor pages.

pool.py always starts `worker.run`, so this module brings its own pool that starts `run` below:
the same commands as every bench's worker, and `open_editors` / `autosave` (plans_page.py).
"""

import asyncio
from multiprocessing.connection import Connection

import plans_page
from pool import WorkerPool
from worker import Worker, raise_open_files_limit


class PlansWorker(Worker):
    def __init__(self, pipe: Connection, index: int):
        super().__init__(pipe, index)
        self.editors: list[plans_page.Editor] = []
        self.commands |= {"open_editors": self.open_editors, "autosave": self.autosave}

    async def open_editors(self, base_url: str, code: str, concurrency: int, timeout: float) -> dict:
        self.editors, figures = await plans_page.open_editors(
            base_url, code, self.trainees, concurrency, timeout
        )
        return figures

    async def autosave(self, **kwargs) -> dict:
        return await plans_page.autosave(editors=self.editors, index=self.index, **kwargs)


def run(pipe: Connection, index: int) -> None:
    """The process's entry point."""
    raise_open_files_limit()
    asyncio.run(PlansWorker(pipe, index).serve())


class PlansPool(WorkerPool):
    """A WorkerPool whose processes run PlansWorker."""

    def __init__(self, count: int):
        super().__init__(count, target=run, name="bench-plans-worker")

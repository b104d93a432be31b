"""The games bench's worker processes: the usual worker (join, connect, arm, collect, answer in
turn, ...) plus what each trainee's play view shows of a game (`watch` / `observations`,
watch.py; the links call it for every update).
"""

from multiprocessing.connection import Connection

from bench.games.watch import Watcher
from bench.harness.pool import WorkerPool
from bench.harness.worker import Worker


class GamesWorker(Worker):
    def __init__(self, pipe: Connection, index: int):
        super().__init__(pipe, index)
        self.watcher: Watcher | None = None
        self.commands |= {"watch": self.watch, "observations": self.observations}

    async def watch(self, mode: str) -> int:
        """Record what each trainee's play view shows of a team game (watch.py)."""
        self.watcher = Watcher(mode)
        self.links.watch = self.watcher.on_update
        return len(self.links.links)

    async def observations(self) -> dict:
        """Stop watching; what each trainee's view showed, and when."""
        self.links.watch = None
        found, self.watcher = (self.watcher.result() if self.watcher else {}), None
        return found


class GamesPool(WorkerPool):
    """A WorkerPool whose processes run GamesWorker."""

    worker_type, name = GamesWorker, "bench-games-worker"

"""The parent's handle on the worker processes: send a command to all, gather their replies."""

import contextlib
import multiprocessing
import time

from bench.harness import worker


class WorkerError(RuntimeError):
    pass


class WorkerPool:
    """`with WorkerPool(4) as pool: pool.call("join", [...], timeout=60)`; always reaped."""

    worker_type: type[worker.Worker] = worker.Worker  # what a bench's pool runs in its processes
    name = "bench-worker"

    def __init__(self, count: int):
        self.count = count
        self.context = multiprocessing.get_context("spawn")
        self.pipes: list = []
        self.processes: list = []

    def __enter__(self) -> "WorkerPool":
        try:
            for index in range(self.count):
                parent_end, child_end = self.context.Pipe()
                process = self.context.Process(
                    target=worker.run,
                    args=(child_end, index, self.worker_type),
                    name=f"{self.name}-{index}",
                    daemon=True,
                )
                process.start()
                child_end.close()
                self.pipes.append(parent_end)
                self.processes.append(process)
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def call(self, command: str, kwargs: dict | list[dict], timeout: float) -> list:
        """Run a command in every worker (the same kwargs, or one dict per worker)."""
        per_worker = kwargs if isinstance(kwargs, list) else [kwargs] * self.count
        for pipe, arguments in zip(self.pipes, per_worker, strict=True):
            pipe.send((command, arguments))
        deadline = time.monotonic() + timeout
        replies = []
        for index, pipe in enumerate(self.pipes):
            if not pipe.poll(max(deadline - time.monotonic(), 0)):
                raise WorkerError(f"worker {index}: no answer to {command!r} in {timeout:.0f} s")
            ok, payload = pipe.recv()
            if not ok:
                raise WorkerError(f"worker {index} failed in {command!r}:\n{payload}")
            replies.append(payload)
        return replies

    def close(self) -> None:
        for pipe in self.pipes:
            with contextlib.suppress(OSError, ValueError):
                pipe.send(("stop", {}))
        for process in self.processes:
            process.join(10)
            if process.is_alive():
                process.terminate()
                process.join(5)
            if process.is_alive():
                process.kill()
                process.join(5)
        for pipe in self.pipes:
            pipe.close()
        self.pipes, self.processes = [], []

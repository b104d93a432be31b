"""CPU time used during a phase: the whole machine, the server, the workers and the parent."""

import os
import time
from pathlib import Path

from bench.harness.pool import WorkerPool
from bench.harness.serverproc import cpu_seconds


def cpu_now(pool: WorkerPool, server) -> dict:
    """CPU seconds so far: the whole machine (/proc/stat, in cores x seconds), the server, the
    workers and this process (the control page's thread), with the time they were read."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    busy, total = sum(fields) - fields[3] - fields[4], sum(fields)
    return {
        "at": time.monotonic(),
        "busy": busy,
        "total": total,
        "server": server.cpu_seconds(),
        "parent": time.process_time(),
        "workers": sum(cpu_seconds(process.pid) for process in pool.processes),
    }


def cores_busy(before: dict, after: dict) -> dict:
    """Cores each used between two readings; "other" is what the rest of the machine used."""
    seconds = max(after["at"] - before["at"], 1e-3)
    all_busy = (
        (after["busy"] - before["busy"]) / max(after["total"] - before["total"], 1) * (os.cpu_count() or 1)
    )
    own = {name: (after[name] - before[name]) / seconds for name in ("server", "workers", "parent")}
    return {
        "all": round(all_busy, 2),
        "server": round(own["server"], 2),
        "workers": round(own["workers"], 2),
        "other": round(all_busy - sum(own.values()), 2),
    }

"""Facts about the machine the bench runs on, including how busy it was before the run."""

import os
import platform
import time
from pathlib import Path


def busy_cores(seconds: float = 2.0) -> float:
    """How many cores' worth of CPU the whole machine used over a short sample (from /proc/stat)."""

    def sample() -> tuple[int, int]:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        idle = fields[3] + fields[4]  # idle + iowait
        return sum(fields) - idle, sum(fields)

    busy_before, total_before = sample()
    time.sleep(seconds)
    busy_after, total_after = sample()
    share = (busy_after - busy_before) / max(total_after - total_before, 1)
    return round(share * (os.cpu_count() or 1), 2)


def machine() -> dict:
    kib = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal:")
    )
    return {
        "cores": os.cpu_count(),
        "memory_gib": round(kib / 2**20, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "busy_cores_at_start": busy_cores(),
        "load_average_at_start": [round(load, 2) for load in os.getloadavg()],
    }

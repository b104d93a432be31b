"""Reading the GC probe's log (gcprobe/sitecustomize.py): the app server's collector pauses."""

from pathlib import Path

from bench.harness import stats


def pauses(log: Path, start: float, end: float) -> dict:
    """Collections between two wall-clock times: full ones (generation 2) and the others."""
    full, young = [], []
    if log.exists():
        for line in log.read_text().splitlines():
            when, generation, ms = line.split()
            if start <= float(when) <= end:
                (full if generation == "2" else young).append(float(ms))
    return {"full": stats.summary(full), "young_over_1ms": stats.summary(young)}

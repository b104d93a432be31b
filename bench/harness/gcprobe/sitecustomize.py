"""Garbage-collector probe for the app server, loaded through PYTHONPATH by the bench.

It acts only inside `kam serve`, and only as the environment asks:
- KAM_BENCH_GC_LOG=path: append "time generation milliseconds" for every collection of the
  oldest generation and every other one longer than 1 ms.
- KAM_BENCH_GC_TUNE=t0,t1,t2: an experiment, not the app's behaviour: once the server has
  started, freeze everything allocated so far (gc.freeze) and set these thresholds.
"""

import gc
import os
import sys
import time

_LOG = os.environ.get("KAM_BENCH_GC_LOG")
_TUNE = os.environ.get("KAM_BENCH_GC_TUNE")
_IN_SERVER = os.path.basename(sys.argv[0]) == "kam" and "serve" in sys.argv[1:]


def _install_log(path: str) -> None:
    log = open(path, "a", buffering=1)  # noqa: SIM115 (open for the life of the process)
    started = [0.0]

    def on_collection(phase: str, info: dict) -> None:
        if phase == "start":
            started[0] = time.perf_counter()
            return
        ms = (time.perf_counter() - started[0]) * 1000
        if info["generation"] == 2 or ms > 1:
            log.write(f"{time.time():.3f} {info['generation']} {ms:.1f}\n")

    gc.callbacks.append(on_collection)


def _install_tuning(thresholds: tuple[int, ...]) -> None:
    from uvicorn.server import Server

    original = Server.startup

    async def startup(self, *args, **kwargs):
        await original(self, *args, **kwargs)  # the app's lifespan has run: courses, templates
        gc.collect()
        gc.freeze()
        gc.set_threshold(*thresholds)

    Server.startup = startup


if _IN_SERVER and _LOG:
    _install_log(_LOG)
if _IN_SERVER and _TUNE:
    _install_tuning(tuple(int(part) for part in _TUNE.split(",")))

"""Where a run's result goes (a JSON file for tools), and the time limit every run keeps."""

import json
import math
import signal
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent.parent / "results"


def _json_safe(value):
    """NaN (an empty sample) becomes null: the file stays strict JSON."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {key: _json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(item) for item in value]
    return value


def save(result: dict, bench: str = "live_broadcast") -> Path:
    RESULTS.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = RESULTS / f"{bench}-{stamp}-n{result['config']['trainees']}.json"
    path.write_text(json.dumps(_json_safe(result), indent=2, ensure_ascii=False) + "\n")
    return path


def bounded(max_seconds: int, work):
    """work(), stopped with a TimeoutError once it runs past max_seconds (every bench's limit)."""

    def give_up(_signum, _frame):
        raise TimeoutError("the bench ran past --max-seconds")

    signal.signal(signal.SIGALRM, give_up)
    signal.alarm(max_seconds)
    try:
        return work()
    finally:
        signal.alarm(0)

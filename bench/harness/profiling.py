"""Optional sampling of the server with py-spy while the rounds run (`--profile`).

py-spy writes collapsed stacks ("frame;frame;frame count" per line); `hot_functions` sums them
into the functions that hold the CPU, by self time and by inclusive time.
"""

import shutil
import signal
import subprocess
from collections import Counter
from contextlib import contextmanager, nullcontext
from pathlib import Path


def phase_file(prefix: Path, phase: str) -> Path:
    return prefix.with_name(f"{prefix.name}-{phase}.txt")


def phase_profile(pid: int, prefix: Path | None, phase: str):
    """py-spy over one phase when a file prefix is given (--profile), else nothing."""
    return py_spy(pid, phase_file(prefix, phase)) if prefix else nullcontext()


@contextmanager
def py_spy(pid: int, output: Path, rate: int = 250):
    """Record the process while the block runs; yields the output path, or None without py-spy."""
    command = shutil.which("py-spy")
    if command is None:
        print("  (--profile: py-spy is not installed; pip install py-spy)")
        yield None
        return
    recorder = subprocess.Popen(
        [
            command,
            "record",
            "--pid",
            str(pid),
            "--format",
            "raw",
            "--output",
            str(output),
            "--rate",
            str(rate),
            "--nonblocking",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield output
    finally:
        recorder.send_signal(signal.SIGINT)  # py-spy writes its file on SIGINT
        try:
            recorder.wait(30)
        except subprocess.TimeoutExpired:
            recorder.kill()
            recorder.wait(5)


def hot_functions(raw: Path, count: int = 15) -> dict:
    """The top functions by self samples and by inclusive samples, as percentages."""
    own, inclusive, total = Counter(), Counter(), 0
    for line in raw.read_text(errors="replace").splitlines():
        stack, _, samples = line.rpartition(" ")
        if not stack or not samples.isdigit():
            continue
        frames = stack.split(";")
        total += int(samples)
        own[frames[-1]] += int(samples)
        for frame in set(frames):
            inclusive[frame] += int(samples)

    def top(counter: Counter) -> list[tuple[str, float]]:
        return [(frame, round(100 * n / total, 1)) for frame, n in counter.most_common(count)]

    return {"samples": total, "self": top(own) if total else [], "inclusive": top(inclusive) if total else []}

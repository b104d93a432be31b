"""How long `kam serve` takes until its port accepts a connection, and until it says it runs.

    python scripts/startup_time.py [--runs 3]

Starts the real command in a fresh temporary DATA_DIR (so migrations and the first account run
too), polls the port, and prints both times per run; the README's figure comes from here.
"""

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def port_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _watch(server: subprocess.Popen, port: int, start: float, said: list) -> None:
    """Note when the command first says it is running, and whether its port answered then."""
    for line in server.stdout:
        if "running" in line and not said:
            said.append((time.monotonic() - start, port_open(port)))


def one_run() -> tuple[float, tuple[float, bool] | None]:
    port = free_port()
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "DATA_DIR": data, "PYTHONUNBUFFERED": "1"}
        env.pop("DATABASE_URL", None)
        command = [sys.executable, "-m", "app.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
        start = time.monotonic()
        server = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
        try:
            said: list[tuple[float, bool]] = []
            threading.Thread(target=_watch, args=(server, port, start, said), daemon=True).start()
            while not port_open(port):
                if server.poll() is not None:
                    raise SystemExit(f"kam serve ended with {server.returncode}")
                time.sleep(0.02)
            opened = time.monotonic() - start
            while not said and time.monotonic() - start < opened + 30:
                time.sleep(0.02)
            return opened, said[0] if said else None
        finally:
            server.terminate()
            server.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    for run in range(parser.parse_args().runs):
        opened, said = one_run()
        if said is None:
            told = "'running' never printed"
        else:
            port = "open" if said[1] else "REFUSED"
            told = f"'running' printed after {said[0]:.2f} s, the port {port} then"
        print(f"run {run + 1}: port open after {opened:.2f} s; {told}")


if __name__ == "__main__":
    main()

"""nginx in front of several processes, with the deployment's own `deploy/nginx.conf`: only the
upstream addresses and the port it listens on are changed for the test."""

import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from app.config import ROOT

SITE = ROOT / "deploy" / "nginx.conf"


def site_config(upstreams: list[int], port: int) -> str:
    """deploy/nginx.conf pointing at these local ports, listening on `port`."""
    site = SITE.read_text()
    servers = "".join(f"    server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;\n" for p in upstreams)
    site, replaced = re.subn(
        r"(upstream kam_workers \{\n(?:\s*#.*\n)*)(?:\s*server .*\n)+", rf"\g<1>{servers}", site
    )
    assert replaced == 1, "deploy/nginx.conf has no upstream block to point at the test's processes"
    site, replaced = re.subn(r"listen 80;", f"listen 127.0.0.1:{port};", site)
    assert replaced == 1
    return site


@contextmanager
def running_nginx(folder: Path, upstreams: list[int], port: int) -> Iterator[str]:
    """nginx (Debian's) on `port` in front of the upstreams; yields its URL."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "site.conf").write_text(site_config(upstreams, port))
    user = "user root;\n" if os.geteuid() == 0 else ""  # its workers read the test's folder
    (folder / "nginx.conf").write_text(
        f"{user}worker_processes 1;\npid {folder}/nginx.pid;\nerror_log {folder}/error.log;\n"
        "events { worker_connections 1024; }\n"
        f"http {{\n  access_log off;\n  client_body_temp_path {folder}/body;\n"
        f"  proxy_temp_path {folder}/proxy;\n  include {folder}/site.conf;\n}}\n"
    )
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    process = subprocess.Popen(
        [nginx, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g", "daemon off;"]
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"nginx ended: {(folder / 'error.log').read_text()[-2000:]}")
            try:
                if httpx.get(f"{url}/healthz", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("nginx did not answer within 60 s")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=15)

"""Vendor htmx 2 and its WebSocket extension into app/static/vendor/.

For each pinned npm package this script asks the npm registry for the version's
metadata, downloads the tarball, checks it against the registry's ``dist.shasum``
(sha1) and ``dist.integrity`` (SRI, sha512), and copies one file out of it
byte-for-byte. It then writes VERSIONS.json with each file's version and sha256.
Running it again with the same pins gives the same files.

To bump a version:
  1. change HTMX_VERSION or HTMX_EXT_WS_VERSION below (and, if upstream moved
     the file, its path inside the tarball in PINS);
  2. run ``python3 scripts/vendor_htmx.py``;
  3. run ``pytest tests/test_vendor.py`` and read the upstream changelog;
  4. commit this script together with app/static/vendor/.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import tarfile
import urllib.request
from pathlib import Path

HTMX_VERSION = "2.0.11"
HTMX_EXT_WS_VERSION = "2.0.4"

REGISTRY = "https://registry.npmjs.org"
VENDOR_DIR = Path(__file__).resolve().parent.parent / "app" / "static" / "vendor"

# npm package -> (version, file inside the tarball, file name in VENDOR_DIR)
PINS = {
    "htmx.org": (HTMX_VERSION, "package/dist/htmx.min.js", "htmx.min.js"),
    "htmx-ext-ws": (HTMX_EXT_WS_VERSION, "package/dist/ws.min.js", "ext-ws.min.js"),
}


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.read()


def verify(tarball: bytes, dist: dict) -> None:
    """Raise if the tarball does not match the registry's sha1 shasum and SRI integrity."""
    if hashlib.sha1(tarball).hexdigest() != dist["shasum"]:
        raise ValueError(f"sha1 mismatch for {dist['tarball']}")
    algorithm, _, expected = dist["integrity"].partition("-")
    actual = base64.b64encode(hashlib.new(algorithm, tarball).digest()).decode()
    if actual != expected:
        raise ValueError(f"{algorithm} integrity mismatch for {dist['tarball']}")


def extract(tarball: bytes, member: str) -> bytes:
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as tar:
        file = tar.extractfile(member)
        if file is None:
            raise ValueError(f"{member} is not a regular file")
        return file.read()


def write_if_changed(path: Path, data: bytes) -> None:
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)


def vendor(package: str, version: str, member: str, filename: str) -> dict:
    meta = json.loads(fetch(f"{REGISTRY}/{package}/{version}"))
    if meta["version"] != version:
        raise ValueError(f"registry returned {package} {meta['version']}, wanted {version}")
    tarball = fetch(meta["dist"]["tarball"])
    verify(tarball, meta["dist"])
    data = extract(tarball, member)
    write_if_changed(VENDOR_DIR / filename, data)
    return {"version": version, "file": filename, "sha256": hashlib.sha256(data).hexdigest()}


def main() -> None:
    VENDOR_DIR.mkdir(parents=True, exist_ok=True)
    versions = {}
    for package, (version, member, filename) in PINS.items():
        versions[package] = vendor(package, version, member, filename)
        print(f"{package} {version} -> {VENDOR_DIR / filename}")
    text = json.dumps(versions, indent=2) + "\n"
    write_if_changed(VENDOR_DIR / "VERSIONS.json", text.encode())


if __name__ == "__main__":
    main()

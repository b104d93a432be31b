"""The checkout the bench measures: its root (first on the import path, bench/__init__.py) and a
digest of the app and content a server ran.
"""

import hashlib
from pathlib import Path

from bench import ROOT


def digest(root: Path = ROOT) -> str:
    """A short fingerprint of app/ and content/ under root: which code a result was measured on."""
    hasher = hashlib.sha256()
    for part in ("app", "content"):
        for path in sorted((root / part).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                hasher.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return hasher.hexdigest()[:12]

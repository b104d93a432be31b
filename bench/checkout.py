"""This checkout's app, first on the import path: the bench measures the tree it lives in.

`pip install -e .` may point the environment at another clone (a CI run installs its own);
importing this module before `app` puts this repository ahead of it. The app server gets the
same path through PYTHONPATH (appserver.py).
"""

import hashlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

if str(ROOT) not in sys.path:
    sys.path.insert(1, str(ROOT))  # after the script's own folder, before site-packages


def digest(root: Path = ROOT) -> str:
    """A short fingerprint of app/ and content/ under root: which code a result was measured on."""
    hasher = hashlib.sha256()
    for part in ("app", "content"):
        for path in sorted((root / part).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                hasher.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return hasher.hexdigest()[:12]

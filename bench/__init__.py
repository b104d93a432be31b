"""Benchmarks of the live workshop app: a shared harness and one package per scenario (README.md).

Importing the package puts this checkout first on the import path, so that `app` is this tree's
even when `pip install -e .` points the environment at another clone (a CI run installs its own).
Every bench module is inside the package, so this runs before any of them imports `app`. The app
server gets the same tree through PYTHONPATH (harness/appserver.py).
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

if str(ROOT) not in sys.path[:1]:
    sys.path.insert(0, str(ROOT))

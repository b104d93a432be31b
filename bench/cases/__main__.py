"""python -m bench.cases: run.py's main."""

import sys

from bench.cases.run import main

if __name__ == "__main__":
    sys.exit(main())

"""python -m bench.plans: run.py's main."""

import sys

from bench.plans.run import main

if __name__ == "__main__":
    sys.exit(main())

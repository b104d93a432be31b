"""python -m bench.games: run.py's main."""

import sys

from bench.games.run import main

if __name__ == "__main__":
    sys.exit(main())

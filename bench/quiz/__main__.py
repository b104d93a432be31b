"""python -m bench.quiz: run.py's main."""

import sys

from bench.quiz.run import main

if __name__ == "__main__":
    sys.exit(main())

"""python -m bench.questionnaire: run.py's main."""

import sys

from bench.questionnaire.run import main

if __name__ == "__main__":
    sys.exit(main())

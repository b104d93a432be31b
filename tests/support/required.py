"""What a test needs from the machine (a browser, Redis, nginx): without it the test skips, except
under CI=true, where a missing piece fails the run instead."""

import os

import pytest


def missing(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (required under CI=true)")
    pytest.skip(reason)

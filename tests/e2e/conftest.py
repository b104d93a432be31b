"""A real server process and Debian's Chromium. Under CI=true nothing here may skip."""

import shutil
from pathlib import Path

import pytest

from tests.support.required import missing
from tests.support.server import running_server

try:
    from playwright.sync_api import expect

    # What a page should come to show, waited for generously: a busy machine is slower, not wrong.
    expect.set_options(timeout=30_000)
except ImportError:  # the browser fixture says so and skips
    pass

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def server(tmp_path):
    with running_server(tmp_path) as running:
        yield running


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module (sync Playwright holds an event loop while it runs)."""
    if not shutil.which(CHROMIUM):
        missing("Debian's chromium is not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("playwright is not installed")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def shots():
    """Where screenshots of what people see go (looked at by hand, not compared)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS

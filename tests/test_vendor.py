"""The vendored htmx files match VERSIONS.json and the pins in scripts/vendor_htmx.py."""

import hashlib
import importlib.util
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VENDOR_DIR = ROOT / "app" / "static" / "vendor"


@pytest.fixture(scope="module")
def script():
    spec = importlib.util.spec_from_file_location("vendor_htmx", ROOT / "scripts" / "vendor_htmx.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def versions():
    return json.loads((VENDOR_DIR / "VERSIONS.json").read_text())


def test_every_file_exists_with_recorded_sha256(versions):
    assert versions
    for package, entry in versions.items():
        path = VENDOR_DIR / entry["file"]
        assert path.is_file(), f"{package}: {path} missing"
        assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"], package


def test_versions_match_pins(script, versions):
    recorded = {pkg: (e["version"], e["file"]) for pkg, e in versions.items()}
    pinned = {pkg: (version, name) for pkg, (version, _, name) in script.PINS.items()}
    assert recorded == pinned
    assert versions["htmx.org"]["version"] == script.HTMX_VERSION
    assert versions["htmx-ext-ws"]["version"] == script.HTMX_EXT_WS_VERSION


def test_htmx_file_reports_pinned_version(script):
    source = (VENDOR_DIR / "htmx.min.js").read_text(encoding="utf-8")
    assert re.findall(r'version:"([^"]+)"', source) == [script.HTMX_VERSION]


def test_ws_file_is_the_ws_extension():
    source = (VENDOR_DIR / "ext-ws.min.js").read_text(encoding="utf-8")
    assert 'htmx.defineExtension("ws"' in source

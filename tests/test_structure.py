"""The shape of app/: every module imports on its own, no import circle, the core never imports a
kind, and the list of kinds is read only by the entry points."""

import ast
import subprocess
import sys
from pathlib import Path

from app.config import ROOT

APP = ROOT / "app"
ENTRY_POINTS = {"app.main", "app.cli"}  # they choose the kinds the app runs
CORE = ("app.live", "app.points", "app.course", "app.plans", "app.customers", "app.auth", "app.exports")
# What kinds share (the team games' engine) must not reach into a kind either.
SHARED = ("app.games",)

# Imports the third-party packages once, then imports each module of app/ in a forked child that
# has no module of app/ loaded yet: a fresh interpreter for app/, without paying its start-up.
_IMPORT_EACH = """
import importlib, os, sys, traceback
import fastapi, sqlmodel, pydantic, jinja2, docx, openpyxl, segno, yaml, markdown_it, PIL  # noqa
failed = []
for name in sys.argv[1:]:
    pid = os.fork()
    if pid == 0:
        try:
            importlib.import_module(name)
        except BaseException:
            traceback.print_exc()
            os._exit(1)
        os._exit(0)
    if os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) != 0:
        failed.append(name)
print("FAILED:", " ".join(failed))
sys.exit(1 if failed else 0)
"""


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def app_modules() -> dict[str, Path]:
    """Every module of app/ except the migration scripts (Alembic runs them, nothing imports them)."""
    return {module_name(p): p for p in sorted(APP.rglob("*.py")) if "alembic" not in p.parts}


def imports_of(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The modules of app/ this one imports, anywhere in it (a function's import counts too)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*up, base] if base else up)
            found |= {f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names}
    return {module for module in found if module in known and module != name}


def import_graph() -> dict[str, set[str]]:
    known = app_modules()
    return {name: imports_of(name, path, known) for name, path in known.items()}


def circles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = set(stack[stack.index(node) :])
            del stack[stack.index(node) :]
            if len(group) > 1:
                found.append(group)

    for node in graph:
        if node not in index:
            visit(node)
    return found


def is_kind(module: str) -> bool:
    """A kind is a package under app/modules/ (its modules count too); the contract, the round
    clock and the other single modules there are what kinds share."""
    parts = module.split(".")
    return len(parts) >= 3 and parts[:2] == ["app", "modules"] and (APP / "modules" / parts[2]).is_dir()


def test_every_module_of_app_imports_on_its_own():
    names = sorted(app_modules())
    run = subprocess.run(
        [sys.executable, "-c", _IMPORT_EACH, *names], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert run.returncode == 0, run.stdout + run.stderr[-4000:]


def test_no_import_circle_in_app():
    assert circles(import_graph()) == []


def test_the_circle_check_finds_a_circle():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [{"a", "b", "c"}]


def test_the_core_and_the_shared_engine_never_import_a_kind():
    graph = import_graph()
    reaching = {
        (module, imported)
        for module, imports in graph.items()
        if module.startswith(CORE + SHARED)
        for imported in imports
        if is_kind(imported) or imported == "app.kinds"
    }
    assert reaching == set()


def test_only_the_entry_points_read_the_list_of_kinds():
    readers = {module for module, imports in import_graph().items() if "app.kinds" in imports}
    assert readers <= ENTRY_POINTS


def test_what_counts_as_a_kind():
    assert is_kind("app.modules.quiz") and is_kind("app.modules.case.tags")
    assert not is_kind("app.modules.contract") and not is_kind("app.modules.clock")

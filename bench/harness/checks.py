"""A bench's checks: each a (label, where in the result, test, what the test says), judged
against the result, and the lines that end every bench's table but the live broadcast's."""

from bench.harness.tables import cell


def dig(result: dict, path: tuple[str, ...]):
    """The figure at `path` in the result (a key at each level)."""
    for key in path:
        result = result[key]
    return result


def judge(result: dict, checks: list) -> list[dict]:
    return [
        {
            "check": label,
            "expected": expected,
            "measured": dig(result, path),
            "met": bool(test(dig(result, path))),
        }
        for label, path, test, expected in checks
    ]


def check_lines(verdicts: list[dict]) -> list[str]:
    return [
        "checks:",
        *(
            f"  {'met    ' if v['met'] else 'MISSED '} {v['check']:<42} expected "
            f"{v['expected']:<6} measured {_shown(v['measured'])}"
            for v in verdicts
        ),
    ]


def error_and_check_lines(result: dict, row_of) -> list[str]:
    """The end of every bench's table but the live broadcast's: the errors by kind, then the checks."""
    return [
        "",
        row_of("errors", result["errors"]),
        *(row_of(f"  {name}", count) for name, count in result["error_counts"].items()),
        "",
        *check_lines(result["checks"]),
    ]


def _shown(value) -> str:
    return ("yes" if value else "no") if isinstance(value, bool) else cell(value)


ERRORS = ("errors", ("errors",), lambda v: v == 0, "none")  # every bench's first check


def zero(label: str, path: tuple[str, ...]) -> tuple:
    """A check that the figure at `path` is 0."""
    return (label, path, lambda v: v == 0, "0")

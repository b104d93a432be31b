"""The tables the benches print: a line of figures, a stats summary, the machine, py-spy's
hottest functions."""

import math


def row(label: str, *values, label_width: int = 46, width: int = 10) -> str:
    """A table line: the label, then each figure right-aligned."""
    return f"  {label:<{label_width}}" + "".join(f"{cell(value):>{width}}" for value in values)


def summary_row(label: str, summary: dict, **widths) -> str:
    """A table line of a stats summary: count, p50, p95, p99, max."""
    return row(label, *(summary[k] for k in ("count", "p50", "p95", "p99", "max")), **widths)


def cell(value) -> str:
    """A figure as the tables show it: NaN as '-', floats to 0.1, thousands separated."""
    if isinstance(value, float) and math.isnan(value):
        return "-"
    if isinstance(value, float):
        return f"{value:,.1f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def machine_line(host: dict) -> str:
    """The machine under every bench's table: its size, and how busy it was before the run."""
    return (
        f"machine: {host['cores']} cores, {host['memory_gib']} GiB, "
        f"{host['busy_cores_at_start']} cores busy with other work at the start"
    )


def profile_lines(result: dict, top: int = 10) -> list[str]:
    lines = []
    for phase, profile in result.get("profile", {}).items():
        lines += [
            "",
            f"app server during the {phase} ({profile['samples']} py-spy samples, "
            f"{profile['file']}), top self time:",
            *(f"  {share:5.1f}%  {frame}" for frame, share in profile["self"][:top]),
        ]
    return lines


def opening(title: str, result: dict, row_of, label: str, second: str = "connects") -> list[str]:
    """A bench's first lines: its title, the machine, and how fast the trainees joined and their
    `second` phase (websockets, editors) opened."""
    return [
        title,
        machine_line(result["machine"]),
        "",
        row_of(label, result["joins"]["per_second"], result[second]["per_second"]),
    ]

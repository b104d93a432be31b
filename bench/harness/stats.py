"""Summaries of latency samples: percentiles by the nearest-rank method."""

import math


def percentile(sorted_values: list[float], p: float) -> float:
    """The smallest value with at least p percent of the samples at or below it."""
    if not sorted_values:
        return math.nan
    rank = max(math.ceil(p / 100 * len(sorted_values)), 1)
    return sorted_values[rank - 1]


def summary(values: list[float]) -> dict:
    """count, mean, p50, p95, p99 and max, rounded to 0.1 (NaN for an empty list)."""
    ordered = sorted(values)
    figures = {
        "mean": sum(ordered) / len(ordered) if ordered else math.nan,
        "p50": percentile(ordered, 50),
        "p95": percentile(ordered, 95),
        "p99": percentile(ordered, 99),
        "max": ordered[-1] if ordered else math.nan,
    }
    return {"count": len(ordered), **{key: round(value, 1) for key, value in figures.items()}}


def ratio(numerator: float, denominator: float) -> float:
    if not denominator or math.isnan(numerator) or math.isnan(denominator):
        return math.nan
    return round(numerator / denominator, 2)

"""Small statistics for noisy shared machines: medians, percentiles, geometric means."""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolated percentile (q in 0..100); with few samples p99 is close to the max."""
    if not values:
        return math.nan
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    pos = (len(ordered) - 1) * q / 100.0
    lo = math.floor(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else math.nan


def geomean(values: Iterable[float]) -> float:
    """Geometric mean of positive finite values (NaN when there are none)."""
    logs = [math.log(v) for v in values if v > 0 and math.isfinite(v)]
    return math.exp(sum(logs) / len(logs)) if logs else math.nan


@dataclass
class Samples:
    """Wall-clock samples of one measurement, in seconds; ``censored`` ones hit a timeout."""

    values: list[float] = field(default_factory=list)
    censored: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, seconds: float) -> None:
        self.values.append(seconds)

    @property
    def n(self) -> int:
        return len(self.values)

    @property
    def p50(self) -> float:
        return median(self.values)

    @property
    def p99(self) -> float:
        return percentile(self.values, 99)

    @property
    def total(self) -> float:
        return sum(self.values)

    def as_dict(self) -> dict[str, object]:
        return {
            "n": self.n,
            "p50_ms": _ms(self.p50),
            "p99_ms": _ms(self.p99),
            "min_ms": _ms(min(self.values)) if self.values else None,
            "censored": self.censored,
            "errors": self.errors[:3],
        }


def _ms(seconds: float) -> float | None:
    return round(seconds * 1000, 3) if math.isfinite(seconds) else None


def ratio(a: float, b: float) -> float:
    """a / b, NaN when either is missing or b is zero."""
    if not (math.isfinite(a) and math.isfinite(b)) or b == 0:
        return math.nan
    return a / b


def fmt(value: float | None, digits: int = 2) -> str:
    if value is None or not math.isfinite(value):
        return "-"
    if abs(value) >= 100:
        return f"{value:.0f}"
    return f"{value:.{digits}f}"

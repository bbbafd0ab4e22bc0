"""What a suite hands back: tables to print, targets to check, and a JSON-able record."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from bench.stats import fmt


@dataclass
class Table:
    title: str
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)

    def render(self) -> str:
        widths = [len(h) for h in self.header]
        for row in self.rows:
            for i, cell in enumerate(row):
                widths[i] = max(widths[i], len(cell))
        lines = [self.title]

        def line(cells: list[str]) -> str:
            return "  ".join(
                c.ljust(widths[i]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(cells)
            )

        lines.append(line(self.header))
        lines.append("  ".join("-" * w for w in widths))
        lines += [line(r) for r in self.rows]
        return "\n".join(lines)


@dataclass
class Target:
    """A target from issues 5 and 6. Only ``ratio`` targets decide the exit status."""

    name: str
    measured: float | None
    op: str  # "<=" or ">="
    bound: float
    ratio: bool = True
    note: str = ""

    @property
    def ok(self) -> bool | None:
        if self.measured is None or not math.isfinite(self.measured):
            return None
        return self.measured <= self.bound if self.op == "<=" else self.measured >= self.bound

    @property
    def verdict(self) -> str:
        ok = self.ok
        if ok is None:
            return "not measured"
        if ok:
            return "met"
        return "MISSED" if self.ratio else "missed (absolute, informational)"

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "measured": self.measured
            if self.measured is not None and math.isfinite(self.measured)
            else None,
            "target": f"{self.op} {self.bound}",
            "ratio_target": self.ratio,
            "ok": self.ok,
            "note": self.note,
        }

    def row(self) -> list[str]:
        m = fmt(self.measured, 3) if self.measured is not None else "-"
        return [self.name, m, f"{self.op} {self.bound:g}", self.verdict, self.note]


@dataclass
class SuiteResult:
    name: str
    tables: list[Table] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    record: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    skipped: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "skipped": self.skipped,
            "notes": self.notes,
            "targets": [t.as_dict() for t in self.targets],
            **self.record,
        }

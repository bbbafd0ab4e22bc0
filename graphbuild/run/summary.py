"""What each article gave the graph, and what it lost: the per-article lines of a build.

Nothing is dropped silently. For every built article the build can say how many facts went
into its graph, how many meetings were kept without a date (the article does not give their
day), and which facts were seen but left out and why: the extraction rules' own drops
(``Annotations.dropped``) and what the mapper left out (``Mapped.omitted``). The summary is
small plain data, so it travels back from worker processes and Dask workers with the graph.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from rdflib import RDF, Graph

from graphbuild.annotations import Annotations
from graphbuild.vocabulary import DG

_KINDS = (
    ("Meeting", "held meeting"),
    ("ScheduledMeeting", "scheduled meeting"),
    ("Signing", "signing"),
    ("Event", "other event"),
    ("Role", "role"),
    ("Quotation", "quotation"),
)

REASONS = {
    "no-date": "no date could be resolved",
    "unresolved-participant": "a participant could not be resolved to a named person",
    "too-few-participants": "fewer than two named people",
    "no-party": "no country or organisation to act for",
    "no-speaker": "no speaker",
    "date-after-reference": "dated after the article's reference date",
    "other": "other",
    "mapping": "left out when writing the graph",
}
"""Readable forms of ``DroppedFact.reason`` (and of the mapper's omissions)."""


@dataclass(frozen=True)
class Dropped:
    kind: str
    reason: str
    detail: str = ""


@dataclass
class FactSummary:
    """One article's facts in the graph, those kept without a date, and those left out."""

    kept: dict[str, int] = field(default_factory=dict)
    """Nodes per kind (``Meeting``, ``ScheduledMeeting``, ``Signing``, ``Event``, ``Role``,
    ``Quotation``) in the article's graph."""
    undated: int = 0
    """Meetings (held or scheduled) in the graph without a ``dg:date``."""
    dropped: list[Dropped] = field(default_factory=list)
    reference_date: dt.date | None = None
    published: dt.date | None = None

    @property
    def total(self) -> int:
        return sum(self.kept.values())

    def line(self, article_id: str) -> str:
        """``id: N facts (…); K meeting(s) kept without a date; dropped D: …``."""
        parts = []
        kinds = ", ".join(
            f"{self.kept[k]} {label}{'s' if self.kept[k] != 1 else ''}"
            for k, label in _KINDS
            if self.kept.get(k)
        )
        parts.append(f"{self.total} fact(s)" + (f" ({kinds})" if kinds else ""))
        if self.undated:
            parts.append(f"{self.undated} meeting(s) kept without a date")
        if self.dropped:
            counts = Counter((d.kind, d.reason) for d in self.dropped)
            listed = "; ".join(
                f"{n} {kind} ({REASONS.get(reason, reason)})"
                for (kind, reason), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
            )
            parts.append(f"dropped {len(self.dropped)}: {listed}")
        text = f"{article_id}: " + "; ".join(parts)
        if self.reference_date is None and (self.undated or self._dropped_for_date()):
            text += (
                "\n  hint: the article has no reference date (no 'published' in its metadata, "
                "no dateline): give one in its .json sidecar, or build with --reference-date "
                "YYYY-MM-DD; `diplograph explain` shows each fact"
            )
        return text

    def _dropped_for_date(self) -> bool:
        return any(d.reason == "no-date" for d in self.dropped)

    @property
    def noteworthy(self) -> bool:
        """Whether the build should print a line for this article (something was lost)."""
        return bool(self.undated or self.dropped)


def summarise(ann: Annotations, graph: Graph, omitted: list[str]) -> FactSummary:
    """The summary of one article from its mapped (not yet materialised) graph."""
    kept: dict[str, int] = {}
    for kind, _label in _KINDS:
        n = sum(1 for _ in graph.subjects(RDF.type, DG[kind]))
        if n:
            kept[kind] = n
    meetings = {
        *graph.subjects(RDF.type, DG.Meeting),
        *graph.subjects(RDF.type, DG.ScheduledMeeting),
    }
    undated = sum(1 for m in meetings if graph.value(m, DG.date) is None)
    dropped = [Dropped(d.kind, d.reason, d.detail) for d in ann.dropped]
    dropped += [
        Dropped(_omitted_kind(text), "mapping", text) for text in omitted if "left out" in text
    ]
    return FactSummary(kept, undated, dropped, ann.reference_date, ann.article.published)


def _omitted_kind(text: str) -> str:
    """The kind of fact a mapper omission is about (its text starts with where it is)."""
    head = text.split(":", 1)[0]
    if text.endswith("left out of the event"):
        return "Participant"
    if text.endswith("location left out"):
        return "Location"
    if head.startswith("roles"):
        return "Role"
    if head.startswith("quotations"):
        return "Quotation"
    if head.startswith("anniversaries"):
        return "Anniversary"
    if "(" in head and head.endswith(")"):
        return head.rsplit("(", 1)[1][:-1]
    return "Event"

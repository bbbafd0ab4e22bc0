"""``Annotations``: the documented intermediate representation between text and RDF.

Extraction produces it, the mapper consumes it, and a researcher can read, correct and
re-submit it as JSON (``<article-id>.annotations.json`` next to the article overrides
extraction for that article and is marked curated in provenance). Entity references inside
one ``Annotations`` are local ids (``"e1"``); IRIs are minted later by the mapper.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from graphbuild.errors import AnnotationsError

EntityType = Literal["Person", "Country", "Organization", "Place", "Agreement"]
EventKind = Literal["Meeting", "ScheduledMeeting", "Signing", "Event"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


class Evidence(_Model):
    """A text span: 0-based ``[start, end)`` character offsets into the article text."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    exact: str

    @model_validator(mode="after")
    def _ordered(self) -> Evidence:
        if self.end < self.start:
            raise ValueError(f"evidence end {self.end} is before start {self.start}")
        return self

    def trimmed(self) -> Evidence:
        """The span without the whitespace around it (offsets moved to match); as is if blank."""
        lead = len(self.exact) - len(self.exact.lstrip())
        trail = len(self.exact) - len(self.exact.rstrip())
        if not (lead or trail) or lead == len(self.exact):
            return self
        return Evidence(
            start=self.start + lead,
            end=self.end - trail,
            exact=self.exact[lead : len(self.exact) - trail],
        )


class Provenance(_Model):
    """Which rule made a fact, and how sure it is."""

    rule: str = "curated"
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)


class Entity(_Model):
    id: str
    type: EntityType
    label: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    qid: str | None = Field(default=None, pattern=r"^Q[0-9]+$")
    link_source: str | None = None
    mentions: list[Evidence] = Field(default_factory=list)
    slug: str | None = Field(default=None, pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
    """The last segment of the entity's IRI when the linker chose it (``sergey-lavrov``):
    a linked person's from their canonical label, so every spelling gives one node per
    Wikidata item. Left empty, the mapper derives it from the label (or the QID)."""


class Role(_Model):
    """A person's office: holder acts for party with the title as written."""

    holder: str
    party: str
    title: str = Field(min_length=1)
    evidence: list[Evidence] = Field(default_factory=list)
    provenance: Provenance = Field(default_factory=Provenance)


class Event(_Model):
    """A held meeting, a scheduled meeting, a signing, or another dated event."""

    id: str
    kind: EventKind
    date: dt.date | None = None
    participants: list[str] = Field(default_factory=list)
    place: str | None = None
    agreement: str | None = None
    signatories: list[str] = Field(default_factory=list)
    label: str | None = None
    evidence: list[Evidence] = Field(default_factory=list)
    provenance: Provenance = Field(default_factory=Provenance)


class Anniversary(_Model):
    """``event`` marks the ``number``-th anniversary of the earlier event ``of``."""

    event: str
    of: str
    number: int = Field(ge=1)
    evidence: list[Evidence] = Field(default_factory=list)
    provenance: Provenance = Field(default_factory=Provenance)


class Quotation(_Model):
    speaker: str
    text: str = Field(min_length=1)
    context: str | None = None
    evidence: list[Evidence] = Field(default_factory=list)
    provenance: Provenance = Field(default_factory=Provenance)


DropReason = Literal[
    "no-date",
    "unresolved-participant",
    "too-few-participants",
    "no-party",
    "no-speaker",
    "date-after-reference",
    "other",
]


class DroppedFact(_Model):
    """A fact the rules saw but did not keep, and why: nothing is dropped silently.

    Kept apart from the facts (never mapped to RDF) so ``build`` and ``explain`` can say what
    an article lost and a researcher can correct it by hand in a curated annotations file.
    """

    kind: Literal["Meeting", "ScheduledMeeting", "Role", "Quotation", "Anniversary", "Event"]
    reason: DropReason
    detail: str = ""
    evidence: list[Evidence] = Field(default_factory=list)


class ArticleInfo(_Model):
    id: str
    text: str
    title: str | None = None
    url: str | None = None
    published: dt.date | None = None
    source: str | None = None
    language: str = "en"
    normaliser: str | None = None
    """What normalised ``text`` at ingest (a versioned name); offsets index the normalised text."""


class Annotations(_Model):
    """Everything extracted from one article, with evidence for each fact."""

    article: ArticleInfo
    extractor: str
    curated: bool = False
    reference_date: dt.date | None = None
    entities: list[Entity] = Field(default_factory=list)
    roles: list[Role] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    anniversaries: list[Anniversary] = Field(default_factory=list)
    quotations: list[Quotation] = Field(default_factory=list)
    dropped: list[DroppedFact] = Field(default_factory=list)

    @model_validator(mode="after")
    def _references_resolve(self) -> Annotations:
        entity_ids = {e.id for e in self.entities}
        event_ids = {e.id for e in self.events}
        problems: list[str] = []

        def need(ref: str | None, ids: set[str], what: str) -> None:
            if ref is not None and ref not in ids:
                problems.append(f"{what} refers to unknown id '{ref}'")

        for i, role in enumerate(self.roles):
            need(role.holder, entity_ids, f"roles[{i}].holder")
            need(role.party, entity_ids, f"roles[{i}].party")
        for ev in self.events:
            for p in ev.participants:
                need(p, entity_ids, f"event {ev.id} participant")
            for s in ev.signatories:
                need(s, entity_ids, f"event {ev.id} signatory")
            need(ev.place, entity_ids, f"event {ev.id} place")
            need(ev.agreement, entity_ids, f"event {ev.id} agreement")
        for i, ann in enumerate(self.anniversaries):
            need(ann.event, event_ids, f"anniversaries[{i}].event")
            need(ann.of, event_ids, f"anniversaries[{i}].of")
        for i, q in enumerate(self.quotations):
            need(q.speaker, entity_ids, f"quotations[{i}].speaker")
            need(q.context, event_ids, f"quotations[{i}].context")
        n = len(self.article.text)
        for where, spans in self._all_evidence():
            for span in spans:
                if span.end > n or self.article.text[span.start : span.end] != span.exact:
                    problems.append(
                        f"{where}: evidence [{span.start}, {span.end}) does not match the "
                        f"article text ({span.exact[:40]!r})"
                    )
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def _all_evidence(self) -> list[tuple[str, list[Evidence]]]:
        out: list[tuple[str, list[Evidence]]] = []
        out += [(f"entity {e.id}", e.mentions) for e in self.entities]
        out += [(f"roles[{i}]", r.evidence) for i, r in enumerate(self.roles)]
        out += [(f"event {e.id}", e.evidence) for e in self.events]
        out += [(f"anniversaries[{i}]", a.evidence) for i, a in enumerate(self.anniversaries)]
        out += [(f"quotations[{i}]", q.evidence) for i, q in enumerate(self.quotations)]
        out += [(f"dropped[{i}]", d.evidence) for i, d in enumerate(self.dropped)]
        return out

    def entity(self, entity_id: str) -> Entity:
        for e in self.entities:
            if e.id == entity_id:
                return e
        raise KeyError(entity_id)

    def to_json(self) -> str:
        return self.model_dump_json(indent=2)


def load_annotations(path: Path) -> Annotations:
    """Read a (curated) annotations file, naming the file and the broken field on error."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise AnnotationsError(f"cannot read: {exc.strerror}", where=str(path)) from exc
    except json.JSONDecodeError as exc:
        raise AnnotationsError(
            f"not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}", where=str(path)
        ) from exc
    try:
        return Annotations.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise AnnotationsError(
            f"{exc.error_count()} problem(s); first at {loc}: {first['msg']}", where=str(path)
        ) from exc

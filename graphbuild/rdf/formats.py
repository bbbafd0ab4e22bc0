"""Serialisation formats and HTTP content negotiation, shared by the CLI, /sparql and /export.

Formats are enums looked up by name, media type or file extension (as oxigraph's
``RdfFormat.from_media_type``), so a ``format=`` parameter, an ``Accept`` header and a file
name all resolve through one table. ``negotiate`` implements RFC 9110 proactive negotiation
(q-values, specificity, ``q=0`` exclusions); ties go to the server's order of preference.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from types import MappingProxyType
from typing import Protocol, TypeVar

import pyoxigraph as ox


class _Format(Protocol):
    @property
    def media_types(self) -> tuple[str, ...]: ...


F = TypeVar("F", bound=_Format)


def _normalise(text: str) -> str:
    return text.strip().lower().split(";")[0].strip().lstrip(".")


class GraphFormat(Enum):
    """RDF serialisations of graphs and datasets (exports, CONSTRUCT/DESCRIBE results)."""

    key: str
    media_types: tuple[str, ...]
    extension: str
    aliases: tuple[str, ...]
    datasets: bool

    TURTLE = (
        "turtle",
        ("text/turtle", "application/x-turtle", "application/turtle", "text/n3", "text/rdf+n3"),
        "ttl",
        ("ttl", "n3"),  # Turtle is valid N3, so N3 clients are served Turtle
        False,
    )
    N_TRIPLES = ("ntriples", ("application/n-triples",), "nt", ("nt", "n-triples"), False)
    JSON_LD = (
        "jsonld",
        ("application/ld+json", "application/json"),
        "jsonld",
        ("json-ld", "json"),
        True,
    )
    RDF_XML = (
        "rdfxml",
        ("application/rdf+xml", "application/xml", "text/xml"),
        "rdf",
        ("rdf", "xml", "rdf-xml", "rdf+xml", "owl"),
        False,
    )
    TRIG = ("trig", ("application/trig",), "trig", (), True)
    N_QUADS = ("nquads", ("application/n-quads",), "nq", ("nq", "n-quads"), True)

    def __init__(
        self,
        key: str,
        media_types: tuple[str, ...],
        extension: str,
        aliases: tuple[str, ...],
        datasets: bool,
    ) -> None:
        self.key = key
        self.media_types = media_types
        self.extension = extension
        self.aliases = aliases
        self.datasets = datasets  # carries named graphs (TriG, N-Quads, JSON-LD)

    @property
    def media_type(self) -> str:
        return self.media_types[0]

    @property
    def content_type(self) -> str:
        return f"{self.media_type}; charset=utf-8"

    @property
    def ox(self) -> ox.RdfFormat:
        return _OX_RDF[self.key]

    @property
    def iri(self) -> str:
        """The W3C format IRI (``http://www.w3.org/ns/formats/…``) for service descriptions."""
        return str(self.ox.iri)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.key, self.extension, *self.aliases, *self.media_types)

    @classmethod
    def lookup(cls, text: str) -> GraphFormat:
        """A format by name, alias, media type or extension; ``ValueError`` lists the choices."""
        wanted = _normalise(text)
        for fmt in cls:
            if wanted in fmt.names:
                return fmt
        raise ValueError(_unknown("RDF format", text, [f.key for f in cls]))


class ResultsFormat(Enum):
    """SPARQL query results serialisations (SELECT and ASK)."""

    key: str
    media_types: tuple[str, ...]
    extension: str
    aliases: tuple[str, ...]

    JSON = ("json", ("application/sparql-results+json", "application/json"), "srj", ("srj",))
    XML = (
        "xml",
        ("application/sparql-results+xml", "application/xml", "text/xml"),
        "srx",
        ("srx",),
    )
    CSV = ("csv", ("text/csv",), "csv", ())
    TSV = ("tsv", ("text/tab-separated-values",), "tsv", ())

    def __init__(
        self, key: str, media_types: tuple[str, ...], extension: str, aliases: tuple[str, ...]
    ) -> None:
        self.key = key
        self.media_types = media_types
        self.extension = extension
        self.aliases = aliases

    @property
    def media_type(self) -> str:
        return self.media_types[0]

    @property
    def content_type(self) -> str:
        return f"{self.media_type}; charset=utf-8"

    @property
    def ox(self) -> ox.QueryResultsFormat:
        return _OX_RESULTS[self.key]

    @property
    def iri(self) -> str:
        return str(self.ox.iri)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.key, self.extension, *self.aliases, *self.media_types)

    @classmethod
    def lookup(cls, text: str) -> ResultsFormat:
        wanted = _normalise(text)
        for fmt in cls:
            if wanted in fmt.names:
                return fmt
        raise ValueError(_unknown("results format", text, [f.key for f in cls]))


_OX_RDF = MappingProxyType(
    {
        "turtle": ox.RdfFormat.TURTLE,
        "ntriples": ox.RdfFormat.N_TRIPLES,
        "jsonld": ox.RdfFormat.JSON_LD,
        "rdfxml": ox.RdfFormat.RDF_XML,
        "trig": ox.RdfFormat.TRIG,
        "nquads": ox.RdfFormat.N_QUADS,
    }
)
_OX_RESULTS = MappingProxyType(
    {
        "json": ox.QueryResultsFormat.JSON,
        "xml": ox.QueryResultsFormat.XML,
        "csv": ox.QueryResultsFormat.CSV,
        "tsv": ox.QueryResultsFormat.TSV,
    }
)


def _unknown(what: str, text: str, keys: Iterable[str]) -> str:
    return f"unknown {what} '{text}'; choose one of: {', '.join(keys)}"


# ---- content negotiation ------------------------------------------------------------------


@dataclass(frozen=True)
class MediaRange:
    """One entry of an ``Accept`` header, such as ``text/*;q=0.5``."""

    type: str
    subtype: str
    q: float

    def matches(self, media_type: str) -> bool:
        t, _, s = media_type.partition("/")
        return self.type in ("*", t) and self.subtype in ("*", s)

    @property
    def specificity(self) -> int:
        return (self.type != "*") + (self.subtype != "*")


def parse_accept(header: str) -> list[MediaRange]:
    """The media ranges of an ``Accept`` header; malformed entries are skipped, not fatal."""
    ranges: list[MediaRange] = []
    for part in header.split(","):
        fields = [f.strip() for f in part.split(";")]
        kind = fields[0].lower()
        if "/" not in kind:
            if kind == "*":
                kind = "*/*"
            else:
                continue
        t, _, s = kind.partition("/")
        if not t or not s or (t == "*" and s != "*"):
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append(MediaRange(t, s, q))
    return ranges


def quality(ranges: Sequence[MediaRange], media_type: str) -> float:
    """The q-value the client gives ``media_type``: that of the most specific matching range."""
    best: MediaRange | None = None
    for r in ranges:
        if r.matches(media_type) and (best is None or r.specificity > best.specificity):
            best = r
    return best.q if best is not None else 0.0


def negotiate(accept: str | None, offers: Sequence[str]) -> str | None:
    """The best of ``offers`` (server preference order) for ``accept``; ``None`` = 406.

    A missing or empty ``Accept`` means anything goes, so the first offer wins.
    """
    if not offers:
        return None
    if accept is None or not accept.strip():
        return offers[0]
    ranges = parse_accept(accept)
    if not ranges:
        return offers[0]
    best, best_q = None, 0.0
    for offer in offers:
        q = quality(ranges, offer)
        if q > best_q:
            best, best_q = offer, q
    return best


def negotiate_format(formats: Iterable[F], accept: str | None, default: F) -> F | None:
    """The one of ``formats`` that ``accept`` prefers (``default`` first among equals)."""
    offers: list[str] = list(default.media_types)
    owner: dict[str, F] = dict.fromkeys(default.media_types, default)
    for fmt in formats:
        for media_type in fmt.media_types:
            if media_type not in owner:
                owner[media_type] = fmt
                offers.append(media_type)
    chosen = negotiate(accept, offers)
    return owner[chosen] if chosen is not None else None

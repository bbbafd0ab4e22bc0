"""Bulk import of existing RDF (a Wikidata subset, another project's dump) into the store.

pyoxigraph's bulk loader is the fastest way in (about 2x its transactional ``load``) but is
not transactional: a syntax error half-way through a file would leave half of it loaded. So
an import reads the file twice: first one streaming pass that checks the syntax, collects
the named graphs the file writes to, hashes it and spools its triples for the merged default
graph; then the bulk loads (the file into its graphs, the spool into the default graph). A
malformed file is refused with its line and column before anything is written. Each graph
the file fills is replaced (dropped first), and gets an import record in
``{base}graph/builds`` written last, in one transaction: a graph without its record is an
import that was interrupted (killed, disk full), which the next ``diplograph load`` of the
same file repairs.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, cast
from urllib.parse import quote, unquote

import pyoxigraph as ox

from graphbuild.errors import ConfigError, RdfSyntaxError, StoreError
from graphbuild.rdf.formats import GraphFormat
from graphbuild.store.embedded import GraphStore, drop_graph
from graphbuild.store.records import ArticleRecord, record_lines

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

IMPORTER = "diplograph.load"


@dataclass
class ImportReport:
    """What one file put into the store."""

    path: Path
    format: GraphFormat
    quads: int = 0
    graphs: list[str] = field(default_factory=list)


def import_graph_iri(store: GraphStore, path: Path) -> str:
    """Where a triples file (or a quads file's default graph) goes unless told otherwise."""
    return f"{store.base}graph/import/{quote(_stem(path), safe='')}"


def _is_gzip(path: Path) -> bool:
    """Gzip is told by the name, as curl, rapper and riot do: ``data.nq.gz``."""
    return path.name.endswith(".gz")


def _stem(path: Path) -> str:
    return path.name[: -len(".gz")] if _is_gzip(path) else path.name


def guess_format(path: Path) -> GraphFormat:
    suffix = Path(_stem(path)).suffix
    try:
        return GraphFormat.lookup(suffix or "?")
    except ValueError as exc:
        raise ConfigError(
            f"cannot tell the RDF format from the file name ({exc})",
            where=str(path),
            hint="name the format with --format (nt, nq, ttl, trig, jsonld, rdf)",
        ) from exc


@contextmanager
def _open(path: Path, digest: hashlib._Hash) -> Iterator[IO[bytes]]:
    """The file's RDF bytes (gunzipped when it ends in ``.gz``), hashing the file as it is read."""
    try:
        raw = path.open("rb", buffering=0)
    except OSError as exc:
        raise ConfigError(f"cannot read the file: {exc.strerror}", where=str(path)) from exc
    with raw, io.BufferedReader(_HashingReader(raw, digest), _CHUNK) as hashed:
        if _is_gzip(path):
            with gzip.open(hashed) as unzipped:
                yield unzipped  # type: ignore[misc]
                _drain(unzipped)  # type: ignore[arg-type]
        else:
            yield hashed
        _drain(hashed)


class _HashingReader(io.RawIOBase):
    """Feeds every byte read through to a digest: one read of the file checks and hashes it."""

    def __init__(self, raw: IO[bytes], digest: hashlib._Hash) -> None:
        self._raw = raw
        self._digest = digest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer, /) -> int:
        view = memoryview(buffer).cast("B")
        n = self._raw.readinto(view)  # type: ignore[attr-defined]
        if n:
            self._digest.update(view[:n])
        return n or 0


def _drain(data: IO[bytes]) -> None:
    while data.read(_CHUNK):
        pass


_CHUNK = 1 << 20


@dataclass
class FileScan:
    """What one streaming read of a file found, before anything is written."""

    quads: int = 0
    graphs: set[str] = field(default_factory=set)
    default: bool = False  # it has default-graph (plain triples) data
    blank_nodes: bool = False
    digest: str = ""


def scan_file(path: Path, fmt: GraphFormat, spool: IO[bytes]) -> FileScan:
    """Check the syntax, collect the graphs the file fills and its digest, and write its
    blank-node-free triples to ``spool`` as N-Triples (the merged default graph's copy).

    Raises ``RdfSyntaxError`` naming the line and column of the first error. Triples with
    blank nodes are left out of the spool: a loader gives blank nodes new names on every
    parse, so their default-graph copies are made inside the store instead.
    """
    found = FileScan()
    digest = hashlib.sha256()

    def triples(data: IO[bytes]) -> Iterator[ox.Triple]:
        base = path.resolve().as_uri()
        for quad in ox.parse(data, format=fmt.ox, base_iri=base):
            found.quads += 1
            g = quad.graph_name
            if isinstance(g, ox.NamedNode):
                found.graphs.add(g.value)
            else:
                found.default = True
            if isinstance(quad.subject, ox.BlankNode) or isinstance(quad.object, ox.BlankNode):
                found.blank_nodes = True
            else:
                yield quad.triple

    with _open(path, digest) as data:
        try:
            ox.serialize(triples(data), spool, ox.RdfFormat.N_TRIPLES)
        except SyntaxError as exc:
            raise RdfSyntaxError(
                f"not valid {fmt.key}: {exc}",
                where=str(path),
                hint="nothing was loaded; fix the file (or name its format with --format)",
            ) from exc
        except (OSError, EOFError) as exc:  # gzip damage
            raise RdfSyntaxError(f"cannot read the file: {exc}", where=str(path)) from exc
    found.digest = digest.hexdigest()
    return found


def _bulk_load(raw: ox.Store, path: Path, fmt: GraphFormat, to_graph: ox.NamedNode | None) -> None:
    base = path.resolve().as_uri()
    if not _is_gzip(path):  # the loader reads the file itself
        raw.bulk_load(path=str(path), format=fmt.ox, base_iri=base, to_graph=to_graph)
        return
    with gzip.open(path) as unzipped:
        raw.bulk_load(cast(IO[bytes], unzipped), format=fmt.ox, base_iri=base, to_graph=to_graph)


def merge_into_default_graph(raw: ox.Store, spool: IO[bytes], graphs: list[str]) -> None:
    """Add the loaded graphs to the merged default graph: the spooled triples by the bulk
    loader, the few with blank nodes by copying them inside the store (keeping their names).

    Not transactional, like the bulk load before it: the import record is written after it,
    and a re-run of an interrupted import drops and merges the graphs again.
    """
    spool.seek(0)
    raw.bulk_load(spool, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
    for g in graphs:
        raw.update(
            f"INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH <{g}> {{ ?s ?p ?o "
            "FILTER(isBlank(?s) || isBlank(?o)) } }"
        )


def import_rdf(
    store: GraphStore,
    path: Path,
    *,
    fmt: GraphFormat | None = None,
    graph: str | None = None,
) -> ImportReport:
    """Load one RDF file into the store, replacing the graphs it fills."""
    fmt = fmt or guess_format(path)
    if store.read_only:
        raise StoreError("the store is open read-only", where=str(store.path))
    with tempfile.TemporaryFile() as spool:
        found = scan_file(path, fmt, spool)
        graphs = found.graphs
        target = graph or import_graph_iri(store, path)
        if found.default:
            graphs.add(target)
        if store.builds_graph in graphs:
            raise ConfigError(
                f"the file writes to Diplograph's build records <{store.builds_graph}>",
                where=str(path),
                hint="load it into another graph (--graph), or rebuild instead",
            )
        raw = store.raw
        builds = f"<{store.builds_graph}>"
        drops = " ;\n".join(drop_graph(f"<{g}>", builds) for g in sorted(graphs))
        if drops:
            raw.update(drops)
        try:
            _bulk_load(raw, path, fmt, ox.NamedNode(target) if found.default else None)
            # a writable store is always merged
            merge_into_default_graph(raw, spool, sorted(graphs) if found.blank_nodes else [])
            store.derive()
        except OSError as exc:
            raise StoreError(
                f"the import stopped part-way: {exc}",
                where=str(path),
                hint="run the same `diplograph load` again once the cause is fixed",
            ) from exc
    lines: list[str] = []
    for g in sorted(graphs):
        prefix = store.graph_iri("")
        article_id = unquote(g[len(prefix) :]) if g.startswith(prefix) else ""
        record = ArticleRecord(
            article_id=article_id, digest=found.digest, extractor=IMPORTER, source=str(path)
        )
        lines += record_lines(g, record)
    if lines:
        body = "\n".join(lines)
        raw.update(f"INSERT DATA {{ GRAPH <{store.builds_graph}> {{\n{body}\n}}\n{body}\n}}")
    raw.flush()
    store.compact_later()  # before it is first served: one sorted run per index
    return ImportReport(path, fmt, found.quads, sorted(graphs))

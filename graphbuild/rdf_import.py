"""Bulk import of existing RDF (a Wikidata subset, another project's dump) into the store.

pyoxigraph's bulk loader is the fastest way in (about 2x its transactional ``load``) but is
not transactional: a syntax error half-way through a file would leave half of it loaded. So
an import reads the file twice: first a streaming syntax check that also collects the named
graphs the file writes to (about 15% of the load time), then the bulk load. A malformed file
is refused with its line and column before anything is written. Each graph the file fills is
replaced (dropped first), and gets an import record in ``{base}graph/builds`` written last,
in one transaction: a graph without its record is an import that was interrupted (killed,
disk full), which the next ``diplograph load`` of the same file repairs.
"""

from __future__ import annotations

import gzip
import hashlib
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from urllib.parse import quote, unquote

import pyoxigraph as ox

from graphbuild.errors import ConfigError, RdfSyntaxError, StoreError
from graphbuild.formats import GraphFormat
from graphbuild.store import ArticleRecord, GraphStore, _record_lines, drop_graph

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


def _stem(path: Path) -> str:
    name = path.name
    return name[: -len(".gz")] if name.endswith(".gz") else name


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
def _open(path: Path) -> Iterator[IO[bytes]]:
    try:
        raw = path.open("rb")
    except OSError as exc:
        raise ConfigError(f"cannot read the file: {exc.strerror}", where=str(path)) from exc
    with raw:
        if path.name.endswith(".gz"):
            with gzip.open(raw) as unzipped:
                yield unzipped  # type: ignore[misc]
        else:
            yield raw


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def check_syntax(path: Path, fmt: GraphFormat) -> tuple[int, set[str], bool]:
    """Quads in the file, the named graphs it writes to, whether it has default-graph data.

    Raises ``RdfSyntaxError`` naming the line and column of the first error.
    """
    count = 0
    graphs: set[str] = set()
    default = False
    with _open(path) as data:
        try:
            for quad in ox.parse(data, format=fmt.ox, base_iri=path.resolve().as_uri()):
                count += 1
                g = quad.graph_name
                if isinstance(g, ox.NamedNode):
                    graphs.add(g.value)
                else:
                    default = True
        except SyntaxError as exc:
            raise RdfSyntaxError(
                f"not valid {fmt.key}: {exc}",
                where=str(path),
                hint="nothing was loaded; fix the file (or name its format with --format)",
            ) from exc
        except (OSError, EOFError) as exc:  # gzip damage
            raise RdfSyntaxError(f"cannot read the file: {exc}", where=str(path)) from exc
    return count, graphs, default


def merge_into_default_graph(raw: ox.Store, graphs: list[str]) -> None:
    """Copy the loaded graphs into the merged default graph, streaming through a temporary
    N-Triples file: a SPARQL ``INSERT`` would hold a whole import in one transaction's memory.

    Not transactional, like the bulk load before it: the import record is written after it,
    and a re-run of an interrupted import drops and merges the graphs again.
    """
    with tempfile.TemporaryFile() as spool:
        for g in graphs:
            raw.dump(spool, ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(g))
        spool.seek(0)
        raw.bulk_load(spool, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())


def import_rdf(
    store: GraphStore,
    path: Path,
    *,
    fmt: GraphFormat | None = None,
    graph: str | None = None,
) -> ImportReport:
    """Load one RDF file into the store, replacing the graphs it fills."""
    fmt = fmt or guess_format(path)
    count, graphs, default = check_syntax(path, fmt)
    target = graph or import_graph_iri(store, path)
    if default:
        graphs.add(target)
    if store.builds_graph in graphs:
        raise ConfigError(
            f"the file writes to Diplograph's build records <{store.builds_graph}>",
            where=str(path),
            hint="load it into another graph (--graph), or rebuild instead",
        )
    raw = store.raw
    if store.read_only:
        raise StoreError("the store is open read-only", where=str(store.path))
    builds = f"<{store.builds_graph}>"
    drops = " ;\n".join(drop_graph(f"<{g}>", builds) for g in sorted(graphs))
    if drops:
        raw.update(drops)
    try:
        with _open(path) as data:
            raw.bulk_load(
                data,
                format=fmt.ox,
                base_iri=path.resolve().as_uri(),
                to_graph=ox.NamedNode(target) if default else None,
            )
    except OSError as exc:
        raise StoreError(
            f"the import stopped part-way: {exc}",
            where=str(path),
            hint="run the same `diplograph load` again once the cause is fixed",
        ) from exc
    merge_into_default_graph(raw, sorted(graphs))  # a writable store is always merged
    digest = _digest(path)
    lines: list[str] = []
    for g in sorted(graphs):
        prefix = store.graph_iri("")
        article_id = unquote(g[len(prefix) :]) if g.startswith(prefix) else ""
        record = ArticleRecord(
            article_id=article_id, digest=digest, extractor=IMPORTER, source=str(path)
        )
        lines += _record_lines(g, record)
    if lines:
        body = "\n".join(lines)
        raw.update(f"INSERT DATA {{ GRAPH <{store.builds_graph}> {{\n{body}\n}}\n{body}\n}}")
    raw.flush()
    return ImportReport(path, fmt, count, sorted(graphs))

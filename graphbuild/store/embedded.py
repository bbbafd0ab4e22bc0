"""The embedded store: pyoxigraph on disk, one named graph per article, atomic replaces.

Every write is one SPARQL Update request, which pyoxigraph applies in a single RocksDB
transaction (``Store.update`` wraps the whole request in ``storage.transaction``), or, for an
article the store has never seen, one ``Store.extend`` (also one transaction): a build
killed at any moment leaves an article's graph as it was or complete, never half-written,
and its build record in ``{base}graph/builds`` always describes the graph that is there.
``bulk_load``/``bulk_extend`` are faster but not transactional, so they are not used.

The SPARQL default graph is the merge of the named graphs, kept in the store's own default
graph: each triple of any named graph is there once, written in the same transaction as the
named graph (and dropped with the last graph that holds it). pyoxigraph's
``use_default_graph_as_union`` yields a triple once per graph that holds it, so entity labels
repeated in every article's graph would multiply a join's rows by the number of articles that
mention the entity (a "who met whom" over 1,000 articles answered 245,167 rows for ~1,000
meetings). A store written before this layout has no merged default graph and is queried with
the union until it is opened writable, which merges it once.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from types import TracebackType
from typing import BinaryIO, Self
from urllib.parse import unquote

import pyoxigraph as ox
from rdflib import Graph

from graphbuild.errors import QueryError, StoreError
from graphbuild.rdf.formats import GraphFormat
from graphbuild.store import derived
from graphbuild.store.model import MIGRATE_DEFAULT, MIGRATE_NAMED, stale_graphs
from graphbuild.store.readonly import open_read_only
from graphbuild.store.records import (
    DCTERMS,
    P_DIGEST,
    P_ID,
    P_REQUIRES,
    ArticleRecord,
    GraphData,
    QueryResults,
    StoreVersion,
    canonical_digest,
    ntriples_lines,
    ox_triples,
    record_from,
    record_lines,
    reference_record,
    term_value,
)
from graphbuild.vocabulary import (
    DEFAULT_BASE,
    PREFIXES,
    builds_graph_iri,
    graph_iri,
    normalise_base,
    ontology_graph_iri,
)

LAYOUT_FILE = "DIPLOGRAPH-LAYOUT"
"""Beside RocksDB's files: says the default graph holds the merge of the named graphs."""
MERGED_LAYOUT = "merged-default-graph 1\n"
COMPACT_FILE = "DIPLOGRAPH-COMPACT"
"""Beside RocksDB's files while a bulk import has not been compacted yet (see
:meth:`GraphStore.compact`)."""
DEFAULT_GRAPH = ox.DefaultGraph()
FLUSH_AFTER_QUADS = 50_000
"""pyoxigraph's RocksDB keeps what transactions wrote in memory until a flush (measured:
~0.25 MB more per 270-quad article, without bound, 2.9 GB after a 10k-article build), so a
store on disk is flushed each time about this many quads have been written."""

RESYNC_DEFAULT_GRAPH = (
    "DELETE { ?s ?p ?o } WHERE { ?s ?p ?o FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } } ;\n"
    "INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
)
"""Makes the default graph the merge of the named graphs again (after a SPARQL Update or a
bulk load): a full pass over the store, so writes of one graph use :func:`drop_graph`
and :func:`_merge` instead."""


def _graph_triples(g: str, builds: str) -> str:
    """A group matching the triples that ``g`` contributes: its own and its build record."""
    own = f"{{ GRAPH {g} {{ ?s ?p ?o }} }}"
    record = f"{{ GRAPH {builds} {{ {g} ?p ?o }} BIND({g} AS ?s) }}"
    return f"{{ {own} UNION {record} }}"


def drop_graph(g: str, builds: str) -> str:
    """Update operations dropping graph ``g`` and its build record, and from the default graph
    what only they put there (a triple another graph still states stays)."""
    return (
        f"DELETE {{ ?s ?p ?o }} WHERE {{ {_graph_triples(g, builds)}\n"
        f"  FILTER NOT EXISTS {{ GRAPH ?x {{ ?s ?p ?o }} FILTER(?x != {g} && ?x != {builds}) }}\n"
        f"  FILTER NOT EXISTS {{ GRAPH {builds} {{ ?s ?p ?o }} FILTER(?s != {g}) }} }} ;\n"
        f"DROP SILENT GRAPH {g} ;\n"
        f"DELETE WHERE {{ GRAPH {builds} {{ {g} ?p ?o }} }}"
    )


def _merge(g: str, builds: str) -> str:
    return f" ;\nINSERT {{ ?s ?p ?o }} WHERE {_graph_triples(g, builds)}"


class GraphStore:
    """A pyoxigraph store with Diplograph's layout: article graphs, ontology, build records.

    Open it with :meth:`open` (on disk) or :meth:`memory` (tests); use it as a context
    manager or call :meth:`close`.
    """

    def __init__(
        self,
        store: ox.Store,
        *,
        base: str = DEFAULT_BASE,
        path: Path | None = None,
        read_only: bool = False,
        lock_fd: int | None = None,
    ) -> None:
        self._store: ox.Store | None = store
        self.base = normalise_base(base)
        self.path = path
        self.read_only = read_only
        self._lock_fd = lock_fd
        self._article_prefix = str(graph_iri(self.base, ""))
        self.builds_graph = builds_graph_iri(self.base)
        self.ontology_graph = str(ontology_graph_iri(self.base))
        self._unflushed = 0
        self.merged_default = self._has_merged_layout()
        """Whether the default graph is the merge (else queries use pyoxigraph's union)."""
        if not self.merged_default and not read_only:
            self._adopt_merged_layout()
            self.merged_default = True
        self.derived_current = self._has_derived_facts()
        """Whether the store keeps the derived facts (``graph/derived``) of this version."""
        if not self.derived_current and not read_only:
            self._adopt_derived_facts()
            self.derived_current = True

    def _has_merged_layout(self) -> bool:
        if self.path is None:
            return True  # a memory store is written by this class from the start
        mark = self.path / LAYOUT_FILE
        return mark.exists() and mark.read_text(encoding="utf-8") == MERGED_LAYOUT

    def _adopt_merged_layout(self) -> None:
        """Merge the named graphs into the default graph once (one update), then say so."""
        assert self.path is not None  # a memory store has the layout from the start
        if next(iter(self.raw.named_graphs()), None) is not None:
            self._update(self.raw, RESYNC_DEFAULT_GRAPH, "store layout")
            self.raw.flush()
        spool = self.path / f"{LAYOUT_FILE}.tmp"
        spool.write_text(MERGED_LAYOUT, encoding="utf-8")
        spool.replace(self.path / LAYOUT_FILE)

    def _has_derived_facts(self) -> bool:
        # a memory store is written by this class from the start
        return self.path is None or has_derived_facts(self.path)

    def _adopt_derived_facts(self) -> None:
        """Derive the facts a store of an earlier version did not keep (one update)."""
        assert self.path is not None
        self.derive()
        self.raw.flush()
        spool = self.path / f"{derived.MARKER_FILE}.tmp"
        spool.write_text(derived.VERSION, encoding="utf-8")
        spool.replace(self.path / derived.MARKER_FILE)

    # ---- opening and closing ---------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: Path,
        read_only: bool = False,
        *,
        base: str = DEFAULT_BASE,
        exclusive: bool = False,
        create: bool = True,
    ) -> GraphStore:
        """Open the store at ``path``; a writable one is created when missing and ``create``.

        ``exclusive`` with ``read_only`` also takes the writer's lock, so no build can change
        the data under a running server (pyoxigraph's read-only mode must not see writes).
        """
        path = Path(path)
        if read_only or not create:
            if not (path / "CURRENT").exists():
                if path.exists():
                    raise StoreError(
                        "is not a Diplograph store (no RocksDB data in it)",
                        where=str(path),
                        hint="point --store at the directory `diplograph build` wrote",
                    )
                raise StoreError(
                    "no store here yet", where=str(path), hint="run `diplograph build` first"
                )
        if read_only:
            lock_fd = _take_lock(path) if exclusive else None
            try:
                store = open_read_only(path)
            except OSError as exc:
                _release_lock(lock_fd)
                raise _store_error(exc, path) from exc
            return cls(store, base=base, path=path, read_only=True, lock_fd=lock_fd)
        try:
            path.mkdir(parents=True, exist_ok=True)
            store = ox.Store(str(path))
        except OSError as exc:
            raise _store_error(exc, path) from exc
        return cls(store, base=base, path=path)

    @classmethod
    def memory(cls, *, base: str = DEFAULT_BASE) -> GraphStore:
        """A throw-away in-memory store (tests, one-off conversions)."""
        return cls(ox.Store(), base=base)

    def compact(self) -> None:
        """Rewrite the store's files as one sorted run per index (RocksDB's full compaction).

        A bulk import leaves overlapping files (the named graphs, then their merge into the
        default graph, then the derived facts, each written by a loader of its own), and every
        scan then merges them: measured on 1,000 synthetic articles, aggregations and sorts
        over the default graph ran 25-30 % faster after compacting, which took 1-1.6 s (a
        sixth of the import). ``diplograph load`` leaves it to be done once, before the store
        is first served (:func:`compaction_pending`); transactions (builds) are compacted by
        RocksDB as they go.
        """
        if self._store is None or self.read_only or self.path is None:
            return
        self._store.optimize()
        (self.path / COMPACT_FILE).unlink(missing_ok=True)

    def compact_later(self) -> None:
        """Say that a bulk import wrote overlapping files: the next ``serve`` compacts them."""
        if self.path is not None and not self.read_only:
            (self.path / COMPACT_FILE).write_text("after a bulk import\n", encoding="utf-8")

    def close(self) -> None:
        if self._store is not None and not self.read_only and self.path is not None:
            with contextlib.suppress(OSError):
                self._store.flush()
        self._store = None
        _release_lock(self._lock_fd)
        self._lock_fd = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def raw(self) -> ox.Store:
        """The underlying pyoxigraph store (for code that needs its full API)."""
        if self._store is None:
            raise StoreError("the store is closed", where=str(self.path or "memory"))
        return self._store

    def _writable(self) -> ox.Store:
        if self.read_only:
            raise StoreError(
                "the store is open read-only", where=str(self.path), hint="open it writable"
            )
        return self.raw

    # ---- IRIs -----------------------------------------------------------------------------

    def graph_iri(self, article_id: str) -> str:
        return str(graph_iri(self.base, article_id))

    # ---- writing --------------------------------------------------------------------------

    def replace_article(
        self,
        article_id: str,
        data: GraphData,
        meta: ArticleRecord,
        references: Mapping[str, Graph] | None = None,
    ) -> None:
        """Replace one article's graph, its build record and its reference graphs in one
        transaction.

        ``references`` are the reference graphs the article requires (graph IRI -> triples,
        deterministic): each is written unless the store holds it unchanged, and one the
        article required before and no other article requires is dropped.
        """
        if meta.article_id != article_id:
            raise ValueError(f"record is for '{meta.article_id}', not '{article_id}'")
        store = self._writable()
        graph = self.graph_iri(article_id)
        refs = dict(references or {})
        meta = replace(meta, requires=tuple(sorted(refs)))
        g = f"<{graph}>"
        b = f"<{self.builds_graph}>"
        record = "\n".join(record_lines(graph, meta))
        digests = {r: canonical_digest(data) for r, data in refs.items()}
        changed = {r: refs[r] for r in refs if self._digest_of(r) != digests[r]}
        stale = self._stale_references(graph, keep=refs.keys())
        new = self._is_new(article_id)
        if new and not changed and not stale:  # only additions: one Store.extend
            self._add_new(store, article_id, data, record)
            return
        try:
            body = "\n".join(ntriples_lines(data))
        except (ValueError, TypeError) as exc:
            raise StoreError(
                f"the article graph has an invalid term: {exc}", where=article_id
            ) from exc
        # the derived facts are redone last, for what the article and the reference graphs
        # written or dropped with it touched (a reference graph types states)
        update = (
            ("" if new else derived.before_write(self.base, g, b) + " ;\n" + drop_graph(g, b))
            + (" ;\n" if not new else "")
            + f"INSERT DATA {{\nGRAPH {g} {{\n{body}\n}}\nGRAPH {b} {{\n{record}\n}}\n}} ;\n"
            + derived.before_merge(self.base, g)
            + _merge(g, b)
        )
        for r, rdata in changed.items():
            update += " ;\n" + self._replace_reference(r, rdata, digests[r])
        for r in stale:
            update += " ;\n" + derived.before_write(self.base, f"<{r}>", b)
            update += " ;\n" + drop_graph(f"<{r}>", b)
        update += " ;\n" + derived.after_write(self.base)
        self._update(store, update, article_id)

    def _replace_reference(self, graph: str, data: Graph, digest: str) -> str:
        r, b = f"<{graph}>", f"<{self.builds_graph}>"
        body = "\n".join(ntriples_lines(data))
        record = "\n".join(record_lines(graph, reference_record(digest)))
        return (
            derived.before_write(self.base, r, b) + " ;\n" + drop_graph(r, b) + " ;\n"
            f"INSERT DATA {{\nGRAPH {r} {{\n{body}\n}}\nGRAPH {b} {{\n{record}\n}}\n}} ;\n"
            + derived.before_merge(self.base, r)
            + _merge(r, b)
        )

    def _exists(self, graph: str) -> bool:
        return self.raw.contains_named_graph(ox.NamedNode(graph))

    def _digest_of(self, graph: str) -> str | None:
        """The content digest of a graph's build record (a reference graph's), if any."""
        builds = ox.NamedNode(self.builds_graph)
        for q in self.raw.quads_for_pattern(ox.NamedNode(graph), P_DIGEST, None, builds):
            return term_value(q.object)
        return None

    def _stale_references(self, graph: str, keep: Iterable[str] = ()) -> list[str]:
        """Reference graphs ``graph``'s record requires that no other record requires."""
        builds = ox.NamedNode(self.builds_graph)
        subject = ox.NamedNode(graph)
        kept = set(keep)
        stale = []
        for q in self.raw.quads_for_pattern(subject, P_REQUIRES, None, builds):
            ref = q.object
            if not isinstance(ref, ox.NamedNode) or ref.value in kept:
                continue
            others = self.raw.quads_for_pattern(None, P_REQUIRES, ref, builds)
            if all(o.subject == subject for o in others):
                stale.append(ref.value)
        return sorted(stale)

    def _is_new(self, article_id: str) -> bool:
        """Neither a graph nor a build record: nothing to drop, so adding is a replace."""
        g = ox.NamedNode(self.graph_iri(article_id))
        if self.raw.contains_named_graph(g):
            return False
        records = self.raw.quads_for_pattern(g, None, None, ox.NamedNode(self.builds_graph))
        return next(iter(records), None) is None

    def _add_new(self, store: ox.Store, article_id: str, data: GraphData, record: str) -> None:
        """One ``Store.extend`` (a single transaction) without SPARQL parsing, 3x faster than
        the update a replace needs: a new graph only adds facts, so its derived facts are
        additions too, read from the store before the write (:func:`derived.additions`)."""
        g = ox.NamedNode(self.graph_iri(article_id))
        b = ox.NamedNode(self.builds_graph)
        try:
            triples = [ox.Triple(*t) for t in ox_triples(data)]
        except (ValueError, TypeError) as exc:
            raise StoreError(
                f"the article graph has an invalid term: {exc}", where=article_id
            ) from exc
        quads = [ox.Quad(t.subject, t.predicate, t.object, g) for t in triples]
        quads += [
            ox.Quad(q.subject, q.predicate, q.object, b)
            for q in ox.parse(record, format=ox.RdfFormat.N_TRIPLES)
        ]
        d = ox.NamedNode(derived.derived_graph_iri(self.base))
        quads += [
            ox.Quad(t.subject, t.predicate, t.object, d) for t in derived.additions(store, triples)
        ]
        quads += [ox.Quad(q.subject, q.predicate, q.object, DEFAULT_GRAPH) for q in quads]
        try:
            store.extend(quads)
        except OSError as exc:
            raise _store_error(exc, self.path) from exc
        self._wrote(store, len(quads))

    def remove_article(self, article_id: str) -> bool:
        """Drop an article's graph and build record (one transaction); ``False`` if absent.

        Reference graphs only this article required go with it.
        """
        store = self._writable()
        present = self.has_article(article_id)
        graph = self.graph_iri(article_id)
        g, b = f"<{graph}>", f"<{self.builds_graph}>"
        update = derived.before_write(self.base, g, b) + " ;\n" + drop_graph(g, b)
        for ref in self._stale_references(graph):
            update += " ;\n" + derived.before_write(self.base, f"<{ref}>", b)
            update += " ;\n" + drop_graph(f"<{ref}>", b)
        update += " ;\n" + derived.after_write(self.base)
        self._update(store, update, article_id)
        return present

    def load_ontology(self, graph: Graph) -> bool:
        """Put the ontology into ``{base}graph/ontology``; ``False`` when it was already there."""
        digest = canonical_digest(graph)
        current = self._records().get(self.ontology_graph)
        if current is not None and current.digest == digest:
            return False
        record = ArticleRecord(article_id="", digest=digest, extractor="ontology")
        store = self._writable()
        g = f"<{self.ontology_graph}>"
        body = "\n".join(ntriples_lines(graph))
        lines = record_lines(self.ontology_graph, record)
        b = f"<{self.builds_graph}>"
        self._update(
            store,
            drop_graph(g, b) + " ;\n"
            f"INSERT DATA {{\nGRAPH {g} {{\n{body}\n}}\n"
            f"GRAPH {b} {{\n" + "\n".join(lines) + "\n}\n}" + _merge(g, b),
            "ontology",
        )
        return True

    def migrate_model(self) -> list[str]:
        """Move graphs written under an earlier model forward (:mod:`graphbuild.store.model`);
        the graphs that were migrated."""
        stale = stale_graphs(self.raw)
        if stale:
            update = MIGRATE_NAMED + (f" ;\n{MIGRATE_DEFAULT}" if self.merged_default else "")
            self._update(self._writable(), update, "model migration")
        return stale

    def resync_default_graph(self) -> None:
        """Make the default graph the merge again after writes that bypassed this class, and
        derive the derived facts from it again."""
        self._update(
            self._writable(),
            RESYNC_DEFAULT_GRAPH + " ;\n" + derived.full(self.base),
            "default graph",
        )

    def derive(self) -> None:
        """Derive every derived fact again from the merged default graph (one transaction)."""
        self._update(self._writable(), derived.full(self.base), "derived facts")

    def _update(self, store: ox.Store, update: str, where: str) -> None:
        try:
            store.update(update)
        except SyntaxError as exc:  # our own bug: terms are serialised by pyoxigraph
            raise StoreError(f"internal error writing the graph: {exc}", where=where) from exc
        except OSError as exc:
            raise _store_error(exc, self.path) from exc
        self._wrote(store, 2 * update.count("\n"))  # a line a triple, and its merged copy

    def _wrote(self, store: ox.Store, quads: int) -> None:
        """Bound the memory a long run of transactions holds (see FLUSH_AFTER_QUADS)."""
        self._unflushed += quads
        if self.path is not None and self._unflushed >= FLUSH_AFTER_QUADS:
            self._unflushed = 0
            try:
                store.flush()
            except OSError as exc:
                raise _store_error(exc, self.path) from exc

    # ---- reading --------------------------------------------------------------------------

    def article_ids(self) -> list[str]:
        """Ids of the articles that have a graph in the store, sorted."""
        prefix = self._article_prefix
        ids = [
            unquote(g.value[len(prefix) :])
            for g in self.raw.named_graphs()
            if isinstance(g, ox.NamedNode) and g.value.startswith(prefix)
        ]
        return sorted(ids)

    def has_article(self, article_id: str) -> bool:
        return self.raw.contains_named_graph(ox.NamedNode(self.graph_iri(article_id)))

    def article_record(self, article_id: str) -> ArticleRecord | None:
        """The build record of an article's graph, or ``None`` if it was never built."""
        subject = ox.NamedNode(self.graph_iri(article_id))
        values = {
            q.predicate.value: term_value(q.object)
            for q in self.raw.quads_for_pattern(
                subject, None, None, ox.NamedNode(self.builds_graph)
            )
        }
        return record_from(values) if values else None

    def article_records(self) -> dict[str, ArticleRecord]:
        """Every article's build record, by article id."""
        return {
            r.article_id: r
            for g, r in self._records().items()
            if g.startswith(self._article_prefix)
        }

    def _records(self) -> dict[str, ArticleRecord]:
        by_subject: dict[str, dict[str, str]] = {}
        for q in self.raw.quads_for_pattern(None, None, None, ox.NamedNode(self.builds_graph)):
            values = by_subject.setdefault(term_value(q.subject), {})
            values[q.predicate.value] = term_value(q.object)
        out: dict[str, ArticleRecord] = {}
        for subject, values in by_subject.items():
            values.setdefault(P_ID.value, "")
            record = record_from(values)
            if record is not None:
                out[subject] = record
        return out

    def version(self) -> StoreVersion:
        """A fingerprint of everything built into the store, for HTTP caching of exports."""
        records = sorted((g, r.digest, r.built_at.isoformat()) for g, r in self._records().items())
        h = hashlib.sha256(repr(records).encode())
        latest = max((r.built_at for r in self._records().values()), default=None)
        return StoreVersion(etag=h.hexdigest()[:32], modified=latest)

    def article_graph(self, article_id: str) -> Graph:
        """One article's graph as an rdflib graph (for validation and inspection)."""
        if not self.has_article(article_id):
            raise StoreError(
                f"no article '{article_id}' in the store", hint="build it with `diplograph build`"
            )
        data = self.raw.dump(
            format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(self.graph_iri(article_id))
        )
        graph = Graph()
        if data:
            graph.parse(data=data.decode("utf-8"), format="nt")
        return graph

    def query(
        self,
        sparql: str,
        *,
        default_graph_union: bool = True,
        default_graph: Iterable[str] | None = None,
        named_graphs: Iterable[str] | None = None,
    ) -> QueryResults:
        """Run a SPARQL query; the default graph is the merge of all named graphs.

        ``default_graph``/``named_graphs`` restrict the dataset (SPARQL Protocol's
        ``default-graph-uri``/``named-graph-uri``). A malformed query raises ``QueryError``
        with the parser's line and column.
        """
        default = [ox.NamedNode(g) for g in default_graph] if default_graph else None
        named: list[ox.NamedNode | ox.BlankNode] | None = (
            [ox.NamedNode(g) for g in named_graphs] if named_graphs else None
        )
        try:
            return self.raw.query(
                sparql,
                use_default_graph_as_union=(
                    default_graph_union and default is None and not self.merged_default
                ),
                default_graph=list(default) if default else None,
                named_graphs=named,
            )
        except SyntaxError as exc:
            raise QueryError(f"malformed query: {exc.msg}") from exc
        except OSError as exc:
            raise QueryError(f"query failed: {exc}") from exc

    # ---- export ---------------------------------------------------------------------------

    def export(self, fmt: str | GraphFormat, article_id: str | None, out: BinaryIO) -> None:
        """Stream the whole store, or one article's graph, to ``out``.

        Triple formats (Turtle, N-Triples, RDF/XML) get the merge of the graphs (the default
        graph); dataset formats (TriG, N-Quads, JSON-LD) get the named graphs.
        """
        try:
            target = fmt if isinstance(fmt, GraphFormat) else GraphFormat.lookup(fmt)
        except ValueError as exc:
            raise StoreError(str(exc)) from exc
        store = self.raw
        prefixes = self.prefixes()
        try:
            if article_id is not None:
                if not self.has_article(article_id):
                    raise StoreError(
                        f"no article '{article_id}' in the store",
                        hint="`diplograph build` it, or list ids with a query",
                    )
                g = ox.NamedNode(self.graph_iri(article_id))
                if target.datasets:
                    ox.serialize(
                        store.quads_for_pattern(None, None, None, g),
                        out,
                        target.ox,
                        prefixes=prefixes,
                    )
                else:
                    store.dump(out, target.ox, from_graph=g, prefixes=prefixes)
            elif target.datasets and self.merged_default:  # the named graphs, not the merge
                ox.serialize(self._named_quads(), out, target.ox, prefixes=prefixes)
            elif target.datasets:
                store.dump(out, target.ox, prefixes=prefixes)
            elif self.merged_default:
                store.dump(out, target.ox, from_graph=DEFAULT_GRAPH, prefixes=prefixes)
            else:
                union = store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
                assert isinstance(union, ox.QueryTriples)
                ox.serialize(union, out, target.ox, prefixes=prefixes)
        except OSError as exc:
            raise _store_error(exc, self.path) from exc

    def _named_quads(self) -> Iterator[ox.Quad]:
        for graph in self.raw.named_graphs():
            yield from self.raw.quads_for_pattern(None, None, None, graph)

    def dump_nquads(self) -> bytes:
        """The whole dataset as N-Quads (to hand an in-memory store to worker processes)."""
        return self.raw.dump(format=ox.RdfFormat.N_QUADS) or b""

    def prefixes(self) -> dict[str, str]:
        """Prefixes for readable Turtle/TriG: the vocabularies plus this instance's resources."""
        out = {name: str(ns) for name, ns in PREFIXES}
        out["rdf"] = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
        out["rdfs"] = "http://www.w3.org/2000/01/rdf-schema#"
        out["dcterms"] = DCTERMS
        out["res"] = f"{self.base}resource/"
        return out


def compaction_pending(path: Path) -> bool:
    """Whether a bulk import into the store at ``path`` has not been compacted yet."""
    return (path / COMPACT_FILE).exists()


def has_derived_facts(path: Path) -> bool:
    """Whether the store at ``path`` keeps this version's derived facts (``graph/derived``)."""
    mark = path / derived.MARKER_FILE
    try:
        return mark.read_text(encoding="utf-8") == derived.VERSION
    except OSError:
        return False


# ---- locking -------------------------------------------------------------------------------


def _take_lock(path: Path) -> int | None:
    """Hold RocksDB's own ``LOCK`` file (a POSIX record lock), as a writer would."""
    if sys.platform == "win32":  # no POSIX record locks; RocksDB locks differently there
        return None
    import fcntl

    try:
        fd = os.open(path / "LOCK", os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise _store_error(exc, path) from exc
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        os.close(fd)
        raise _locked(path) from exc
    return fd


def _release_lock(fd: int | None) -> None:
    if fd is not None:
        os.close(fd)


def _locked(path: Path | None) -> StoreError:
    return StoreError(
        "the store is in use by another process",
        where=str(path),
        hint="stop the running `diplograph serve` or build that holds it, then retry",
    )


def _store_error(exc: OSError, path: Path | None) -> StoreError:
    text = str(exc)
    if "lock" in text.lower():
        return _locked(path)
    return StoreError(f"cannot use the store: {text}", where=str(path or "memory"))

"""An external SPARQL 1.1 store (Virtuoso, Fuseki, GraphDB, …) with the embedded store's API.

``RemoteStore`` speaks only W3C protocols, so any conforming store can hold a corpus that has
outgrown one machine: SPARQL 1.1 Query over HTTP for reads, SPARQL 1.1 Update for writes
(or the Graph Store HTTP Protocol's ``PUT``/``DELETE`` with ``store_write = "gsp"``), and
HTTP basic or digest authentication. Its layout is the embedded store's: one named graph per
article, the ontology in ``{base}graph/ontology`` and one build record per graph in
``{base}graph/builds``, so incremental builds work against it too.

Why ``update`` is the default write: a single SPARQL Update request that drops the article
graph, deletes its old record and inserts the new graph with its record is one transaction
in the stores we tried, so readers see the old article or the new one and a build record
always describes the graph beside it. Virtuoso 7.2 commits a Graph Store ``PUT`` in two
steps (its readers can see the graph empty in between, measured with
``DefaultIsolation = 2``); in ``gsp`` mode the record is therefore deleted before the
``PUT`` and written after it, so a build interrupted in between rebuilds that article.

The default graph of a query is whatever the store makes it: Virtuoso answers a query
without ``FROM`` over the union of all its graphs (ours and its own system graphs such as
``virtrdf:``), which is the union-of-named-graphs contract of the embedded store plus those.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote

import pyoxigraph as ox
from rdflib import Graph

from graphbuild.errors import ConfigError, StoreError
from graphbuild.rdf.formats import GraphFormat
from graphbuild.settings import Settings
from graphbuild.store.embedded import GraphStore
from graphbuild.store.model import MIGRATE_NAMED, stale_graphs
from graphbuild.store.records import (
    DCTERMS,
    P_REQUIRES,
    XSD_DATETIME,
    ArticleRecord,
    GraphData,
    QueryResults,
    StoreVersion,
    canonical_digest,
    ntriples_lines,
    record_lines,
    reference_record,
)
from graphbuild.store.sparql_client import Credentials, Endpoints, SparqlClient, is_remote_store
from graphbuild.vocabulary import (
    DEFAULT_BASE,
    DG,
    PROV,
    builds_graph_iri,
    graph_iri,
    normalise_base,
)
from graphbuild.vocabulary import ontology_graph_iri as _ontology_graph_iri

WRITE_MODES = ("update", "gsp")

_TURTLE_BODY = "text/turtle; charset=utf-8"
_INSERT_BLOCK = 1000
"""Triples per ``INSERT DATA`` operation: Virtuoso's parser runs out of stack near 5,000."""


class RemoteStore(SparqlClient):
    """An external SPARQL 1.1 store with :class:`~graphbuild.store.embedded.GraphStore`'s API.

    Reads: :meth:`query`, :meth:`export`, :meth:`article_ids`, :meth:`article_graph`,
    :meth:`article_record`, :meth:`version`; writes: :meth:`replace_article`,
    :meth:`remove_article`, :meth:`load_ontology`. Safe to share between threads (one HTTP
    session per thread). Open it with :meth:`from_settings` or :func:`open_store`.
    """

    path: Path | None = None

    def __init__(
        self,
        endpoints: Endpoints,
        *,
        base: str = DEFAULT_BASE,
        credentials: Credentials | None = None,
        write: str = "update",
        timeout_s: float = 60.0,
        page_rows: int = 5000,
        read_only: bool = False,
    ) -> None:
        if write not in WRITE_MODES:
            raise ConfigError(f"store_write must be one of {', '.join(WRITE_MODES)}, not '{write}'")
        base = normalise_base(base)
        super().__init__(
            endpoints,
            credentials=credentials,
            timeout_s=timeout_s,
            page_rows=page_rows,
            read_only=read_only,
            empty_graph=f"{base}graph/none",
        )
        self.base = base
        self.write = write
        self.builds_graph = builds_graph_iri(self.base)
        self.ontology_graph = str(_ontology_graph_iri(self.base))
        self._article_prefix = str(graph_iri(self.base, ""))

    @classmethod
    def from_settings(cls, settings: Settings, *, read_only: bool = False) -> RemoteStore:
        user = str(settings.store_auth_user)
        credentials = (
            Credentials(user, str(settings.store_auth_password), str(settings.store_auth_scheme))
            if user
            else None
        )
        return cls(
            Endpoints.from_store_url(
                str(settings.store),
                gsp=str(settings.store_gsp_url),
                update=str(settings.store_update_url),
            ),
            base=str(settings.base_iri),
            credentials=credentials,
            write=str(settings.store_write),
            timeout_s=float(settings.store_timeout_s),
            page_rows=int(settings.store_page_rows),
            read_only=read_only,
        )

    def __repr__(self) -> str:
        return f"RemoteStore({self.endpoints.query!r}, base={self.base!r})"

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
        """Replace one article's graph, its build record and the reference graphs it requires
        (see the module docs for how; the embedded store's ``replace_article`` for what)."""
        if meta.article_id != article_id:
            raise ValueError(f"record is for '{meta.article_id}', not '{article_id}'")
        self._writable()  # before any request
        try:
            lines = list(ntriples_lines(data))
        except (ValueError, TypeError) as exc:
            raise StoreError(
                f"the article graph has an invalid term: {exc}", where=article_id
            ) from exc
        graph = self.graph_iri(article_id)
        refs = dict(references or {})
        meta = replace(meta, requires=tuple(sorted(refs)))
        stale = self._stale_references(graph, keep=refs.keys()) if self._has_requires() else []
        digests = {r: canonical_digest(g) for r, g in refs.items()}
        current = self._digests(list(refs)) if refs else {}
        changed = [r for r in sorted(refs) if current.get(r) != digests[r]]
        jobs = [(graph, lines, meta)] + [
            (r, list(ntriples_lines(refs[r])), reference_record(digests[r])) for r in changed
        ]
        self._replace_graphs(jobs, stale, article_id)

    def _replace_graphs(
        self,
        jobs: Sequence[tuple[str, Sequence[str], ArticleRecord]],
        drop: Sequence[str],
        where: str,
    ) -> None:
        """Replace graphs with their records and drop others: one update request, or in
        ``gsp`` mode one Graph Store request per graph."""
        if self.write == "update":
            self._writable()
            operations = [
                op for g, lines, record in jobs for op in self._operations(g, lines, record)
            ]
            operations += [op for g in drop for op in self._drop_operations(g)]
            self._update(" ;\n".join(operations), where)
            return
        for g, lines, record in jobs:
            self._replace_graph(g, lines, record, where)
        for g in drop:
            self._update(self._drop_operations(g)[1], where)
            self._gsp_delete(g, where)

    def _operations(self, graph: str, lines: Sequence[str], record: ArticleRecord) -> list[str]:
        g, b = f"<{graph}>", f"<{self.builds_graph}>"
        record_text = "\n".join(record_lines(graph, record))
        operations = self._drop_operations(graph)
        operations += [
            f"INSERT DATA {{ GRAPH {g} {{\n" + "\n".join(block) + "\n} }"
            for block in _blocks(lines, _INSERT_BLOCK)
        ]
        operations.append(f"INSERT DATA {{ GRAPH {b} {{\n{record_text}\n}} }}")
        return operations

    def _drop_operations(self, graph: str) -> list[str]:
        g, b = f"<{graph}>", f"<{self.builds_graph}>"
        return [f"DROP SILENT GRAPH {g}", f"DELETE WHERE {{ GRAPH {b} {{ {g} ?p ?o }} }}"]

    def _has_requires(self) -> bool:
        """Whether any record requires a reference graph (else nothing can go stale)."""
        result = self.query(
            f"ASK {{ GRAPH <{self.builds_graph}> {{ ?a <{P_REQUIRES.value}> ?r }} }}"
        )
        return bool(isinstance(result, ox.QueryBoolean) and bool(result))

    def _stale_references(self, graph: str, keep: Iterable[str] = ()) -> list[str]:
        """Reference graphs ``graph``'s record requires that no other record requires."""
        b, requires = f"<{self.builds_graph}>", f"<{P_REQUIRES.value}>"
        rows = self._select(
            f"SELECT DISTINCT ?r WHERE {{ GRAPH {b} {{ <{graph}> {requires} ?r }}\n"
            f"  FILTER NOT EXISTS {{ GRAPH {b} {{ ?other {requires} ?r }}"
            f" FILTER(?other != <{graph}>) }} }}"
        )
        kept = set(keep)
        return sorted(row["r"] for row in rows if "r" in row and row["r"] not in kept)

    def _digests(self, graphs: Sequence[str]) -> dict[str, str]:
        """The content digests recorded for these graphs (those that have a record)."""
        values = " ".join(f"<{g}>" for g in graphs)
        rows = self._select(
            f"SELECT ?g ?d WHERE {{ VALUES ?g {{ {values} }}\n"
            f"  GRAPH <{self.builds_graph}> {{ ?g <{DG.contentDigest}> ?d }} }}"
        )
        return {row["g"]: row["d"] for row in rows if "g" in row and "d" in row}

    def _replace_graph(
        self, graph: str, lines: Sequence[str], record: ArticleRecord, where: str
    ) -> None:
        self._writable()
        g, b = f"<{graph}>", f"<{self.builds_graph}>"
        record_text = "\n".join(record_lines(graph, record))
        drop_record = f"DELETE WHERE {{ GRAPH {b} {{ {g} ?p ?o }} }}"
        if self.write == "update":
            self._update(" ;\n".join(self._operations(graph, lines, record)), where)
            return
        self._update(drop_record, where)
        if lines:
            self._request(
                "PUT",
                self._gsp_url(write=True),
                what=f"the Graph Store PUT of {where}",
                params={"graph": graph},
                data=("\n".join(lines) + "\n").encode("utf-8"),
                headers={"Content-Type": _TURTLE_BODY},
            ).close()
        else:
            self._gsp_delete(graph, where)
        self._update(f"INSERT DATA {{ GRAPH {b} {{\n{record_text}\n}} }}", where)

    def remove_article(self, article_id: str) -> bool:
        """Drop an article's graph and build record, and the reference graphs only it
        required; ``False`` if it was not there."""
        self._writable()
        present = self.has_article(article_id)
        graph = self.graph_iri(article_id)
        stale = self._stale_references(graph) if self._has_requires() else []
        if self.write == "update":
            operations = [op for g in (graph, *stale) for op in self._drop_operations(g)]
            self._update(" ;\n".join(operations), article_id)
        else:
            for g in (graph, *stale):
                self._update(self._drop_operations(g)[1], article_id)
                self._gsp_delete(g, article_id)
        return present

    def load_ontology(self, graph: Graph) -> bool:
        """Put the ontology into ``{base}graph/ontology``; ``False`` when it was already there."""
        digest = canonical_digest(graph)
        current = self._records().get(self.ontology_graph)
        if current is not None and current.digest == digest:
            return False
        record = ArticleRecord(article_id="", digest=digest, extractor="ontology")
        self._replace_graph(self.ontology_graph, list(ntriples_lines(graph)), record, "ontology")
        return True

    def migrate_model(self) -> list[str]:
        """Move graphs written under an earlier model forward (:mod:`graphbuild.store.model`);
        the graphs that were migrated."""
        stale = stale_graphs(self)
        if stale:
            self._update(MIGRATE_NAMED, "model migration")
        return stale

    # ---- reading --------------------------------------------------------------------------

    def article_ids(self) -> list[str]:
        """Ids of the articles that have a build record in the store, sorted.

        Taken from ``{base}graph/builds`` rather than by listing every named graph, which
        would scan the whole store on most servers.
        """
        prefix = self._article_prefix
        return sorted(unquote(g[len(prefix) :]) for g in self._records() if g.startswith(prefix))

    def has_article(self, article_id: str) -> bool:
        result = self.query(f"ASK {{ GRAPH <{self.graph_iri(article_id)}> {{ ?s ?p ?o }} }}")
        return bool(isinstance(result, ox.QueryBoolean) and bool(result))

    def article_record(self, article_id: str) -> ArticleRecord | None:
        """The build record of an article's graph, or ``None`` if it was never built."""
        g = self.graph_iri(article_id)
        rows = self._select(
            f"SELECT ?p ?o WHERE {{ GRAPH <{self.builds_graph}> {{ <{g}> ?p ?o }} }}"
        )
        values = {row["p"]: row["o"] for row in rows if "p" in row and "o" in row}
        if not values:
            return None
        values.setdefault(DCTERMS + "identifier", article_id)
        return _record(values)

    def article_records(self) -> dict[str, ArticleRecord]:
        """Every article's build record, by article id."""
        return {
            r.article_id: r
            for g, r in self._records().items()
            if g.startswith(self._article_prefix)
        }

    def _records(self) -> dict[str, ArticleRecord]:
        """All build records by graph IRI."""
        out: dict[str, ArticleRecord] = {}
        for row in self._record_rows():
            record = _record(
                {
                    str(DG.contentDigest): row.get("digest", ""),
                    str(DG.extractor): row.get("extractor", ""),
                    str(PROV.generatedAtTime): row.get("built", ""),
                    DCTERMS + "identifier": row.get("id", ""),
                    DCTERMS + "source": row.get("source", ""),
                }
            )
            if record is not None:
                out[row["g"]] = record
        return out

    def _record_rows(self) -> Iterator[dict[str, str]]:
        """The build records, one row each, read page by page (a keyset on the graph IRI).

        Paging goes on until a page comes back empty rather than short, because stores cap
        result sizes silently (Virtuoso's ``ResultSetMaxRows``).
        """
        last = ""
        while True:
            rows = self._select(
                f"SELECT ?g ?digest ?extractor ?built ?id ?source WHERE {{\n"
                f"  GRAPH <{self.builds_graph}> {{\n"
                f"    ?g <{DG.contentDigest}> ?digest ; <{DG.extractor}> ?extractor ;\n"
                f"       <{PROV.generatedAtTime}> ?built .\n"
                f"    OPTIONAL {{ ?g <{DCTERMS}identifier> ?id }}\n"
                f"    OPTIONAL {{ ?g <{DCTERMS}source> ?source }}\n"
                f"  }}\n"
                f"  FILTER(STR(?g) > {ox.Literal(last)})\n"
                f"}} ORDER BY STR(?g) LIMIT {self.page_rows}"
            )
            rows = [row for row in rows if "g" in row]
            if not rows:
                return
            yield from rows
            last = max(last, *(row["g"] for row in rows))

    def _builds_triples(self) -> Iterator[ox.Triple]:
        """The builds graph, paged as records (one ``GET`` of it would hit the result cap)."""
        for row in self._record_rows():
            subject = ox.NamedNode(row["g"])
            values = (
                (DG.contentDigest, row.get("digest"), None),
                (DG.extractor, row.get("extractor"), None),
                (PROV.generatedAtTime, row.get("built"), XSD_DATETIME),
                (DCTERMS + "identifier", row.get("id"), None),
                (DCTERMS + "source", row.get("source"), None),
            )
            for predicate, value, datatype in values:
                if value:
                    yield ox.Triple(
                        subject, ox.NamedNode(str(predicate)), ox.Literal(value, datatype=datatype)
                    )

    def version(self) -> StoreVersion:
        """A fingerprint of everything built into the store, for HTTP caching of exports.

        Two aggregates instead of every record: each write adds a record stamped later than
        all before it and a removal lowers the count, so (count, latest) changes on any
        change made through Diplograph.
        """
        rows = self._select(
            f"SELECT (COUNT(?g) AS ?n) (MAX(?built) AS ?latest) WHERE {{\n"
            f"  GRAPH <{self.builds_graph}> {{ ?g <{PROV.generatedAtTime}> ?built }}\n}}"
        )
        row = rows[0] if rows else {}
        count, latest = row.get("n", "0"), row.get("latest", "")
        etag = hashlib.sha256(f"{count}|{latest}".encode()).hexdigest()[:32]
        try:
            modified = dt.datetime.fromisoformat(latest) if latest else None
        except ValueError:
            modified = None
        return StoreVersion(etag=etag, modified=modified)

    def article_graph(self, article_id: str) -> Graph:
        """One article's graph as an rdflib graph (for validation and inspection)."""
        triples = self._get_graph(self.graph_iri(article_id))
        if not triples:
            raise StoreError(
                f"no article '{article_id}' in the store", hint="build it with `diplograph build`"
            )
        graph = Graph()
        graph.parse(data="\n".join(f"{t} ." for t in triples), format="nt")
        return graph

    # ---- export ---------------------------------------------------------------------------

    def export(self, fmt: str | GraphFormat, article_id: str | None, out: BinaryIO) -> None:
        """Stream the whole store, or one article's graph, to ``out``.

        Triple formats get the union of the graphs (duplicates across graphs removed, which
        needs memory for every distinct triple: export N-Quads, or use the store's own dump,
        for very large stores); dataset formats keep the named graphs. Graphs are read one
        at a time with Graph Store ``GET``s.
        """
        try:
            target = fmt if isinstance(fmt, GraphFormat) else GraphFormat.lookup(fmt)
        except ValueError as exc:
            raise StoreError(str(exc)) from exc
        if article_id is not None:
            g = self.graph_iri(article_id)
            triples = self._get_graph(g)
            if not triples:
                raise StoreError(
                    f"no article '{article_id}' in the store",
                    hint="`diplograph build` it, or list ids with a query",
                )
            data: Iterable[ox.Triple] | Iterable[ox.Quad] = (
                [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(g)) for t in triples]
                if target.datasets
                else triples
            )
            ox.serialize(data, out, target.ox, prefixes=self.prefixes())
            return
        stream = self._quads() if target.datasets else self._union()
        ox.serialize(stream, out, target.ox, prefixes=self.prefixes())

    def _graphs(self) -> Iterator[tuple[str, Iterable[ox.Triple]]]:
        """Every graph of the store's layout with its triples, one graph at a time."""
        records = self._records()
        if self.ontology_graph in records:
            yield self.ontology_graph, self._get_graph(self.ontology_graph) or ()
        for name in sorted(records):
            if name.startswith(self._article_prefix):
                yield name, self._get_graph(name) or ()
        if records:
            yield self.builds_graph, self._builds_triples()

    def _quads(self) -> Iterator[ox.Quad]:
        for name, triples in self._graphs():
            graph = ox.NamedNode(name)
            for t in triples:
                yield ox.Quad(t.subject, t.predicate, t.object, graph)

    def _union(self) -> Iterator[ox.Triple]:
        seen: set[bytes] = set()
        for _name, triples in self._graphs():
            for t in triples:
                key = hashlib.blake2b(str(t).encode(), digest_size=16).digest()
                if key not in seen:
                    seen.add(key)
                    yield t

    def dump_nquads(self) -> bytes:
        """The whole dataset as N-Quads (small stores; large ones stream :meth:`export`)."""
        return ox.serialize(self._quads(), None, ox.RdfFormat.N_QUADS) or b""

    def prefixes(self) -> dict[str, str]:
        """The same prefixes as the embedded store's exports."""
        return GraphStore.memory(base=self.base).prefixes()

    @property
    def raw(self) -> RemoteRaw:
        """The read calls of ``pyoxigraph.Store`` the server's pages use, over SPARQL."""
        return RemoteRaw(self)


TermLike = ox.NamedNode | ox.BlankNode | ox.Literal


class RemoteRaw:
    """``quads_for_pattern`` and ``query`` of a pyoxigraph store, answered by the remote one.

    Lets the resource pages, VoID and describe code run unchanged over an external store,
    one SPARQL request per lookup. Blank nodes cannot be looked up across requests (their
    labels are the store's own), so a pattern with one matches nothing.
    """

    def __init__(self, store: RemoteStore) -> None:
        self.store = store

    def quads_for_pattern(
        self,
        subject: TermLike | None,
        predicate: ox.NamedNode | None,
        obj: TermLike | None,
        graph_name: ox.NamedNode | ox.DefaultGraph | None = None,
    ) -> Iterator[ox.Quad]:
        terms = (subject, predicate, obj, graph_name)
        if any(isinstance(t, ox.BlankNode | ox.DefaultGraph) for t in terms):
            return
        names = ("s", "p", "o", "g")
        pattern = [str(t) if t is not None else f"?{n}" for t, n in zip(terms, names, strict=True)]
        where = f"GRAPH {pattern[3]} {{ {pattern[0]} {pattern[1]} {pattern[2]} }}"
        found = self.store.query(f"SELECT * WHERE {{ {where} }}")
        if not isinstance(found, ox.QuerySolutions):  # pragma: no cover - SELECT gives rows
            return
        for row in found:
            values = [t if t is not None else row[n] for t, n in zip(terms, names, strict=True)]
            yield ox.Quad(*values)  # type: ignore[arg-type]

    def query(
        self,
        query: str,
        *,
        prefixes: dict[str, str] | None = None,
        use_default_graph_as_union: bool = False,
    ) -> QueryResults:
        prologue = "".join(f"PREFIX {k}: <{v}>\n" for k, v in (prefixes or {}).items())
        return self.store.query(prologue + query, default_graph_union=use_default_graph_as_union)


def _blocks(lines: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(lines), size):
        yield lines[start : start + size]


def _record(values: dict[str, str]) -> ArticleRecord | None:
    try:
        return ArticleRecord(
            article_id=values.get(DCTERMS + "identifier", ""),
            digest=values[str(DG.contentDigest)],
            extractor=values[str(DG.extractor)],
            source=values.get(DCTERMS + "source", ""),
            built_at=dt.datetime.fromisoformat(values[str(PROV.generatedAtTime)]),
        )
    except (KeyError, ValueError):
        return None


def open_store(
    settings: Settings, *, read_only: bool = False, exclusive: bool = False
) -> GraphStore | RemoteStore:
    """The store the ``store`` setting names: a directory (embedded) or ``sparql+http(s)://…``.

    ``exclusive`` (read-only embedded stores) takes the writer's lock; an external store has
    its own concurrency control, so it is ignored there.
    """
    if is_remote_store(str(settings.store)):
        return RemoteStore.from_settings(settings, read_only=read_only)
    return GraphStore.open(
        Path(settings.store), read_only=read_only, base=settings.base_iri, exclusive=exclusive
    )

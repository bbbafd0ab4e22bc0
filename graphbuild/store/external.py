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
import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import BinaryIO, Self
from urllib.parse import unquote, urlsplit, urlunsplit

import pyoxigraph as ox
import requests
from rdflib import Graph
from requests.auth import AuthBase, HTTPBasicAuth, HTTPDigestAuth

from graphbuild.errors import ConfigError, QueryError, StoreError
from graphbuild.rdf.formats import GraphFormat
from graphbuild.settings import Settings
from graphbuild.store.embedded import GraphStore
from graphbuild.store.records import (
    DCTERMS,
    XSD_DATETIME,
    ArticleRecord,
    GraphData,
    QueryResults,
    StoreVersion,
    canonical_digest,
    ntriples_lines,
    record_lines,
)
from graphbuild.vocabulary import (
    DEFAULT_BASE,
    DG,
    PROV,
    builds_graph_iri,
    graph_iri,
    normalise_base,
)
from graphbuild.vocabulary import ontology_graph_iri as _ontology_graph_iri

REMOTE_SCHEMES = ("sparql+http://", "sparql+https://")
WRITE_MODES = ("update", "gsp")
AUTH_SCHEMES = ("digest", "basic")

_RESULTS_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.9"
_GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
_TURTLE_BODY = "text/turtle; charset=utf-8"
_INSERT_BLOCK = 1000
"""Triples per ``INSERT DATA`` operation: Virtuoso's parser runs out of stack near 5,000."""
_FORM = re.compile(
    r"^(?:\s+|#[^\n]*(?:\n|$)|BASE\s*<[^>]*>|PREFIX\s+[^\s:]*:\s*<[^>]*>)*"
    r"(SELECT|ASK|CONSTRUCT|DESCRIBE)\b",
    re.IGNORECASE,
)


def is_remote_store(store: str) -> bool:
    """Whether a ``store`` setting names an external SPARQL store rather than a directory."""
    return store.strip().lower().startswith(REMOTE_SCHEMES)


def query_form(sparql: str) -> str | None:
    """The query form after the prologue: ``SELECT``, ``ASK``, … (``None`` if unclear)."""
    match = _FORM.match(sparql)
    return match.group(1).upper() if match else None


@dataclass(frozen=True)
class Endpoints:
    """Where a store answers queries, updates and Graph Store Protocol requests."""

    query: str
    update: str
    gsp: str
    """Graph Store endpoint for writes (and reads when credentials are set)."""
    gsp_read: str
    """Graph Store endpoint for reads without credentials."""

    @classmethod
    def from_store_url(cls, store: str, *, gsp: str = "", update: str = "") -> Endpoints:
        """Endpoints of ``sparql+http(s)://…``: Virtuoso's siblings of ``/sparql``, else one URL.

        A store URL whose path is exactly ``/sparql`` is taken to be Virtuoso's layout
        (``/sparql-auth`` for updates, ``/sparql-graph-crud-auth`` for authenticated Graph
        Store requests, ``/sparql-graph-crud`` for anonymous reads); any other path is taken
        to be a SPARQL 1.1 dataset endpoint that answers all three (Fuseki's ``/dataset``).
        ``gsp``/``update`` override the derived URLs.
        """
        text = store.strip()
        if not is_remote_store(text):
            raise ConfigError(
                f"'{store}' is not an external store URL",
                hint="write sparql+http://host:port/path or sparql+https://…",
            )
        url = text.split("+", 1)[1]
        parts = urlsplit(url)
        if not parts.hostname:
            raise ConfigError(
                f"no host in the store URL '{store}'",
                hint="e.g. sparql+http://127.0.0.1:8890/sparql",
            )
        if parts.username or parts.password:
            raise ConfigError(
                "credentials in the store URL would be printed and logged",
                where=parts.hostname,
                hint="set store_auth_user and DIPLOGRAPH_STORE_AUTH_PASSWORD instead",
            )
        if parts.path.rstrip("/") == "/sparql":
            root = urlunsplit((parts.scheme, parts.netloc, "/sparql", "", ""))
            derived = cls(
                query=url,
                update=root + "-auth",
                gsp=root + "-graph-crud-auth",
                gsp_read=root + "-graph-crud",
            )
        else:
            derived = cls(query=url, update=url, gsp=url, gsp_read=url)
        return cls(
            query=derived.query,
            update=update or derived.update,
            gsp=gsp or derived.gsp,
            gsp_read=gsp or derived.gsp_read,
        )


@dataclass(frozen=True)
class Credentials:
    """HTTP credentials for a store; the password never appears in ``repr``."""

    user: str
    password: str = field(repr=False)
    scheme: str = "digest"

    def auth(self) -> AuthBase:
        if self.scheme == "basic":
            return HTTPBasicAuth(self.user, self.password)
        return HTTPDigestAuth(self.user, self.password)


@dataclass
class RemoteAnswer:
    """A query's raw HTTP answer, streamed (for a server that proxies the store)."""

    content_type: str
    response: requests.Response

    def chunks(self, size: int = 65536) -> Iterator[bytes]:
        yield from self.response.iter_content(size)

    def close(self) -> None:
        self.response.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _plain(body: str, limit: int = 400) -> str:
    """The first words of an error body, without HTML tags."""
    text = re.sub(r"<[^>]+>", " ", body)
    text = re.sub(r"\s+", " ", text).strip()
    return text[:limit] + ("…" if len(text) > limit else "")


def _media_type(response: requests.Response) -> str:
    return response.headers.get("Content-Type", "").split(";")[0].strip().lower()


def _graph_format(response: requests.Response) -> ox.RdfFormat:
    try:
        return GraphFormat.lookup(_media_type(response)).ox
    except ValueError:
        return ox.RdfFormat.N_TRIPLES


class RemoteStore:
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
        if credentials is not None and credentials.scheme not in AUTH_SCHEMES:
            raise ConfigError(
                f"store_auth_scheme must be one of {', '.join(AUTH_SCHEMES)}, "
                f"not '{credentials.scheme}'"
            )
        self.endpoints = endpoints
        self.base = normalise_base(base)
        self.credentials = credentials
        self.write = write
        self.timeout_s = float(timeout_s)
        self.page_rows = max(1, int(page_rows))
        self.read_only = read_only
        self.builds_graph = builds_graph_iri(self.base)
        self.ontology_graph = str(_ontology_graph_iri(self.base))
        self._article_prefix = str(graph_iri(self.base, ""))
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._lock = threading.Lock()
        self._closed = False

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

    # ---- opening and closing ---------------------------------------------------------------

    def close(self) -> None:
        with self._lock:
            for session in self._sessions:
                session.close()
            self._sessions.clear()
            self._closed = True

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"RemoteStore({self.endpoints.query!r}, base={self.base!r})"

    def _session(self) -> requests.Session:
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            with self._lock:
                if self._closed:
                    raise StoreError("the store is closed", where=self.endpoints.query)
                session = requests.Session()
                if self.credentials is not None:
                    session.auth = self.credentials.auth()
                self._sessions.append(session)
            self._local.session = session
        return session

    # ---- HTTP ---------------------------------------------------------------------------

    def _request(
        self,
        method: str,
        url: str,
        *,
        what: str,
        timeout_s: float | None = None,
        ok_missing: bool = False,
        stream: bool = False,
        **kwargs: object,
    ) -> requests.Response:
        """One HTTP request; failures become a ``StoreError`` (or ``QueryError`` for a 400)."""
        try:
            response = self._session().request(
                method,
                url,
                timeout=timeout_s if timeout_s is not None else self.timeout_s,
                stream=stream,
                **kwargs,  # type: ignore[arg-type]
            )
        except requests.Timeout as exc:
            raise StoreError(
                f"{what} took longer than {timeout_s or self.timeout_s:g} s",
                where=url,
                hint="raise store_timeout_s, or check the store's load",
            ) from exc
        except requests.RequestException as exc:
            raise StoreError(
                f"cannot reach the store for {what}: {exc.__class__.__name__}",
                where=url,
                hint="is the store running, and is the URL in the 'store' setting right?",
            ) from exc
        if response.status_code < 300 or (ok_missing and response.status_code == 404):
            return response
        body = _plain(response.text)
        response.close()
        status = response.status_code
        if status in (401, 403):
            raise StoreError(
                f"the store refused {what} (HTTP {status}): {body}",
                where=url,
                hint="set store_auth_user and DIPLOGRAPH_STORE_AUTH_PASSWORD for a user "
                "allowed to write (Virtuoso: a user with the SPARQL_UPDATE role)",
            )
        if status == 400 and what == "the query":
            raise QueryError(f"malformed query: {body}", where=url)
        raise StoreError(f"{what} failed with HTTP {status}: {body}", where=url)

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(
                "the store is open read-only", where=self.endpoints.query, hint="open it writable"
            )

    def _update(self, update: str, where: str) -> None:
        self._writable()
        self._request(
            "POST",
            self.endpoints.update,
            what=f"the update of {where}",
            data={"update": update},
            headers={"Accept": _RESULTS_ACCEPT},
        ).close()

    def _gsp_url(self, *, write: bool) -> str:
        return (
            self.endpoints.gsp if write or self.credentials is not None else self.endpoints.gsp_read
        )

    def _get_graph(self, graph: str) -> list[ox.Triple] | None:
        """A named graph's triples by Graph Store ``GET``; ``None`` when it does not exist.

        Stores cap what one answer holds (Virtuoso's ``ResultSetMaxRows`` applies to ``GET``
        too, silently): a graph that comes back with ``store_page_rows`` triples or more is
        counted, and a short answer is an error rather than a quietly smaller graph.
        """
        url = self._gsp_url(write=False)
        response = self._request(
            "GET",
            url,
            what=f"reading graph <{graph}>",
            params={"graph": graph},
            headers={"Accept": _GRAPH_ACCEPT},
            ok_missing=True,
        )
        with response:
            if response.status_code == 404:
                return None
            try:
                triples = [
                    q.triple for q in ox.parse(response.content, format=_graph_format(response))
                ]
            except SyntaxError as exc:
                raise StoreError(
                    f"the store sent graph <{graph}> in a form we cannot parse: {exc}", where=url
                ) from exc
        if len(triples) >= self.page_rows:
            rows = self._select(
                f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
            )
            total = int(rows[0].get("n", "0")) if rows else 0
            if total > len(triples):
                raise StoreError(
                    f"the store sent {len(triples)} of the {total} triples of <{graph}>",
                    where=url,
                    hint="raise the store's result cap (Virtuoso: ResultSetMaxRows in [SPARQL])",
                )
        return triples

    def _select(self, sparql: str) -> list[dict[str, str]]:
        """A SELECT's rows as ``{variable: lexical value}`` (unbound variables left out)."""
        results = self.query(sparql)
        if not isinstance(results, ox.QuerySolutions):
            raise StoreError("the store did not answer a SELECT with solutions")
        names = [v.value for v in results.variables]
        rows: list[dict[str, str]] = []
        for solution in results:
            row: dict[str, str] = {}
            for name in names:
                term = solution[name]
                if term is not None:
                    row[name] = str(term) if isinstance(term, ox.Triple) else term.value
            rows.append(row)
        return rows

    # ---- IRIs -----------------------------------------------------------------------------

    def graph_iri(self, article_id: str) -> str:
        return str(graph_iri(self.base, article_id))

    # ---- writing --------------------------------------------------------------------------

    def replace_article(self, article_id: str, data: GraphData, meta: ArticleRecord) -> None:
        """Replace one article's graph and its build record (see the module docs for how)."""
        if meta.article_id != article_id:
            raise ValueError(f"record is for '{meta.article_id}', not '{article_id}'")
        try:
            lines = list(ntriples_lines(data))
        except (ValueError, TypeError) as exc:
            raise StoreError(
                f"the article graph has an invalid term: {exc}", where=article_id
            ) from exc
        self._replace_graph(self.graph_iri(article_id), lines, meta, article_id)

    def _replace_graph(
        self, graph: str, lines: Sequence[str], record: ArticleRecord, where: str
    ) -> None:
        self._writable()
        g, b = f"<{graph}>", f"<{self.builds_graph}>"
        record_text = "\n".join(record_lines(graph, record))
        drop_record = f"DELETE WHERE {{ GRAPH {b} {{ {g} ?p ?o }} }}"
        if self.write == "update":
            operations = [f"DROP SILENT GRAPH {g}", drop_record]
            operations += [
                f"INSERT DATA {{ GRAPH {g} {{\n" + "\n".join(block) + "\n} }"
                for block in _blocks(lines, _INSERT_BLOCK)
            ]
            operations.append(f"INSERT DATA {{ GRAPH {b} {{\n{record_text}\n}} }}")
            self._update(" ;\n".join(operations), where)
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

    def _gsp_delete(self, graph: str, where: str) -> None:
        self._request(
            "DELETE",
            self._gsp_url(write=True),
            what=f"the Graph Store DELETE of {where}",
            params={"graph": graph},
            ok_missing=True,
        ).close()

    def remove_article(self, article_id: str) -> bool:
        """Drop an article's graph and build record; ``False`` if it was not there."""
        self._writable()
        present = self.has_article(article_id)
        g = f"<{self.graph_iri(article_id)}>"
        drop_record = f"DELETE WHERE {{ GRAPH <{self.builds_graph}> {{ {g} ?p ?o }} }}"
        if self.write == "update":
            self._update(f"DROP SILENT GRAPH {g} ;\n{drop_record}", article_id)
        else:
            self._update(drop_record, article_id)
            self._gsp_delete(self.graph_iri(article_id), article_id)
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

    def query(
        self,
        sparql: str,
        *,
        default_graph_union: bool = True,
        default_graph: Iterable[str] | None = None,
        named_graphs: Iterable[str] | None = None,
        timeout_s: float | None = None,
    ) -> QueryResults:
        """Run a SPARQL query at the store; results are pyoxigraph's, as the embedded store's.

        ``default_graph``/``named_graphs`` become the protocol's ``default-graph-uri`` and
        ``named-graph-uri``; ``default_graph_union=False`` without a default graph names a
        graph that does not exist, which makes the default graph empty. A query the store
        cannot parse raises ``QueryError`` with the store's message.
        """
        form = query_form(sparql)
        accept = _GRAPH_ACCEPT if form in ("CONSTRUCT", "DESCRIBE") else _RESULTS_ACCEPT
        response = self._request(
            "POST",
            self.endpoints.query,
            what="the query",
            timeout_s=timeout_s,
            data=self._query_params(sparql, default_graph_union, default_graph, named_graphs),
            headers={"Accept": accept},
        )
        with response:
            kind = _media_type(response)
            try:
                if "sparql-results" in kind:
                    fmt = (
                        ox.QueryResultsFormat.XML
                        if kind.endswith("xml")
                        else ox.QueryResultsFormat.JSON
                    )
                    return ox.parse_query_results(response.content, format=fmt)
                triples = ox.Store()
                triples.extend(
                    ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph())
                    for t in (
                        q.triple for q in ox.parse(response.content, format=_graph_format(response))
                    )
                )
            except SyntaxError as exc:
                raise StoreError(
                    f"the store's answer ({kind or 'no content type'}) does not parse: {exc}",
                    where=self.endpoints.query,
                ) from exc
        return triples.query("CONSTRUCT WHERE { ?s ?p ?o }")

    def query_stream(
        self,
        sparql: str,
        accept: str,
        *,
        default_graph_union: bool = True,
        default_graph: Iterable[str] | None = None,
        named_graphs: Iterable[str] | None = None,
        timeout_s: float | None = None,
    ) -> RemoteAnswer:
        """The store's own answer to a query in the media type ``accept`` asks for, streamed.

        For a server that relays answers without parsing them; close the answer when done.
        """
        response = self._request(
            "POST",
            self.endpoints.query,
            what="the query",
            timeout_s=timeout_s,
            stream=True,
            data=self._query_params(sparql, default_graph_union, default_graph, named_graphs),
            headers={"Accept": accept},
        )
        return RemoteAnswer(response.headers.get("Content-Type", ""), response)

    def _query_params(
        self,
        sparql: str,
        default_graph_union: bool,
        default_graph: Iterable[str] | None,
        named_graphs: Iterable[str] | None,
    ) -> list[tuple[str, str]]:
        params = [("query", sparql)]
        defaults = list(default_graph or ())
        if not defaults and not default_graph_union:
            defaults = [f"{self.base}graph/none"]
        params += [("default-graph-uri", g) for g in defaults]
        params += [("named-graph-uri", g) for g in named_graphs or ()]
        return params

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

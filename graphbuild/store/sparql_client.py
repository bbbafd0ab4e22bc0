"""A client of one SPARQL 1.1 store over HTTP: the Protocol for queries and updates, the Graph
Store Protocol for whole graphs.

It knows endpoints, credentials, sessions, timeouts, media types and the stores' habit of
capping answers silently; it does not know Diplograph's layout (article graphs, build
records): that is :class:`graphbuild.store.external.RemoteStore`, built on it.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from types import TracebackType
from typing import Self
from urllib.parse import urlsplit, urlunsplit

import pyoxigraph as ox
import requests
from requests.auth import AuthBase, HTTPBasicAuth, HTTPDigestAuth

from graphbuild.errors import ConfigError, QueryError, StoreError
from graphbuild.rdf.formats import GraphFormat
from graphbuild.store.records import QueryResults

REMOTE_SCHEMES = ("sparql+http://", "sparql+https://")
AUTH_SCHEMES = ("digest", "basic")
_RESULTS_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.9"
_GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
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


class SparqlClient:
    """Queries, updates and Graph Store requests to one store, safe to share between threads.

    One HTTP session per thread (with the credentials, if any); every failure becomes a
    ``StoreError`` that names the URL (a query the store rejects, a ``QueryError``).
    """

    def __init__(
        self,
        endpoints: Endpoints,
        *,
        credentials: Credentials | None = None,
        timeout_s: float = 60.0,
        page_rows: int = 5000,
        read_only: bool = False,
        empty_graph: str,
    ) -> None:
        if credentials is not None and credentials.scheme not in AUTH_SCHEMES:
            raise ConfigError(
                f"store_auth_scheme must be one of {', '.join(AUTH_SCHEMES)}, "
                f"not '{credentials.scheme}'"
            )
        self.endpoints = endpoints
        self.credentials = credentials
        self.timeout_s = float(timeout_s)
        self.page_rows = max(1, int(page_rows))
        """Rows per page of a paged read; an answer this long may have been cut by the store."""
        self.read_only = read_only
        self.empty_graph = empty_graph
        """A graph that does not exist: the default graph of a query that must not see the union."""
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._lock = threading.Lock()
        self._closed = False

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

    def _gsp_delete(self, graph: str, where: str) -> None:
        self._request(
            "DELETE",
            self._gsp_url(write=True),
            what=f"the Graph Store DELETE of {where}",
            params={"graph": graph},
            ok_missing=True,
        ).close()

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
            defaults = [self.empty_graph]
        params += [("default-graph-uri", g) for g in defaults]
        params += [("named-graph-uri", g) for g in named_graphs or ()]
        return params

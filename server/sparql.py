"""``/sparql``: the SPARQL 1.1 Protocol, read-only unless an update token is configured.

GET ``?query=``, POST form-encoded and POST ``application/sparql-query``, with
``default-graph-uri``/``named-graph-uri``. SELECT/ASK answer JSON, XML, CSV or TSV and
CONSTRUCT/DESCRIBE answer Turtle, N-Triples, JSON-LD, RDF/XML, TriG or N-Quads, chosen by
a ``format`` parameter or else by ``Accept`` (q-values), always with ``Vary: Accept``.
``GET /sparql`` without a query answers the SPARQL 1.1 Service Description.

Updates (and ``LOAD``, ``CLEAR``, …) are refused with 403 unless ``update_token`` is set
and sent as a Bearer token (``LOAD`` stays refused); so are SERVICE calls to hosts outside
``service_allowlist`` and ``file:`` datasets. Each query runs in a killable worker process under
``query_timeout_s``; answers longer than ``max_result_rows`` are cut and say so in the
``Diplograph-Results-Truncated`` header. One log line per query.
"""

from __future__ import annotations

import functools
import hmac
import logging
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, g, redirect, request, url_for

from graphbuild.rdf.formats import GraphFormat, ResultsFormat, negotiate, negotiate_format
from graphbuild.settings import Settings
from graphbuild.store import derived
from graphbuild.store.embedded import RESYNC_DEFAULT_GRAPH
from graphbuild.store.views import forget_answers
from server.errors import ApiError
from server.executor import PoolBusy, QueryFailed, QueryHead, QueryJob, QueryTimeout, render
from server.guard import Refused, TooDeep, check, check_update, tokens
from server.state import (
    ANSWER_HEADER,
    ROWS_HEADER,
    TRUNCATED_BY_HEADER,
    TRUNCATED_HEADER,
    AppState,
    client_of_request,
    get_state,
    precomputed_answers,
)
from server.stores import ServedStore, store_source

bp = Blueprint("sparql", __name__)
log = logging.getLogger("diplograph.server")

QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"
FORM_TYPE = "application/x-www-form-urlencoded"
HTML_VIEW = "pages.query_ui"
"""Endpoint of a browser query UI; when registered, HTML-preferring clients are sent there."""

SD = "http://www.w3.org/ns/sparql-service-description#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
DC_TITLE = ox.NamedNode("http://purl.org/dc/terms/title")
ENTAILMENT_SIMPLE = "http://www.w3.org/ns/entailment/Simple"


@dataclass(frozen=True)
class ProtocolRequest:
    query: str | None
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    update: str | None = None


def read_request() -> ProtocolRequest:
    """The query and dataset of a SPARQL Protocol request, whichever way it was sent; the
    dataset's graph names must be IRIs (400 otherwise, before any worker sees them)."""
    protocol = _read_request()
    for iri in (*protocol.default_graphs, *protocol.named_graphs):
        try:
            ox.NamedNode(iri)
        except ValueError as exc:
            raise ApiError(
                400, f"default-graph-uri and named-graph-uri take IRIs; '{iri}' is not: {exc}"
            ) from None
    return protocol


def _read_request() -> ProtocolRequest:
    if request.method == "GET":
        if "update" in request.args:
            raise ApiError(405, "send SPARQL Update with POST", headers={"Allow": "POST"})
        return ProtocolRequest(
            _single(request.args.getlist("query")),
            tuple(request.args.getlist("default-graph-uri")),
            tuple(request.args.getlist("named-graph-uri")),
        )
    content_type = (request.mimetype or "").lower()
    if content_type in (QUERY_TYPE, UPDATE_TYPE):
        charset = request.mimetype_params.get("charset", "utf-8")
        try:
            text = request.get_data(cache=False).decode(charset)
        except (UnicodeDecodeError, LookupError) as exc:
            raise ApiError(400, f"the request body is not valid {charset} text: {exc}") from None
        if content_type == UPDATE_TYPE:
            return ProtocolRequest(None, update=text)
        return ProtocolRequest(
            text,
            tuple(request.args.getlist("default-graph-uri")),
            tuple(request.args.getlist("named-graph-uri")),
        )
    if content_type in (FORM_TYPE, "multipart/form-data"):
        form = request.form
        if "update" in form:
            return ProtocolRequest(None, update=_single(form.getlist("update")))
        query = _single(form.getlist("query"))
        if query is None:
            raise ApiError(400, "the form has no 'query' field")
        return ProtocolRequest(
            query,
            tuple(form.getlist("default-graph-uri") + request.args.getlist("default-graph-uri")),
            tuple(form.getlist("named-graph-uri") + request.args.getlist("named-graph-uri")),
        )
    raise ApiError(
        415,
        f"POST a query as {QUERY_TYPE} or as {FORM_TYPE} with a 'query' field "
        f"(got '{content_type or 'no content type'}')",
    )


def _single(values: list[str]) -> str | None:
    if len(values) > 1:
        raise ApiError(400, "give exactly one 'query' (or 'update') parameter")
    return values[0] if values else None


def choose_formats(
    wanted: str | None = None, accept: str | None = None, *, from_request: bool = True
) -> tuple[ResultsFormat | None, GraphFormat | None]:
    """The answer format for each kind of query, from ``format`` or else ``Accept`` (read from
    Flask's request unless ``from_request`` is false)."""
    if from_request:
        wanted = request.values.get("format")
        accept = request.headers.get("Accept")
    if wanted:
        results: ResultsFormat | None
        graph: GraphFormat | None
        try:
            results = ResultsFormat.lookup(wanted)
        except ValueError:
            results = None
        try:
            graph = GraphFormat.lookup(wanted)
        except ValueError:
            graph = None
        if results is None and graph is None:
            names = [f.key for f in ResultsFormat] + [f.key for f in GraphFormat]
            raise ApiError(400, f"unknown format '{wanted}'; choose one of: {', '.join(names)}")
        return results, graph
    return _negotiated(accept)


@functools.lru_cache(maxsize=256)
def _negotiated(accept: str | None) -> tuple[ResultsFormat | None, GraphFormat | None]:
    """What ``Accept`` chooses (clients send the same few headers again and again)."""
    return (
        negotiate_format(ResultsFormat, accept, ResultsFormat.JSON),
        negotiate_format(GraphFormat, accept, GraphFormat.TURTLE),
    )


def _not_acceptable(kind: str) -> ApiError:
    if kind in ("SELECT", "ASK", "solutions", "boolean"):
        offered = [m for f in ResultsFormat for m in f.media_types]
    else:
        offered = [m for f in GraphFormat for m in f.media_types]
    return ApiError(
        406,
        f"none of the accepted media types fit a {kind.lower()} result; "
        f"this endpoint offers: {', '.join(offered)}",
    )


@bp.route("/sparql", methods=["GET", "POST"])
def sparql() -> Response:
    protocol = read_request()
    if protocol.update is not None:
        return run_update(protocol.update)
    if protocol.query is None:
        return service_description()
    g.sparql_log = {"query": protocol.query, "started": time.monotonic()}
    results_fmt, graph_fmt = choose_formats()
    answered = run_query(get_state(), protocol, results_fmt, graph_fmt, client_of_request())
    g.sparql_log.update(rows=answered.head.rows, truncated=answered.head.truncated)
    response = Response(answered.body, status=200, content_type=answered.head.content_type)
    for name, value in answered.headers():
        response.headers[name] = value
    if answered.release is not None:
        response.call_on_close(answered.release)
    return response


@dataclass
class Answered:
    """A query's answer: its head, the body to stream, and what to do when it has been sent."""

    head: QueryHead
    body: Iterable[bytes]
    release: Callable[[], None] | None = None
    precomputed: bool = False

    def headers(self) -> list[tuple[str, str]]:
        head = self.head
        out = []
        if head.length is not None:  # lets the server keep the connection alive
            out.append(("Content-Length", str(head.length)))
        out += [
            (ROWS_HEADER, str(head.rows)),
            (TRUNCATED_HEADER, "true" if head.truncated else "false"),
        ]
        if head.truncated_by:
            out.append((TRUNCATED_BY_HEADER, head.truncated_by))
        if self.precomputed:
            out.append((ANSWER_HEADER, "precomputed"))
        return out


def run_query(
    state: AppState,
    protocol: ProtocolRequest,
    results_fmt: ResultsFormat | None,
    graph_fmt: GraphFormat | None,
    client: str,
) -> Answered:
    """Check, admit and run one query (``ApiError`` when it has no answer); the same steps
    whether Flask or the server's fast path (:mod:`server.fastpath`) received it."""
    assert protocol.query is not None
    settings = state.settings
    try:
        inspection = check(
            protocol.query, settings.service_allowlist, int(settings.max_query_nesting)
        )
    except TooDeep as exc:
        raise ApiError(400, str(exc), title="Query Too Deep") from None
    except Refused as exc:
        raise ApiError(403, str(exc)) from None
    if inspection.form in ("SELECT", "ASK") and results_fmt is None:
        raise _not_acceptable(inspection.form)
    if inspection.form in ("CONSTRUCT", "DESCRIBE") and graph_fmt is None:
        raise _not_acceptable(inspection.form)

    answered = _precomputed(state, protocol, inspection.form, results_fmt)
    if answered is not None:
        return answered

    cooling = state.limiter.cooling_down(client)
    if cooling > 0:
        raise ApiError(
            429,
            "a long-running query of yours was stopped because the slow lane was full; "
            "retry when your other long-running query has finished",
            headers={"Retry-After": str(int(cooling + 0.999))},
        )
    if not state.limiter.acquire(client):
        raise ApiError(
            429,
            f"at most {state.limiter.max_per_client} queries per client may run at once; "
            "retry when one has finished",
            headers={"Retry-After": "1"},
        )
    ticket = state.limiter.lane(client)

    def release() -> None:
        ticket.leave()
        state.limiter.release(client)

    job = QueryJob(
        query=protocol.query,
        results_format=results_fmt.key if results_fmt else None,
        graph_format=graph_fmt.key if graph_fmt else None,
        max_rows=int(settings.max_result_rows),
        default_graph=protocol.default_graphs,
        named_graphs=protocol.named_graphs,
        max_bytes=int(settings.max_result_bytes),
    )
    in_thread = state.in_thread
    one_scan = inspection.one_scan and not (protocol.default_graphs or protocol.named_graphs)
    if in_thread is not None and (
        one_scan or (inspection.required and in_thread.unmatched(inspection.required))
    ):
        try:
            here = in_thread.answer(job) if one_scan else in_thread.answer_empty(job)
        except QueryFailed as exc:
            release()
            raise _failure(exc, False, settings) from None
        except BaseException:
            release()
            raise
        if here is not None:
            release()
            head, body = here
            return Answered(head, [body])
    try:
        stream = state.pool.run(
            job,
            float(settings.query_timeout_s),
            ticket if state.limiter.slow_after_s > 0 else None,
        )
    except QueryTimeout:
        release()
        raise ApiError(
            503,
            f"the query ran longer than query_timeout_s = {settings.query_timeout_s:g} s and "
            "was stopped; make it more selective (LIMIT, fewer unbound patterns)",
            title="Query Timeout",
        ) from None
    except PoolBusy as exc:
        release()
        raise ApiError(
            503, f"the server is busy ({exc}); retry shortly", headers={"Retry-After": "2"}
        ) from None
    except QueryFailed as exc:
        release()
        raise _failure(exc, bool(inspection.services), settings) from None
    except BaseException:
        release()
        raise
    return Answered(stream.head, stream, release)


def _precomputed(
    state: AppState,
    protocol: ProtocolRequest,
    form: str | None,
    results_fmt: ResultsFormat | None,
) -> Answered | None:
    """The stored answer of a views' question (graph/views), in the client's format and cap."""
    if state.answers is None or form != "SELECT" or results_fmt is None or protocol.query is None:
        return None
    if protocol.default_graphs or protocol.named_graphs:
        return None
    stored = state.answers.lookup(protocol.query)
    if stored is None:
        return None
    solutions = ox.parse_query_results(stored, format=ox.QueryResultsFormat.JSON)
    job = QueryJob(
        query=protocol.query,
        results_format=results_fmt.key,
        graph_format=None,
        max_rows=int(state.settings.max_result_rows),
        max_bytes=int(state.settings.max_result_bytes),
    )
    head, body = render(solutions, job)
    return Answered(head, [body], precomputed=True)


def run_update(update: str) -> Response:
    """SPARQL Update, for holders of ``update_token`` only; then workers see the new data.

    It runs in the request thread as one transaction; unlike queries it cannot be cut off
    by ``query_timeout_s``, which is one more reason it is reserved to token holders.
    """
    state = get_state()
    token = str(state.settings.update_token)
    if not token:
        raise ApiError(403, "SPARQL Update is not allowed on this read-only endpoint")
    client = client_of_request()
    throttle = state.auth
    locked = throttle.locked_for(client) if throttle is not None else 0.0
    if locked > 0:
        log.debug("update refused: client=%s is locked out after wrong tokens", client)
        raise ApiError(
            429,
            "too many wrong update tokens from this client; wait before trying again",
            headers={"Retry-After": str(int(locked + 0.999))},
        )
    auth = request.headers.get("Authorization", "")
    scheme, _, given = auth.partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise ApiError(
            401,
            "SPARQL Update needs the header 'Authorization: Bearer <update token>'",
            headers={"WWW-Authenticate": 'Bearer realm="diplograph"'},
        )
    if not hmac.compare_digest(given.strip().encode(), token.encode()):
        tries = throttle.failed(client) if throttle is not None else 0
        log.warning("update refused: wrong token from client=%s (try %d)", client, tries)
        if throttle is not None and tries == throttle.tries:
            log.warning(
                "update: client=%s is locked out for %g s after %d wrong tokens",
                client,
                throttle.lockout_s,
                tries,
            )
        raise ApiError(403, "the update token is not valid")
    store = state.embedded
    if store is None:
        raise ApiError(
            403,
            "this server is in front of an external store and does not send updates to it; "
            "update the store itself (or rebuild with `diplograph build --store URL`)",
        )
    if store.read_only:
        raise ApiError(403, "the server opened its store read-only, so it cannot apply updates")
    g.sparql_log = {"query": update, "started": time.monotonic()}
    try:
        check_update(
            update, state.settings.service_allowlist, int(state.settings.max_query_nesting)
        )
    except TooDeep as exc:
        raise ApiError(400, str(exc), title="Query Too Deep") from None
    except Refused as exc:
        raise ApiError(403, str(exc)) from None
    answering = state.answers is not None
    state.answers = None  # the engine answers while the data changes
    forget_answers(store.path)
    supervisor = state.supervisor
    resynced = with_default_graph_resync(update, store.base)  # writable, so always merged

    def apply() -> None:
        store.raw.update(resynced)

    try:
        if supervisor is not None:  # it may connect only to allow-listed endpoints
            supervisor.run_confined(apply)
        else:
            apply()
    except SyntaxError as exc:
        raise ApiError(400, f"malformed update: {exc.msg}", title="Malformed Query") from None
    except OSError as exc:
        blocked = supervisor.take_blocked(os.getpid()) if supervisor is not None else []
        if blocked:
            raise ApiError(
                403, f"the update tried to connect to {', '.join(blocked)}, which is not allowed"
            ) from None
        if "SERVICE" in update.upper():
            raise ApiError(502, f"a federated SERVICE call failed: {exc}") from None
        raise ApiError(500, f"the update failed: {exc}") from None
    if store.path is not None:
        store.raw.flush()
    state.pool.recycle(store_source(store))
    state.data_changed()
    if answering:  # recomputed: the saved ones were dropped above
        state.answers = precomputed_answers(store)
    return Response(status=204)


def with_default_graph_resync(update: str, base: str | None = None) -> str:
    """The update, then the default graph made the merge of the named graphs again (and, with
    the store's ``base``, the derived facts derived again from it), in the same request (one
    transaction): the default graph is derived, so triples written straight into it without a
    named graph do not stay."""
    significant = list(tokens(update))
    ends_open = bool(significant) and significant[-1].text == ";"
    separator = "\n" if ends_open else "\n;\n"
    tail = "" if base is None else " ;\n" + derived.full(base)
    return f"{update}{separator}{RESYNC_DEFAULT_GRAPH}{tail}"


def _failure(exc: QueryFailed, federated: bool, settings: Settings) -> ApiError:
    if exc.code == "syntax":
        return ApiError(400, f"malformed query: {exc.message}", title="Malformed Query")
    if exc.code == "not_acceptable":
        return _not_acceptable(exc.kind)
    if exc.code == "refused":
        return ApiError(403, f"{exc.message}: SERVICE may only call service_allowlist endpoints")
    if exc.code == "memory":
        return ApiError(
            503,
            f"the query needed more than max_query_memory_mb = {settings.max_query_memory_mb} "
            "MB of memory and was stopped; make it more selective (LIMIT, fewer unbound "
            "patterns, no ORDER BY over large results)",
            title="Query Memory Limit",
        )
    if exc.code == "slow_lane_full":
        return ApiError(
            503,
            f"the query ran longer than slow_query_s = {settings.slow_query_s:g} s while the "
            "server already runs as many long queries as it allows (for all clients, or for "
            "you); it was stopped, retry later",
            title="Server Busy",
            headers={"Retry-After": "5"},
        )
    if federated:
        return ApiError(502, f"a federated SERVICE call failed: {exc.message}")
    return ApiError(500, f"query evaluation failed: {exc.message}")


@bp.after_request
def _vary_and_log(response: Response) -> Response:
    response.vary.add("Accept")
    entry = g.pop("sparql_log", None)
    if entry is not None:
        log_query(
            response.status_code,
            entry["started"],
            str(entry["query"]),
            entry.get("rows", "-"),
            entry.get("truncated", "-"),
            client_of_request(),
        )
    return response


def log_query(
    status: int, started: float, query: str, rows: object, truncated: object, client: str
) -> None:
    """The one log line per query: status, milliseconds, rows, truncation, client, query."""
    if not log.isEnabledFor(logging.INFO):
        return
    ms = (time.monotonic() - started) * 1000
    text = " ".join(query.split())
    log.info(
        "query status=%d ms=%.1f rows=%s truncated=%s client=%s query=%.200s",
        status,
        ms,
        rows,
        truncated,
        client,
        text,
    )


# ---- service description ---------------------------------------------------------------------


def service_description() -> Response:
    """SPARQL 1.1 Service Description of this endpoint, in the RDF format the client asks."""
    if HTML_VIEW in current_app.view_functions:
        html = negotiate(request.headers.get("Accept"), ["text/turtle", "text/html"])
        if html == "text/html":
            target = url_for(HTML_VIEW) + (
                f"?{request.query_string.decode()}" if request.query_string else ""
            )
            return current_app.make_response(redirect(target, code=303))
    wanted = request.args.get("format")
    if wanted:
        try:
            fmt: GraphFormat | None = GraphFormat.lookup(wanted)
        except ValueError as exc:
            raise ApiError(400, str(exc)) from None
    else:
        fmt = negotiate_format(GraphFormat, request.headers.get("Accept"), GraphFormat.TURTLE)
    if fmt is None:
        raise _not_acceptable("service description")
    state = get_state()
    triples = description_triples(request.base_url, state.store, state.settings)
    body = ox.serialize(triples, format=fmt.ox, prefixes={"sd": SD}) or b""
    return Response(body, content_type=fmt.content_type)


def description_triples(endpoint: str, store: ServedStore, settings: Settings) -> list[ox.Triple]:
    """The service, its formats and features, and its dataset (one named graph per article)."""

    def sd(name: str) -> ox.NamedNode:
        return ox.NamedNode(SD + name)

    service = ox.NamedNode(endpoint)
    out = [
        ox.Triple(service, RDF_TYPE, sd("Service")),
        ox.Triple(service, sd("endpoint"), service),
        ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        ox.Triple(service, sd("feature"), sd("UnionDefaultGraph")),
        ox.Triple(service, sd("defaultEntailmentRegime"), ox.NamedNode(ENTAILMENT_SIMPLE)),
        ox.Triple(service, DC_TITLE, ox.Literal("Diplograph SPARQL endpoint")),
    ]
    if settings.service_allowlist:
        out.append(ox.Triple(service, sd("feature"), sd("BasicFederatedQuery")))
    for fmt in (*ResultsFormat, *GraphFormat):
        out.append(ox.Triple(service, sd("resultFormat"), ox.NamedNode(fmt.iri)))
    dataset, default = ox.BlankNode(), ox.BlankNode()
    out += [
        ox.Triple(service, sd("defaultDataset"), dataset),
        ox.Triple(dataset, RDF_TYPE, sd("Dataset")),
        ox.Triple(dataset, sd("defaultGraph"), default),
        ox.Triple(default, RDF_TYPE, sd("Graph")),
    ]
    for aid in store.article_ids():
        named = ox.BlankNode()
        out += [
            ox.Triple(dataset, sd("namedGraph"), named),
            ox.Triple(named, RDF_TYPE, sd("NamedGraph")),
            ox.Triple(named, sd("name"), ox.NamedNode(store.graph_iri(aid))),
        ]
    return out

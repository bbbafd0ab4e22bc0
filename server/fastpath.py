"""The SPARQL Protocol's plain queries answered without Flask: the per-request cost near zero.

A query is most requests this server gets, and most answers are small, so what a request
costs around the engine shows in every answer (measured with Flask's test client: 0.65 ms a
request, of which the query worker's round trip is 0.17 ms and Flask's request and response
objects, routing and hooks most of the rest). :class:`SparqlFastPath` sits in front of the
Flask app as WSGI middleware and answers ``/sparql`` queries sent the three standard ways
(``GET ?query=``, ``POST`` form-encoded, ``POST application/sparql-query``) itself, through
the same :func:`server.sparql.run_query` the Flask view uses: the same checks, limits,
worker pool, headers, error bodies and log line. Everything else (updates, the service
description, pages, a body too large, a malformed form, ``HEAD``, ``OPTIONS``) goes to Flask
untouched; a body read here is handed on intact.

``tests/test_fastpath.py`` sends the same requests both ways and compares status, headers
and body.
"""

from __future__ import annotations

import io
import json
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs

import pyoxigraph as ox

from server.errors import ApiError, as_api_error, error_body
from server.limits import client_address
from server.sparql import (
    FORM_TYPE,
    QUERY_TYPE,
    ProtocolRequest,
    choose_formats,
    log_query,
    run_query,
)
from server.state import CORS_HEADERS, AppState

log = logging.getLogger("diplograph.server")

Environ = dict[str, Any]
StartResponse = Callable[..., Any]
WsgiApp = Callable[[Environ, StartResponse], Iterable[bytes]]

SPARQL_PATH = "/sparql"


class _Body:
    """The answer's chunks; ``close`` (called by the WSGI server) hands the worker back and
    releases the client's query slot."""

    def __init__(self, chunks: Iterable[bytes], release: Callable[[], None] | None) -> None:
        self._chunks = chunks
        self._release = release

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._chunks)

    def close(self) -> None:
        try:
            close = getattr(self._chunks, "close", None)
            if close is not None:
                close()
        finally:
            if self._release is not None:
                self._release()
                self._release = None


class SparqlFastPath:
    """WSGI middleware: plain ``/sparql`` queries answered here, the rest by ``flask``."""

    def __init__(self, flask: WsgiApp, state: AppState) -> None:
        self.flask = flask
        self.state = state

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") != SPARQL_PATH:
            return self.flask(environ, start_response)
        protocol, wanted = self._read(environ)
        if protocol is None:
            return self.flask(environ, start_response)
        return self._answer(environ, start_response, protocol, wanted)

    # ---- reading the request ------------------------------------------------------------------

    def _read(self, environ: Environ) -> tuple[ProtocolRequest | None, str | None]:
        """The query and dataset, or ``None`` when Flask should read the request."""
        method = environ.get("REQUEST_METHOD")
        args = _params(environ.get("QUERY_STRING", ""))
        if args is None:
            return None, None
        if method == "GET":
            if "update" in args:
                return None, None
            return _protocol(args.get("query"), args, args), _one(args.get("format"))
        if method != "POST":
            return None, None
        mimetype, _, options = (environ.get("CONTENT_TYPE") or "").partition(";")
        mimetype = mimetype.strip().lower()
        if mimetype not in (FORM_TYPE, QUERY_TYPE):
            return None, None
        try:
            length = int(environ.get("CONTENT_LENGTH") or "")
        except ValueError:
            return None, None  # chunked or missing: Flask reads (and limits) it
        if length < 0 or length > int(self.state.settings.max_request_bytes):
            return None, None
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)  # intact, should Flask read it after all
        if mimetype == QUERY_TYPE:
            charset = _charset(options)
            if charset is None:
                return None, None
            try:
                text = body.decode(charset)
            except (UnicodeDecodeError, LookupError):
                return None, None
            return _protocol([text], args, args), _one(args.get("format"))
        try:
            form = _params(body.decode("ascii"))
        except UnicodeDecodeError:
            return None, None
        if form is None or "update" in form:
            return None, None
        merged = {
            key: form.get(key, []) + args.get(key, [])
            for key in ("default-graph-uri", "named-graph-uri")
        }
        wanted = _one(args.get("format", []) + form.get("format", []))  # as request.values
        return _protocol(form.get("query"), merged, merged), wanted

    # ---- answering ----------------------------------------------------------------------------

    def _answer(
        self,
        environ: Environ,
        start_response: StartResponse,
        protocol: ProtocolRequest,
        wanted: str | None,
    ) -> Iterable[bytes]:
        state = self.state
        started = time.monotonic()
        client = client_address(
            environ.get("REMOTE_ADDR"),
            environ.get("HTTP_X_FORWARDED_FOR", ""),
            state.trusted_proxies,
        )
        query = protocol.query or ""
        try:
            for iri in (*protocol.default_graphs, *protocol.named_graphs):
                try:
                    ox.NamedNode(iri)
                except ValueError as exc:
                    raise ApiError(
                        400,
                        f"default-graph-uri and named-graph-uri take IRIs; '{iri}' is not: {exc}",
                    ) from None
            results_fmt, graph_fmt = choose_formats(
                wanted, environ.get("HTTP_ACCEPT"), from_request=False
            )
            answered = run_query(state, protocol, results_fmt, graph_fmt, client)
        except Exception as exc:  # as Flask's error handlers answer it
            error = exc if isinstance(exc, ApiError) else as_api_error(exc)
            body = _json(error_body(error.status, error.title, error.detail))
            headers = [
                ("Content-Type", "application/json"),
                ("Content-Length", str(len(body))),
                *error.headers.items(),
                ("Vary", "Accept"),
                *CORS_HEADERS,
            ]
            start_response(_status(error.status), headers)
            log_query(error.status, started, query, "-", "-", client)
            return [body]
        head = answered.head
        headers = [
            ("Content-Type", head.content_type),
            *answered.headers(),
            ("Vary", "Accept"),
            *CORS_HEADERS,
        ]
        try:
            start_response("200 OK", headers)
            log_query(200, started, query, head.rows, head.truncated, client)
        except BaseException:
            _Body(answered.body, answered.release).close()
            raise
        return _Body(answered.body, answered.release)


def _params(text: str) -> dict[str, list[str]] | None:
    """Form or query-string fields (``None`` when they cannot be read as Flask reads them)."""
    if not text:
        return {}
    try:
        return parse_qs(text, keep_blank_values=True, errors="strict")
    except (UnicodeDecodeError, ValueError):
        return None


def _one(values: list[str] | None) -> str | None:
    return values[0] if values else None


def _protocol(
    queries: list[str] | None, defaults: dict[str, list[str]], named: dict[str, list[str]]
) -> ProtocolRequest | None:
    """A query request, or ``None`` for Flask to answer (no query, or more than one)."""
    if not queries or len(queries) != 1:
        return None
    return ProtocolRequest(
        queries[0],
        tuple(defaults.get("default-graph-uri", [])),
        tuple(named.get("named-graph-uri", [])),
    )


def _charset(options: str) -> str | None:
    charset = "utf-8"
    for option in options.split(";"):
        name, _, value = option.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"')
        elif name.strip():
            return None  # a parameter Flask may read differently
    return charset


def _status(code: int) -> str:
    return f"{code} {HTTPStatus(code).phrase.upper()}"  # as Werkzeug writes it


def _json(data: object) -> bytes:
    return json.dumps(data).encode()  # as Flask's JSON provider writes it (keys unsorted)

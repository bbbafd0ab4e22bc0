"""One JSON error body for the whole HTTP API.

Every error, whatever raised it, answers ``{"error": {"status": …, "title": …, "detail": …}}``
with ``Content-Type: application/json``. A malformed query is a 400 carrying the parser's
line and column; our own bug is an honest 500 whose detail says so (the traceback goes to the
log, not to the client).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from http import HTTPStatus

from flask import Flask, Response, json
from werkzeug.exceptions import HTTPException

from graphbuild.errors import QueryError, StoreError

log = logging.getLogger("diplograph.server")


class ApiError(Exception):
    """An error answer: status, a short title and a detail a researcher can act on."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        title: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.status = status
        self.title = title or HTTPStatus(status).phrase
        self.detail = detail
        self.headers = dict(headers or {})
        super().__init__(f"{status} {self.title}: {detail}")


def error_body(status: int, title: str, detail: str) -> dict[str, dict[str, object]]:
    return {"error": {"status": status, "title": title, "detail": detail}}


def error_response(error: ApiError) -> Response:
    response = Response(
        json.dumps(error_body(error.status, error.title, error.detail)),
        status=error.status,
        mimetype="application/json",
    )
    for name, value in error.headers.items():
        response.headers[name] = value
    return response


def _from_http(exc: HTTPException) -> Response:
    status = exc.code or 500
    if status < 400:  # routing redirects keep their own response
        return exc.get_response()  # type: ignore[return-value]
    headers = {k: v for k, v in exc.get_headers() if k.lower() != "content-type"}
    detail = exc.description or HTTPStatus(status).description
    return error_response(ApiError(status, detail, title=exc.name, headers=headers))


def _from_query_error(exc: QueryError) -> Response:
    return error_response(ApiError(400, exc.message, title="Malformed Query"))


def _from_store_error(exc: StoreError) -> Response:
    log.error("store error: %s", exc)
    return error_response(ApiError(503, str(exc), title="Store Unavailable"))


def _from_bug(exc: Exception) -> Response:
    log.exception("unhandled error: %s", exc)
    return error_response(ApiError(500, _BUG))


def as_api_error(exc: Exception) -> ApiError:
    """What the handlers below answer for an exception that is not an ``ApiError`` (for code
    that answers without Flask, :mod:`server.fastpath`); logged as they log it."""
    if isinstance(exc, QueryError):
        return ApiError(400, exc.message, title="Malformed Query")
    if isinstance(exc, StoreError):
        log.error("store error: %s", exc)
        return ApiError(503, str(exc), title="Store Unavailable")
    log.exception("unhandled error: %s", exc)
    return ApiError(500, _BUG)


_BUG = "an internal error occurred; it has been logged (this is a bug in Diplograph)"


def register_error_handlers(app: Flask) -> None:
    """Route every error of the app through the single JSON body."""
    app.register_error_handler(ApiError, error_response)
    app.register_error_handler(HTTPException, _from_http)
    app.register_error_handler(QueryError, _from_query_error)
    app.register_error_handler(StoreError, _from_store_error)
    app.register_error_handler(Exception, _from_bug)

"""The Flask app factory: ``create_app(settings, store)`` plus blueprints, no module state.

Everything a request needs lives on the app, in ``app.extensions["diplograph"]`` (an
:class:`~server.state.AppState`): the settings, the store handle, the pool of query worker
processes and the per-client limiter. Blueprints reach it through
:func:`server.state.get_state`, never through this module. New pages (query UI, resource
pages, VoID) are further blueprints registered here.
"""

from __future__ import annotations

from flask import Flask, Response, request

from graphbuild.settings import Settings
from graphbuild.store.embedded import GraphStore
from server.errors import register_error_handlers
from server.executor import InThread
from server.limits import AuthThrottle, ClientLimiter, parse_networks
from server.state import CORS_HEADERS, EXTENSION, AppState, precomputed_answers
from server.stores import open_served

IN_THREAD_BYTES = 1_000_000
"""Most bytes of a one-scan query's answer worked out in the request thread (see
:class:`~server.executor.InThread`); a longer one is answered by a worker."""


def create_app(settings: Settings, store: GraphStore | None = None) -> Flask:
    """Build the app over ``store`` (or the read-only store ``settings.store`` names).

    Queries run in worker processes that open the same store directory read-only; an
    in-memory store is handed to them as an N-Quads snapshot taken now. An external store
    (``sparql+http(s)://…``) answers the queries itself, behind the same checks and limits.
    The external store is never copied; SPARQL Update is only possible with ``update_token``
    set and a writable embedded store.
    """
    owns_store = store is None
    served = open_served(settings, store)
    embedded = served.embedded
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = int(settings.max_request_bytes)
    app.config["MAX_FORM_MEMORY_SIZE"] = int(settings.max_request_bytes)
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.extensions[EXTENSION] = AppState(
        settings=settings,
        store=served.store,
        pool=served.pool,
        answers=precomputed_answers(embedded)
        if settings.precomputed_answers and embedded is not None
        else None,
        limiter=ClientLimiter(
            int(settings.max_concurrent_per_client),
            slow_after_s=float(settings.slow_query_s),
            max_slow=int(settings.max_slow_queries) or max(1, int(settings.threads) // 2),
            max_slow_per_client=int(settings.max_slow_per_client),
        ),
        owns_store=owns_store,
        embedded=embedded,
        description=served.description,
        trusted_proxies=parse_networks(settings.trusted_proxies),
        supervisor=served.supervisor,
        auth=AuthThrottle(int(settings.update_token_tries), float(settings.update_lockout_s)),
        in_thread=InThread(
            embedded.raw,
            embedded.merged_default,
            int(settings.in_thread_rows),
            IN_THREAD_BYTES,
        )
        if embedded is not None and int(settings.in_thread_rows) > 0
        else None,
    )
    register_error_handlers(app)

    from server.export import bp as export_bp
    from server.linked_data import bp as linked_data_bp
    from server.meta import bp as meta_bp
    from server.pages import register as register_pages
    from server.sparql import bp as sparql_bp

    app.register_blueprint(sparql_bp)
    app.register_blueprint(export_bp)
    app.register_blueprint(meta_bp)
    register_pages(app)
    app.register_blueprint(linked_data_bp)
    app.after_request(_cors)
    from server.fastpath import SparqlFastPath

    app.wsgi_app = SparqlFastPath(app.wsgi_app, app.extensions[EXTENSION])  # type: ignore[method-assign]
    return app


def close_app(app: Flask) -> None:
    """Stop the query workers and close the store if the app opened it."""
    state: AppState | None = app.extensions.pop(EXTENSION, None)
    if state is not None:
        state.close()


def _cors(response: Response) -> Response:
    """Every endpoint is read-only, so any origin may call it (no credentials)."""
    for name, value in CORS_HEADERS:
        response.headers[name] = value
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type, Authorization"
        response.headers["Access-Control-Max-Age"] = "86400"
    return response

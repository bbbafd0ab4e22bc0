"""The Flask app factory: ``create_app(settings, store)`` plus blueprints, no module state.

Everything a request needs lives on the app, in ``app.extensions["diplograph"]`` (an
:class:`AppState`): the settings, the store handle, the pool of query worker processes and the
per-client limiter. Blueprints reach it through :func:`get_state`. New pages (query UI,
resource pages, VoID) are further blueprints registered here.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from flask import Flask, Response, current_app, request

from graphbuild.settings import Settings
from graphbuild.store import GraphStore
from graphbuild.views import Answers, compute_answers, load_answers
from server.errors import register_error_handlers
from server.limits import AuthThrottle, ClientLimiter, Network, client_address, parse_networks
from server.sandbox import Supervisor
from server.stores import QueryRunner, ServedStore, open_served

EXTENSION = "diplograph"
TRUNCATED_HEADER = "Diplograph-Results-Truncated"
TRUNCATED_BY_HEADER = "Diplograph-Results-Truncated-By"
ROWS_HEADER = "Diplograph-Result-Rows"
ANSWER_HEADER = "Diplograph-Answer"
EXPOSED_HEADERS = (
    TRUNCATED_HEADER,
    TRUNCATED_BY_HEADER,
    ROWS_HEADER,
    ANSWER_HEADER,
    "Content-Disposition",
    "ETag",
    "Retry-After",
)


@dataclass
class AppState:
    """What the app holds for its lifetime; closed by :func:`close_app`."""

    settings: Settings
    store: ServedStore
    pool: QueryRunner
    limiter: ClientLimiter
    owns_store: bool
    embedded: GraphStore | None = None
    """The embedded store, which SPARQL Update may write; ``None`` for an external store."""
    description: str = ""
    """What is served, for the log."""
    answers: Answers | None = None
    """Precomputed answers for the store's current version (embedded stores)."""
    trusted_proxies: tuple[Network, ...] = ()
    supervisor: Supervisor | None = None
    """The network sandbox's supervisor; updates run confined through it."""
    auth: AuthThrottle | None = None
    """Wrong update tokens per client."""

    def close(self) -> None:
        self.pool.close()
        if self.supervisor is not None:
            self.supervisor.close()
        if self.owns_store:
            self.store.close()


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
    )
    register_error_handlers(app)

    from server.export import bp as export_bp
    from server.meta import bp as meta_bp
    from server.pages import register as register_pages
    from server.sparql import bp as sparql_bp

    app.register_blueprint(sparql_bp)
    app.register_blueprint(export_bp)
    app.register_blueprint(meta_bp)
    register_pages(app)
    app.after_request(_cors)
    return app


def precomputed_answers(store: GraphStore) -> Answers:
    """The views' answers for this version of the store: saved by the build, or computed now.

    Only for the embedded store: an external store answers every question itself.
    """
    version = store.version().etag
    if store.path is not None:
        saved = load_answers(store.path, version)
        if saved is not None:
            return saved
    answers = compute_answers(store.raw, version)
    if store.path is not None:
        with contextlib.suppress(OSError):  # a store directory we may not write to
            answers.save(store.path)
    return answers


def client_of_request() -> str:
    """The client this request is from (behind a trusted proxy: the one the proxy saw)."""
    state = get_state()
    forwarded = request.headers.get("X-Forwarded-For", "")
    return client_address(request.remote_addr, forwarded, state.trusted_proxies)


def get_state() -> AppState:
    state: AppState = current_app.extensions[EXTENSION]
    return state


def close_app(app: Flask) -> None:
    """Stop the query workers and close the store if the app opened it."""
    state: AppState | None = app.extensions.pop(EXTENSION, None)
    if state is not None:
        state.close()


def _cors(response: Response) -> Response:
    """Every endpoint is read-only, so any origin may call it (no credentials)."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = ", ".join(EXPOSED_HEADERS)
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type, Authorization"
        response.headers["Access-Control-Max-Age"] = "86400"
    return response

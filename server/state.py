"""What every request of the app shares: :class:`AppState` and :func:`get_state`.

The app factory (:mod:`server.app`) puts one ``AppState`` in ``app.extensions["diplograph"]``:
the settings, the store handle, the pool of query worker processes, the per-client limiter
and the precomputed answers. Blueprints read it with :func:`get_state`; they import this
module, never the factory that registers them.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from flask import current_app, request

from graphbuild.settings import Settings
from graphbuild.store.embedded import GraphStore
from graphbuild.store.views import Answers, compute_answers, load_answers
from server.executor import InThread
from server.limits import AuthThrottle, ClientLimiter, Network, client_address
from server.sandbox import Supervisor
from server.stores import QueryRunner, ServedStore

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
CORS_HEADERS = (
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Expose-Headers", ", ".join(EXPOSED_HEADERS)),
)
"""Every endpoint is read-only, so any origin may call it (no credentials)."""


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
    in_thread: InThread | None = None
    """One-scan queries answered in the request thread (embedded stores)."""
    _articles: int | None = None

    def article_count(self) -> int:
        """Articles in the store, for ``/health``. An embedded store's count is kept until an
        update (listing 10,000 graphs takes ~80 ms, which a probe every few seconds should not
        pay); an external store, which others may write, is asked each time."""
        if self.embedded is None:
            return len(self.store.article_ids())
        self.embedded.has_article("")  # the store still answers (or this raises)
        if self._articles is None:
            self._articles = len(self.embedded.article_ids())
        return self._articles

    def data_changed(self) -> None:
        """After an update: counts are read again."""
        self._articles = None

    def close(self) -> None:
        self.pool.close()
        if self.supervisor is not None:
            self.supervisor.close()
        if self.owns_store:
            self.store.close()


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


def get_state() -> AppState:
    state: AppState = current_app.extensions[EXTENSION]
    return state


def client_of_request() -> str:
    """The client this request is from (behind a trusted proxy: the one the proxy saw)."""
    state = get_state()
    forwarded = request.headers.get("X-Forwarded-For", "")
    return client_address(request.remote_addr, forwarded, state.trusted_proxies)

"""What the server needs of a store; the one place that tells embedded and external apart.

The pages, exports, VoID and the query endpoint are written against :class:`ServedStore`
(which :class:`~graphbuild.store.embedded.GraphStore` and
:class:`~graphbuild.store.external.RemoteStore` both satisfy) and :class:`QueryRunner` (the
embedded store's worker processes, or the external store answering itself).
:func:`open_served` picks both from the settings, so the rest of the
server never asks which kind of store it has.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Protocol

import pyoxigraph as ox

from graphbuild.rdf.formats import GraphFormat
from graphbuild.settings import Settings
from graphbuild.store.embedded import GraphStore
from graphbuild.store.external import RemoteStore
from graphbuild.store.model import refuse_stale
from graphbuild.store.records import StoreVersion
from graphbuild.store.sparql_client import is_remote_store
from server.executor import (
    QueryJob,
    QueryPool,
    QueryStream,
    SlowLane,
    StoreSource,
    WorkerLimits,
)
from server.remote_pool import RemotePool
from server.sandbox import Supervisor

Term = ox.NamedNode | ox.BlankNode | ox.Literal


class StoreReader(Protocol):
    """The read calls of ``pyoxigraph.Store`` the pages use (``GraphStore.raw``)."""

    def quads_for_pattern(
        self,
        subject: ox.NamedNode | ox.BlankNode | None,
        predicate: ox.NamedNode | None,
        obj: Term | None,
        graph_name: ox.NamedNode | ox.DefaultGraph | None = None,
        /,
    ) -> Iterator[ox.Quad]: ...

    def query(
        self,
        query: str,
        /,
        *,
        prefixes: dict[str, str] | None = None,
        use_default_graph_as_union: bool = False,
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples: ...


class ServedStore(Protocol):
    """The store API the server reads through, whichever store it serves."""

    @property
    def base(self) -> str: ...

    @property
    def ontology_graph(self) -> str: ...

    @property
    def raw(self) -> StoreReader: ...

    def graph_iri(self, article_id: str) -> str: ...

    def article_ids(self) -> list[str]: ...

    def has_article(self, article_id: str) -> bool: ...

    def version(self) -> StoreVersion: ...

    def export(self, fmt: str | GraphFormat, article_id: str | None, out: BinaryIO) -> None: ...

    def prefixes(self) -> dict[str, str]: ...

    def close(self) -> None: ...


class QueryRunner(Protocol):
    """Runs ``/sparql`` queries under a deadline: :class:`QueryPool` or :class:`RemotePool`."""

    killed: int

    def run(self, job: QueryJob, timeout_s: float, slow: SlowLane | None = None) -> QueryStream: ...

    def warm_up(self) -> None: ...

    def recycle(self, source: StoreSource) -> None: ...

    def close(self) -> None: ...

    def pids(self) -> list[int]: ...

    def stats(self) -> dict[str, Any]: ...


@dataclass
class Served:
    """A store opened for serving, with what answers its queries and what takes updates."""

    store: ServedStore
    pool: QueryRunner
    embedded: GraphStore | None
    """The embedded store (SPARQL Update, precomputed answers); ``None`` for an external one."""
    description: str
    supervisor: Supervisor | None = None
    """Decides the connections of query workers and updates (``query_network_sandbox``)."""


def open_served(settings: Settings, store: GraphStore | None = None) -> Served:
    """``store``, or the read-only store ``settings.store`` names, ready to serve.

    An external store (``sparql+http(s)://…``) is opened read-only and answers queries
    itself; it is never copied. An embedded store's queries run in worker processes.
    """
    if store is None and is_remote_store(str(settings.store)):
        remote = RemoteStore.from_settings(settings, read_only=True)
        refuse_stale(remote, str(settings.store))
        return Served(
            remote,
            RemotePool(remote, int(settings.threads)),
            None,
            f"the external store {remote.endpoints.query}",
        )
    if store is None:
        store = GraphStore.open(Path(settings.store), read_only=True, base=settings.base_iri)
    refuse_stale(store.raw, str(store.path or "memory"))
    supervisor = Supervisor(settings.service_allowlist) if settings.query_network_sandbox else None
    limits = WorkerLimits(
        memory_bytes=int(settings.max_query_memory_mb) * 2**20,
        sandbox=supervisor is not None,
    )
    return Served(
        store,
        QueryPool(store_source(store), int(settings.threads), limits, supervisor),
        store,
        f"{len(store.article_ids())} article graph(s) from {store.path or 'memory'}",
        supervisor,
    )


def store_source(store: GraphStore) -> StoreSource:
    """How query workers reach ``store``: its directory, or a snapshot of a memory store."""
    if store.path is not None:
        return StoreSource(path=str(store.path), merged_default=store.merged_default)
    return StoreSource(nquads=store.dump_nquads(), merged_default=store.merged_default)

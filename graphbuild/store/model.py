"""Which version of the model a store's graphs were written under, and moving them forward.

Model 0.2.0 (ontology ``owl:versionInfo``) made ``dg:ScheduledMeeting`` a kind of
``dg:Event`` beside ``dg:Meeting`` instead of a subclass of it, so ``dg:Meeting`` means a
meeting that took place. A graph written under 0.1.0 still types every scheduled meeting as a
``dg:Meeting`` too (the mapper wrote both types), and a query counting meetings would count
announcements. Such a store is never served or queried mixed: ``diplograph build`` migrates it
first (the only difference between the models' graphs of the same facts is that type triple,
so the migration deletes it, in every article graph and in the merged default graph), and
``serve`` and ``query`` refuse it with the command that fixes it.

Model 0.3.0 changed linked people's IRIs and added every mention's evidence and the reference
terms of office; it needs no migration, since the new version in every article's build digest
makes the next build rebuild each article it is given.
"""

from __future__ import annotations

from typing import Protocol

import pyoxigraph as ox

from graphbuild.errors import StoreError
from graphbuild.vocabulary import DG

MODEL_VERSION = "0.3.0"
"""The ontology's ``owl:versionInfo``; part of every article's build digest, so a build
after a model change rebuilds every article it is given."""

_BOTH = f"?m a <{DG.ScheduledMeeting}> , <{DG.Meeting}>"
STALE_GRAPHS = f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ {_BOTH} }} }}"
"""Named graphs written under model 0.1.0 (a scheduled meeting that is also a dg:Meeting)."""
STALE_DEFAULT = f"ASK {{ {_BOTH} }}"
MIGRATE_NAMED = (
    f"DELETE {{ GRAPH ?g {{ ?m a <{DG.Meeting}> }} }} WHERE {{ GRAPH ?g {{ {_BOTH} }} }}"
)
MIGRATE_DEFAULT = f"DELETE {{ ?m a <{DG.Meeting}> }} WHERE {{ {_BOTH} }}"
"""For a store whose default graph holds the merge of the named graphs (the embedded one)."""


class _Queryable(Protocol):
    def query(self, sparql: str, /) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples: ...


def stale_graphs(reader: _Queryable) -> list[str]:
    """IRIs of the named graphs written under model 0.1.0, sorted."""
    results = reader.query(STALE_GRAPHS)
    if not isinstance(results, ox.QuerySolutions):
        return []
    out: set[str] = set()
    for row in results:
        graph = row["g"]
        if isinstance(graph, ox.NamedNode):
            out.add(graph.value)
    return sorted(out)


def refuse_stale(reader: _Queryable, where: str) -> None:
    """``StoreError`` naming the fix when the store still holds graphs of model 0.1.0."""
    stale = stale_graphs(reader)
    if stale:
        raise StoreError(
            f"{len(stale)} graph(s) here were built by an earlier Diplograph (model 0.1.0), in "
            "which a meeting announced for a later date was also a dg:Meeting; queries would "
            "count announcements as meetings that took place",
            where=where,
            hint="stop the server if one runs on this store, then run `diplograph build "
            f"<your article folders> --store {where}` once: it migrates the store (or delete "
            "the store and build it again)",
        )

"""A store built under model 0.1.0 (a scheduled meeting was also a dg:Meeting) is never mixed.

``serve`` and ``query`` refuse it with the command that fixes it; ``build`` migrates it first,
whatever articles it is given, and says so.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import RDF, XSD, Graph, Literal
from server_samples import DG, RES, fill_store

from graphbuild.errors import StoreError
from graphbuild.settings import Settings
from graphbuild.store.embedded import GraphStore
from graphbuild.store.model import STALE_DEFAULT, refuse_stale, stale_graphs
from graphbuild.store.records import ArticleRecord
from server.stores import open_served

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "graphbuild.cli"]
HELD = (
    "PREFIX dg: <https://w3id.org/diplograph/ontology#> "
    "SELECT (COUNT(?m) AS ?n) WHERE { ?m a dg:Meeting }"
)


def old_model_graph() -> Graph:
    """An article graph as Diplograph 0.1.0 wrote it: the announcement typed as a meeting too."""
    g = Graph()
    announced = RES["meeting/announced"]
    g.add((announced, RDF.type, DG.ScheduledMeeting))
    g.add((announced, RDF.type, DG.Meeting))
    g.add((announced, RDF.type, DG.Event))
    g.add((announced, DG.date, Literal("2030-01-02", datatype=XSD.date)))
    g.add((announced, DG.participant, RES["person/ana"]))
    g.add((announced, DG.participant, RES["person/cleo"]))
    return g


@pytest.fixture
def old_store(tmp_path: Path) -> Path:
    path = tmp_path / "store"
    with GraphStore.open(path) as store:
        fill_store(store)  # two held meetings, new model
        store.replace_article(
            "old", old_model_graph(), ArticleRecord("old", "digest-old", "rules@0.1.0", "old.txt")
        )
    return path


def held_meetings(store: GraphStore) -> int:
    rows = list(store.query(HELD))  # type: ignore[arg-type]
    return int(rows[0]["n"].value)


def test_a_stale_store_is_found_and_refused_for_serving(old_store: Path) -> None:
    with GraphStore.open(old_store, read_only=True) as store:
        assert stale_graphs(store.raw) == [store.graph_iri("old")]
        assert held_meetings(store) == 3  # the announcement counted as a meeting
        with pytest.raises(StoreError) as info:
            refuse_stale(store.raw, str(old_store))
    assert "earlier Diplograph" in info.value.message
    assert info.value.hint is not None and "diplograph build" in info.value.hint
    with pytest.raises(StoreError):
        open_served(Settings().replace(store=str(old_store)))


def test_the_command_line_refuses_to_query_it_in_one_line(old_store: Path) -> None:
    done = subprocess.run(
        [*CLI, "query", "--store", str(old_store), HELD],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("error: ") and "diplograph build" in done.stderr
    assert done.stdout == ""


def test_migration_removes_only_the_wrong_type_everywhere(old_store: Path) -> None:
    with GraphStore.open(old_store) as store:
        assert store.migrate_model() == [store.graph_iri("old")]
        assert stale_graphs(store.raw) == []
        assert not bool(store.raw.query(STALE_DEFAULT))  # the merged default graph too
        assert held_meetings(store) == 2
        g = store.article_graph("old")
        announced = RES["meeting/announced"]
        assert (announced, RDF.type, DG.ScheduledMeeting) in g
        assert (announced, RDF.type, DG.Event) in g
        assert (announced, RDF.type, DG.Meeting) not in g
        assert store.migrate_model() == []  # nothing left to do
    open_served(Settings().replace(store=str(old_store))).store.close()


def test_build_migrates_first_and_says_so(old_store: Path, tmp_path: Path) -> None:
    """The build is given an unrelated article: the old graph is migrated all the same."""
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "fresh.txt").write_text("Nothing happened today.\n", encoding="utf-8")
    done = subprocess.run(
        [*CLI, "build", str(articles), "--store", str(old_store), "-j", "1"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert "migrated 1 graph(s)" in done.stdout
    with GraphStore.open(old_store, read_only=True) as store:
        assert stale_graphs(store.raw) == []
        assert held_meetings(store) == 2

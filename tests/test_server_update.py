"""SPARQL Update: refused without a configured token, applied for its holder, LOAD never."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import requests
from server_samples import DG, RES, fill_store, post_update, running_server

from graphbuild.store.embedded import GraphStore
from server.sparql import with_default_graph_resync

DEFAULT = ox.DefaultGraph()
TOKEN = "correct-horse-battery"
GRAPH = "https://w3id.org/diplograph/graph/article/first"
INSERT = (
    f"INSERT DATA {{ GRAPH <{GRAPH}> {{ <{RES['person/ana']}> <{DG.metWith}> "
    f"<{RES['person/cleo']}> }} }}"
)
ASK = f"ASK {{ <{RES['person/ana']}> <{DG.metWith}> <{RES['person/cleo']}> }}"


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    path = tmp_path / "store"
    with GraphStore.open(path) as store:
        fill_store(store)
    return path


def asks(url: str) -> bool:
    answer: bool = requests.get(url, params={"query": ASK}, timeout=60).json()["boolean"]
    return answer


def test_token_holder_updates_and_queries_see_it(store_path: Path) -> None:
    with running_server(store_path, writable=True, update_token=TOKEN) as live:
        assert asks(live.sparql) is False  # a worker is warm with the old data
        assert post_update(live.sparql, INSERT, None).status_code == 401
        wrong = post_update(live.sparql, INSERT, "guess")
        assert wrong.status_code == 403 and wrong.json()["error"]["status"] == 403
        assert asks(live.sparql) is False
        ok = post_update(live.sparql, INSERT, TOKEN)
        assert ok.status_code == 204
        assert asks(live.sparql) is True
        form = requests.post(
            live.sparql,
            data={"update": INSERT.replace("INSERT DATA", "DELETE DATA")},
            headers={"Authorization": f"Bearer {TOKEN}"},
            timeout=60,
        )
        assert form.status_code == 204
        assert asks(live.sparql) is False


@pytest.mark.parametrize("tail", ["", " ;", " ;\n# done", " # a comment; with a semicolon", "\n"])
def test_an_update_ends_with_the_default_graph_made_the_merge_again(tail: str) -> None:
    with GraphStore.memory() as store:
        fill_store(store)
        store.raw.update(with_default_graph_resync(INSERT + tail))
        named = {(q.subject, q.predicate, q.object) for q in store.raw if q.graph_name != DEFAULT}
        default = {
            (q.subject, q.predicate, q.object)
            for q in store.raw.quads_for_pattern(None, None, None, DEFAULT)
        }
        assert default == named
        assert bool(store.query(ASK))


@pytest.mark.parametrize(
    "update",
    [
        "LOAD <file:///etc/passwd>",
        "LOAD <https://example.org/data.ttl> INTO GRAPH <https://example.org/g>",
        "INSERT { ?s ?p ?o } WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "INSERT { ?s ?p ?o } USING <file:///etc/passwd> WHERE { ?s ?p ?o }",
    ],
)
def test_token_holder_still_cannot_reach_out(store_path: Path, update: str) -> None:
    with running_server(store_path, writable=True, update_token=TOKEN) as live:
        assert post_update(live.sparql, update, TOKEN).status_code == 403


def test_malformed_update_is_400(store_path: Path) -> None:
    with running_server(store_path, writable=True, update_token=TOKEN) as live:
        r = post_update(live.sparql, "INSERT DATA { <a> }", TOKEN)
        assert r.status_code == 400
        assert r.json()["error"]["title"] == "Malformed Query"


def test_without_a_configured_token_any_update_is_403(store_path: Path) -> None:
    with running_server(store_path, writable=True) as live:
        assert post_update(live.sparql, INSERT, "anything").status_code == 403
        assert asks(live.sparql) is False


def test_a_read_only_server_refuses_even_the_token_holder(store_path: Path) -> None:
    with running_server(store_path, update_token=TOKEN) as live:
        assert post_update(live.sparql, INSERT, TOKEN).status_code == 403

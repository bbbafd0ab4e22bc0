"""Derived facts (graph/derived) stay exactly what a full derivation gives, after every write.

Random article graphs over a few people, states and meetings are written, rewritten and
removed; after each step the maintained ``dg:participantState`` facts must equal the join they
stand for, evaluated on the merged default graph, and be in the default graph too.
"""

from __future__ import annotations

import random
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, Graph, URIRef

from graphbuild.store import derived
from graphbuild.store.bulk_load import import_rdf
from graphbuild.store.embedded import GraphStore
from graphbuild.store.records import ArticleRecord

DG = "https://w3id.org/diplograph/ontology#"
RES = "https://w3id.org/diplograph/resource/"
TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
PEOPLE = [ox.NamedNode(f"{RES}person/p{i}") for i in range(6)]
STATES = [ox.NamedNode(f"{RES}country/c{i}") for i in range(4)]
MEETINGS = [ox.NamedNode(f"{RES}meeting/m{i}") for i in range(6)]
PARTICIPANT = ox.NamedNode(DG + "participant")
REPRESENTS = ox.NamedNode(DG + "represents")
COUNTRY = ox.NamedNode(DG + "Country")
MEETING = ox.NamedNode(DG + "Meeting")
PARTICIPANT_STATE = ox.NamedNode(DG + "participantState")

JOIN = f"""SELECT DISTINCT ?m ?c WHERE {{
  ?m <{DG}participant> ?p . ?p <{DG}represents> ?c . ?c a <{DG}Country> }}"""


def random_graph(rng: random.Random) -> list[ox.Triple]:
    out: list[ox.Triple] = []
    for m in rng.sample(MEETINGS, rng.randint(0, 2)):
        out.append(ox.Triple(m, TYPE, MEETING))
        out += [ox.Triple(m, PARTICIPANT, p) for p in rng.sample(PEOPLE, rng.randint(1, 3))]
    for p in rng.sample(PEOPLE, rng.randint(0, 2)):
        out.append(ox.Triple(p, REPRESENTS, rng.choice(STATES)))
    out += [ox.Triple(c, TYPE, COUNTRY) for c in rng.sample(STATES, rng.randint(0, 2))]
    return out


def random_references(rng: random.Random) -> dict[str, Graph]:
    """Reference graphs (terms of office) type states too: some, or none."""
    out: dict[str, Graph] = {}
    for i in rng.sample(range(3), rng.randint(0, 2)):
        g = Graph()
        for c in rng.sample(STATES, rng.randint(0, 2)):
            g.add((URIRef(c.value), RDF.type, URIRef(COUNTRY.value)))
        out[f"{RES}graph/reference/office-terms/r{i}"] = g
    return out


def record(article_id: str) -> ArticleRecord:
    return ArticleRecord(article_id=article_id, digest="d", extractor="test", source="test")


def maintained(store: GraphStore) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    d = ox.NamedNode(derived.derived_graph_iri(store.base))
    in_graph = {
        (str(q.subject), str(q.object))
        for q in store.raw.quads_for_pattern(None, PARTICIPANT_STATE, None, d)
    }
    in_default = {
        (str(q.subject), str(q.object))
        for q in store.raw.quads_for_pattern(None, PARTICIPANT_STATE, None, ox.DefaultGraph())
    }
    return in_graph, in_default


def expected(store: GraphStore) -> set[tuple[str, str]]:
    result = store.raw.query(JOIN)
    assert isinstance(result, ox.QuerySolutions)
    return {(str(r["m"]), str(r["c"])) for r in result}


@pytest.mark.parametrize("seed", range(12))
def test_maintained_facts_equal_the_join_after_every_write(seed: int) -> None:
    rng = random.Random(seed)
    store = GraphStore.memory()
    ids = [f"a{i}" for i in range(5)]
    for _ in range(30):
        article = rng.choice(ids)
        if rng.random() < 0.2:
            store.remove_article(article)
        else:
            store.replace_article(
                article, random_graph(rng), record(article), references=random_references(rng)
            )
        in_graph, in_default = maintained(store)
        assert in_graph == expected(store)
        assert in_default == in_graph
        assert not list(
            store.raw.quads_for_pattern(
                None, None, None, ox.NamedNode(f"{store.base}graph/derived-pending")
            )
        )
    for article in ids:
        store.remove_article(article)
    assert maintained(store) == (set(), set())


def test_an_older_store_is_derived_when_opened_writable(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with GraphStore.open(path) as store:
        graph = [
            ox.Triple(MEETINGS[0], PARTICIPANT, PEOPLE[0]),
            ox.Triple(PEOPLE[0], REPRESENTS, STATES[0]),
            ox.Triple(STATES[0], TYPE, COUNTRY),
        ]
        store.replace_article("a", graph, record("a"))
        store.raw.update("DROP GRAPH <" + derived.derived_graph_iri(store.base) + ">")
    (path / derived.MARKER_FILE).unlink()
    with GraphStore.open(path, read_only=True) as store:
        assert not store.derived_current
    with GraphStore.open(path) as store:
        assert store.derived_current
        assert maintained(store)[0] == {(str(MEETINGS[0]), str(STATES[0]))}


def test_a_bulk_import_is_derived(tmp_path: Path) -> None:
    g = f"{RES}graph/x"
    data = tmp_path / "data.nq"
    data.write_text(
        f"<{MEETINGS[1].value}> <{PARTICIPANT.value}> <{PEOPLE[1].value}> <{g}> .\n"
        f"<{PEOPLE[1].value}> <{REPRESENTS.value}> <{STATES[2].value}> <{g}> .\n"
        f"<{STATES[2].value}> <{TYPE.value}> <{COUNTRY.value}> <{g}> .\n",
        encoding="utf-8",
    )
    with GraphStore.open(tmp_path / "store") as store:
        import_rdf(store, data)
        assert maintained(store)[0] == {(str(MEETINGS[1]), str(STATES[2]))} == expected(store)

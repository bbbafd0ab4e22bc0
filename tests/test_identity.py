"""Cross-article identity: one node per person, country and meeting, evidence from each."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from graphbuild.run.build import build_corpus
from graphbuild.settings import load_settings
from graphbuild.store.embedded import GraphStore

ARTICLES = {
    "wire": (
        "Hungarian Foreign Minister Andrei Kovacs met Bolivian Foreign Minister Rosa Quispe "
        "in Budapest on Monday.",
        "2025-03-12",
    ),
    "daily": (
        "Bolivian Foreign Minister Rosa Quispe held talks with Hungarian Foreign Minister "
        "Andrey Kovacs in Budapest on 10 March 2025, her ministry said.",
        None,
    ),
    "later": (
        "Hungarian Foreign Minister Andrey Kovacs met Bolivian Foreign Minister Rosa Quispe "
        "again in La Paz on Friday.",
        "2025-03-22",
    ),
}
PREFIX = (
    "PREFIX dg: <https://w3id.org/diplograph/ontology#> "
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> GraphStore:
    folder = tmp_path_factory.mktemp("articles")
    for stem, (text, published) in ARTICLES.items():
        (folder / f"{stem}.txt").write_text(text, encoding="utf-8")
        (folder / f"{stem}.json").write_text(json.dumps({"published": published}))
    path = tmp_path_factory.mktemp("store") / "store"
    settings = load_settings(environ={}, overrides={"store": str(path), "jobs": 1})
    report = build_corpus([folder], settings, quiet=True)
    assert report.ok, report.rejected
    return GraphStore.open(Path(path), read_only=True)


def rows(store: GraphStore, query: str) -> list[dict[str, str]]:
    results = store.query(PREFIX + query)
    assert isinstance(results, ox.QuerySolutions)
    names = [v.value for v in results.variables]
    return [{n: sol[n].value for n in names} for sol in results]


def test_the_same_meeting_from_two_articles_is_one_node_with_evidence_from_both(
    store: GraphStore,
) -> None:
    found = rows(
        store,
        "SELECT ?m ?date (COUNT(DISTINCT ?src) AS ?sources) WHERE { "
        "?m a dg:Meeting ; dg:date ?date ; dg:evidence/dg:source ?src } GROUP BY ?m ?date "
        "ORDER BY ?date",
    )
    assert [(r["date"], r["sources"]) for r in found] == [("2025-03-10", "2"), ("2025-03-21", "1")]


def test_transliteration_variants_are_one_person(store: GraphStore) -> None:
    people = rows(store, "SELECT DISTINCT ?p WHERE { ?p a dg:Person }")
    assert len(people) == 2
    labels = rows(
        store,
        "SELECT ?l WHERE { ?p a dg:Person ; dg:represents ?c ; rdfs:label ?l . "
        '?c rdfs:label "Hungary" }',
    )
    assert {r["l"] for r in labels} == {"Andrei Kovacs", "Andrey Kovacs"}


def test_met_with_is_symmetric_across_articles(store: GraphStore) -> None:
    pairs = rows(
        store,
        "SELECT ?a ?b WHERE { ?x dg:metWith ?y . ?x rdfs:label ?a . ?y rdfs:label ?b }",
    )
    names = {(r["a"].split()[-1], r["b"].split()[-1]) for r in pairs}
    assert names == {("Kovacs", "Quispe"), ("Quispe", "Kovacs")}

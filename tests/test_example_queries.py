"""Every example query of ``data/queries/`` answers what its comment says.

The fixture (tests/query_samples.py) has held, scheduled, announced-then-held and undated
meetings, built through the real mapper, reasoner and shapes into an embedded store; each
query's rows are compared with the answer its first line promises. The federated query runs
against a stand-in for the Wikidata Query Service served by this project's own server.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from query_samples import LAVROV_QID, articles
from rdflib import RDF, Graph, URIRef
from server_samples import running_server

from graphbuild.link.office_holders import Term
from graphbuild.rdf.mapping import to_rdf
from graphbuild.rdf.reason import materialise
from graphbuild.rdf.reference import Party, reference_graph_iri, terms_graph
from graphbuild.rdf.validate import load_ontology, load_shapes, validate
from graphbuild.resources import default_articles_dir
from graphbuild.store.embedded import GraphStore
from graphbuild.store.records import ArticleRecord
from graphbuild.vocabulary import DG

QUERIES = default_articles_dir().parent / "queries"
XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"
Row = tuple[str | None, ...]


@pytest.fixture(scope="module")
def store() -> Iterator[GraphStore]:
    ontology, shapes = load_ontology(), load_shapes()
    with GraphStore.memory() as gs:
        gs.load_ontology(ontology)
        for ann in articles():
            graph = materialise(to_rdf(ann), ontology)
            validate(graph, shapes)
            gs.replace_article(
                ann.article.id, graph, ArticleRecord(ann.article.id, "d", "test", "x.txt")
            )
        yield gs


def query_text(name: str) -> str:
    return (QUERIES / f"{name}.rq").read_text(encoding="utf-8")


def value(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> str | None:
    if term is None:
        return None
    return term.value


def rows(results: object, *names: str) -> list[Row]:
    assert isinstance(results, ox.QuerySolutions)
    return [tuple(value(sol[n]) for n in names) for sol in results]


def run(store: GraphStore, name: str, *names: str) -> list[Row]:
    return rows(store.query(query_text(name)), *names)


def test_every_example_query_is_tested_here() -> None:
    shipped = {p.stem for p in QUERIES.glob("*.rq")}
    tested = {
        m.group(1).replace("_", "-")
        for m in re.finditer(r"^def test_(\d\d_[a-z_]+)\(", Path(__file__).read_text(), re.M)
    }
    assert shipped == tested


def test_01_who_met_whom(store: GraphStore) -> None:
    """Meetings that took place, one row per pair; the undated one without a date."""
    assert run(store, "01-who-met-whom", "date", "personA", "personB", "place") == [
        (None, "Marie Exemple", "Sergey Lavrov", None),
        ("2023-02-27", "Ilham Aliyev", "Sergey Lavrov", "Baku"),
        ("2023-03-10", "Jeyhun Bayramov", "Marie Exemple", "Paris"),
    ]


def test_02_meetings_of_a_person(store: GraphStore) -> None:
    """Each meeting of Lavrov once, held or scheduled, with the other participant."""
    assert run(store, "02-meetings-of-a-person", "date", "status", "other", "place") == [
        (None, "held", "Marie Exemple", None),
        ("2023-02-27", "held", "Ilham Aliyev", "Baku"),
        ("2023-02-28", "scheduled", "Jeyhun Bayramov", None),
    ]


def test_03_scheduled_meetings(store: GraphStore) -> None:
    """Announced meetings, each with the article that announces it."""
    base = "https://w3id.org/diplograph/resource/article/"
    found = run(store, "03-scheduled-meetings", "date", "participants", "article")
    assert [(d, set((p or "").split(", ")), a) for d, p, a in found] == [
        ("2023-02-28", {"Jeyhun Bayramov", "Sergey Lavrov"}, f"{base}baku"),
        ("2023-03-10", {"Jeyhun Bayramov", "Marie Exemple"}, f"{base}baku"),
    ]


def test_04_scheduled_never_held(store: GraphStore) -> None:
    """The 10 March announcement took place (Paris); the 28 February one never did."""
    found = run(store, "04-scheduled-never-held", "date", "a", "b")
    assert [(d, {a, b}) for d, a, b in found] == [
        ("2023-02-28", {"Jeyhun Bayramov", "Sergey Lavrov"}),
    ]


def test_05_quotations_on_a_topic(store: GraphStore) -> None:
    found = run(store, "05-quotations-on-a-topic", "speaker", "quote")
    assert found == [("Sergey Lavrov", "Regional security remains a very relevant topic,")]


def test_06_roles_per_country(store: GraphStore) -> None:
    assert run(store, "06-roles-per-country", "party", "person", "title") == [
        ("Azerbaijan", "Ilham Aliyev", "President"),
        ("Azerbaijan", "Jeyhun Bayramov", "Foreign Minister"),
        ("France", "Marie Exemple", "envoy"),
        ("Russia", "Sergey Lavrov", "Foreign Minister"),
    ]


def test_07_meetings_per_country_pair(store: GraphStore) -> None:
    """Held meetings only: the scheduled Russia-Azerbaijan meeting does not count."""
    found = run(store, "07-meetings-per-country-pair", "countryA", "countryB", "meetings")
    assert sorted(found) == [
        ("Azerbaijan", "France", "1"),
        ("Azerbaijan", "Russia", "1"),
        ("France", "Russia", "1"),
    ]


def test_08_anniversaries(store: GraphStore) -> None:
    assert run(store, "08-anniversaries", "date", "number", "baseDate", "agreement") == [
        ("2023-02-27", "1", "2022-02-22", "Declaration on Allied Cooperation"),
    ]


def test_09_wikidata_facts_federated(store: GraphStore, tmp_path: Path) -> None:
    """The same query, its SERVICE pointed at a stand-in for the Wikidata Query Service."""
    text = query_text("09-wikidata-facts-federated")
    assert "SERVICE <https://query.wikidata.org/sparql>" in text
    stub = tmp_path / "wikidata"
    with GraphStore.open(stub) as wd:
        wd.raw.add(
            ox.Quad(
                ox.NamedNode(f"http://www.wikidata.org/entity/{LAVROV_QID}"),
                ox.NamedNode("http://www.wikidata.org/prop/direct/P569"),
                ox.Literal("1950-03-21", datatype=ox.NamedNode(XSD_DATE)),
                ox.DefaultGraph(),
            )
        )
    with running_server(stub) as live:
        local = text.replace("https://query.wikidata.org/sparql", live.sparql)
        found = rows(store.query(local), "name", "item", "birth")
    assert found == [
        ("Sergey Lavrov", f"http://www.wikidata.org/entity/{LAVROV_QID}", "1950-03-21")
    ]


def test_10_evidence_of_a_meeting(store: GraphStore) -> None:
    """Sentences of meetings that took place only, never of an announcement."""
    found = run(store, "10-evidence-of-a-meeting", "date", "sentence")
    sentences = {s for _, s in found}
    assert "Exemple and Lavrov have met before" in sentences
    assert any(s and s.startswith("Sergey Lavrov met") for s in sentences)
    assert "Marie Exemple met Bayramov in Paris on 10 March" in sentences
    assert not any(s and "will meet" in s for s in sentences)
    assert {d for d, _ in found} == {None, "2023-02-27", "2023-03-10"}


def _term(office: str, title: str, iso2: str, start: str, end: str = "") -> Term:
    return Term(
        qid=LAVROV_QID,
        label="Sergey Lavrov",
        office=office,  # type: ignore[arg-type]
        iso2=iso2,
        organisation=None,
        start=start,
        end=end,
        position_label=title,
        position_qid=None,
        as_of=dt.date(2022, 8, 1),
        source="example/table@abc1234:terms.csv",
    )


def test_11_office_held_when_they_met(store: GraphStore) -> None:
    """Per held meeting, each participant's reference terms that cover its day; a term that
    ended before, one that began after, and one dated only by its year are left out."""
    base = "https://w3id.org/diplograph/"
    person = URIRef(f"{base}resource/person/sergey-lavrov")
    terms = [
        _term("foreign minister", "Minister of Foreign Affairs", "RU", "2004-03-09"),
        _term("other", "Permanent Representative to the UN", "RU", "1994-04-01", "2004-03-09"),
        _term("other minister", "Minister of Later Affairs", "RU", "2024-01-01"),
        _term("other", "Chair of a Year-dated Body", "RU", "2010"),
    ]

    def russia(term: Term) -> Party:
        return Party(URIRef(f"{base}resource/country/Q159"), "Country", "Russia", "Q159")

    graph = terms_graph(base, person, "Sergey Lavrov", LAVROV_QID, terms, russia)
    name = str(reference_graph_iri(base, person))
    only_terms = Graph()
    only_terms.add((URIRef(f"{base}resource/article/terms"), RDF.type, DG.Article))
    store.replace_article("terms", only_terms, ArticleRecord("terms", "d", "t"), {name: graph})
    try:
        found = run(
            store, "11-office-held-when-they-met", "date", "person", "office", "party", "end"
        )
    finally:
        store.remove_article("terms")
    assert found == [("2023-02-27", "Sergey Lavrov", "Minister of Foreign Affairs", "Russia", None)]

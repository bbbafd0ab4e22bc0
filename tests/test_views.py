"""Precomputed answers equal the engine's, are found only for their own question, never stale."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests
from hypothesis import given, settings
from hypothesis import strategies as st
from server_samples import running_server

from graphbuild.store.embedded import GraphStore
from graphbuild.store.records import ArticleRecord
from graphbuild.store.views import (
    CACHED_TEXT_CHARS,
    Answers,
    compute_answers,
    load_answers,
    normal_form,
    read_normal_form,
    shipped_views,
    tokens,
)

DG = "https://w3id.org/diplograph/ontology#"
RES = "https://w3id.org/diplograph/resource/"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

PEOPLE = {
    "ana": ("Ana Example", "norway"),
    "bo": ('Bo "the envoy" Ström', "sweden"),
    "cy": ("Cy Person", "chile"),
    "di": ("Di Person", "norway"),
    "ed": ("Ed Person", "peru"),
}
COUNTRIES = {
    "norway": ["Norway", "Noreg"],
    "sweden": ["Sweden"],
    "chile": ["Chile"],
    "peru": ["Peru"],
}
# (article, meeting, kind, participants): the same meeting told by two articles counts once
MEETINGS = [
    ("a1", "m1", "Meeting", ["ana", "bo"]),
    ("a2", "m1", "Meeting", ["ana", "bo"]),
    ("a2", "m2", "Meeting", ["bo", "cy", "di"]),
    ("a3", "m3", "ScheduledMeeting", ["cy", "ed"]),
    ("a3", "m4", "Meeting", ["ed", "ana"]),
]


def n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def article_triples(article: str) -> list[ox.Triple]:
    out: list[ox.Triple] = []
    for art, meeting, kind, people in MEETINGS:
        if art != article:
            continue
        m = n(f"{RES}meeting/{meeting}")
        out.append(ox.Triple(m, n(TYPE), n(DG + kind)))
        for p in people:
            person = n(f"{RES}person/{p}")
            name, country = PEOPLE[p]
            c = n(f"{RES}country/{country}")
            out += [
                ox.Triple(m, n(DG + "participant"), person),
                ox.Triple(person, n(TYPE), n(DG + "Person")),
                ox.Triple(person, n(LABEL), ox.Literal(name)),
                ox.Triple(person, n(LABEL), ox.Literal(name, language="en")),
                ox.Triple(person, n(DG + "represents"), c),
                ox.Triple(c, n(TYPE), n(DG + "Country")),
                *(ox.Triple(c, n(LABEL), ox.Literal(label)) for label in COUNTRIES[country]),
            ]
            out += [
                ox.Triple(person, n(DG + "metWith"), n(f"{RES}person/{q}"))
                for q in people
                if q != p
            ]
    return out


def fill(store: GraphStore, articles: list[str]) -> None:
    for article in articles:
        store.replace_article(article, article_triples(article), ArticleRecord(article, "d", "t"))


@pytest.fixture
def store() -> Iterator[GraphStore]:
    with GraphStore.memory() as s:
        fill(s, ["a1", "a2", "a3"])
        yield s


def engine(store: GraphStore, query: str) -> list[dict[str, object]]:
    result = store.query(query)  # as the server's workers ask it
    assert isinstance(result, ox.QuerySolutions)
    body = result.serialize(format=ox.QueryResultsFormat.JSON)
    return list(json.loads(body or b"{}")["results"]["bindings"])


def literal(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def questions() -> list[tuple[str, str]]:
    """Every view's query text, for every name it is asked with (and one nobody has)."""
    out = []
    for view in shipped_views():
        text = view.file.read_text(encoding="utf-8")
        if '"{name}"' in text:
            for name, _ in [*PEOPLE.values(), ("Nobody Here", "")]:
                out.append((view.name, text.replace('"{name}"', literal(name))))
        else:
            out.append((view.name, text))
    return out


def test_every_answer_is_the_engines_answer(store: GraphStore) -> None:
    answers = compute_answers(store.raw, store.version().etag)
    hits = 0
    for name, query in questions():
        stored = answers.lookup(query)
        if stored is None:
            assert "Nobody" in query, name  # only names nobody has go to the engine
            continue
        hits += 1
        expected = engine(store, query)
        got = json.loads(stored)["results"]["bindings"]
        if name == "meetings-per-country-pair":  # ORDER BY DESC(?meetings) leaves ties open
            counts = [int(r["meetings"]["value"]) for r in got]
            assert counts == sorted(counts, reverse=True)
            got, expected = sorted(got, key=json.dumps), sorted(expected, key=json.dumps)
        assert got == expected, name
    assert hits == len(questions()) - 2


def test_country_pairs_count_each_meeting_once_and_skip_scheduled(store: GraphStore) -> None:
    answers = compute_answers(store.raw, store.version().etag)
    query = next(q for v, q in questions() if v == "meetings-per-country-pair")
    rows = {
        (r["countryA"]["value"], r["countryB"]["value"]): int(r["meetings"]["value"])
        for r in json.loads(answers.lookup(query) or b"")["results"]["bindings"]
    }
    assert rows[("Norway", "Sweden")] == 2  # m1 (told twice) and m2
    assert ("Chile", "Peru") not in rows  # m3 is only scheduled
    assert rows[("Noreg", "Norway")] == 3  # a country's two labels pair up, as in SPARQL


def test_whitespace_and_comments_do_not_matter_but_anything_else_does(store: GraphStore) -> None:
    answers = compute_answers(store.raw, store.version().etag)
    query = next(q for v, q in questions() if v == "three-hop-reach" and "Ana" in q)
    assert answers.lookup(query) is not None
    spaced = "# my favourite question\n" + query.replace(" .", "  .\n   # note\n").replace(
        "\n", "\n\n"
    )
    assert answers.lookup(spaced) == answers.lookup(query)
    assert answers.lookup(query.replace("?z != ?x", "?z != ?a")) is None
    assert answers.lookup(query.replace("COUNT(DISTINCT ?z)", "COUNT(?z)")) is None
    assert answers.lookup(query + " LIMIT 1") is None
    assert answers.lookup(query.replace('"Ana Example"', '"Ana Example"@en')) is None


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from([" ", "\n", "\t", "  # c\n"]), min_size=1, max_size=40))
def test_any_layout_of_the_tokens_matches(spaces: list[str]) -> None:
    view = next(v for v in shipped_views() if v.name == "country-pairs-top50")
    toks = tokens(view.file.read_text(encoding="utf-8"))
    text = "".join(t + spaces[i % len(spaces)] for i, t in enumerate(toks))
    answers = Answers("v", {view.name: {"": b"{}"}}, {view.name: view.template()})
    assert answers.lookup(text) == b"{}"


def test_saved_answers_are_used_only_for_their_version(store: GraphStore, tmp_path: Path) -> None:
    answers = compute_answers(store.raw, store.version().etag)
    answers.save(tmp_path)
    assert load_answers(tmp_path, store.version().etag) is not None
    store.remove_article("a3")
    assert load_answers(tmp_path, store.version().etag) is None


def test_served_precomputed_answer_matches_the_engine_over_http(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with GraphStore.open(path) as s:
        fill(s, ["a1", "a2", "a3"])
    query = next(q for v, q in questions() if v == "two-hop-contacts" and "Ana" in q)
    answers: dict[bool, requests.Response] = {}
    for on in (True, False):
        with running_server(path, precomputed_answers=on) as live:
            for accept in ("application/sparql-results+json", "text/csv"):
                r = requests.post(
                    live.sparql, data={"query": query}, headers={"Accept": accept}, timeout=60
                )
                assert r.status_code == 200
                answers[on] = answers.get(on, r) if accept.endswith("json") else answers[on]
                if on:
                    assert r.headers.get("Diplograph-Answer") == "precomputed"
                else:
                    assert "Diplograph-Answer" not in r.headers
    bindings = {on: r.json()["results"]["bindings"] for on, r in answers.items()}
    assert bindings[True] == bindings[False] and len(bindings[True]) >= 2


def _ana(view: str) -> str:
    return next(q for v, q in questions() if v == view and "Ana" in q)


def test_prefix_names_keyword_case_and_quotes_do_not_matter(store: GraphStore) -> None:
    answers = compute_answers(store.raw, store.version().etag)
    query = _ana("two-hop-contacts")
    expected = answers.lookup(query)
    assert expected is not None
    body = query.split("SELECT", 1)[1]
    renamed = (
        "prefix d: <https://w3id.org/diplograph/ontology#>\n"
        "PREFIX : <http://www.w3.org/2000/01/rdf-schema#>\n"
        "select" + body.replace("dg:", "d:").replace("rdfs:", ":").replace("?x", "$x")
    )
    assert answers.lookup(renamed) == expected
    single = query.replace('"Ana Example"', "'Ana Example'")
    assert answers.lookup(single) == expected
    full = "SELECT" + body.replace("dg:", "<https://w3id.org/diplograph/ontology#").replace(
        "metWith", "metWith>"
    ).replace("rdfs:label", "<http://www.w3.org/2000/01/rdf-schema#label>")
    assert answers.lookup(full) == expected
    # the name with quotes, escaped either way, is the same name
    bo = next(q for v, q in questions() if v == "two-hop-contacts" and "Bo" in q)
    assert answers.lookup(bo) is not None
    assert answers.lookup(bo.replace('"Bo \\"the envoy\\" Ström"', "'Bo \"the envoy\" Ström'")) == (
        answers.lookup(bo)
    )


@pytest.mark.parametrize(
    "change",
    [
        ("dg:metWith/dg:metWith", "dg:metWith/dg:metWith/dg:metWith"),  # another path
        ("?y rdfs:label ?other", "?y dg:name ?other"),  # another triple pattern
        ("FILTER(?y != ?x)", "FILTER(?y = ?x)"),  # another filter
        ("FILTER(?y != ?x)", "FILTER(?y ! = ?x)"),  # not SPARQL: the engine says so
        ("ORDER BY ?other", "ORDER BY DESC(?other)"),
        ("ORDER BY ?other", "ORDER BY ?other LIMIT 3"),
        ("; dg:metWith", "; A dg:Person ; dg:metWith"),  # `a` is case-sensitive
        ('"Ana Example"', '"Ana\\u0020Example"'),  # \u escapes are left to the engine
        ('"Ana Example"', '"""Ana Example"""'),
        ('"Ana Example"', '"Ana Example"^^xsd:string'),
        ("dg:metWith/", "dgx:metWith/"),  # an undeclared prefix is an error
        ("SELECT", "BASE <http://example.org/> SELECT"),
    ],
)
def test_any_other_difference_goes_to_the_engine(
    store: GraphStore, change: tuple[str, str]
) -> None:
    answers = compute_answers(store.raw, store.version().etag)
    query = _ana("two-hop-contacts")
    assert answers.lookup(query) is not None
    changed = query.replace(*change, 1)
    assert changed != query
    assert answers.lookup(changed) is None


def test_a_replaced_article_is_never_answered_from_the_old_answers(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with GraphStore.open(path) as s:
        fill(s, ["a1", "a2", "a3"])
        compute_answers(s.raw, s.version().etag).save(path)
        assert load_answers(path, s.version().etag) is not None
        s.replace_article("a3", article_triples("a1"), ArticleRecord("a3", "d2", "t"))
        assert load_answers(path, s.version().etag) is None
        # recomputed for the new version: the engine's answer again (m4 is gone, so is Ed)
        fresh = compute_answers(s.raw, s.version().etag)
        query = _ana("two-hop-contacts")
        got = json.loads(fresh.lookup(query) or b"")["results"]["bindings"]
        assert got == engine(s, query)
        assert "Ed Person" not in json.dumps(got)


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=12).filter(lambda t: "\x00" not in t))
def test_any_name_round_trips_through_the_slot(name: str) -> None:
    view = next(v for v in shipped_views() if v.name == "three-hop-reach")
    answers = Answers("v", {view.name: {name: b"hit"}}, {view.name: view.template()})
    text = view.file.read_text(encoding="utf-8").replace('"{name}"', literal_escaped(name))
    assert answers.lookup(text) == b"hit"


def literal_escaped(name: str) -> str:
    esc = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"}
    return '"' + "".join(esc.get(c, c) for c in name) + '"'


def test_after_a_sparql_update_the_served_answer_is_the_new_one(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with GraphStore.open(path) as s:
        fill(s, ["a1", "a2", "a3"])
    query = _ana("two-hop-contacts")
    with running_server(path, writable=True, update_token="secret") as live:

        def others() -> set[str]:
            r = requests.post(live.sparql, data={"query": query}, timeout=60)
            assert r.status_code == 200 and r.headers.get("Diplograph-Answer") == "precomputed"
            return {b["other"]["value"] for b in r.json()["results"]["bindings"]}

        assert others() == {"Cy Person", "Di Person"}  # Ana met Bo, who met Cy and Di
        r = requests.post(
            live.sparql,
            data={"update": f"DELETE WHERE {{ GRAPH ?g {{ ?p <{DG}metWith> <{RES}person/cy> }} }}"},
            headers={"Authorization": "Bearer secret"},
            timeout=60,
        )
        assert r.status_code == 204
        assert others() == {"Di Person"}


def test_a_normal_form_is_kept_per_text() -> None:
    text = 'PREFIX ex: <http://example.org/>\nSELECT ?x WHERE { ?x ex:name "a" }'
    first = normal_form(text)
    assert first == read_normal_form(text)
    assert normal_form(text) is first  # kept, not read again
    assert normal_form("SELECT ?x WHERE { ?x ?p ?o } # other") is not first
    long = "SELECT ?x WHERE { ?x ?p ?o }" + " " * CACHED_TEXT_CHARS
    assert normal_form(long) == read_normal_form(long)
    assert normal_form(long) is not normal_form(long)  # too long to keep

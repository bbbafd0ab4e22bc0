"""A query with a required pattern that matches nothing is answered from an empty store: the
same bytes a worker sends, found by reading the text (``server.guard.required_patterns``) and
looking each pattern up in the store at each request, so never stale after an update."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests
from hypothesis import given, settings
from hypothesis import strategies as st
from server_samples import DG, RES, LiveServer, fill_store, post_update, running_server

from graphbuild.store.embedded import GraphStore
from server.guard import RDF_TYPE, inspect

X = "http://example.org/"
PREFIXES = f"PREFIX x: <{X}>\n"


@pytest.mark.parametrize(
    ("query", "patterns"),
    [
        (
            "SELECT * { ?s a x:C. ?s x:p 'v'@en-GB ; x:q 3, x:r . ?s x:t ?u }",
            [
                (None, RDF_TYPE, f"{X}C"),
                (None, f"{X}p", None),
                (None, f"{X}q", None),
                (None, f"{X}q", f"{X}r"),
                (None, f"{X}t", None),
            ],
        ),
        (
            "SELECT ?s WHERE { OPTIONAL { ?s x:o ?v } ?s x:p ?o FILTER(?o != x:e) "
            'FILTER NOT EXISTS { ?s x:n ?w } MINUS { ?s x:m ?z } ?s x:q "s"^^x:dt ; }',
            [(None, f"{X}p", None), (None, f"{X}q", None)],
        ),
        ("ASK { <http://example.org/a> x:p/x:q ?o ; x:r ?s }", [(f"{X}a", f"{X}r", None)]),
        (
            "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s x:g ?o } ?s x:p ?o } GROUP BY ?o",
            [(None, f"{X}p", None)],
        ),
        ("CONSTRUCT { ?s x:z ?o } WHERE { ?s x:p ?o }", [(None, f"{X}p", None)]),
        ("CONSTRUCT WHERE { ?s x:p ?o }", [(None, f"{X}p", None)]),
        # nothing that every solution must match, or nothing read with certainty
        ("SELECT * { { ?s x:p ?o } UNION { ?s x:q ?o } }", []),
        ("SELECT * { ?s x:p [ x:q ?o ] }", []),
        ("SELECT * { ?s x:p ?o VALUES ?o { x:a } }", []),
        ("SELECT * { ?s x:p ?o { SELECT ?o { ?o x:q ?r } } }", []),
        ("SELECT * { ?s x:p ?o SERVICE <http://example.org/sparql> { ?o x:q ?r } }", []),
        ("SELECT * { ?s ?p ?o }", [(None, None, None)]),
        ("DESCRIBE ?s WHERE { ?s x:p ?o }", []),
        ("SELECT * { ?s y:p ?o }", []),  # an undeclared prefix: the engine refuses the query
    ],
)
def test_required_patterns_are_those_of_the_outermost_group(
    query: str, patterns: list[tuple[str | None, ...]]
) -> None:
    assert list(inspect(PREFIXES + query).required) == patterns


# ---- soundness: a pattern reported required that matches nothing means no solutions ---------

PRESENT = ["x:p", "x:q"]
ABSENT = ["x:absent", "x:missing"]
TERMS = ["?a", "?b", "?c", "x:a", "x:b"]


def sample_store() -> ox.Store:
    store = ox.Store()
    for s, p, o in [("a", "p", "b"), ("b", "q", "c"), ("a", "q", "a"), ("c", "p", "a")]:
        store.add(ox.Quad(ox.NamedNode(X + s), ox.NamedNode(X + p), ox.NamedNode(X + o)))
    store.add(
        ox.Quad(ox.NamedNode(X + "a"), ox.NamedNode(X + "p"), ox.Literal("v"), ox.NamedNode(X))
    )
    return store


def triple() -> st.SearchStrategy[str]:
    return st.builds(
        lambda s, p, o: f"{s} {p} {o} .",
        st.sampled_from([*TERMS[:3], "x:a"]),
        st.sampled_from(PRESENT + ABSENT + ["?p"]),
        st.sampled_from(TERMS),
    )


def element() -> st.SearchStrategy[str]:
    return st.one_of(
        triple(),
        triple().map(lambda t: f"OPTIONAL {{ {t} }}"),
        triple().map(lambda t: f"MINUS {{ {t} }}"),
        triple().map(lambda t: f"FILTER NOT EXISTS {{ {t} }}"),
        st.tuples(triple(), triple()).map(lambda ts: f"{{ {ts[0]} }} UNION {{ {ts[1]} }}"),
        st.sampled_from(TERMS[:3]).map(lambda v: f"FILTER(!BOUND({v}) || {v} != x:b)"),
        triple().map(lambda t: f"GRAPH ?g {{ {t} }}"),
    )


FORMS = [
    "SELECT * WHERE {body}",
    "SELECT (COUNT(*) AS ?n) (SAMPLE(?a) AS ?one) WHERE {body}",
    "SELECT ?a (COUNT(?b) AS ?n) WHERE {body} GROUP BY ?a",
    "ASK {body}",
    "CONSTRUCT {{ ?a x:made ?b }} WHERE {body}",
]


def answer(store: ox.Store, query: str) -> object:
    result = store.query(query, use_default_graph_as_union=True)
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        return names, sorted(str(list(row)) for row in result)
    return sorted(str(t) for t in result)


def unmatched(store: ox.Store, patterns: object) -> bool:
    assert isinstance(patterns, tuple)
    for s, p, o in patterns:
        found = store.quads_for_pattern(
            *(None if t is None else ox.NamedNode(t) for t in (s, p, o)), None
        )
        if next(iter(found), None) is None:
            return True
    return False


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(FORMS), st.lists(element(), min_size=1, max_size=5))
def test_an_unmatched_required_pattern_means_the_empty_store_s_answer(
    form: str, elements: list[str]
) -> None:
    query = PREFIXES + form.format(body="{ " + " ".join(elements) + " }")
    store = sample_store()
    required = inspect(query).required
    if unmatched(store, required):
        assert answer(store, query) == answer(ox.Store(), query), query


# ---- over HTTP --------------------------------------------------------------------------------

UNMATCHED = [
    f"SELECT ?p ?d WHERE {{ ?m a <{DG.Meeting}> ; <{DG.date}> ?d ; <{DG.participant}> ?p . "
    f"?t a <{DG.TermOfOffice}> ; <{DG.roleHolder}> ?p }} ORDER BY ?d",
    f"SELECT (COUNT(*) AS ?n) WHERE {{ ?m <{DG.participant}> ?p . ?p <{DG.noSuchProperty}> ?x }}",
    f"ASK {{ ?m a <{DG.Meeting}> . ?q a <{DG.Quotation}> }}",
    f"CONSTRUCT {{ ?a <{DG.metWith}> ?b }} WHERE {{ ?a <{DG.metWith}> ?b ; a <{DG.Country}> }}",
]
ACCEPTS = {
    "SELECT": ["application/sparql-results+json", "application/sparql-results+xml", "text/csv"],
    "ASK": ["application/sparql-results+json", "application/sparql-results+xml"],
    "CONSTRUCT": ["text/turtle", "application/n-triples", "application/ld+json"],
}
SAME_HEADERS = ("Content-Type", "Content-Length", "Diplograph-Result-Rows", "Vary")


def ask(live: LiveServer, query: str, accept: str) -> requests.Response:
    return requests.post(live.sparql, data={"query": query}, headers={"Accept": accept}, timeout=60)


def test_unmatched_queries_answer_what_a_worker_answers(
    serve_store: Callable[..., LiveServer],
) -> None:
    here = serve_store()
    workers = serve_store(in_thread_rows=0)
    in_thread = here.state.in_thread
    assert in_thread is not None
    for query in UNMATCHED:
        for accept in ACCEPTS[query.split()[0]]:
            before = in_thread.answered_empty
            mine, theirs = ask(here, query, accept), ask(workers, query, accept)
            assert mine.status_code == theirs.status_code == 200, (query, accept)
            assert in_thread.answered_empty == before + 1, (query, accept)
            for name in SAME_HEADERS:
                assert mine.headers.get(name) == theirs.headers.get(name), (query, accept, name)
            assert mine.content == theirs.content, (query, accept)
    counted = ask(here, UNMATCHED[1], "application/sparql-results+json").json()
    assert counted["results"]["bindings"][0]["n"]["value"] == "0"


def test_queries_whose_patterns_all_match_run_in_a_worker(
    serve_store: Callable[..., LiveServer],
) -> None:
    live = serve_store()
    in_thread = live.state.in_thread
    assert in_thread is not None
    query = f"SELECT ?p WHERE {{ ?m a <{DG.Meeting}> ; <{DG.participant}> ?p }}"
    r = ask(live, query, "application/sparql-results+json")
    assert len(r.json()["results"]["bindings"]) == 4
    assert in_thread.answered_empty == 0


def test_an_update_that_adds_the_missing_triple_is_seen_at_once(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with GraphStore.open(path) as store:
        fill_store(store)
    token = "correct-horse-battery"
    ana, ben = RES["person/ana"], RES["person/ben"]
    query = f"ASK {{ ?a <{DG.metWith}> ?b . ?a <{DG.advised}> ?b }}"
    insert = (
        "INSERT DATA { GRAPH <https://w3id.org/diplograph/graph/article/first> "
        f"{{ <{ana}> <{DG.advised}> <{ben}> }} }}"
    )
    with running_server(path, writable=True, update_token=token) as live:
        in_thread = live.state.in_thread
        assert in_thread is not None
        assert ask(live, query, "application/sparql-results+json").json()["boolean"] is False
        assert in_thread.answered_empty == 1
        assert post_update(live.sparql, insert, token).status_code == 204
        assert ask(live, query, "application/sparql-results+json").json()["boolean"] is True
        assert in_thread.answered_empty == 1

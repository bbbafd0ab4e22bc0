"""The query guard: updates, SERVICE endpoints and local datasets, found in the query text."""

from __future__ import annotations

import re
import time

import pyoxigraph as ox
import pytest
from loopback import Listener, listening

from server.guard import (
    CACHED_TEXT_CHARS,
    Refused,
    TooDeep,
    check,
    check_update,
    inspect,
    inspected,
    tokens,
)

WDQS = ("https://query.wikidata.org/sparql",)


@pytest.mark.parametrize(
    ("query", "form"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
        ("PREFIX ex: <http://example.org/>\nBASE <http://b/>\nask { ex:a ?p ?o }", "ASK"),
        ("# a comment with INSERT\nCONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("describe <http://example.org/a>", "DESCRIBE"),
        ("PREFIX ex: <http://example.org/> INSERT DATA { ex:a ex:b 1 }", "INSERT"),
        ("load <http://example.org/x.ttl>", "LOAD"),
        ("WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "WITH"),
    ],
)
def test_form_is_the_first_keyword_after_the_prologue(query: str, form: str) -> None:
    assert inspect(query).form == form


def test_allow_listed_service_by_iri_or_prefixed_name_passes() -> None:
    direct = "SELECT * WHERE { SERVICE <https://query.wikidata.org/sparql> { ?s ?p ?o } }"
    assert check(direct, WDQS).services == ("https://query.wikidata.org/sparql",)
    prefixed = (
        "PREFIX w: <https://query.wikidata.org/>\n"
        "SELECT * WHERE { SERVICE SILENT w:sparql { ?s ?p ?o } }"
    )
    assert check(prefixed, WDQS).services == ("https://query.wikidata.org/sparql",)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:8080/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { service silent <https://evil.example/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE ?endpoint { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE undeclared:x { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE <sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE <https://query.wikidata.org/sparql/../other> { } }",
        "SELECT * WHERE { ?s ?p ?o FILTER(?s<?o)SERVICE<http://evil.example/>{} }",
    ],
)
def test_other_service_endpoints_are_refused(query: str) -> None:
    with pytest.raises(Refused):
        check(query, WDQS)


def test_keywords_inside_strings_iris_and_comments_are_ignored() -> None:
    query = (
        'SELECT * WHERE { ?s ?p "SERVICE <http://evil.example/> {}" .\n'
        "# SERVICE <http://evil.example/> { }\n"
        "?s <http://example.org/SERVICE> '''INSERT DATA''' }"
    )
    found = check(query, WDQS)
    assert found.services == () and found.form == "SELECT"


def test_empty_allowlist_disables_federation() -> None:
    with pytest.raises(Refused) as info:
        check("SELECT * WHERE { SERVICE <https://query.wikidata.org/sparql> {} }", ())
    assert "disabled" in str(info.value)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
        "SELECT * FROM NAMED <file:/home/me/data.ttl> WHERE { GRAPH ?g { ?s ?p ?o } }",
    ],
)
def test_local_datasets_are_refused(query: str) -> None:
    with pytest.raises(Refused):
        check(query, WDQS)


def test_http_datasets_pass() -> None:
    query = "SELECT * FROM <https://w3id.org/diplograph/graph/article/x> WHERE { ?s ?p ?o }"
    assert check(query, WDQS).datasets == ("https://w3id.org/diplograph/graph/article/x",)


@pytest.mark.parametrize(
    "update", ["CLEAR ALL", "DROP SILENT GRAPH <http://g>", "ADD <http://a> TO <http://b>"]
)
def test_updates_are_refused(update: str) -> None:
    with pytest.raises(Refused) as info:
        check(update, WDQS)
    assert "Update" in str(info.value)


# ---- the guard reads the text as the engine does -------------------------------------------
#
# Each case is run through pyoxigraph itself with a loopback listener as the endpoint: the
# engine does call it (so the case is a real way in), and the guard refuses it.

QUERY_WAYS_IN = {
    # an escape inside an IRI: the old tokeniser ended the IRI early and read '#…' as a comment
    "escape in an IRI": "SELECT * WHERE {{ BIND(<http://x/\\u0041#> AS ?z) "
    "SERVICE <{base}sparql> {{ ?s ?p ?o }} }}",
    "escaped endpoint": "SELECT * WHERE {{ SERVICE <{escaped}> {{ }} }}",
    "escaped prefix": "PREFIX e: <{escaped}> SELECT * WHERE {{ SERVICE e:x {{ }} }}",
    "escaped base": "BASE <{escaped}> SELECT * WHERE {{ SERVICE <sparql> {{ }} }}",
    # keywords need no word boundary in the engine
    "glued prefix name": "PREFIX x: <{base}> SELECT * {{ SERVICEx:foo {{ }} }}",
    "glued SILENT": "PREFIX x: <{base}> SELECT * {{ SERVICE SILENTx:foo {{ }} }}",
    "glued empty prefix": "PREFIX : <{base}> SELECT * {{ service:a {{ }} }}",
    "after a boolean": "SELECT * {{ ?s ?p trueService<{base}>{{}} }}",
    "after a double": "SELECT * {{ ?s ?p 1e5SERVICE<{base}>{{}} }}",
    "escaped quote in a string": "SELECT * WHERE {{ BIND('a\\u0027' AS ?x) "
    "SERVICE <{base}> {{ }} }}",
}


def _escaped(iri: str) -> str:
    return "".join(f"\\u{ord(c):04X}" if c in ":/." else c for c in iri)


def _engine_contacts(listener: Listener, query: str, update: bool = False) -> int:
    before = listener.contacts
    store = ox.Store()
    try:
        if update:
            store.update(query)
        else:
            results = store.query(query)
            if isinstance(results, ox.QuerySolutions):
                list(results)
    except (OSError, SyntaxError, ValueError, RuntimeError):
        pass
    deadline = time.monotonic() + 2
    while listener.contacts == before and time.monotonic() < deadline:
        time.sleep(0.01)
    return listener.contacts - before


@pytest.mark.parametrize("case", sorted(QUERY_WAYS_IN))
def test_a_way_past_the_old_tokeniser_reaches_the_engine_and_is_refused(case: str) -> None:
    with listening() as listener:
        query = QUERY_WAYS_IN[case].format(
            base=listener.base, escaped=_escaped(listener.base + "sparql")
        )
        assert _engine_contacts(listener, query) >= 1, "the engine does not call it"
        for allowlist in ((), WDQS):
            with pytest.raises(Refused):
                check(query, allowlist)


def test_a_string_hides_nothing_from_the_guard() -> None:
    """SPARQL 1.1's whole-text escape pre-pass is not what the engine does: inside a string
    ``\\u0022`` is a quote character, not the string's end. A guard that decoded escapes first
    would read a string from the second quote on and miss the SERVICE the engine calls."""
    with listening() as listener:
        query = (
            'SELECT * WHERE { BIND("\\u0022" AS ?a) '
            f'SERVICE <{listener.base}> {{ }} BIND("x" AS ?b) }}'
        )
        assert _engine_contacts(listener, query) >= 1
        prepass = re.sub(r"\\u([0-9A-Fa-f]{4})", lambda m: chr(int(m.group(1), 16)), query)
        assert "SERVICE" not in [t.text for t in tokens(prepass)], "a pre-pass reads it away"
        with pytest.raises(Refused):
            check(query, ())


def test_load_past_the_old_tokeniser_reaches_the_engine_and_is_refused() -> None:
    with listening() as listener:
        update = f"INSERT DATA {{ <http://x/\\u0041#> <http://p> 1 }} ; LOAD <{listener.base}>"
        assert _engine_contacts(listener, update, update=True) >= 1
        with pytest.raises(Refused) as info:
            check_update(update, WDQS)
        assert "LOAD" in str(info.value)
        glued = f"PREFIX x: <{listener.base}> INSERT DATA {{ <http://a> <http://b> 1 }};LOADx:y"
        assert _engine_contacts(listener, glued, update=True) >= 1
        with pytest.raises(Refused):
            check_update(glued, WDQS)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?service WHERE { ?service ?p ?o }",
        "PREFIX e: <http://example.org/> SELECT * WHERE { ?s e:service ?o }",
        'SELECT * WHERE { ?s ?p "SERVICE <http://evil.example/> {}" }',
        "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://evil.example/> {}",
    ],
)
def test_service_as_a_name_or_in_text_is_not_a_call(query: str) -> None:
    assert check(query, ()).services == ()


@pytest.mark.parametrize(
    ("query", "depth"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", 1),
        ("SELECT * WHERE " + "{" * 50 + "}" * 50, 50),
        ("SELECT * WHERE { FILTER(" + "!" * 40 + "true) }", 42),
        ("SELECT * WHERE { " + "<< " * 5 + "?s ?p ?o" + " >> ?p ?o" * 5 + " }", 6),
        ('SELECT * WHERE { ?s ?p "((((((((((" }', 1),
    ],
)
def test_nesting_counts_what_the_engine_recurses_through(query: str, depth: int) -> None:
    assert inspect(query).depth == depth


def test_too_deep_a_query_is_refused_before_the_engine_sees_it() -> None:
    deep = "SELECT * WHERE " + "{" * 2200 + "?s ?p ?o" + "}" * 2200
    with pytest.raises(TooDeep) as info:
        check(deep, (), max_nesting=64)
    assert "2200" in str(info.value) and "64" in str(info.value)
    assert check("SELECT * WHERE " + "{" * 64 + "}" * 64, (), max_nesting=64).depth == 64


def test_an_inspection_is_kept_per_text_and_refuses_the_same_each_time() -> None:
    service = "SELECT * WHERE { SERVICE <http://elsewhere.example/sparql> { ?s ?p ?o } }"
    first = inspected(service)
    assert inspected(service) is first  # kept, not read again
    assert first == inspect(service)
    for _ in range(2):
        with pytest.raises(Refused):
            check(service, WDQS)
    long = "SELECT * WHERE { ?s ?p ?o }" + " " * CACHED_TEXT_CHARS
    assert inspected(long) is not inspected(long)  # too long to keep
    assert inspected(long) == inspect(long)


@pytest.mark.parametrize(
    ("query", "one"),
    [
        ("ASK { <http://x/a> ?p ?o }", True),
        ("ask where { <http://x/a> ?p ?o . }", True),
        ("PREFIX ex: <http://x/> SELECT ?p ?o WHERE { ex:a ?p ?o } LIMIT 10", True),
        ("SELECT * { ?s a <http://x/C> }", True),
        ("SELECT ?p WHERE { <http://x/a> ?p 'x' }", True),
        ("DESCRIBE <http://x/a>", True),
        ("SELECT * { ?s ?p ?o }", False),  # a whole predicate's triples, or all
        ('SELECT ?p WHERE { <http://x/a> ?p "x"@en }', False),
        ("SELECT DISTINCT ?p WHERE { <http://x/a> ?p ?o }", False),
        ("SELECT ?p WHERE { <http://x/a> ?p ?o } ORDER BY ?p", False),
        ("SELECT ?p WHERE { <http://x/a> ?p ?o . ?o ?q ?r }", False),
        ("SELECT ?p WHERE { <http://x/a> <http://x/p>/<http://x/q> ?o }", False),
        ("SELECT ?p FROM <http://g> WHERE { <http://x/a> ?p ?o }", False),
        ("describe <http://x/a> <http://x/b>", False),
        ("DESCRIBE ?x WHERE { ?x ?p ?o }", False),
        ("SELECT ?p WHERE { SERVICE <http://e/> { <http://x/a> ?p ?o } }", False),
        ("SELECT ?p WHERE { GRAPH ?g { <http://x/a> ?p ?o } }", False),
        ("SELECT ?p WHERE { <http://x/a> ?p ?o FILTER(?o > 1) }", False),
        ("SELECT ?p WHERE { <http://x/a> ?p ?o } LIMIT 5 OFFSET 2", False),
        ("CONSTRUCT WHERE { <http://x/a> ?p ?o }", False),
        ("INSERT DATA { <http://x/a> <http://x/p> 1 }", False),
        ("SELECT ?p WHERE { <http://x/a> ?p ?o } VALUES ?p { <http://x/b> }", False),
    ],
)
def test_one_scan_is_one_node_s_triples_and_nothing_else(query: str, one: bool) -> None:
    assert inspect(query).one_scan is one

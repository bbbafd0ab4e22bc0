"""The query guard: updates, SERVICE endpoints and local datasets, found in the query text."""

from __future__ import annotations

import pytest

from server.guard import Refused, check, inspect

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

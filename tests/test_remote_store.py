"""The external-store backend: endpoint rules without a server, then a real Virtuoso.

The Virtuoso tests start ``virtuoso-t`` (Debian ``virtuoso-opensource``) on loopback with a
temporary database and skip when it is not installed. Each test writes under its own base
IRI and removes what it wrote, so they share one server. The seed build runs the shared
acceptance ASK queries against Virtuoso and against the embedded store.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, RDFS, XSD, Dataset, Graph, Literal, Namespace, URIRef
from virtuoso_fixture import Virtuoso, available, running_virtuoso

from graphbuild.errors import ConfigError, QueryError, StoreError
from graphbuild.settings import Settings
from graphbuild.store.embedded import GraphStore
from graphbuild.store.external import RemoteStore, open_store
from graphbuild.store.records import ArticleRecord
from graphbuild.store.sparql_client import Credentials, Endpoints, is_remote_store, query_form
from graphbuild.vocabulary import DG

ROOT = Path(__file__).resolve().parent.parent
ACCEPTANCE = ROOT.parent / "shared" / "acceptance" / "seed"
SCHEMA = Namespace("https://schema.org/")

needs_virtuoso = pytest.mark.skipif(
    not available(), reason="virtuoso-t is not installed (Debian package virtuoso-opensource)"
)


# ---- without a server -----------------------------------------------------------------------


def test_virtuoso_endpoints_are_derived_from_its_sparql_path() -> None:
    e = Endpoints.from_store_url("sparql+http://db.example:8890/sparql")
    assert e.query == "http://db.example:8890/sparql"
    assert e.update == "http://db.example:8890/sparql-auth"
    assert e.gsp == "http://db.example:8890/sparql-graph-crud-auth"
    assert e.gsp_read == "http://db.example:8890/sparql-graph-crud"


def test_a_dataset_url_serves_every_protocol() -> None:
    e = Endpoints.from_store_url("sparql+https://kg.example/corpus")
    assert e.query == e.update == e.gsp == e.gsp_read == "https://kg.example/corpus"


def test_configured_endpoints_win_over_derived_ones() -> None:
    e = Endpoints.from_store_url(
        "sparql+http://h:7200/repositories/kg",
        gsp="http://h:7200/repositories/kg/rdf-graphs/service",
        update="http://h:7200/repositories/kg/statements",
    )
    assert e.query == "http://h:7200/repositories/kg"
    assert e.update.endswith("/statements")
    assert e.gsp == e.gsp_read == "http://h:7200/repositories/kg/rdf-graphs/service"


@pytest.mark.parametrize(
    "url",
    ["http://h/sparql", "sparql+http:///sparql", "sparql+http://dba:secret@h:8890/sparql"],
    ids=["not-remote", "no-host", "credentials-in-url"],
)
def test_bad_store_urls_are_config_errors(url: str) -> None:
    with pytest.raises(ConfigError) as caught:
        Endpoints.from_store_url(url)
    assert "secret" not in str(caught.value)


@pytest.mark.parametrize(
    ("store", "remote"),
    [("var/store", False), ("sparql+http://h/sparql", True), ("SPARQL+HTTPS://h/q", True)],
)
def test_is_remote_store(store: str, remote: bool) -> None:
    assert is_remote_store(store) is remote


@pytest.mark.parametrize(
    ("query", "form"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
        ("prefix dg: <https://w3id.org/diplograph/ontology#>\nask { ?s a dg:Meeting }", "ASK"),
        (
            "# a comment\nBASE <http://x/#frag>\nPREFIX : <http://x/#>\nCONSTRUCT WHERE {?s ?p ?o}",
            "CONSTRUCT",
        ),
        ("DESCRIBE <http://example.org/a>", "DESCRIBE"),
        ("INSERT DATA { <a> <b> <c> }", None),
    ],
)
def test_query_form_skips_the_prologue(query: str, form: str | None) -> None:
    assert query_form(query) == form


def test_open_store_picks_the_backend_from_the_setting(tmp_path: Path) -> None:
    with open_store(Settings().replace(store=str(tmp_path / "store"))) as embedded:
        assert isinstance(embedded, GraphStore)
    remote = open_store(Settings().replace(store="sparql+http://127.0.0.1:9/sparql"))
    with remote:
        assert isinstance(remote, RemoteStore)
        assert remote.endpoints.update == "http://127.0.0.1:9/sparql-auth"


def test_credentials_never_show_the_password() -> None:
    settings = Settings().replace(
        store="sparql+http://127.0.0.1:9/sparql",
        store_auth_user="writer",
        store_auth_password="s3cret-pw",
    )
    with RemoteStore.from_settings(settings) as store:
        assert store.credentials == Credentials("writer", "s3cret-pw", "digest")
        assert "s3cret-pw" not in repr(store.credentials) + repr(store)


def test_unknown_write_mode_is_a_config_error() -> None:
    settings = Settings().replace(store="sparql+http://127.0.0.1:9/sparql", store_write="post")
    with pytest.raises(ConfigError):
        RemoteStore.from_settings(settings)


def test_read_only_store_refuses_writes_before_any_request() -> None:
    store = RemoteStore(
        Endpoints.from_store_url("sparql+http://127.0.0.1:9/sparql"), read_only=True
    )
    with store, pytest.raises(StoreError, match="read-only"):
        store.replace_article("a", Graph(), ArticleRecord("a", "d", "x"))


def test_unreachable_store_is_a_store_error_with_a_hint() -> None:
    store = RemoteStore(Endpoints.from_store_url("sparql+http://127.0.0.1:9/sparql"), timeout_s=5)
    with store, pytest.raises(StoreError) as caught:
        store.query("ASK {}")
    assert caught.value.hint is not None and "running" in caught.value.hint


# ---- against Virtuoso -----------------------------------------------------------------------


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    if not available():
        pytest.skip("virtuoso-t is not installed (Debian package virtuoso-opensource)")
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server


def _open(server: Virtuoso, write: str = "update", **kwargs: object) -> RemoteStore:
    base = f"https://example.org/t{uuid.uuid4().hex[:8]}/"
    return RemoteStore(
        Endpoints.from_store_url(server.store_url),
        base=base,
        credentials=Credentials(server.user, server.password),
        write=write,
        **kwargs,  # type: ignore[arg-type]
    )


@pytest.fixture(params=["update", "gsp"])
def remote(virtuoso: Virtuoso, request: pytest.FixtureRequest) -> Iterator[RemoteStore]:
    """A writable store under a base IRI of its own, emptied afterwards."""
    store = _open(virtuoso, request.param)
    with store:
        yield store
        for aid in store.article_ids():
            store.remove_article(aid)


def article_graph(base: str, name: str, text: str, date: str = "2021-03-04") -> Graph:
    res = Namespace(f"{base}resource/")
    g = Graph()
    article, meeting = res[f"article/{name}"], res[f"meeting/{name}"]
    g.add((article, RDF.type, DG.Article))
    g.add((article, SCHEMA.text, Literal(text)))
    g.add((meeting, RDF.type, DG.Meeting))
    g.add((meeting, DG.date, Literal(date, datatype=XSD.date)))
    g.add((meeting, RDFS.label, Literal(f"meeting in {name}", lang="en")))
    return g


def record(aid: str, digest: str = "d1") -> ArticleRecord:
    return ArticleRecord(aid, digest, "test@1", f"{aid}.txt")


def drop_ontology(store: RemoteStore) -> None:
    """Test cleanup: the ontology graph and its record (no API removes them)."""
    o, b = store.ontology_graph, store.builds_graph
    store._update(
        f"DROP SILENT GRAPH <{o}> ; DELETE WHERE {{ GRAPH <{b}> {{ <{o}> ?p ?o }} }}", "cleanup"
    )


TEXT = "Die Ministerin Müller sagte: «Grüße aus Zürich» 😀 – and met Ana Example."


@needs_virtuoso
def test_article_round_trip(remote: RemoteStore) -> None:
    graph = article_graph(remote.base, "one", TEXT)
    remote.replace_article("one", graph, record("one"))
    assert remote.article_ids() == ["one"]
    assert remote.has_article("one") and not remote.has_article("two")
    back = remote.article_graph("one")
    assert set(back) == set(graph)
    stored = remote.article_record("one")
    assert stored is not None
    assert (stored.digest, stored.extractor, stored.source) == ("d1", "test@1", "one.txt")
    assert remote.article_records().keys() == {"one"}


@needs_virtuoso
def test_replacing_drops_the_old_graph_and_record(remote: RemoteStore) -> None:
    remote.replace_article("one", article_graph(remote.base, "one", "old text"), record("one"))
    newer = article_graph(remote.base, "one", "new text", date="2022-01-02")
    remote.replace_article("one", newer, record("one", "d2"))
    assert set(remote.article_graph("one")) == set(newer)
    stored = remote.article_record("one")
    assert stored is not None and stored.digest == "d2"
    rows = remote.query(
        f"SELECT ?d WHERE {{ GRAPH <{remote.builds_graph}> "
        f"{{ <{remote.graph_iri('one')}> <{DG.contentDigest}> ?d }} }}"
    )
    assert isinstance(rows, ox.QuerySolutions)
    assert [s["d"].value for s in rows] == ["d2"]


@needs_virtuoso
def test_reference_graphs_live_as_long_as_an_article_needs_them(remote: RemoteStore) -> None:
    from test_reference import reference_lifecycle

    reference_lifecycle(remote, remote.base, record)


@needs_virtuoso
def test_remove_article(remote: RemoteStore) -> None:
    remote.replace_article("one", article_graph(remote.base, "one", TEXT), record("one"))
    assert remote.remove_article("one") is True
    assert remote.remove_article("one") is False
    assert not remote.has_article("one")
    assert remote.article_record("one") is None
    assert remote.article_ids() == []
    with pytest.raises(StoreError, match="no article"):
        remote.article_graph("one")


@needs_virtuoso
def test_character_offsets_count_characters_not_bytes(remote: RemoteStore) -> None:
    """Evidence offsets index characters; Virtuoso must cut non-ASCII text the same way.

    The span is compared with a stored literal, as acceptance query 10 does: Virtuoso 7.2
    answers false when a SUBSTR result is compared with a non-ASCII literal written in the
    query text itself (see docs/scaling-out.md).
    """
    graph = article_graph(remote.base, "one", TEXT)
    start = TEXT.index("Grüße")
    span = URIRef(f"{remote.base}resource/evidence/one")
    graph.add((span, DG.exact, Literal("Grüße")))
    remote.replace_article("one", graph, record("one"))
    answer = remote.query(
        f"PREFIX schema: <{SCHEMA}>\n"
        f"ASK {{ ?a schema:text ?t . <{span}> <{DG.exact}> ?x "
        f"FILTER(SUBSTR(STR(?t), {start + 1}, 5) = STR(?x)) "
        f"FILTER(STRLEN(STR(?t)) = {len(TEXT)}) }}"
    )
    assert isinstance(answer, ox.QueryBoolean) and bool(answer)


@needs_virtuoso
def test_every_query_form_comes_back_as_pyoxigraph_results(remote: RemoteStore) -> None:
    graph = article_graph(remote.base, "one", TEXT)
    remote.replace_article("one", graph, record("one"))
    g = f"<{remote.graph_iri('one')}>"
    rows = remote.query(f"SELECT ?d WHERE {{ GRAPH {g} {{ ?m <{DG.date}> ?d }} }}")
    assert isinstance(rows, ox.QuerySolutions)
    dates = [s["d"] for s in rows]
    assert len(dates) == 1 and isinstance(dates[0], ox.Literal)
    assert dates[0].datatype == ox.NamedNode(str(XSD.date)) and dates[0].value == "2021-03-04"
    ask = remote.query(f"ASK {{ GRAPH {g} {{ ?m a <{DG.Meeting}> }} }}")
    assert isinstance(ask, ox.QueryBoolean) and bool(ask)
    built = remote.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {g} {{ ?s ?p ?o }} }}")
    assert isinstance(built, ox.QueryTriples)
    assert len(list(built)) == len(graph)
    with pytest.raises(QueryError):
        remote.query("SELECT * WHERE { ?s ?p ")


@needs_virtuoso
def test_protocol_dataset_parameters(remote: RemoteStore) -> None:
    for name in ("one", "two"):
        remote.replace_article(name, article_graph(remote.base, name, TEXT), record(name))
    only_one = remote.query(
        f"SELECT DISTINCT ?m WHERE {{ ?m a <{DG.Meeting}> }}",
        default_graph=[remote.graph_iri("one")],
    )
    assert isinstance(only_one, ox.QuerySolutions)
    assert [s["m"].value for s in only_one] == [f"{remote.base}resource/meeting/one"]
    empty = remote.query("SELECT * WHERE { ?s ?p ?o }", default_graph_union=False)
    assert isinstance(empty, ox.QuerySolutions) and list(empty) == []


@needs_virtuoso
def test_writes_need_credentials(virtuoso: Virtuoso) -> None:
    anonymous = RemoteStore(
        Endpoints.from_store_url(virtuoso.store_url), base="https://example.org/anon/"
    )
    with anonymous, pytest.raises(StoreError, match="refused"):
        anonymous.replace_article("x", article_graph(anonymous.base, "x", "t"), record("x"))


@needs_virtuoso
def test_records_are_read_in_pages(virtuoso: Virtuoso) -> None:
    ids = [f"a{i}" for i in range(5)]
    with _open(virtuoso, page_rows=2) as store:
        try:
            for aid in ids:
                store.replace_article(aid, article_graph(store.base, aid, TEXT), record(aid))
            assert store.article_ids() == ids
            assert sorted(store.article_records()) == ids
        finally:
            for aid in ids:
                store.remove_article(aid)


@needs_virtuoso
def test_version_changes_with_every_write(remote: RemoteStore) -> None:
    empty = remote.version()
    remote.replace_article("one", article_graph(remote.base, "one", TEXT), record("one"))
    first = remote.version()
    assert first.etag != empty.etag and first == remote.version()
    remote.replace_article("one", article_graph(remote.base, "one", TEXT), record("one"))
    second = remote.version()
    assert second.etag != first.etag
    assert first.modified is not None and second.modified is not None
    assert second.modified >= first.modified
    remote.remove_article("one")
    assert remote.version().etag not in (first.etag, second.etag)


@needs_virtuoso
def test_exports_parse_back(remote: RemoteStore) -> None:
    graphs = {n: article_graph(remote.base, n, f"{TEXT} {n}") for n in ("one", "two")}
    for name, graph in graphs.items():
        remote.replace_article(name, graph, record(name))
    out = io.BytesIO()
    remote.export("nquads", None, out)
    dataset = Dataset()
    dataset.parse(data=out.getvalue(), format="nquads")
    names = {str(c.identifier) for c in dataset.graphs()}
    assert {remote.graph_iri("one"), remote.graph_iri("two"), remote.builds_graph} <= names
    for name, graph in graphs.items():
        assert set(dataset.graph(URIRef(remote.graph_iri(name)))) == set(graph)
    out = io.BytesIO()
    remote.export("turtle", "two", out)
    two = Graph()
    two.parse(data=out.getvalue(), format="turtle")
    assert set(two) == set(graphs["two"])
    out = io.BytesIO()
    remote.export("ntriples", None, out)
    union = Graph()
    union.parse(data=out.getvalue(), format="nt")
    assert set(graphs["one"]) | set(graphs["two"]) <= set(union)


@needs_virtuoso
def test_ontology_is_loaded_once(remote: RemoteStore) -> None:
    onto = Graph()
    onto.add((DG.Meeting, RDFS.label, Literal("meeting", lang="en")))
    assert remote.load_ontology(onto) is True
    assert remote.load_ontology(onto) is False
    answer = remote.query(f"ASK {{ GRAPH <{remote.ontology_graph}> {{ <{DG.Meeting}> ?p ?o }} }}")
    assert isinstance(answer, ox.QueryBoolean) and bool(answer)
    drop_ontology(remote)


@needs_virtuoso
def test_graphs_larger_than_one_insert_block(remote: RemoteStore) -> None:
    """Virtuoso's SPARQL parser gives up near 5,000 triples in one INSERT DATA."""
    res = Namespace(f"{remote.base}resource/")
    big = Graph()
    for i in range(6000):
        big.add((res[f"e{i}"], RDFS.label, Literal(f"entity {i}")))
    remote.replace_article("big", big, record("big"))
    assert len(remote.article_graph("big")) == 6000


@needs_virtuoso
def test_cli_queries_and_exports_an_external_store(virtuoso: Virtuoso) -> None:
    from click.testing import CliRunner

    from graphbuild.cli import main

    with _open(virtuoso) as store:
        graph = article_graph(store.base, "one", TEXT)
        store.replace_article("one", graph, record("one"))
        try:
            runner = CliRunner(env={"DIPLOGRAPH_BASE_IRI": store.base})
            g = store.graph_iri("one")
            asked = runner.invoke(
                main,
                ["query", "--store", virtuoso.store_url, f"ASK {{ GRAPH <{g}> {{ ?s ?p ?o }} }}"],
            )
            assert asked.exit_code == 0, asked.output
            assert asked.stdout.strip() == "true"
            exported = runner.invoke(
                main,
                [
                    "export",
                    "--store",
                    virtuoso.store_url,
                    "--article",
                    "one",
                    "--format",
                    "ntriples",
                ],
            )
            assert exported.exit_code == 0, exported.output
            back = Graph()
            back.parse(data=exported.stdout, format="nt")
            assert set(back) == set(graph)
        finally:
            store.remove_article("one")


# ---- the seed article, built into Virtuoso ----------------------------------------------------


ACCEPTANCE_FOLDERS = ("seed", "held-not-scheduled", "people-linked")
"""The acceptance folders whose work is done (../shared/acceptance/README.md)."""


def _acceptance_queries() -> list[Path]:
    """Every ASK query of the finished acceptance folders; a folder that is missing fails."""
    if not ACCEPTANCE.is_dir():
        return []
    return [
        query
        for folder in ACCEPTANCE_FOLDERS
        for query in sorted((ACCEPTANCE.parent / folder).glob("*.rq"))
    ] + [
        ACCEPTANCE.parent / folder
        for folder in ACCEPTANCE_FOLDERS
        if not (ACCEPTANCE.parent / folder).is_dir()
    ]


@pytest.fixture(scope="module")
def embedded_seed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    from graphbuild.run.build import build_corpus

    path = tmp_path_factory.mktemp("embedded") / "store"
    settings = Settings().replace(store=str(path), jobs=1)
    report = build_corpus([ROOT / "data" / "articles" / "seed.txt"], settings, quiet=True)
    assert report.built == ["seed"], report.rejected
    with GraphStore.open(path, read_only=True) as store:
        yield store


@pytest.fixture(scope="module", params=["update", "gsp"])
def virtuoso_seed(virtuoso: Virtuoso, request: pytest.FixtureRequest) -> Iterator[RemoteStore]:
    """The seed article built into Virtuoso with ``diplograph build``'s own code path."""
    from graphbuild.run.build import build_corpus

    settings = Settings().replace(
        store=virtuoso.store_url,
        store_auth_user=virtuoso.user,
        store_auth_password=virtuoso.password,
        store_write=request.param,
        jobs=1,
    )
    report = build_corpus([ROOT / "data" / "articles" / "seed.txt"], settings, quiet=True)
    assert report.built == ["seed"], report.rejected
    again = build_corpus([ROOT / "data" / "articles" / "seed.txt"], settings, quiet=True)
    assert (again.built, again.skipped) == ([], ["seed"])
    store = RemoteStore.from_settings(settings)
    with store:
        yield store
        store.remove_article("seed")
        drop_ontology(store)


@pytest.mark.slow
@needs_virtuoso
def test_seed_graph_is_the_embedded_one(
    virtuoso_seed: RemoteStore, embedded_seed: GraphStore
) -> None:
    assert virtuoso_seed.article_ids() == ["seed"]
    assert set(virtuoso_seed.article_graph("seed")) == set(embedded_seed.article_graph("seed"))


@pytest.mark.slow
@needs_virtuoso
@pytest.mark.skipif(not ACCEPTANCE.is_dir(), reason="../shared/acceptance is not present")
@pytest.mark.parametrize(
    "query_file", _acceptance_queries(), ids=lambda p: f"{p.parent.name}/{p.stem}"
)
def test_seed_acceptance_query_answers_true_on_virtuoso(
    virtuoso_seed: RemoteStore, embedded_seed: GraphStore, query_file: Path
) -> None:
    query = query_file.read_text(encoding="utf-8")
    on_virtuoso = virtuoso_seed.query(query)
    on_embedded = embedded_seed.query(query)
    assert isinstance(on_embedded, ox.QueryBoolean) and bool(on_embedded)
    assert isinstance(on_virtuoso, ox.QueryBoolean) and bool(on_virtuoso)

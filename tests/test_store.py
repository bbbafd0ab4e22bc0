"""The embedded store: atomic article replaces, build records, union default graph, exports."""

from __future__ import annotations

import contextlib
import io
import signal
import subprocess
import sys
import textwrap
import warnings
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph, Literal, Namespace, URIRef

from graphbuild.errors import QueryError, StoreError
from graphbuild.rdf.formats import GraphFormat
from graphbuild.store.embedded import GraphStore
from graphbuild.store.records import ArticleRecord
from graphbuild.vocabulary import builds_graph_iri

EX = Namespace("http://example.org/")


def small_graph(tag: str, n: int = 3) -> Graph:
    """A hand-made graph whose every object carries ``tag``, so versions can be told apart."""
    g = Graph()
    for i in range(n):
        g.add((EX[f"person{i}"], EX.name, Literal(f"{tag} person {i}", lang="en")))
        g.add((EX[f"person{i}"], EX.metWith, EX[f"person{(i + 1) % n}"]))
    return g


def record(article_id: str, digest: str = "d1") -> ArticleRecord:
    return ArticleRecord(article_id=article_id, digest=digest, extractor="test@1", source="a.txt")


def graph_triples(store: GraphStore, article_id: str) -> set[tuple[str, str, str]]:
    return {(str(s), str(p), str(o)) for s, p, o in store.article_graph(article_id)}


def as_set(g: Graph) -> set[tuple[str, str, str]]:
    return {(str(s), str(p), str(o)) for s, p, o in g}


@pytest.fixture
def store() -> Iterator[GraphStore]:
    with GraphStore.memory() as s:
        yield s


def test_replace_stores_graph_and_record(store: GraphStore) -> None:
    store.replace_article("a1", small_graph("old"), record("a1", "first"))
    store.replace_article("a1", small_graph("new", n=2), record("a1", "second"))
    assert graph_triples(store, "a1") == as_set(small_graph("new", n=2))
    rec = store.article_record("a1")
    assert rec is not None
    assert (rec.article_id, rec.digest, rec.extractor, rec.source) == (
        "a1",
        "second",
        "test@1",
        "a.txt",
    )
    assert store.article_ids() == ["a1"]
    assert store.article_record("never-built") is None


def test_replace_leaves_other_articles_alone(store: GraphStore) -> None:
    store.replace_article("a1", small_graph("one"), record("a1"))
    store.replace_article("a2", small_graph("two"), record("a2"))
    store.replace_article("a1", small_graph("uno"), record("a1"))
    assert graph_triples(store, "a2") == as_set(small_graph("two"))
    assert set(store.article_records()) == {"a1", "a2"}


def test_failure_halfway_through_the_data_keeps_the_old_graph(store: GraphStore) -> None:
    store.replace_article("a1", small_graph("old"), record("a1", "old"))

    def broken() -> Iterator[ox.Triple]:
        for i in range(100):
            if i == 50:
                raise RuntimeError("extractor crashed")
            yield ox.Triple(ox.NamedNode(EX[f"s{i}"]), ox.NamedNode(EX.p), ox.Literal("new"))

    with pytest.raises(RuntimeError):
        store.replace_article("a1", broken(), record("a1", "new"))
    assert graph_triples(store, "a1") == as_set(small_graph("old"))
    rec = store.article_record("a1")
    assert rec is not None and rec.digest == "old"


def test_invalid_term_is_a_store_error_and_keeps_the_old_graph(store: GraphStore) -> None:
    store.replace_article("a1", small_graph("old"), record("a1", "old"))
    bad = small_graph("new")
    bad.add((URIRef("http://example.org/has space"), EX.p, Literal("x")))
    with pytest.raises(StoreError):
        store.replace_article("a1", bad, record("a1", "new"))
    assert graph_triples(store, "a1") == as_set(small_graph("old"))


def test_record_must_name_the_same_article(store: GraphStore) -> None:
    with pytest.raises(ValueError):
        store.replace_article("a1", small_graph("x"), record("a2"))


def test_remove_article_drops_graph_and_record(store: GraphStore) -> None:
    store.replace_article("a1", small_graph("one"), record("a1"))
    store.replace_article("a2", small_graph("two"), record("a2"))
    assert store.remove_article("a1") is True
    assert store.remove_article("a1") is False
    assert store.article_ids() == ["a2"]
    assert store.article_record("a1") is None
    assert store.article_record("a2") is not None


def test_article_ids_round_trip_unusual_characters(store: GraphStore) -> None:
    ids = ["with space", "slash/inside", "ünïcode-ид", "plain_id.2024"]
    for aid in ids:
        store.replace_article(aid, small_graph(aid), record(aid))
    assert store.article_ids() == sorted(ids)
    for aid in ids:
        assert graph_triples(store, aid) == as_set(small_graph(aid))


def test_default_graph_is_the_union_of_article_graphs(store: GraphStore) -> None:
    store.replace_article("a1", small_graph("one"), record("a1"))
    store.replace_article("a2", small_graph("two"), record("a2"))
    q = "SELECT ?n WHERE { ?p <http://example.org/name> ?n }"
    union = {str(sol["n"].value) for sol in store.query(q)}  # type: ignore[union-attr]
    assert union == {f"{t} person {i}" for t in ("one", "two") for i in range(3)}
    only_a2 = store.query(q, default_graph=[store.graph_iri("a2")])
    assert {str(sol["n"].value) for sol in only_a2} == {f"two person {i}" for i in range(3)}  # type: ignore[union-attr]


# ---- the merged default graph ---------------------------------------------------------------

Triple = tuple[str, str, str]


def named_merge(store: GraphStore) -> set[Triple]:
    """What the default graph must hold: every named graph's triples, once."""
    return {
        (str(q.subject), str(q.predicate), str(q.object))
        for q in store.raw.quads_for_pattern(None, None, None)
        if not isinstance(q.graph_name, ox.DefaultGraph)
    }


def default_graph(store: GraphStore) -> set[Triple]:
    return {
        (str(q.subject), str(q.predicate), str(q.object))
        for q in store.raw.quads_for_pattern(None, None, None, ox.DefaultGraph())
    }


def shared_graph(tag: str) -> Graph:
    """Two people every article mentions (with the same labels) and one fact of its own."""
    g = Graph()
    g.add((EX.alice, EX.label, Literal("Alice")))
    g.add((EX.bob, EX.label, Literal("Bob")))
    g.add((EX[f"meeting-{tag}"], EX.participant, EX.alice))
    return g


def test_a_triple_in_many_article_graphs_is_one_row_of_the_default_graph(
    store: GraphStore,
) -> None:
    for aid in ("a1", "a2", "a3"):
        store.replace_article(aid, shared_graph(aid), record(aid))
    rows = store.query(
        "SELECT ?m ?name WHERE { ?m <http://example.org/participant> ?p . "
        "?p <http://example.org/label> ?name }"
    )
    assert isinstance(rows, ox.QuerySolutions)
    assert sorted(str(r["m"]) for r in rows) == [f"<{EX}meeting-a{i}>" for i in (1, 2, 3)]
    count = store.query('SELECT (COUNT(*) AS ?n) WHERE { ?p ?q "Bob" }')
    assert isinstance(count, ox.QuerySolutions)
    assert [int(r["n"].value) for r in count] == [1]  # type: ignore[union-attr]
    assert default_graph(store) == named_merge(store)


def test_replacing_and_removing_articles_keeps_the_default_graph_their_merge(
    store: GraphStore,
) -> None:
    store.replace_article("a1", shared_graph("a1"), record("a1"))
    store.replace_article("a2", shared_graph("a2"), record("a2", "x"))
    store.replace_article("a2", small_graph("two"), record("a2", "y"))  # Bob only in a1 now
    assert default_graph(store) == named_merge(store)
    assert (f"<{EX}bob>", f"<{EX}label>", '"Bob"') in default_graph(store)
    assert store.remove_article("a1")
    assert default_graph(store) == named_merge(store)
    assert not any(s == f"<{EX}bob>" for s, _, _ in default_graph(store))
    assert store.remove_article("a2")
    assert default_graph(store) == named_merge(store)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["a1", "a2", "a3"]),
            st.one_of(st.none(), st.sets(st.integers(0, 5), max_size=4)),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_any_sequence_of_writes_keeps_the_default_graph_the_merge(
    writes: list[tuple[str, set[int] | None]],
) -> None:
    """Articles drawing from six shared triples, replaced or removed (``None``) in any order."""
    with GraphStore.memory() as store:
        for n, (aid, picks) in enumerate(writes):
            if picks is None:
                store.remove_article(aid)
                continue
            g = Graph()
            for i in picks:
                g.add((EX[f"s{i % 3}"], EX.p, Literal(f"v{i}")))
            store.replace_article(aid, g, record(aid, f"d{n}"))
            assert default_graph(store) == named_merge(store)
        assert default_graph(store) == named_merge(store)


def test_a_store_written_before_the_merged_layout_is_merged_when_opened_writable(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old"
    old = ox.Store(str(path))
    for aid in ("a1", "a2"):
        for s, p, o in shared_graph(aid):
            old.add(
                ox.Quad(
                    ox.NamedNode(str(s)),
                    ox.NamedNode(str(p)),
                    ox.Literal(str(o)) if isinstance(o, Literal) else ox.NamedNode(str(o)),
                    ox.NamedNode(f"https://w3id.org/diplograph/graph/article/{aid}"),
                )
            )
    old.flush()
    del old
    with GraphStore.open(path, read_only=True) as reading:
        assert not reading.merged_default  # queried with the union until it is merged
        names = reading.query('SELECT ?p WHERE { ?p ?q "Alice" }')
        assert isinstance(names, ox.QuerySolutions)
        assert len(list(names)) == 2  # pyoxigraph's union: once per graph
    with GraphStore.open(path) as writing:
        assert writing.merged_default
        assert default_graph(writing) == named_merge(writing)
        names = writing.query('SELECT ?p WHERE { ?p ?q "Alice" }')
        assert isinstance(names, ox.QuerySolutions)
        assert len(list(names)) == 1


def test_malformed_query_names_line_and_column(store: GraphStore) -> None:
    with pytest.raises(QueryError) as info:
        store.query("SELECT ?x WHERE {\n  ?x ?y \n}")
    assert "3:" in info.value.message or "2:" in info.value.message


def test_ontology_is_loaded_once_and_is_not_an_article(store: GraphStore) -> None:
    onto = Graph()
    onto.add((EX.Meeting, URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal("m")))
    assert store.load_ontology(onto) is True
    assert store.load_ontology(onto) is False
    assert store.article_ids() == []
    assert bool(store.query(f"ASK {{ GRAPH <{store.ontology_graph}> {{ ?s ?p ?o }} }}"))


def test_version_changes_when_an_article_is_rebuilt(store: GraphStore) -> None:
    store.replace_article("a1", small_graph("one"), record("a1", "v1"))
    before = store.version()
    assert store.version() == before
    store.replace_article("a1", small_graph("one"), record("a1", "v2"))
    assert store.version().etag != before.etag


def test_build_records_live_in_their_own_graph(store: GraphStore) -> None:
    store.replace_article("a1", small_graph("one"), record("a1"))
    builds = builds_graph_iri(store.base)
    ask = f"ASK {{ GRAPH <{builds}> {{ <{store.graph_iri('a1')}> ?p ?o }} }}"
    assert bool(store.query(ask))


@pytest.mark.parametrize("fmt", list(GraphFormat))
def test_export_of_one_article_parses_back(store: GraphStore, fmt: GraphFormat) -> None:
    store.replace_article("a1", small_graph("one"), record("a1"))
    store.replace_article("a2", small_graph("two"), record("a2"))
    out = io.BytesIO()
    store.export(fmt, "a1", out)
    if fmt.datasets:
        ds = parse_dataset(out.getvalue(), fmt)
        g = ds.graph(URIRef(store.graph_iri("a1")))
        assert as_set(g) == as_set(small_graph("one"))
    else:
        g = Graph().parse(data=out.getvalue(), format=_rdflib_name(fmt))
        assert as_set(g) == as_set(small_graph("one"))


@pytest.mark.parametrize("fmt", list(GraphFormat))
def test_export_of_everything_parses_back(store: GraphStore, fmt: GraphFormat) -> None:
    store.replace_article("a1", small_graph("one"), record("a1"))
    store.replace_article("a2", small_graph("two"), record("a2"))
    out = io.BytesIO()
    store.export(fmt.key, None, out)
    expected = as_set(small_graph("one")) | as_set(small_graph("two"))
    if fmt.datasets:
        ds = parse_dataset(out.getvalue(), fmt)
        names = {str(g.identifier) for g in ds.graphs()}
        assert {store.graph_iri("a1"), store.graph_iri("a2")} <= names
        triples = as_set(ds.graph(URIRef(store.graph_iri("a1")))) | as_set(
            ds.graph(URIRef(store.graph_iri("a2")))
        )
        assert triples == expected
    else:
        g = Graph().parse(data=out.getvalue(), format=_rdflib_name(fmt))
        assert expected <= as_set(g)


def test_export_of_unknown_article_or_format_is_a_store_error(store: GraphStore) -> None:
    with pytest.raises(StoreError):
        store.export("turtle", "missing", io.BytesIO())
    with pytest.raises(StoreError) as info:
        store.export("docx", None, io.BytesIO())
    assert "turtle" in info.value.message


def parse_dataset(data: bytes, fmt: GraphFormat) -> Dataset:
    ds = Dataset()
    with warnings.catch_warnings():  # rdflib's JSON-LD parser uses its own deprecated API
        warnings.simplefilter("ignore", DeprecationWarning)
        ds.parse(data=data, format=_rdflib_name(fmt))
    return ds


def _rdflib_name(fmt: GraphFormat) -> str:
    return {
        "turtle": "turtle",
        "ntriples": "nt",
        "jsonld": "json-ld",
        "rdfxml": "xml",
        "trig": "trig",
        "nquads": "nquads",
    }[fmt.key]


# ---- on disk -------------------------------------------------------------------------------


def test_read_only_open_of_a_missing_store_says_build_first(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as info:
        GraphStore.open(tmp_path / "nothing", read_only=True)
    assert "diplograph build" in (info.value.hint or "")
    (tmp_path / "empty").mkdir()
    with pytest.raises(StoreError):
        GraphStore.open(tmp_path / "empty", read_only=True)


def test_on_disk_store_survives_reopening_and_refuses_writes_read_only(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with GraphStore.open(path) as s:
        s.replace_article("a1", small_graph("one"), record("a1"))
    with GraphStore.open(path, read_only=True) as ro:
        assert graph_triples(ro, "a1") == as_set(small_graph("one"))
        with pytest.raises(StoreError):
            ro.replace_article("a1", small_graph("two"), record("a1"))


def test_closed_store_says_so(tmp_path: Path) -> None:
    s = GraphStore.open(tmp_path / "store")
    s.close()
    with pytest.raises(StoreError):
        s.article_ids()


HOLD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from graphbuild.store.embedded import GraphStore
    s = GraphStore.open(Path(sys.argv[1]), read_only=sys.argv[2] == "ro", exclusive=True)
    print("ready", flush=True)
    time.sleep(60)
    """
)


@pytest.mark.parametrize("mode", ["rw", "ro"])
def test_a_store_held_by_another_process_is_a_clear_error(tmp_path: Path, mode: str) -> None:
    path = tmp_path / "store"
    with GraphStore.open(path) as s:
        s.replace_article("a1", small_graph("one"), record("a1"))
    with subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path), mode], stdout=subprocess.PIPE, text=True
    ) as holder:
        try:
            assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
            with pytest.raises(StoreError) as info:
                GraphStore.open(path)
            assert "in use" in info.value.message
            with GraphStore.open(path, read_only=True) as reader:  # readers are never blocked
                assert reader.article_ids() == ["a1"]
        finally:
            holder.kill()
    with GraphStore.open(path) as s:
        assert s.article_ids() == ["a1"]


REPLACER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    import pyoxigraph as ox
    from graphbuild.store.embedded import ArticleRecord, GraphStore

    SIZES = {"A": 20000, "B": 15000}

    def version(tag):
        p = ox.NamedNode("http://example.org/p")
        return [
            ox.Triple(ox.NamedNode(f"http://example.org/s{i}"), p, ox.Literal(f"{tag}{i}"))
            for i in range(SIZES[tag])
        ]

    graphs = {tag: version(tag) for tag in SIZES}
    with GraphStore.open(Path(sys.argv[1])) as store:
        n = 0
        while True:
            tag = "AB"[n % 2]
            store.replace_article("big", graphs[tag], ArticleRecord("big", tag, "test"))
            n += 1
            if n == 1:
                print("ready", flush=True)
    """
)


@pytest.mark.parametrize("rounds", [1, 2, 3])
def test_sigkill_during_a_large_replace_leaves_old_or_new_graph_complete(
    tmp_path: Path, rounds: int
) -> None:
    path = tmp_path / "store"
    with subprocess.Popen(
        [sys.executable, "-c", REPLACER, str(path)], stdout=subprocess.PIPE, text=True
    ) as child:
        try:
            assert child.stdout is not None and child.stdout.readline().strip() == "ready"
            # let it get about `rounds` replaces further, then kill it wherever it is
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.wait(timeout=0.4 * rounds)
        finally:
            child.send_signal(signal.SIGKILL)
    assert child.returncode == -signal.SIGKILL
    with GraphStore.open(path, read_only=True) as store:
        rec = store.article_record("big")
        assert rec is not None and rec.digest in ("A", "B")
        sizes = {"A": 20000, "B": 15000}
        objects = [
            str(row["o"].value)  # type: ignore[index]
            for row in store.query(
                f"SELECT ?o WHERE {{ GRAPH <{store.graph_iri('big')}> {{ ?s ?p ?o }} }}"
            )
        ]
        assert len(objects) == sizes[rec.digest]
        assert all(o.startswith(rec.digest) for o in objects)


def test_new_article_failing_halfway_leaves_neither_graph_nor_record(store: GraphStore) -> None:
    def broken() -> Iterator[ox.Triple]:
        for i in range(100):
            if i == 50:
                raise RuntimeError("extractor crashed")
            yield ox.Triple(ox.NamedNode(EX[f"s{i}"]), ox.NamedNode(EX.p), ox.Literal("new"))

    with pytest.raises(RuntimeError):
        store.replace_article("fresh", broken(), record("fresh"))
    bad = small_graph("new")
    bad.add((URIRef("http://example.org/has space"), EX.p, Literal("x")))
    with pytest.raises(StoreError, match="invalid term"):
        store.replace_article("fresh", bad, record("fresh"))
    assert not store.has_article("fresh")
    assert store.article_record("fresh") is None
    assert len(store.raw) == 0


def test_new_article_and_rebuilt_article_are_stored_alike(store: GraphStore) -> None:
    """The first build of an article (one extend) and a rebuild (SPARQL Update) agree."""
    store.replace_article("a1", small_graph("x"), record("a1", "d"))
    first = {
        (q.subject, q.predicate, q.object) for q in store.raw.quads_for_pattern(None, None, None)
    }
    store.replace_article("a1", small_graph("x"), record("a1", "d"))
    again = {
        (q.subject, q.predicate, q.object) for q in store.raw.quads_for_pattern(None, None, None)
    }
    built = ox.NamedNode("http://www.w3.org/ns/prov#generatedAtTime")
    assert {t for t in first if t[1] != built} == {t for t in again if t[1] != built}
    assert graph_triples(store, "a1") == as_set(small_graph("x"))


ADDER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    import pyoxigraph as ox
    from graphbuild.store.embedded import ArticleRecord, GraphStore

    p = ox.NamedNode("http://example.org/p")
    triples = [
        ox.Triple(ox.NamedNode(f"http://example.org/s{i}"), p, ox.Literal(f"v{i}"))
        for i in range(20000)
    ]
    with GraphStore.open(Path(sys.argv[1])) as store:
        n = 0
        while True:
            store.replace_article(f"new{n}", triples, ArticleRecord(f"new{n}", "d", "test"))
            n += 1
            if n == 1:
                print("ready", flush=True)
    """
)


def test_sigkill_while_adding_new_articles_leaves_each_complete_or_absent(
    tmp_path: Path,
) -> None:
    path = tmp_path / "store"
    with subprocess.Popen(
        [sys.executable, "-c", ADDER, str(path)], stdout=subprocess.PIPE, text=True
    ) as child:
        try:
            assert child.stdout is not None and child.stdout.readline().strip() == "ready"
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.wait(timeout=0.7)
        finally:
            child.send_signal(signal.SIGKILL)
    with GraphStore.open(path, read_only=True) as store:
        ids = store.article_ids()
        assert ids and set(store.article_records()) == set(ids)
        for article_id in ids:
            count = store.query(
                f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{store.graph_iri(article_id)}> "
                "{ ?s ?p ?o } }"
            )
            assert int(next(iter(count))["n"].value) == 20000  # type: ignore[index,union-attr]


@pytest.mark.parametrize("threshold, flushed", [(50, True), (10**9, False)])
def test_a_long_run_of_writes_is_flushed_to_disk_as_it_goes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, threshold: int, flushed: bool
) -> None:
    """RocksDB holds written data in memory until a flush; a 10k-article build grew to 2.9 GB."""
    monkeypatch.setattr("graphbuild.store.embedded.FLUSH_AFTER_QUADS", threshold)
    with GraphStore.open(tmp_path / "s") as s:
        opened = set((tmp_path / "s").glob("*.sst"))  # RocksDB writes one when it creates
        for i in range(20):
            s.replace_article(f"a{i}", small_graph(f"v{i}"), record(f"a{i}"))
        s.replace_article("a0", small_graph("again"), record("a0", "d2"))  # the SPARQL path
        written = set((tmp_path / "s").glob("*.sst")) - opened
        # a flush writes a table per index touched; unflushed, RocksDB wrote at most one
        assert (len(written) >= 5) is flushed, sorted(p.name for p in written)
        assert graph_triples(s, "a0") == as_set(small_graph("again"))

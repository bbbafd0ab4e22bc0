"""The benchmark's generators: deterministic, well formed, and faithful to the mapper.

No timing here: the benchmark's numbers come from ``make bench``, never from a test.
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest

from bench.corpus import WEEKDAYS, generate, write_corpus
from bench.rdf import article_quads, article_triples, load_rules, to_annotations
from bench.world import make_world
from graphbuild.rdf.mapping import map_annotations
from graphbuild.rdf.reason import materialise
from graphbuild.rdf.validate import load_ontology, load_shapes, validate
from graphbuild.vocabulary import DG, graph_iri

COUNT = 5


def _folder_bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_corpus_is_deterministic_and_well_formed(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    paths = write_corpus(first, COUNT, seed=3)
    write_corpus(second, COUNT, seed=3)
    assert _folder_bytes(first) == _folder_bytes(second)
    assert len(paths) == COUNT
    other = tmp_path / "c"
    write_corpus(other, COUNT, seed=4)
    assert _folder_bytes(other) != _folder_bytes(first)
    for txt in paths:
        text = txt.read_text(encoding="utf-8")
        assert 300 <= len(text.split()) <= 500
        meta = json.loads(txt.with_suffix(".json").read_text(encoding="utf-8"))
        assert set(meta) == {"title", "published", "source"}
        assert meta["title"]
        if meta["published"] is not None:
            dt.date.fromisoformat(meta["published"])


def test_an_article_does_not_depend_on_the_corpus_size() -> None:
    small = list(generate(2, seed=11))
    large = list(generate(COUNT, seed=11))
    assert [a.text for a in small] == [a.text for a in large[:2]]


def test_plans_point_into_the_text() -> None:
    for article in generate(COUNT, seed=5):
        assert article.meetings and article.meetings[0].kind == "Meeting"
        for q in article.quotes:
            assert article.text[q.span.start : q.span.end] == q.text
            assert article.text[q.span.start - 1] == '"'
        for m in article.meetings:
            sentence = article.text[m.span.start : m.span.end]
            for person in m.participants:
                assert person.surname in sentence
            weekday = WEEKDAYS[m.date.weekday()]
            if weekday in sentence:  # a stated weekday agrees with the date
                assert all(w == weekday for w in WEEKDAYS if w in sentence)
        names = [p.name for p in article.persons]
        assert len(names) == len(set(names))


def test_world_reads_real_countries_from_the_gazetteer() -> None:
    world = make_world(7)
    names = {c.name for c in world.countries}
    assert len(world.countries) > 150
    assert {"France", "Japan", "Brazil"} <= names
    assert len({p.name for p in world.people}) == len(world.people)


def test_nquads_parse_with_one_named_graph_per_article() -> None:
    rules = load_rules()
    articles = list(generate(COUNT, seed=5))
    data = "".join(line for a in articles for line in article_quads(a, rules=rules))
    quads = list(ox.parse(data.encode("utf-8"), ox.RdfFormat.N_QUADS))
    graphs = {q.graph_name.value for q in quads}
    assert graphs == {str(graph_iri("https://w3id.org/diplograph/", a.id)) for a in articles}
    store = ox.Store()
    store.extend(quads)
    meeting, date = DG.Meeting, DG.date
    held = store.query(
        "SELECT (COUNT(DISTINCT ?m) AS ?n) "
        f"WHERE {{ GRAPH ?g {{ ?m a <{meeting}> ; <{date}> ?d }} }}"
    )
    assert int(next(iter(held))["n"].value) >= COUNT


@pytest.mark.parametrize("index", range(3))
def test_direct_rdf_equals_mapper_output_and_passes_the_shapes(index: int) -> None:
    article = list(generate(index + 1, seed=9))[index]
    ontology = load_ontology()
    graph = materialise(map_annotations(to_annotations(article)).graph, ontology)
    validate(graph, load_shapes(), ontology)
    from_mapper = {
        str(t) for t in ox.parse(graph.serialize(format="nt").encode(), ox.RdfFormat.N_TRIPLES)
    }
    direct = "".join(f"{s} {p} {o} .\n" for s, p, o in article_triples(article, rules=load_rules()))
    from_bench = {str(t) for t in ox.parse(direct.encode("utf-8"), ox.RdfFormat.N_TRIPLES)}
    assert from_bench == from_mapper


def test_only_missed_ratio_targets_fail_the_run() -> None:
    from bench.report import Target

    assert Target("r", 1.3, "<=", 1.2).ok is False
    assert Target("r", 9.0, ">=", 8.0).ok is True
    assert Target("r", None, "<=", 1.2).ok is None
    absolute = Target("a", 3.0, ">=", 20.0, ratio=False)
    assert absolute.ok is False and "informational" in absolute.verdict


def test_a_timeout_turns_a_ratio_into_a_bound() -> None:
    from bench.suites.queries import Cell, cell_ratio

    fast, slow, timed_out = Cell(timeout_s=10.0), Cell(timeout_s=10.0), Cell(timeout_s=10.0)
    for v in (0.1, 0.2, 0.3):
        fast.samples.add(v)
        slow.samples.add(v * 10)
    timed_out.samples.censored = 1
    exact = cell_ratio(slow, fast)
    assert exact.bound == "" and exact.value == pytest.approx(10.0)
    lower = cell_ratio(timed_out, fast)
    assert lower.bound == ">=" and lower.value == pytest.approx(50.0)
    assert cell_ratio(timed_out, timed_out).value != cell_ratio(timed_out, timed_out).value  # NaN


def test_query_mix_uses_names_from_the_data_and_skips_federation(tmp_path: Path) -> None:
    from bench.querymix import Probe, example_queries

    (tmp_path / "a.rq").write_text(
        'SELECT ?m WHERE { ?p <x:label> ?name . FILTER(STR(?name) = "Someone Else") }\n'
    )
    (tmp_path / "b.rq").write_text("SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }")
    probe = Probe(person_name='Anna "Q" Novak', person_iri="http://example.org/p", year=2020)
    queries = example_queries(probe, tmp_path)
    assert [q.name for q in queries] == ["a"]
    assert 'STR(?name) = "Anna \\"Q\\" Novak")' in queries[0].text
    ox.Store().query(queries[0].text)  # still parses


def test_distributed_suite_reads_the_per_worker_lines_the_client_prints() -> None:
    pytest.importorskip("distributed")
    from bench.suites.distributed import worker_lines
    from graphbuild.run.distributed import ArticleOutcome, BuildProgress

    progress = BuildProgress(total=3)
    for worker, seconds in (("tcp://127.0.0.1:4001", 0.5), ("tcp://127.0.0.1:4002", 0.25)):
        outcome = ArticleOutcome("a", "a.txt", "", None, "d", worker, seconds, "kit", "fp")
        progress.record(outcome, ok=True)
    progress.record(
        ArticleOutcome("b", "b.txt", "", None, "d", "tcp://127.0.0.1:4002", 0.75, "kit", "fp"),
        ok=True,
    )
    output = "Dask scheduler tcp://127.0.0.1:4000: 2 worker(s)\n" + "\n".join(progress.lines())
    found = {w["worker"]: w for w in worker_lines(output)}
    assert set(found) == {"tcp://127.0.0.1:4001", "tcp://127.0.0.1:4002"}
    assert found["tcp://127.0.0.1:4002"]["articles"] == 2
    assert found["tcp://127.0.0.1:4002"]["seconds_each"] == pytest.approx(0.5)
    assert found["tcp://127.0.0.1:4001"]["seconds_each"] == pytest.approx(0.5)


def test_virtuoso_engine_loads_the_nquads_and_answers_over_sparql(tmp_path: Path) -> None:
    """The bench's Virtuoso holds every quad of the file and serves them as the union graph."""
    from bench import virtuoso
    from bench.client import HttpRunner
    from bench.querymix import Query

    if not virtuoso.available():
        pytest.skip("virtuoso-t / isql-vt are not installed")
    rules = load_rules()
    articles = list(generate(2, seed=5))
    nquads = tmp_path / "data" / "two.nq"
    nquads.parent.mkdir()
    lines = [line for a in articles for line in article_quads(a, rules=rules)]
    nquads.write_text("".join(lines), encoding="utf-8")
    loaded = virtuoso.start_virtuoso(nquads, tmp_path / "work", len(lines), 120.0)
    try:
        assert loaded.quads >= len(lines)
        expected = ox.Store()
        expected.load(nquads.read_bytes(), ox.RdfFormat.N_QUADS)
        count = (
            f"SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE {{ ?m a <{DG.Meeting}> ; <{DG.date}> ?d }}"
        )
        solutions = expected.query(count, use_default_graph_as_union=True)
        assert isinstance(solutions, ox.QuerySolutions)
        want = int(next(iter(solutions))["n"].value)
        assert want >= 2
        runner = HttpRunner(loaded.endpoint, 30.0)
        try:
            answer = runner.run(Query("count", count, "select", "test"))
            assert answer.ok and answer.size == 1
            bad = runner.run(Query("bad", "SELECT WHERE nonsense", "select", "test"))
            assert not bad.ok and bad.status >= 400
        finally:
            runner.close()
        request = urllib.request.Request(
            loaded.endpoint.url,
            data=urllib.parse.urlencode({"query": count}).encode(),
            headers={"Accept": "application/sparql-results+json"},
        )
        with urllib.request.urlopen(request, timeout=30) as reply:
            got = json.load(reply)["results"]["bindings"][0]["n"]["value"]
        assert int(got) == want
    finally:
        loaded.endpoint.stop()
    assert loaded.endpoint.proc is not None and loaded.endpoint.proc.poll() is not None


def test_without_virtuoso_the_engine_is_unavailable_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bench import virtuoso
    from bench.servers import EngineUnavailable

    monkeypatch.setenv("PATH", str(tmp_path))
    assert not virtuoso.available()
    assert virtuoso.version() == "not installed"
    nquads = tmp_path / "empty.nq"
    nquads.write_text("", encoding="utf-8")
    with pytest.raises(EngineUnavailable, match="virtuoso-opensource"):
        virtuoso.start_virtuoso(nquads, tmp_path / "work", 0, 10.0)
    assert not (tmp_path / "work").exists()

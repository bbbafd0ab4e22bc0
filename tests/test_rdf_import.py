"""`diplograph load`: bulk import of existing RDF, checked before it writes, graphs replaced."""

from __future__ import annotations

import gzip
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from graphbuild.errors import ConfigError, RdfSyntaxError
from graphbuild.rdf.formats import GraphFormat
from graphbuild.store.bulk_load import IMPORTER, import_graph_iri, import_rdf
from graphbuild.store.embedded import GraphStore, compaction_pending

EX = "http://example.org/"


def nt(*objects: str) -> str:
    return "".join(f'<{EX}s{i}> <{EX}p> "{o}" .\n' for i, o in enumerate(objects))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[GraphStore]:
    with GraphStore.open(tmp_path / "store") as s:
        yield s


def objects_in(store: GraphStore, graph: str) -> list[str]:
    rows = store.query(f"SELECT ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} ORDER BY ?o")
    return [row["o"].value for row in rows]  # type: ignore[union-attr,index]


def test_triples_go_to_a_graph_named_after_the_file_with_an_import_record(
    store: GraphStore, tmp_path: Path
) -> None:
    path = tmp_path / "people.nt"
    path.write_text(nt("a", "b", "c"))
    report = import_rdf(store, path)
    graph = import_graph_iri(store, path)
    assert (report.quads, report.graphs, report.format) == (3, [graph], GraphFormat.N_TRIPLES)
    assert objects_in(store, graph) == ["a", "b", "c"]
    record = store._records()[graph]
    assert record.extractor == IMPORTER and record.source == str(path)


def test_reloading_replaces_the_graph_instead_of_adding_to_it(
    store: GraphStore, tmp_path: Path
) -> None:
    path = tmp_path / "people.nt"
    path.write_text(nt("a", "b", "c"))
    import_rdf(store, path)
    path.write_text(nt("z"))
    import_rdf(store, path)
    assert objects_in(store, import_graph_iri(store, path)) == ["z"]


def test_quads_keep_their_graphs_and_default_graph_data_goes_to_the_target(
    store: GraphStore, tmp_path: Path
) -> None:
    path = tmp_path / "mixed.nq"
    path.write_text(
        f'<{EX}a> <{EX}p> "named" <{EX}g1> .\n<{EX}a> <{EX}p> "default" .\n'
        f'<{EX}b> <{EX}p> "also named" <{EX}g2> .\n'
    )
    report = import_rdf(store, path, graph=f"{EX}target")
    assert report.graphs == [f"{EX}g1", f"{EX}g2", f"{EX}target"]
    assert objects_in(store, f"{EX}g1") == ["named"]
    assert objects_in(store, f"{EX}target") == ["default"]


def test_article_graphs_in_a_dump_become_articles(store: GraphStore, tmp_path: Path) -> None:
    graph = store.graph_iri("from-elsewhere")
    path = tmp_path / "dump.nq"
    path.write_text(f'<{EX}a> <{EX}p> "x" <{graph}> .\n')
    import_rdf(store, path)
    assert store.article_ids() == ["from-elsewhere"]
    record = store.article_record("from-elsewhere")
    assert record is not None and record.extractor == IMPORTER


def test_a_syntax_error_names_the_line_and_writes_nothing(
    store: GraphStore, tmp_path: Path
) -> None:
    path = tmp_path / "people.nt"
    path.write_text(nt("a", "b"))
    import_rdf(store, path)
    before = len(store.raw)
    path.write_text(nt("c", "d") + f'<{EX}s9> <{EX}p> "unclosed .\n' + nt("e"))
    with pytest.raises(RdfSyntaxError, match="line 3") as err:
        import_rdf(store, path)
    assert err.value.where == str(path)
    assert len(store.raw) == before
    assert objects_in(store, import_graph_iri(store, path)) == ["a", "b"]


def test_gzip_files_are_read_and_the_format_comes_from_the_inner_name(
    store: GraphStore, tmp_path: Path
) -> None:
    path = tmp_path / "people.ttl.gz"
    path.write_bytes(gzip.compress(f'@prefix ex: <{EX}> .\nex:s ex:p "zipped" .\n'.encode()))
    report = import_rdf(store, path)
    assert report.format is GraphFormat.TURTLE
    assert objects_in(store, import_graph_iri(store, path)) == ["zipped"]


def test_unknown_extension_asks_for_a_format(store: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "data.txt"
    path.write_text(nt("a"))
    with pytest.raises(ConfigError, match="--format"):
        import_rdf(store, path)
    report = import_rdf(store, path, fmt=GraphFormat.N_TRIPLES)
    assert report.quads == 1


def test_build_records_cannot_be_overwritten(store: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "evil.nq"
    path.write_text(f'<{EX}a> <{EX}p> "x" <{store.builds_graph}> .\n')
    with pytest.raises(ConfigError, match="build records"):
        import_rdf(store, path)
    assert len(store.raw) == 0


def test_cli_load_reports_errors_without_traceback(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.nt", tmp_path / "bad.nt"
    good.write_text(nt("a", "b"))
    bad.write_text("<not an iri\n")
    cli = [sys.executable, "-m", "graphbuild.cli"]
    store = str(tmp_path / "store")
    ok = subprocess.run([*cli, "load", str(good), "--store", store], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert "loaded 2 quads" in ok.stdout + ok.stderr
    failed = subprocess.run(
        [*cli, "load", str(bad), "--store", store], capture_output=True, text=True
    )
    assert failed.returncode != 0
    assert str(bad) in failed.stderr and "line 1" in failed.stderr
    assert "Traceback" not in failed.stderr


def _default_and_merge(store: GraphStore) -> tuple[set[str], set[str]]:
    default: set[str] = set()
    named: set[str] = set()
    for q in store.raw.quads_for_pattern(None, None, None):
        line = f"{q.subject} {q.predicate} {q.object}"
        (default if isinstance(q.graph_name, ox.DefaultGraph) else named).add(line)
    return default, named


def test_loaded_graphs_join_the_merged_default_graph_once(
    store: GraphStore, tmp_path: Path
) -> None:
    shared = f'<{EX}alice> <{EX}label> "Alice" '
    path = tmp_path / "two.nq"
    path.write_text(
        "".join(
            f"{shared}<{EX}g{i}> .\n<{EX}m{i}> <{EX}with> <{EX}alice> <{EX}g{i}> .\n"
            for i in (1, 2)
        ),
        encoding="utf-8",
    )
    import_rdf(store, path)
    default, named = _default_and_merge(store)
    assert default == named
    rows = store.query(f"SELECT ?m WHERE {{ ?m <{EX}with> ?a . ?a <{EX}label> ?n }}")
    assert sorted(str(r["m"]) for r in rows) == [f"<{EX}m1>", f"<{EX}m2>"]  # type: ignore[union-attr]
    path.write_text(f"<{EX}m3> <{EX}with> <{EX}bob> <{EX}g1> .\n", encoding="utf-8")
    import_rdf(store, path)  # g1 replaced, g2 gone from the file but kept in the store
    default, named = _default_and_merge(store)
    assert default == named
    assert f"<{EX}m1> <{EX}with> <{EX}alice>" not in default
    assert f'<{EX}alice> <{EX}label> "Alice"' in default  # g2 still says it


def test_blank_nodes_in_the_default_graph_are_the_named_graphs_own(
    store: GraphStore, tmp_path: Path
) -> None:
    """A loader renames blank nodes on every parse: the merged copy must not get new ones."""
    path = tmp_path / "nodes.ttl"
    path.write_text(
        f"<{EX}a> <{EX}p> [ <{EX}q> 1 ] .\n<{EX}a> <{EX}r> _:named .\n_:named <{EX}q> 2 .\n"
        f'<{EX}a> <{EX}label> "A" .\n',
        encoding="utf-8",
    )
    import_rdf(store, path)
    default, named = _default_and_merge(store)
    assert default == named
    assert len(_data(named)) == 5 and any(line.startswith("_:") for line in named)
    path.write_text(f'<{EX}a> <{EX}label> "A" .\n', encoding="utf-8")
    import_rdf(store, path)  # the replaced graph takes its blank nodes out of the default graph
    default, named = _default_and_merge(store)
    assert default == named
    assert _data(default) == {f'<{EX}a> <{EX}label> "A"'}


def _data(lines: set[str]) -> set[str]:
    """The test's own statements, without the import records."""
    return {line for line in lines if line.startswith((f"<{EX}", "_:"))}


def test_compacting_keeps_every_quad(tmp_path: Path) -> None:
    store = GraphStore.open(tmp_path / "store")
    g = "http://example.org/graph/a"
    for i in range(3):  # three writes: three sets of files to merge
        store.raw.update(
            f"INSERT DATA {{ GRAPH <{g}> {{ <http://example.org/s{i}> "
            f'<http://example.org/p> "{i}" }} }}'
        )
        store.raw.flush()
    before = sorted(map(str, store.raw.quads_for_pattern(None, None, None, None)))
    store.compact_later()
    assert compaction_pending(tmp_path / "store")
    store.compact()
    assert not compaction_pending(tmp_path / "store")
    after = sorted(map(str, store.raw.quads_for_pattern(None, None, None, None)))
    store.close()
    assert after == before and len(before) == 3


def test_an_import_leaves_compaction_to_the_first_serve(tmp_path: Path) -> None:
    rdf = tmp_path / "people.nt"
    rdf.write_text('<http://example.org/a> <http://example.org/name> "A" .\n', encoding="utf-8")
    with GraphStore.open(tmp_path / "store") as store:
        import_rdf(store, rdf)
    assert compaction_pending(tmp_path / "store")

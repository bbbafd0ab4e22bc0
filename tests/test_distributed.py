"""Builds on Dask: the quads of a single-process build, and a dead worker costs only a retry.

The corpus is a few short articles written here, plus ../shared/dev when present. Every
cluster runs on loopback with two worker processes of one thread each.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import cloudpickle  # type: ignore[import-untyped]
import pyoxigraph as ox
import pytest
from distributed import Client, LocalCluster, WorkerPlugin

from graphbuild.annotations import ArticleInfo
from graphbuild.errors import ConfigError
from graphbuild.ingest import SourcedArticle, curated_annotations_path
from graphbuild.run.build import BuildReport, build_corpus, collect
from graphbuild.run.distributed import (
    KEY_IDS_CHARS,
    TASK_PREFIX,
    ArticleOutcome,
    BuildProgress,
    SchedulerSpec,
    dask_client,
    installation_fingerprint,
    plugin_name,
    run_on_dask,
    task_key,
)
from graphbuild.run.pipeline import Toolkit, annotate
from graphbuild.settings import Settings
from graphbuild.store.embedded import GraphStore

DEV = Path(__file__).resolve().parent.parent.parent / "shared" / "dev"

ARTICLES = {
    "talks-one": (
        "PARIS, 4 March 2021 - French Foreign Minister Claire Dumont met German Foreign "
        'Minister Hans Weber in Paris on Thursday. "We agreed to work together," Dumont said.',
        "2021-03-04",
    ),
    "talks-two": (
        "ROME, 9 June 2022 - Italian Prime Minister Marco Rossi welcomed Spanish Prime Minister "
        "Lucia Garcia to Rome on Thursday for talks on energy.",
        "2022-06-09",
    ),
    "talks-three": (
        "VIENNA, 2 May 2023 - Austrian Chancellor Peter Huber will meet Polish President Anna "
        "Nowak in Warsaw next week, his office said on Tuesday.",
        "2023-05-02",
    ),
    "talks-four": (
        "OSLO, 15 September 2020 - Norway and Sweden signed an agreement on border crossings in "
        'Oslo on Tuesday. Norwegian Foreign Minister Erik Berg called it "a good day".',
        "2020-09-15",
    ),
}


# ---- without a cluster ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "address", "workers"),
    [("local:2", None, 2), ("tcp://10.0.0.5:8786", "tcp://10.0.0.5:8786", 0)],
)
def test_scheduler_spec_parses(text: str, address: str | None, workers: int) -> None:
    spec = SchedulerSpec.parse(text)
    assert (spec.address, spec.local_workers) == (address, workers)
    assert str(spec) == text


@pytest.mark.parametrize("text", ["local:0", "local:x", "10.0.0.5:8786", "tcp://host", ""])
def test_bad_scheduler_is_a_config_error(text: str) -> None:
    with pytest.raises(ConfigError):
        SchedulerSpec.parse(text)


def test_plugin_name_follows_the_settings_that_change_graphs() -> None:
    base = Settings()
    assert plugin_name(base) == plugin_name(base.replace(jobs=3, store="elsewhere"))
    assert plugin_name(base) != plugin_name(base.replace(reason=False))
    assert plugin_name(base) != plugin_name(base.replace(base_iri="https://example.org/kg/"))


def test_installation_fingerprint_is_stable() -> None:
    first = installation_fingerprint()
    assert first == installation_fingerprint()
    assert len(first) == 16 and int(first, 16) >= 0


def _outcome(worker: str, seconds: float, toolkit: str) -> ArticleOutcome:
    return ArticleOutcome("a", "a.txt", "", None, "d", worker, seconds, toolkit, "f")


def test_task_key_names_the_batch_and_stays_short() -> None:
    def article(aid: str) -> SourcedArticle:
        return SourcedArticle(ArticleInfo(id=aid, text="x"), f"{aid}.txt")

    few = [article("a-1"), article("b-2")]
    key = task_key(few)
    assert key.startswith(f"{TASK_PREFIX}-a-1+b-2-")
    assert task_key(few) != key  # a resubmitted batch is a new task
    many = [article(f"an-article-with-a-long-name-{i}") for i in range(16)]
    long_key = task_key(many)
    assert len(long_key) < KEY_IDS_CHARS + 40
    assert f"-{many[0].info.id}+15-more-" in long_key


def test_progress_counts_per_worker() -> None:
    progress = BuildProgress(total=4, started=0.0)
    progress.record(_outcome("tcp://w1", 2.0, "k1"), ok=True)
    progress.record(_outcome("tcp://w1", 1.0, "k1"), ok=False)
    progress.record(_outcome("tcp://w2", 3.0, "k2"), ok=True)
    progress.record(None, ok=False)
    assert (progress.done, progress.failed) == (4, 2)
    w1 = progress.workers["tcp://w1"]
    assert (w1.articles, w1.failed, w1.busy_s, w1.toolkits) == (2, 1, 3.0, {"k1"})
    assert progress.rate("tcp://w1", now=4.0) == pytest.approx(0.5)
    assert progress.lines()[0] == "4/4 article(s) done, 2 failed"


def test_cli_rejects_a_bad_scheduler_before_building(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from graphbuild.cli import main

    article = tmp_path / "a.txt"
    article.write_text(ARTICLES["talks-one"][0], encoding="utf-8")
    store = tmp_path / "store"
    result = CliRunner().invoke(
        main, ["build", str(article), "--store", str(store), "--scheduler", "local:0"]
    )
    assert result.exit_code == 2
    assert "local:0" in result.output
    with GraphStore.open(store, read_only=True) as built:
        assert built.article_ids() == []


# ---- on a local cluster ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("corpus")
    for name, (text, published) in ARTICLES.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
        (folder / f"{name}.json").write_text(f'{{"published": "{published}"}}', encoding="utf-8")
    _write_curated(folder / f"{next(iter(ARTICLES))}.txt")
    return [folder, DEV] if DEV.is_dir() else [folder]


def _write_curated(article: Path) -> None:
    """A researcher's correction of one article: its meetings moved a day earlier. The
    workers do not share the client's disk, so the file has to travel with its batch."""
    kit = Toolkit.load(Settings())
    annotations = annotate(collect([article], BuildReport())[0], kit)
    data = json.loads(annotations.to_json())
    moved = 0
    for event in data["events"]:
        if event["kind"] == "Meeting" and event.get("date"):
            event["date"] = (date.fromisoformat(event["date"]) - timedelta(days=1)).isoformat()
            moved += 1
    assert moved, "the curated article needs a dated meeting to correct"
    curated_annotations_path(article).write_text(json.dumps(data), encoding="utf-8")


def _settings(store: Path, **changes: Any) -> Settings:
    return Settings().replace(store=str(store), **changes)


def dataset(path: Path) -> tuple[set[str], dict[str, tuple[str, str, str]]]:
    """Every quad of the article and ontology graphs, and each build record without its
    timestamp (the default graph, checked to be their merge, holds the timestamps too)."""
    with GraphStore.open(path, read_only=True) as store:
        builds = ox.NamedNode(store.builds_graph)
        every = list(store.raw.quads_for_pattern(None, None, None))
        default = {str(q.triple) for q in every if isinstance(q.graph_name, ox.DefaultGraph)}
        named = [q for q in every if not isinstance(q.graph_name, ox.DefaultGraph)]
        assert default == {str(q.triple) for q in named}  # the merged default graph
        quads = {str(q) for q in named if q.graph_name != builds}
        records = {a: (r.digest, r.extractor, r.source) for a, r in store.article_records().items()}
    return quads, records


@pytest.fixture(scope="module")
def single_process(
    corpus: list[Path], tmp_path_factory: pytest.TempPathFactory
) -> tuple[set[str], dict[str, tuple[str, str, str]]]:
    store = tmp_path_factory.mktemp("single") / "store"
    report = build_corpus(corpus, _settings(store, jobs=1), quiet=True)
    assert report.ok and len(report.built) >= len(ARTICLES), report.rejected
    return dataset(store)


@pytest.mark.slow
def test_local_cluster_builds_the_same_quads(
    corpus: list[Path],
    single_process: tuple[set[str], dict[str, tuple[str, str, str]]],
    tmp_path: Path,
) -> None:
    store = tmp_path / "store"
    report = build_corpus(corpus, _settings(store, scheduler="local:2"), quiet=True)
    assert report.ok, report.rejected
    quads, records = dataset(store)
    assert records == single_process[1]
    assert quads == single_process[0]
    assert any(DG_MEETING in q for q in quads)
    assert any(DG_CURATED in q for q in quads)


DG_MEETING = "<https://w3id.org/diplograph/ontology#Meeting>"
DG_CURATED = "<https://w3id.org/diplograph/ontology#curated>"


class KillOnce(WorkerPlugin):
    """Kills the worker process that starts the task of the target article's batch, the first
    time only (a batch's key is ``PREFIX-id+id+…-uuid``)."""

    def __init__(self, marker: str, article_id: str) -> None:
        self.marker = marker
        self.article_id = article_id

    def transition(self, key: Any, start: str, finish: str, **kwargs: Any) -> None:
        name = str(key)
        if not name.startswith(f"{TASK_PREFIX}-"):
            return
        ids = name[len(TASK_PREFIX) + 1 : name.rindex("-")].split("+")
        if finish == "executing" and self.article_id in ids:
            try:
                fd = os.open(self.marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            except FileExistsError:
                return
            os.write(fd, str(os.getpid()).encode())
            os.close(fd)
            os._exit(17)


@pytest.fixture
def cluster() -> Iterator[LocalCluster]:
    with LocalCluster(  # type: ignore[no-untyped-call]
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address="127.0.0.1:0",
        silence_logs=logging.ERROR,
    ) as running:
        yield running


@pytest.mark.slow
def test_a_worker_killed_mid_article_costs_a_retry_not_the_build(
    corpus: list[Path],
    single_process: tuple[set[str], dict[str, tuple[str, str, str]]],
    cluster: LocalCluster,
    tmp_path: Path,
) -> None:
    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    marker = tmp_path / "killed"
    try:
        with Client(cluster) as client:  # type: ignore[no-untyped-call]
            client.register_plugin(KillOnce(str(marker), "talks-two"), name="kill-once")
            store = tmp_path / "store"
            settings = _settings(store, scheduler=cluster.scheduler_address)
            report = build_corpus(corpus, settings, quiet=True)
    finally:
        cloudpickle.unregister_pickle_by_value(sys.modules[__name__])
    assert marker.exists(), "the plugin never killed a worker"
    assert report.ok, report.rejected
    assert "talks-two" in report.built
    assert dataset(store) == single_process


@pytest.mark.slow
def test_toolkit_is_loaded_once_per_worker(corpus: list[Path]) -> None:
    report = BuildReport()
    articles = collect(corpus, report)
    progress = BuildProgress(total=len(articles))
    with dask_client(SchedulerSpec(local_workers=2)) as client:
        results = list(run_on_dask(articles, Settings(), client, progress=progress))
    assert all(r.error is None and r.triples for r in results)
    assert sum(w.articles for w in progress.workers.values()) == len(articles)
    for stats in progress.workers.values():
        assert len(stats.toolkits) == 1
    assert len(articles) > len(progress.workers)


@pytest.mark.slow
def test_workers_with_another_installation_stop_the_build(
    corpus: list[Path], cluster: LocalCluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The client's fingerprint is faked here; the worker processes compute their real one."""
    import graphbuild.run.distributed as distributed

    monkeypatch.setattr(distributed, "installation_fingerprint", lambda: "0" * 16)
    report = BuildReport()
    articles = collect(corpus, report)
    with Client(cluster) as client:  # type: ignore[no-untyped-call]
        with pytest.raises(ConfigError, match="different Diplograph installation") as caught:
            next(run_on_dask(articles, Settings(), client))
        workers = list(client.scheduler_info()["workers"])
    assert len(workers) == 2
    for worker in workers:
        assert worker in str(caught.value)


@pytest.mark.slow
def test_an_unchanged_corpus_needs_no_cluster(tmp_path: Path) -> None:
    article = tmp_path / "talks-one.txt"
    article.write_text(ARTICLES["talks-one"][0], encoding="utf-8")
    store = tmp_path / "store"
    assert build_corpus([article], _settings(store, jobs=1), quiet=True).built == ["talks-one"]
    nobody = "tcp://127.0.0.1:9"  # nothing listens there: connecting would fail
    again = build_corpus([article], _settings(store, scheduler=nobody), quiet=True)
    assert (again.built, again.skipped, again.rejected) == ([], ["talks-one"], [])

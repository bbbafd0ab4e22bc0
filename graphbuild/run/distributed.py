"""Distributed builds: the per-article stages on a Dask cluster, the store writes on the client.

``diplograph build --scheduler tcp://HOST:PORT`` (or ``local:N`` for N worker processes on
this machine) sends articles in small batches to Dask workers, which run :func:`process_batch`
with a :class:`Toolkit` (spaCy model, gazetteer, ontology, shapes, RL rules) loaded once per
worker by :class:`ToolkitPlugin`. Each article's validated graph comes back as N-Triples
text as soon as it is done (``as_completed``), and the client writes it into the store in
its own transaction, exactly as a local build does, so the quads are the same.

A task whose worker dies is rescheduled by the scheduler on another worker (up to Dask's
``distributed.scheduler.allowed-failures``); a task that raises is retried ``dask_retries``
times. Only when both are exhausted is the article reported as rejected; the build goes on.

Every worker must run the same installation (version, extractor, ontology, shapes and
gazetteer), or the same input would give different quads: :func:`installation_fingerprint`
is compared before the build and on every result.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import importlib.metadata
import importlib.util
import logging
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pyoxigraph as ox
from distributed import Client, Future, LocalCluster, WorkerPlugin, as_completed, get_worker
from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.table import Table

from graphbuild import __version__
from graphbuild.errors import ConfigError, DiplographError
from graphbuild.extract import EXTRACTOR
from graphbuild.ingest import SourcedArticle
from graphbuild.link.office_holders import update_file
from graphbuild.resources import gazetteer_dir, ontology_file, shapes_file
from graphbuild.run.pipeline import NLP_BATCH, ArticleResult, Toolkit, batches, process_batch
from graphbuild.run.summary import FactSummary
from graphbuild.settings import Settings
from graphbuild.store.records import ntriples_lines

PLUGIN_PREFIX = "diplograph-toolkit"
TASK_PREFIX = "diplograph-article"
CONNECT_TIMEOUT_S = 30.0
KEY_IDS_CHARS = 200


# ---- where to run ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SchedulerSpec:
    """A ``scheduler`` setting: a running scheduler's address, or a local cluster's size."""

    address: str | None = None
    local_workers: int = 0

    @classmethod
    def parse(cls, text: str) -> SchedulerSpec:
        value = text.strip()
        if value.lower().startswith("local:"):
            count = value.split(":", 1)[1]
            if not count.isdigit() or int(count) < 1:
                raise ConfigError(
                    f"'{value}' needs a number of workers of at least 1",
                    where="scheduler",
                    hint="e.g. local:2",
                )
            return cls(local_workers=int(count))
        parts = urlsplit(value)
        if "://" in value and parts.hostname:
            try:
                port = parts.port
            except ValueError:
                port = None
            if port is not None:
                return cls(address=value)
        raise ConfigError(
            f"'{value}' is neither a scheduler address nor local:N",
            where="scheduler",
            hint="give tcp://HOST:PORT of a running `dask scheduler`, or local:N",
        )

    def __str__(self) -> str:
        return self.address or f"local:{self.local_workers}"


@contextlib.contextmanager
def dask_client(spec: SchedulerSpec) -> Iterator[Client]:
    """A client of the scheduler at ``spec``, or of a new loopback cluster of worker processes.

    A local cluster has one thread per worker process (the pipeline is CPU-bound Python) and
    is closed on exit; a remote scheduler and its workers are left running.
    """
    if spec.local_workers:
        cluster = LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=spec.local_workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            # None would still serve the scheduler's HTTP endpoints, on port 8787
            dashboard_address="127.0.0.1:0",
            silence_logs=logging.ERROR,
        )
        with cluster, Client(cluster) as client:  # type: ignore[no-untyped-call]
            yield client
        return
    try:
        client = Client(spec.address, timeout=CONNECT_TIMEOUT_S)  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError) as exc:
        raise DiplographError(
            f"cannot reach the Dask scheduler: {exc}",
            where=spec.address,
            hint="start it with `dask scheduler` (and workers with `dask worker ADDRESS`)",
        ) from exc
    with client:
        yield client


def dashboard_link(client: Client) -> str | None:
    """The scheduler's dashboard URL, when it serves one.

    Without bokeh a scheduler answers the dashboard URL with an install hint, so a local
    cluster's link is only shown when bokeh is installed here (``diplograph[distributed]``).
    """
    services = client.scheduler_info().get("services", {})
    if "dashboard" not in services:
        return None
    if isinstance(client.cluster, LocalCluster) and importlib.util.find_spec("bokeh") is None:
        return None
    return str(client.dashboard_link)


# ---- what runs on the workers ---------------------------------------------------------------


def installation_fingerprint() -> str:
    """What decides an article's quads besides its text: versions, the shipped data and the
    office-holder update from Wikidata (``diplograph gazetteer update``), if there is one."""
    h = hashlib.sha256()
    h.update(f"{__version__}|{EXTRACTOR}|spacy {importlib.metadata.version('spacy')}".encode())
    files = [ontology_file(), shapes_file(), *sorted(gazetteer_dir().glob("*")), update_file()]
    for path in files:
        if path.is_file():
            h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:16]


def plugin_name(settings: Settings) -> str:
    """One plugin per settings that change the graphs, so builds can share a cluster."""
    relevant = repr((settings.base_iri, settings.reason, settings.validate))
    return f"{PLUGIN_PREFIX}-{hashlib.sha256(relevant.encode()).hexdigest()[:12]}"


class ToolkitPlugin(WorkerPlugin):
    """Holds one :class:`Toolkit` per worker, loaded by the worker's first article."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.name = plugin_name(settings)
        self.fingerprint = ""
        self.toolkit_id = ""
        self._kit: Toolkit | None = None
        self._lock: threading.Lock | None = None

    def setup(self, worker: Any) -> None:
        self._lock = threading.Lock()
        self.fingerprint = installation_fingerprint()

    def kit(self) -> Toolkit:
        if self._lock is None:
            raise DiplographError("the toolkit plugin was not set up on this worker")
        with self._lock:
            if self._kit is None:
                self._kit = Toolkit.load(self.settings)
                self.toolkit_id = uuid.uuid4().hex[:12]
            return self._kit


@dataclass(frozen=True)
class ArticleOutcome:
    """What a worker sends back for one article: its graph as N-Triples text, or the reason."""

    article_id: str
    source: str
    ntriples: str | None
    error: str | None
    digest: str
    worker: str
    seconds: float
    toolkit_id: str
    fingerprint: str
    facts: FactSummary | None = None


def build_articles(
    articles: Sequence[SourcedArticle], curated: Sequence[str | None], plugin: str
) -> list[ArticleOutcome]:
    """The Dask task: a few articles through every stage on this worker's toolkit.

    spaCy parses the batch with ``nlp.pipe`` (1.5x one text at a time), and one task per
    batch keeps the scheduler's per-task cost off each article. A worker that dies costs the
    batch a retry. Curated annotations travel with the articles (``curated``), since the
    client's files are not on the workers' disks; they are written to a temporary folder.
    """
    worker = get_worker()
    toolkit: ToolkitPlugin = worker.plugins[plugin]  # type: ignore[assignment]
    kit = toolkit.kit()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="diplograph-") as tmp:
        local = [
            _with_local_curated(article, text, Path(tmp) / str(i))
            for i, (article, text) in enumerate(zip(articles, curated, strict=True))
        ]
        results = process_batch(local, kit)
    each = (time.perf_counter() - started) / max(1, len(articles))
    outcomes = []
    for article, copy, result in zip(articles, local, results, strict=True):
        error = result.error
        if error is not None and article.curated_path is not None:
            error = error.replace(str(copy.curated_path), str(article.curated_path))
        graph = result.graph
        outcomes.append(
            ArticleOutcome(
                article_id=result.article_id,
                source=result.source,
                ntriples="\n".join(ntriples_lines(graph)) if graph is not None else None,
                error=error,
                digest=result.digest,
                worker=str(worker.address),
                seconds=each,
                toolkit_id=toolkit.toolkit_id,
                fingerprint=toolkit.fingerprint,
                facts=result.facts,
            )
        )
    return outcomes


def _with_local_curated(article: SourcedArticle, text: str | None, folder: Path) -> SourcedArticle:
    if text is None or article.curated_path is None:
        return article
    folder.mkdir()
    copy = folder / article.curated_path.name
    copy.write_text(text, encoding="utf-8")
    return dataclasses.replace(article, curated_path=copy)


def task_key(articles: Sequence[SourcedArticle]) -> str:
    """A readable, unique key naming the batch's articles (the dashboard shows it)."""
    ids = "+".join(a.info.id for a in articles)
    if len(ids) > KEY_IDS_CHARS:
        ids = f"{articles[0].info.id}+{len(articles) - 1}-more"
    return f"{TASK_PREFIX}-{ids}-{uuid.uuid4().hex[:12]}"


def _worker_fingerprint(dask_worker: Any, plugin: str) -> str:
    found = dask_worker.plugins.get(plugin)
    return str(found.fingerprint) if isinstance(found, ToolkitPlugin) else ""


# ---- progress -------------------------------------------------------------------------------


@dataclass
class WorkerStats:
    articles: int = 0
    failed: int = 0
    busy_s: float = 0.0
    toolkits: set[str] = field(default_factory=set)


@dataclass
class BuildProgress:
    """Articles done and failed, and each worker's throughput (a rich renderable)."""

    total: int
    done: int = 0
    failed: int = 0
    started: float = field(default_factory=time.monotonic)
    workers: dict[str, WorkerStats] = field(default_factory=lambda: defaultdict(WorkerStats))

    def record(self, outcome: ArticleOutcome | None, ok: bool) -> None:
        self.done += 1
        self.failed += 0 if ok else 1
        if outcome is not None:
            stats = self.workers[outcome.worker]
            stats.articles += 1
            stats.failed += 0 if ok else 1
            stats.busy_s += outcome.seconds
            if outcome.toolkit_id:
                stats.toolkits.add(outcome.toolkit_id)

    def rate(self, worker: str, now: float | None = None) -> float:
        """Articles per second of wall-clock time since the build started."""
        elapsed = max((now if now is not None else time.monotonic()) - self.started, 1e-9)
        return self.workers[worker].articles / elapsed

    def lines(self) -> list[str]:
        now = time.monotonic()
        out = [f"{self.done}/{self.total} article(s) done, {self.failed} failed"]
        for name in sorted(self.workers):
            s = self.workers[name]
            per = s.busy_s / s.articles if s.articles else 0.0
            out.append(
                f"  {name}: {s.articles} article(s), {self.rate(name, now):.2f}/s, {per:.2f} s each"
            )
        return out

    def __rich__(self) -> RenderableType:
        table = Table(box=None, show_header=True, header_style="bold")
        for column in ("worker", "articles", "failed", "articles/s", "s/article"):
            table.add_column(column, justify="left" if column == "worker" else "right")
        now = time.monotonic()
        for name in sorted(self.workers):
            s = self.workers[name]
            table.add_row(
                name,
                str(s.articles),
                str(s.failed),
                f"{self.rate(name, now):.2f}",
                f"{s.busy_s / s.articles:.2f}" if s.articles else "-",
            )
        head = f"building on Dask: {self.done}/{self.total} done, {self.failed} failed"
        return Group(head, table)


# ---- the client side ------------------------------------------------------------------------


def _curated_text(article: SourcedArticle) -> str | None:
    path = article.curated_path
    if path is None or not path.exists():
        return None
    return path.read_text(encoding="utf-8")


def check_workers(client: Client, plugin: str, expected: str) -> None:
    """Stop before building when a worker runs a different installation than the client."""
    found = client.run(_worker_fingerprint, plugin=plugin)
    odd = {w: f for w, f in found.items() if f != expected}
    if odd:
        listing = ", ".join(f"{w} ({f or 'no plugin'})" for w, f in sorted(odd.items()))
        raise ConfigError(
            f"worker(s) run a different Diplograph installation than this client ({expected}): "
            f"{listing}",
            where="scheduler",
            hint="install the same version, ontology, shapes and gazetteer on every worker "
            "(and the same office-holder update, setting gazetteer_update_dir)",
        )


def _parse(ntriples: str) -> list[ox.Triple]:
    return [q.triple for q in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)]


def run_on_dask(
    articles: Sequence[SourcedArticle],
    settings: Settings,
    client: Client,
    *,
    progress: BuildProgress | None = None,
) -> Iterator[ArticleResult]:
    """Results as the workers finish them (not in input order), each with its triples.

    At most ``dask_in_flight`` articles are submitted at once, so a corpus of millions
    needs no more scheduler memory than a few dozen.
    """
    plugin = ToolkitPlugin(settings)
    client.register_plugin(plugin, name=plugin.name)
    expected = installation_fingerprint()
    check_workers(client, plugin.name, expected)
    threads = sum(client.nthreads().values())  # type: ignore[no-untyped-call]
    window = int(settings.dask_in_flight) or max(8, 4 * threads)
    retries = max(0, int(settings.dask_retries))
    # small enough batches that every worker gets several, so none idles at the end
    size = max(1, min(NLP_BATCH, len(articles) // max(1, 4 * threads), window))
    pending = iter(batches(articles, size))
    by_key: dict[str, Sequence[SourcedArticle]] = {}
    running = as_completed()  # type: ignore[no-untyped-call]

    def submit_next() -> None:
        batch = next(pending, None)
        if batch is None:
            return
        key = task_key(batch)
        by_key[key] = batch
        running.add(  # type: ignore[no-untyped-call]
            client.submit(
                build_articles,
                batch,
                [_curated_text(article) for article in batch],
                plugin.name,
                key=key,
                retries=retries,
                pure=False,
            )
        )

    for _ in range(max(1, window // size)):
        submit_next()
    for future in running:
        batch = by_key.pop(str(future.key))
        collected = _collect(future, batch, expected)
        future.release()
        submit_next()
        for result, outcome in collected:
            if progress is not None:
                progress.record(outcome, result.error is None)
            yield result


def _collect(
    future: Future[list[ArticleOutcome]], batch: Sequence[SourcedArticle], expected: str
) -> list[tuple[ArticleResult, ArticleOutcome | None]]:
    if future.status != "finished":
        reason = (
            future.exception()  # type: ignore[no-untyped-call]
            if future.status == "error"
            else future.status
        )
        return [
            (
                ArticleResult(a.info.id, a.source, error=f"failed on the Dask cluster: {reason}"),
                None,
            )
            for a in batch
        ]
    return [_article_result(outcome, expected) for outcome in future.result()]


def _article_result(
    outcome: ArticleOutcome, expected: str
) -> tuple[ArticleResult, ArticleOutcome | None]:
    aid, source = outcome.article_id, outcome.source
    if outcome.fingerprint != expected:
        error = (
            f"worker {outcome.worker} runs a different installation "
            f"({outcome.fingerprint}, this client {expected})"
        )
        return ArticleResult(aid, source, error=error, digest=outcome.digest), outcome
    result = ArticleResult(
        aid, source, error=outcome.error, digest=outcome.digest, facts=outcome.facts
    )
    if outcome.error is None and outcome.ntriples is not None:
        result.triples = _parse(outcome.ntriples)
    return result, outcome


def build_on_dask(
    articles: Sequence[SourcedArticle], settings: Settings, *, quiet: bool = False
) -> Iterator[ArticleResult]:
    """The build hook: connect (or start a local cluster), show progress, yield results."""
    spec = SchedulerSpec.parse(str(settings.scheduler))
    if not articles:
        return
    console = Console(stderr=True, quiet=quiet)
    with dask_client(spec) as client:
        info = client.scheduler_info()
        console.print(
            f"Dask scheduler {info.get('address', spec)}: {len(info.get('workers', {}))} worker(s)"
        )
        link = dashboard_link(client)
        if link:
            console.print(f"Dask dashboard: {link}")
        progress = BuildProgress(total=len(articles))
        live = Live(progress, console=console, transient=True, refresh_per_second=4)
        with live if not quiet else contextlib.nullcontext():
            yield from run_on_dask(articles, settings, client, progress=progress)
        for line in progress.lines():
            console.print(line)

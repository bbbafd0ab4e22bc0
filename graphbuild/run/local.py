"""Running the per-article pipeline in local worker processes, results in input order.

Each worker loads a :class:`~graphbuild.run.pipeline.Toolkit` once and sends each article's
graph back as N-Triples text, so the parent never builds an rdflib graph.

A worker ends with the build: on Linux the kernel sends it SIGTERM when the build process
dies (``prctl(PR_SET_PDEATHSIG)``), and everywhere a watchdog thread ends it once its parent
process is gone, so a build killed with ``kill -9`` leaves no worker holding a spaCy model.

A worker that dies mid-batch (out of memory, a crash in C code) breaks the process pool: the
batches it and the other workers held are built again in a new pool one article at a time,
and only an article that kills its worker again is rejected, by name.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import pyoxigraph as ox

from graphbuild.errors import DiplographError
from graphbuild.ingest import SourcedArticle
from graphbuild.run.pipeline import NLP_BATCH, ArticleResult, Toolkit, batches, process_batch
from graphbuild.run.summary import FactSummary
from graphbuild.settings import Settings

_WORKER_KIT: list[Toolkit] = []

WorkResult = tuple[str, str, str | None, str | None, str, FactSummary | None]

PR_SET_PDEATHSIG = 1
"""``prctl`` option: the signal this process gets when the thread that forked it ends."""
PARENT_GONE_EXIT = 70
"""Exit status of a worker that ended because its build process was gone."""
WORKER_DIED = (
    "the worker process building this article died (killed by the system, e.g. out of "
    "memory, or crashed); the other articles were built again without it"
)


def exit_with_parent(
    parent: int | None,
    *,
    use_prctl: bool = True,
    watchdog: bool = True,
    interval_s: float = 1.0,
) -> None:
    """End this process when its parent process ends.

    On Linux the kernel signals it at once (``PR_SET_PDEATHSIG``, set with ctypes); the
    watchdog thread, which polls the parent's pid, covers other systems. ``parent`` is the
    pid the parent should have, so a parent that died before this ran is noticed too; None
    when the parent is an intermediary (a forkserver, which itself ends with the build).
    """
    if use_prctl and sys.platform.startswith("linux"):
        _parent_death_signal(signal.SIGTERM)
    if parent is None:
        parent = os.getppid()
    elif os.getppid() != parent:
        os._exit(PARENT_GONE_EXIT)
    if watchdog:
        threading.Thread(
            target=_watch_parent, args=(parent, interval_s), name="parent-watchdog", daemon=True
        ).start()


def _parent_death_signal(sig: int) -> bool:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        prctl = libc.prctl
    except (OSError, AttributeError):
        return False
    zero = ctypes.c_ulong(0)
    return int(prctl(PR_SET_PDEATHSIG, ctypes.c_ulong(sig), zero, zero, zero)) == 0


def _watch_parent(parent: int, interval_s: float) -> None:
    while True:
        time.sleep(interval_s)
        if os.getppid() != parent:  # reparented: the build is gone
            os._exit(PARENT_GONE_EXIT)


def _init_worker(settings: Settings, parent: int | None) -> None:
    exit_with_parent(parent)
    _WORKER_KIT.append(Toolkit.load(settings))


def _work(articles: Sequence[SourcedArticle]) -> list[WorkResult]:
    """N-Triples written from pyoxigraph terms, so the parent never builds an rdflib graph."""
    from graphbuild.store.records import ntriples_lines

    out: list[WorkResult] = []
    for result in process_batch(articles, _WORKER_KIT[0]):
        ntriples = "\n".join(ntriples_lines(result.graph)) if result.graph is not None else None
        out.append(
            (result.article_id, result.source, ntriples, result.error, result.digest, result.facts)
        )
    return out


def effective_jobs(settings: Settings) -> int:
    jobs = int(settings.jobs)
    return jobs if jobs > 0 else (os.cpu_count() or 1)


IN_FLIGHT_PER_JOB = 3
"""Batches handed to each worker ahead of the results being stored: enough to keep it busy,
few enough that a corpus is never all in memory (``Executor.map`` would submit it all)."""


def run_articles(
    articles: Iterable[SourcedArticle],
    settings: Settings,
    jobs: int,
    kit: Toolkit | None = None,
) -> Iterator[ArticleResult]:
    """Results in input order; in worker processes when ``jobs`` > 1.

    ``articles`` is read as the work goes on, so a generator keeps memory flat.
    """
    known = len(articles) if isinstance(articles, Sequence) else None
    if jobs <= 1 or (known is not None and known < 4):
        kit = kit or Toolkit.load(settings)
        for batch in batches(articles, NLP_BATCH):
            yield from process_batch(batch, kit)
        return
    # small enough batches that every worker gets several, so none idles at the end
    size = NLP_BATCH if known is None else max(1, min(NLP_BATCH, known // (jobs * 4)))
    with _Workers(settings, jobs) as workers:
        yield from workers.run(batches(articles, size))


class _Workers:
    """A process pool that is replaced when a worker dies, and what was lost built again."""

    def __init__(self, settings: Settings, jobs: int) -> None:
        self.settings = settings
        self.jobs = jobs
        self.pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        # fork and spawn make the build the workers' parent; a forkserver is in between
        method = multiprocessing.get_start_method()
        parent = os.getpid() if method in ("fork", "spawn") else None
        return ProcessPoolExecutor(
            max_workers=self.jobs, initializer=_init_worker, initargs=(self.settings, parent)
        )

    def _restart(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
        self.pool = self._new_pool()

    def __enter__(self) -> _Workers:
        return self

    def __exit__(self, kind: object, *_: object) -> None:
        # a build that stops early (an error, Ctrl-C) does not wait for batches not started
        self.pool.shutdown(wait=True, cancel_futures=kind is not None)

    def run(self, work: Iterator[list[SourcedArticle]]) -> Iterator[ArticleResult]:
        pending: deque[tuple[list[SourcedArticle], Future[list[WorkResult]]]] = deque()

        def top_up() -> None:
            while len(pending) < self.jobs * IN_FLIGHT_PER_JOB:
                following = next(work, None)
                if following is None:
                    return
                future: Future[list[WorkResult]]
                try:
                    future = self.pool.submit(_work, following)
                except BrokenProcessPool as exc:
                    # a worker died since the last answer: this batch is lost with the pool
                    # too, and is built again like the ones in flight (below)
                    future = Future()
                    future.set_exception(exc)
                pending.append((following, future))

        top_up()
        while pending:
            batch, future = pending.popleft()
            try:
                done = future.result()
            except BrokenProcessPool:
                # every batch in flight is lost with the pool: build them again one article
                # at a time, so the one that kills its worker is found and only it is lost
                suspects = [batch, *(b for b, _ in pending)]
                pending.clear()
                self._restart()
                for article in (a for b in suspects for a in b):
                    yield self._alone(article)
                top_up()
                continue
            except DiplographError:
                raise  # the workers cannot work at all (e.g. the toolkit does not load)
            except Exception:  # the task failed without a dead worker: find the article
                top_up()
                for article in batch:
                    yield self._alone(article)
                continue
            top_up()
            for row in done:
                yield _result(row)

    def _alone(self, article: SourcedArticle) -> ArticleResult:
        """One article in a task of its own, waited for: its result or why it was lost."""
        aid, source = article.info.id, article.source
        future = self.pool.submit(_work, [article])
        try:
            (row,) = future.result()
        except BrokenProcessPool:
            self._restart()
            return ArticleResult(aid, source, error=WORKER_DIED)
        except DiplographError:
            raise
        except Exception as exc:
            return ArticleResult(aid, source, error=f"failed in a worker process: {exc!r}")
        return _result(row)


def _result(row: WorkResult) -> ArticleResult:
    aid, source, ntriples, error, digest, facts = row
    triples = None
    if ntriples is not None:
        parsed = ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)
        triples = [q.triple for q in parsed]
    return ArticleResult(aid, source, None, None, error, digest, triples, facts)

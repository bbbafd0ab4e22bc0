"""Running the per-article pipeline in local worker processes, results in input order.

Each worker loads a :class:`~graphbuild.run.pipeline.Toolkit` once and sends each article's
graph back as N-Triples text, so the parent never builds an rdflib graph.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice

import pyoxigraph as ox

from graphbuild.ingest import SourcedArticle
from graphbuild.run.pipeline import NLP_BATCH, ArticleResult, Toolkit, batches, process_batch
from graphbuild.run.summary import FactSummary
from graphbuild.settings import Settings

_WORKER_KIT: list[Toolkit] = []

WorkResult = tuple[str, str, str | None, str | None, str, FactSummary | None]


def _init_worker(settings: Settings) -> None:
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
    work = batches(articles, size)
    with ProcessPoolExecutor(
        max_workers=jobs, initializer=_init_worker, initargs=(settings,)
    ) as pool:
        pending: deque[Future[list[WorkResult]]] = deque(
            pool.submit(_work, batch) for batch in islice(work, jobs * IN_FLIGHT_PER_JOB)
        )
        while pending:
            done = pending.popleft().result()
            following = next(work, None)
            if following is not None:
                pending.append(pool.submit(_work, following))
            for aid, source, ntriples, error, digest, facts in done:
                triples = None
                if ntriples is not None:
                    parsed = ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)
                    triples = [q.triple for q in parsed]
                yield ArticleResult(aid, source, None, None, error, digest, triples, facts)

"""The corpus build's plumbing: batching through spaCy, streaming through worker processes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from graphbuild.annotations import ArticleInfo
from graphbuild.ingest import SourcedArticle
from graphbuild.run.local import IN_FLIGHT_PER_JOB, run_articles
from graphbuild.run.pipeline import NLP_BATCH, Toolkit, process_article, process_batch
from graphbuild.settings import Settings

# Invented people and made-up words: strings the model's vocabulary has not met before.
TEXTS = [
    "Foreign Minister Zorvak Quellid of Norway met President Amrel Tesh in Oslo on Monday.",
    "Prime Minister Ilvane Dorrup of Chile will meet Chancellor Besk Omaru on 4 May.",
    "The treaty of Vorlanic friendship was signed ten years ago; officials marked it quietly.",
    "President Tamsu Kerredy of Kenya spoke to reporters about grain and ports.",
]


def article(i: int, text: str) -> SourcedArticle:
    info = ArticleInfo(id=f"p{i}", text=text, published=dt.date(2025, 6, 2))
    return SourcedArticle(info, f"p{i}.txt")


@pytest.fixture(scope="module")
def kit() -> Toolkit:
    return Toolkit.load(Settings())


def test_a_batch_gives_what_each_article_gives_alone_and_keeps_no_strings(kit: Toolkit) -> None:
    assert kit.extractor is not None
    articles = [article(i, t) for i, t in enumerate(TEXTS)]
    strings = len(kit.extractor.nlp.vocab.strings)
    first = process_batch(articles, kit)
    # the batch ran in spaCy's memory zone: the words it met for the first time are forgotten
    assert len(kit.extractor.nlp.vocab.strings) == strings
    again = process_batch(articles, kit)  # and meets them as new, with the same outcome
    alone = [process_article(a, kit) for a in articles]  # outside a zone, one by one
    for batched in (first, again):
        assert [r.error for r in batched] == [r.error for r in alone] == [None] * len(TEXTS)
        assert [r.annotations for r in batched] == [r.annotations for r in alone]
        assert [set(r.graph or ()) for r in batched] == [set(r.graph or ()) for r in alone]


def test_worker_processes_read_the_articles_as_they_go() -> None:
    """A corpus is never all in memory: only a few batches are handed out ahead."""
    jobs, total = 2, NLP_BATCH * 20
    pulled = 0

    def corpus() -> Iterator[SourcedArticle]:
        nonlocal pulled
        for i in range(total):
            pulled += 1
            yield article(i, TEXTS[i % len(TEXTS)])

    results = run_articles(corpus(), Settings(), jobs)
    first = next(results)
    ahead = jobs * IN_FLIGHT_PER_JOB * NLP_BATCH
    assert pulled <= ahead + NLP_BATCH < total
    rest = list(results)
    assert pulled == total
    ids = [first.article_id, *(r.article_id for r in rest)]
    assert ids == [f"p{i}" for i in range(total)]  # input order, every one
    assert all(r.error is None and r.triples for r in [first, *rest])

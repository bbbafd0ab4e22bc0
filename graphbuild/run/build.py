"""The corpus build: articles in, one store transaction per article out.

Unchanged articles (same text, metadata and extractor) are skipped; the rest go through
:mod:`graphbuild.run.pipeline` in local worker processes (:mod:`graphbuild.run.local`) or
on a Dask cluster (:mod:`graphbuild.run.distributed`), and each result is written with its
build record and the reference graphs it requires (the terms of office of the people it links,
from the office-holder table). Afterwards the views' answers are precomputed for the new store
version.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import pyoxigraph as ox
from rdflib import OWL, Graph, URIRef

from graphbuild.errors import ArticleError, ConfigError, StoreError
from graphbuild.extract import EXTRACTOR
from graphbuild.ingest import SourcedArticle, discover, read_articles
from graphbuild.rdf.reference import OfficeTerms
from graphbuild.rdf.validate import load_ontology
from graphbuild.run.local import effective_jobs, run_articles
from graphbuild.run.pipeline import NLP_BATCH, ArticleResult, text_digest
from graphbuild.run.summary import FactSummary
from graphbuild.settings import Settings

if TYPE_CHECKING:
    from graphbuild.store.records import ArticleRecord, GraphData


@dataclass
class BuildReport:
    built: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)
    started: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    facts: dict[str, FactSummary] = field(default_factory=dict)
    """Per built article: what it gave the graph, kept without a date, and lost."""
    migrated: list[str] = field(default_factory=list)
    """Graphs of an earlier model moved forward before the build (graphbuild.store.model)."""

    @property
    def ok(self) -> bool:
        return not self.rejected


def iter_articles(paths: Iterable[Path], report: BuildReport) -> Iterator[SourcedArticle]:
    """Readable articles, each read when it is needed; unreadable ones go into the report."""
    for item in read_articles(list(paths)):
        if isinstance(item, ArticleError):
            hint = f"; {item.hint}" if item.hint else ""
            report.rejected.append((item.where or "?", item.message + hint))
        else:
            yield item


def collect(paths: Iterable[Path], report: BuildReport) -> list[SourcedArticle]:
    """Every readable article at once (for a few; a corpus build streams them)."""
    return list(iter_articles(paths, report))


ProgressCallback = Callable[[ArticleResult], None]


class StoreWriter(Protocol):
    """What a build writes through: the embedded store or an external one."""

    def replace_article(
        self,
        article_id: str,
        data: GraphData,
        meta: ArticleRecord,
        references: Mapping[str, Graph] | None = None,
    ) -> None: ...


class References:
    """The reference graphs of each article (its linked people's terms of office).

    The office-holder index and the gazetteer are loaded at the first article that links a
    person, once per build.
    """

    def __init__(self, base: str) -> None:
        self.base = base
        self._terms: OfficeTerms | None = None

    def for_article(self, data: Graph | list[ox.Triple]) -> dict[str, Graph]:
        triples = data if isinstance(data, Graph) else _rdflib_triples(data)
        if not any(p == OWL.sameAs for _, p, _ in triples):
            return {}
        if self._terms is None:
            from graphbuild.link.gazetteer_files import load_gazetteer
            from graphbuild.link.office_holders import shipped_office_holders

            self._terms = OfficeTerms(self.base, shipped_office_holders(), load_gazetteer())
        return self._terms.graphs_for(triples)


def _rdflib_triples(data: Iterable[ox.Triple]) -> list[tuple[object, object, object]]:
    """The IRI-valued triples of pyoxigraph triples, as rdflib terms (enough to find links)."""
    out: list[tuple[object, object, object]] = []
    for t in data:
        if isinstance(t.subject, ox.NamedNode) and isinstance(t.object, ox.NamedNode):
            out.append((URIRef(t.subject.value), URIRef(t.predicate.value), URIRef(t.object.value)))
    return out


def build_corpus(
    paths: list[Path], settings: Settings, *, force: bool = False, quiet: bool = False
) -> BuildReport:
    """Build the given articles into the store: one transaction per article.

    Unchanged articles (same text, metadata and extractor) are skipped unless ``force``;
    a rejected article is reported and the others still land. With the ``scheduler``
    setting the articles are processed on a Dask cluster instead of local processes.
    """
    from rich.progress import Progress

    from graphbuild.store.external import open_store

    report = BuildReport()
    total = len(discover(paths))  # for progress: names only, no article is read
    reference = str(settings.reference_date)
    with open_store(settings) as store:
        report.migrated = store.migrate_model()
        store.load_ontology(load_ontology())
        records = store.article_records()

        def changed(articles: Iterable[SourcedArticle]) -> Iterator[SourcedArticle]:
            for article in articles:
                record = records.get(article.info.id)
                same = record is not None and record.digest == text_digest(article.info, reference)
                if not force and same:
                    report.skipped.append(article.info.id)
                else:
                    yield article

        todo = changed(iter_articles(paths, report))
        references = References(str(settings.base_iri))
        if settings.scheduler:
            for result in _on_dask(list(todo), settings, quiet):
                _store_result(store, result, report, references)
        else:
            # the first few decide how many processes are worth starting
            most = effective_jobs(settings)
            probe = most * 4 * NLP_BATCH
            head = list(islice(todo, probe))
            jobs = min(most, max(1, len(head) // 4))
            work = head if len(head) < probe else chain(head, todo)
            with Progress(disable=quiet or total <= 3, transient=True) as progress:
                task = progress.add_task("building", total=total)
                for result in run_articles(work, settings, jobs):
                    _store_result(store, result, report, references)
                    seen = len(report.skipped) + len(report.built) + len(report.rejected)
                    progress.update(task, completed=seen)
        if report.built or report.migrated:
            refresh_answers(store)
    return report


def refresh_answers(store: object) -> None:
    """Precompute the views' answers for the store as it now is (embedded stores on disk)."""
    from graphbuild.store.embedded import GraphStore
    from graphbuild.store.views import compute_answers

    if isinstance(store, GraphStore) and store.path is not None and not store.read_only:
        compute_answers(store.raw, store.version().etag).save(store.path)


def _on_dask(
    todo: Sequence[SourcedArticle], settings: Settings, quiet: bool
) -> Iterator[ArticleResult]:
    """The hook for distributed builds: the same results, computed on a Dask cluster."""
    try:
        from graphbuild.run.distributed import build_on_dask
    except ModuleNotFoundError as exc:
        if exc.name not in ("dask", "distributed"):
            raise
        raise ConfigError(
            "building on a Dask scheduler needs Dask installed",
            where="scheduler",
            hint="pip install 'diplograph[distributed]'",
        ) from exc
    return build_on_dask(todo, settings, quiet=quiet)


def _store_result(
    store: StoreWriter, result: ArticleResult, report: BuildReport, references: References
) -> None:
    from graphbuild.store.records import ArticleRecord

    data: Graph | list[ox.Triple] | None = (
        result.graph if result.graph is not None else result.triples
    )
    if result.error is not None or data is None:
        report.rejected.append((result.source, result.error or "no graph"))
        return
    record = ArticleRecord(
        article_id=result.article_id,
        digest=result.digest,
        extractor=EXTRACTOR,
        source=result.source,
    )
    try:
        store.replace_article(result.article_id, data, record, references.for_article(data))
    except StoreError as exc:
        if isinstance(exc.__cause__, ValueError | TypeError):  # this graph's terms, not the store
            report.rejected.append((result.source, exc.message))
            return
        # the store itself fails (a full disk, a lost connection): the next article would
        # fail the same way, so the build stops, saying where it stopped
        detail = f"{exc.message} (store {exc.where})" if exc.where else exc.message
        raise StoreError(
            f"storing this article failed: {detail}; the {len(report.built)} article(s) "
            "stored before it are kept",
            where=result.source,
            hint=exc.hint
            or "fix the store (e.g. free disk space) and build again: "
            "the articles already stored are skipped",
        ) from exc
    if result.facts is not None:
        report.facts[result.article_id] = result.facts
    report.built.append(result.article_id)

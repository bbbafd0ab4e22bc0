"""The per-article pipeline and the corpus build around it.

``process_article`` is the whole chain for one article (extract or curated annotations ->
link -> RDF -> reason -> validate) and is a function of its inputs, so the corpus build can
run it in worker processes; only ``build`` touches the store, one transaction per article.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import pyoxigraph as ox
from rdflib import Graph
from spacy.tokens import Doc

from graphbuild.annotations import Annotations, ArticleInfo, load_annotations
from graphbuild.errors import ArticleError, ConfigError, DiplographError, ValidationFailed
from graphbuild.extract import EXTRACTOR, Extractor, load_pipeline
from graphbuild.ingest import SourcedArticle, discover, read_articles
from graphbuild.link.gazetteer import Gazetteer, load_gazetteer
from graphbuild.link.offline import link
from graphbuild.rdf.mapping import to_rdf
from graphbuild.rdf.reason import RLRules, materialise, rules_from_ontology
from graphbuild.rdf.validate import load_ontology, load_shapes, validate
from graphbuild.settings import Settings

if TYPE_CHECKING:
    from graphbuild.store.embedded import ArticleRecord, GraphData


def text_digest(article: ArticleInfo) -> str:
    """What an incremental build compares: the text, the metadata and the extractor."""
    h = hashlib.sha256()
    h.update(EXTRACTOR.encode())
    h.update(article.model_dump_json().encode())
    return h.hexdigest()


@dataclass
class ArticleResult:
    article_id: str
    source: str
    graph: Graph | None = None
    annotations: Annotations | None = None
    error: str | None = None
    digest: str = ""
    triples: list[ox.Triple] | None = None
    """The graph as pyoxigraph triples when it was built in another process or machine."""


@dataclass
class Toolkit:
    """What every article needs, loaded once per process."""

    settings: Settings
    gazetteer: Gazetteer
    ontology: Graph
    shapes: Graph
    rules: RLRules
    extractor: Extractor | None = None

    @classmethod
    def load(cls, settings: Settings, with_nlp: bool = True) -> Toolkit:
        gaz = load_gazetteer()
        extractor = Extractor(load_pipeline(), gaz) if with_nlp else None
        ontology = load_ontology()
        return cls(settings, gaz, ontology, load_shapes(), rules_from_ontology(ontology), extractor)


def is_curated(article: SourcedArticle) -> bool:
    return article.curated_path is not None and article.curated_path.exists()


def annotate(article: SourcedArticle, kit: Toolkit, doc: Doc | None = None) -> Annotations:
    """Curated annotations when a researcher wrote them, else extraction; then linking.

    ``doc`` is the article's text already parsed by spaCy (in a batch), if it was.
    """
    curated = article.curated_path
    if curated is not None and is_curated(article):
        ann = load_annotations(curated)
        if ann.article.id != article.info.id or ann.article.text != article.info.text:
            raise ArticleError(
                "curated annotations were made for a different article text",
                where=str(curated),
                hint="re-export them with `diplograph explain --json` for the current text",
            )
        ann = ann.model_copy(update={"curated": True})
    else:
        if kit.extractor is None:
            raise DiplographError("no extractor loaded")
        if doc is None:
            ann = kit.extractor.extract(article.info)
        else:
            ann = kit.extractor.extract_parsed(article.info, doc)
    return link(ann, kit.gazetteer)


def to_validated_graph(ann: Annotations, kit: Toolkit) -> Graph:
    graph = to_rdf(ann, kit.settings.base_iri)
    if kit.settings.reason:
        graph = materialise(graph, kit.rules)
    if kit.settings.validate:
        # A materialised graph already carries the class hierarchy the shapes' sh:class checks
        # need; handing pySHACL the ontology too would copy it into every article (1.7x slower).
        validate(graph, kit.shapes, None if kit.settings.reason else kit.ontology)
    return graph


def process_article(article: SourcedArticle, kit: Toolkit, doc: Doc | None = None) -> ArticleResult:
    """One article through every stage; a failure is reported, never raised."""
    result = ArticleResult(article.info.id, article.source, digest=text_digest(article.info))
    try:
        result.annotations = annotate(article, kit, doc)
        result.graph = to_validated_graph(result.annotations, kit)
    except ValidationFailed as exc:
        result.error = f"SHACL violation: {exc.message}\n{exc.report}"
    except DiplographError as exc:
        result.error = str(exc)
    return result


NLP_BATCH = 16
"""Articles spaCy parses together: 1.5x the throughput of one at a time on ~400 words."""


def process_batch(articles: Sequence[SourcedArticle], kit: Toolkit) -> list[ArticleResult]:
    """``process_article`` for each, with the texts to extract parsed by ``nlp.pipe``."""
    if kit.extractor is None:
        return [process_article(a, kit) for a in articles]
    nlp = kit.extractor.nlp
    # The strings spaCy meets in a text stay in its vocabulary for good unless they are made
    # in a memory zone; nothing spaCy makes here outlives the batch (results are plain data).
    with nlp.memory_zone():
        todo = [(i, a) for i, a in enumerate(articles) if not is_curated(a)]
        parsed = nlp.pipe((a.info.text for _, a in todo), batch_size=NLP_BATCH)
        docs = {i: doc for (i, _), doc in zip(todo, parsed, strict=True)}
        return [process_article(a, kit, docs.get(i)) for i, a in enumerate(articles)]


def batches(articles: Iterable[SourcedArticle], size: int) -> Iterator[list[SourcedArticle]]:
    it = iter(articles)
    while batch := list(islice(it, size)):
        yield batch


# ---- worker processes -------------------------------------------------------------------
_WORKER_KIT: list[Toolkit] = []

WorkResult = tuple[str, str, str | None, str | None, str]


def _init_worker(settings: Settings) -> None:
    _WORKER_KIT.append(Toolkit.load(settings))


def _work(articles: Sequence[SourcedArticle]) -> list[WorkResult]:
    """N-Triples written from pyoxigraph terms, so the parent never builds an rdflib graph."""
    from graphbuild.store.embedded import ntriples_lines

    out: list[WorkResult] = []
    for result in process_batch(articles, _WORKER_KIT[0]):
        ntriples = "\n".join(ntriples_lines(result.graph)) if result.graph is not None else None
        out.append((result.article_id, result.source, ntriples, result.error, result.digest))
    return out


@dataclass
class BuildReport:
    built: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)
    started: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))

    @property
    def ok(self) -> bool:
        return not self.rejected


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
            for aid, source, ntriples, error, digest in done:
                triples = None
                if ntriples is not None:
                    parsed = ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)
                    triples = [q.triple for q in parsed]
                yield ArticleResult(aid, source, None, None, error, digest, triples)


def iter_articles(paths: Iterable[Path], report: BuildReport) -> Iterator[SourcedArticle]:
    """Readable articles, each read when it is needed; unreadable ones go into the report."""
    for item in read_articles(list(paths)):
        if isinstance(item, ArticleError):
            report.rejected.append((item.where or "?", item.message))
        else:
            yield item


def collect(paths: Iterable[Path], report: BuildReport) -> list[SourcedArticle]:
    """Every readable article at once (for a few; a corpus build streams them)."""
    return list(iter_articles(paths, report))


ProgressCallback = Callable[[ArticleResult], None]


class StoreWriter(Protocol):
    """What a build writes through: the embedded store or an external one."""

    def replace_article(self, article_id: str, data: GraphData, meta: ArticleRecord) -> None: ...


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
    with open_store(settings) as store:
        store.load_ontology(load_ontology())
        records = store.article_records()

        def changed(articles: Iterable[SourcedArticle]) -> Iterator[SourcedArticle]:
            for article in articles:
                record = records.get(article.info.id)
                if not force and record is not None and record.digest == text_digest(article.info):
                    report.skipped.append(article.info.id)
                else:
                    yield article

        todo = changed(iter_articles(paths, report))
        if settings.scheduler:
            for result in _on_dask(list(todo), settings, quiet):
                _store_result(store, result, report)
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
                    _store_result(store, result, report)
                    seen = len(report.skipped) + len(report.built) + len(report.rejected)
                    progress.update(task, completed=seen)
        if report.built:
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


def _store_result(store: StoreWriter, result: ArticleResult, report: BuildReport) -> None:
    from graphbuild.store.embedded import ArticleRecord

    data: Graph | list[ox.Triple] | None = (
        result.graph if result.graph is not None else result.triples
    )
    if result.error is not None or data is None:
        report.rejected.append((result.source, result.error or "no graph"))
        return
    store.replace_article(
        result.article_id,
        data,
        ArticleRecord(
            article_id=result.article_id,
            digest=result.digest,
            extractor=EXTRACTOR,
            source=result.source,
        ),
    )
    report.built.append(result.article_id)

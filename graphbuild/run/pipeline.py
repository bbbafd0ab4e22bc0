"""The per-article pipeline.

``process_article`` is the whole chain for one article (extract or curated annotations ->
link -> RDF -> reason -> validate) and is a function of its inputs, so the corpus build can
run it in worker processes (:mod:`graphbuild.run.local`) or on Dask
(:mod:`graphbuild.run.distributed`); only :mod:`graphbuild.run.build` touches the store, one
transaction per article.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice

import pyoxigraph as ox
from rdflib import Graph
from spacy.tokens import Doc

from graphbuild.annotations import Annotations, ArticleInfo, load_annotations
from graphbuild.errors import ArticleError, DiplographError, ValidationFailed
from graphbuild.extract import EXTRACTOR, Extractor, load_pipeline
from graphbuild.ingest import SourcedArticle
from graphbuild.link.gazetteer import Gazetteer
from graphbuild.link.gazetteer_files import load_gazetteer
from graphbuild.link.offline import link
from graphbuild.link.people import People
from graphbuild.rdf.mapping import Mapped, map_annotations
from graphbuild.rdf.reason import RLRules, materialise, rules_from_ontology
from graphbuild.rdf.validate import load_ontology, load_shapes, validate
from graphbuild.run.summary import FactSummary, summarise
from graphbuild.settings import Settings, reference_date
from graphbuild.store.model import MODEL_VERSION


def text_digest(article: ArticleInfo, reference_date: str = "") -> str:
    """What an incremental build compares: the text, the metadata, the extractor and the
    model, and the reference date given to the build when the article has no date of its own."""
    h = hashlib.sha256()
    h.update(EXTRACTOR.encode())
    h.update(MODEL_VERSION.encode())
    h.update(article.model_dump_json().encode())
    if reference_date and article.published is None:
        h.update(b"reference-date " + reference_date.encode())
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
    facts: FactSummary | None = None
    """What the article gave the graph and what it lost (for the build's summary)."""


@dataclass
class Toolkit:
    """What every article needs, loaded once per process."""

    settings: Settings
    gazetteer: Gazetteer
    ontology: Graph
    shapes: Graph
    rules: RLRules
    extractor: Extractor | None = None
    people: People | None = None
    """The office-holder index that links people (parsed once per process)."""

    @classmethod
    def load(cls, settings: Settings, with_nlp: bool = True) -> Toolkit:
        gaz = load_gazetteer()
        extractor = (
            Extractor(load_pipeline(), gaz, reference_date=reference_date(settings))
            if with_nlp
            else None
        )
        ontology = load_ontology()
        return cls(
            settings,
            gaz,
            ontology,
            load_shapes(),
            rules_from_ontology(ontology),
            extractor,
            People.build(gaz),
        )


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
        # same text, so the same normalisation made it (files made before it was recorded)
        info = ann.article.model_copy(update={"normaliser": article.info.normaliser})
        ann = ann.model_copy(update={"curated": True, "article": info})
    else:
        if kit.extractor is None:
            raise DiplographError("no extractor loaded")
        check_length(article.info, kit.extractor.nlp.max_length)
        if doc is None:
            ann = kit.extractor.extract(article.info)
        else:
            ann = kit.extractor.extract_parsed(article.info, doc)
    return link(ann, kit.gazetteer, kit.people)


def check_length(info: ArticleInfo, limit: int) -> None:
    """Reject an article the NLP model cannot read in one go (spaCy's ``max_length``).

    Not read in parts: the rules need the whole article (who "Kask" is, which Monday is
    meant), and their time grows faster than the text (measured: 50,000 characters 1.2 s,
    300,000 characters 85 s), so an article past a million characters would hold a worker
    for hours. Such a file is a corpus in one file, not an article.
    """
    if len(info.text) > limit:
        raise ArticleError(
            f"too long for the NLP model: {len(info.text):,} characters, and it reads at most "
            f"{limit:,} at once",
            hint="split the file into its articles (a .jsonl file holds one article per line)",
        )


def to_validated_graph(ann: Annotations, kit: Toolkit, mapped: Mapped | None = None) -> Graph:
    """The article's graph, materialised and validated (``mapped``: already mapped)."""
    graph = (mapped or map_annotations(ann, kit.settings.base_iri)).graph
    if kit.settings.reason:
        graph = materialise(graph, kit.rules)
    if kit.settings.validate:
        # A materialised graph already carries the class hierarchy the shapes' sh:class checks
        # need; handing pySHACL the ontology too would copy it into every article (1.7x slower).
        validate(graph, kit.shapes, None if kit.settings.reason else kit.ontology)
    return graph


def process_article(article: SourcedArticle, kit: Toolkit, doc: Doc | None = None) -> ArticleResult:
    """One article through every stage; a failure is reported, never raised.

    That includes failures nobody foresaw (a rule's bug, a library's error): the article is
    rejected with the exception named, and the other articles are built as usual.
    """
    digest = text_digest(article.info, str(kit.settings.reference_date))
    result = ArticleResult(article.info.id, article.source, digest=digest)
    stage = "extraction"
    try:
        result.annotations = annotate(article, kit, doc)
        stage = "RDF mapping, reasoning or validation"
        mapped = map_annotations(result.annotations, kit.settings.base_iri)
        result.facts = summarise(result.annotations, mapped.graph, mapped.omitted)
        result.graph = to_validated_graph(result.annotations, kit, mapped)
    except ValidationFailed as exc:
        result.error = f"SHACL violation: {exc.message}\n{exc.report}"
    except DiplographError as exc:
        result.error = str(exc)
    except Exception as exc:  # a bug must cost this article only, and say so
        result.annotations = result.graph = None
        result.error = (
            f"unexpected error in {stage}: {type(exc).__name__}: {exc}"
            "\n  hint: a bug in Diplograph or a library; `diplograph --debug explain FILE` "
            "shows where extraction fails"
        )
    return result


NLP_BATCH = 16
"""Articles spaCy parses together. Measured on 64 synthetic ~400-word articles (CPU time, every
component the rules read: tagger, parser, lemmas, entities): 79 ms an article one at a time,
81 in batches of 4, 67 in batches of 16, 78 in batches of 64."""


def process_batch(articles: Sequence[SourcedArticle], kit: Toolkit) -> list[ArticleResult]:
    """``process_article`` for each, with the texts to extract parsed by ``nlp.pipe``."""
    if kit.extractor is None:
        return [process_article(a, kit) for a in articles]
    nlp = kit.extractor.nlp
    # The strings spaCy meets in a text stay in its vocabulary for good unless they are made
    # in a memory zone; nothing spaCy makes here outlives the batch (results are plain data).
    with nlp.memory_zone():
        # curated articles need no parse; too long ones are rejected by process_article
        todo = [
            (i, a)
            for i, a in enumerate(articles)
            if not is_curated(a) and len(a.info.text) <= nlp.max_length
        ]
        try:
            parsed = nlp.pipe((a.info.text for _, a in todo), batch_size=NLP_BATCH)
            docs = {i: doc for (i, _), doc in zip(todo, parsed, strict=True)}
        except Exception:
            # spaCy failed on one text of the batch: each is parsed alone, so only that
            # article fails (and says why), not its batch
            docs = {}
        return [process_article(a, kit, docs.get(i)) for i, a in enumerate(articles)]


def batches(articles: Iterable[SourcedArticle], size: int) -> Iterator[list[SourcedArticle]]:
    it = iter(articles)
    while batch := list(islice(it, size)):
        yield batch

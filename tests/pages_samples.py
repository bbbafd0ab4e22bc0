"""Two small hand-made articles for the page tests (invented people, real countries).

One person is in both articles, so their page has meetings from two sources in date order;
one article id needs percent-encoding in its IRI. Offsets are computed from the text.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from graphbuild.annotations import (
    Annotations,
    ArticleInfo,
    Entity,
    Event,
    Evidence,
    Provenance,
    Quotation,
    Role,
)
from graphbuild.rdf.mapping import to_rdf
from graphbuild.rdf.validate import load_ontology
from graphbuild.store.embedded import GraphStore
from graphbuild.store.records import ArticleRecord

GENEVA_ID = "talks-geneva"
SANTIAGO_ID = "talks santiago (draft)"
"""An id with a space and parentheses: its IRIs carry percent-escapes."""

GENEVA_TEXT = (
    "GENEVA - Estonian Foreign Minister Mara Testova met Chilean Foreign Minister "
    "Tomas Ejemplo in Geneva on Tuesday.\n\n"
    '"Dialogue is the only road to security," Testova said after the meeting.\n\n'
    "The two ministers will meet again in Santiago on 3 June."
)
SANTIAGO_TEXT = (
    "Chilean Foreign Minister Tomas Ejemplo received Kenyan envoy Wanjiru Mfano in "
    "Santiago on Friday. They spoke about fisheries."
)
QUOTE = "Dialogue is the only road to security,"
SANDBOX_QID = "Q4115189"
"""Wikidata's sandbox item: a real QID that no test mistakes for a fact."""


def span(text: str, needle: str) -> Evidence:
    start = text.index(needle)
    return Evidence(start=start, end=start + len(needle), exact=needle)


def geneva() -> Annotations:
    t = GENEVA_TEXT
    return Annotations(
        article=ArticleInfo(
            id=GENEVA_ID,
            text=t,
            title="Testova and Ejemplo meet in Geneva",
            url="https://news.example.org/geneva",
            published=dt.date(2024, 5, 8),
        ),
        extractor="test.pages.v0",
        reference_date=dt.date(2024, 5, 8),
        entities=[
            Entity(
                id="p1", type="Person", label="Mara Testova", aliases=["Testova"], qid=SANDBOX_QID
            ),
            Entity(id="p2", type="Person", label="Tomas Ejemplo"),
            Entity(id="c1", type="Country", label="Estonia", qid="Q191"),
            Entity(id="c2", type="Country", label="Chile", qid="Q298"),
            Entity(id="l1", type="Place", label="Geneva", qid="Q71"),
            Entity(id="l2", type="Place", label="Santiago", qid="Q2887"),
        ],
        roles=[
            Role(
                holder="p1",
                party="c1",
                title="Foreign Minister",
                evidence=[span(t, "Estonian Foreign Minister Mara Testova")],
                provenance=Provenance(rule="role.demonym", confidence=0.9),
            ),
            Role(
                holder="p2",
                party="c2",
                title="Foreign Minister",
                evidence=[span(t, "Chilean Foreign Minister Tomas Ejemplo")],
                provenance=Provenance(rule="role.demonym", confidence=0.9),
            ),
        ],
        events=[
            Event(
                id="m1",
                kind="Meeting",
                date=dt.date(2024, 5, 7),
                participants=["p1", "p2"],
                place="l1",
                evidence=[span(t, "Mara Testova met Chilean Foreign Minister Tomas Ejemplo")],
                provenance=Provenance(rule="meeting.verb", confidence=0.8),
            ),
            Event(
                id="s1",
                kind="ScheduledMeeting",
                date=dt.date(2024, 6, 3),
                participants=["p1", "p2"],
                place="l2",
                evidence=[span(t, "The two ministers will meet again in Santiago on 3 June.")],
                provenance=Provenance(rule="meeting.future", confidence=0.7),
            ),
        ],
        quotations=[
            Quotation(
                speaker="p1",
                text=QUOTE,
                context="m1",
                evidence=[span(t, QUOTE)],
                provenance=Provenance(rule="quote.said", confidence=0.95),
            )
        ],
    )


def santiago() -> Annotations:
    t = SANTIAGO_TEXT
    return Annotations(
        article=ArticleInfo(id=SANTIAGO_ID, text=t, published=dt.date(2024, 1, 13)),
        extractor="test.pages.v0",
        reference_date=dt.date(2024, 1, 13),
        entities=[
            Entity(id="p2", type="Person", label="Tomas Ejemplo"),
            Entity(id="p3", type="Person", label="Wanjiru Mfano"),
            Entity(id="c2", type="Country", label="Chile", qid="Q298"),
            Entity(id="c3", type="Country", label="Kenya", qid="Q114"),
            Entity(id="l2", type="Place", label="Santiago", qid="Q2887"),
        ],
        roles=[
            Role(
                holder="p3",
                party="c3",
                title="envoy",
                evidence=[span(t, "Kenyan envoy Wanjiru Mfano")],
            ),
        ],
        events=[
            Event(
                id="m2",
                kind="Meeting",
                date=dt.date(2024, 1, 12),
                participants=["p2", "p3"],
                place="l2",
                evidence=[span(t, "Tomas Ejemplo received Kenyan envoy Wanjiru Mfano")],
                provenance=Provenance(rule="meeting.received", confidence=0.8),
            ),
        ],
    )


def build_store(path: Path) -> None:
    """Write both articles and the ontology into a new on-disk store at ``path``."""
    with GraphStore.open(path) as store:
        store.load_ontology(load_ontology())
        for ann in (geneva(), santiago()):
            aid = ann.article.id
            store.replace_article(aid, to_rdf(ann), ArticleRecord(aid, f"digest-{aid}", "test"))

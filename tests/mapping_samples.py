"""Hand-built ``Annotations`` for the mapper, reasoner and shape tests (no NLP involved).

People are invented; countries are real names. Offsets are computed from the text, so the
evidence always matches it.
"""

from __future__ import annotations

import datetime as dt

from graphbuild.annotations import (
    Anniversary,
    Annotations,
    ArticleInfo,
    Entity,
    Event,
    Evidence,
    Provenance,
    Quotation,
    Role,
)

TEXT = (
    "LISBON - Norwegian Foreign Minister Ana Example met Portuguese Prime Minister "
    "Ben Sample and UN envoy Carla Demo in Lisbon on Monday, a year after the Lisbon "
    "Accord was signed on 2 March 2023.\n\n"
    '"We are on a long road, but it leads somewhere," Example said after the talks.\n\n'
    "Example and Sample will meet again in Oslo on 10 April."
)


def span(text: str, needle: str) -> Evidence:
    """Evidence for the first occurrence of ``needle`` in ``text``."""
    start = text.index(needle)
    return Evidence(start=start, end=start + len(needle), exact=needle)


def sample_annotations(
    article_id: str = "sample-1",
    text: str = TEXT,
    meeting_date: dt.date | None = dt.date(2024, 3, 4),
    curated: bool = False,
) -> Annotations:
    """One article with every kind of fact the mapper emits."""
    meeting_sentence = text.split("\n\n")[0]
    quote = "We are on a long road, but it leads somewhere,"
    return Annotations(
        article=ArticleInfo(
            id=article_id,
            text=text,
            title="Example meets Sample in Lisbon",
            url="https://news.example.org/2024/03/lisbon",
            published=dt.date(2024, 3, 5),
            source="wire service",
        ),
        extractor="test.extractor.v0",
        curated=curated,
        reference_date=dt.date(2024, 3, 5),
        entities=[
            Entity(id="e1", type="Person", label="Ana Example", aliases=["Example"]),
            Entity(id="e2", type="Person", label="Ben Sample", aliases=["Sample"]),
            Entity(id="e3", type="Person", label="Carla Demo"),
            Entity(id="e4", type="Country", label="Norway", qid="Q20", link_source="gazetteer"),
            Entity(id="e5", type="Country", label="Portugal", qid="Q45", link_source="gazetteer"),
            Entity(id="e6", type="Organization", label="United Nations", qid="Q1065"),
            Entity(id="e7", type="Place", label="Lisbon", qid="Q597"),
            Entity(id="e8", type="Place", label="Oslo", qid="Q585"),
            Entity(id="e9", type="Agreement", label="Lisbon Accord"),
        ],
        roles=[
            Role(
                holder="e1",
                party="e4",
                title="Foreign Minister",
                evidence=[span(text, "Norwegian Foreign Minister Ana Example")],
                provenance=Provenance(rule="role.demonym", confidence=0.9),
            ),
            Role(
                holder="e2",
                party="e5",
                title="Prime Minister",
                evidence=[span(text, "Portuguese Prime Minister Ben Sample")],
                provenance=Provenance(rule="role.demonym", confidence=0.9),
            ),
            Role(
                holder="e3",
                party="e6",
                title="envoy",
                evidence=[span(text, "UN envoy Carla Demo")],
                provenance=Provenance(rule="role.org"),
            ),
        ],
        events=[
            Event(
                id="m1",
                kind="Meeting",
                date=meeting_date,
                participants=["e1", "e2", "e3"],
                place="e7",
                evidence=[span(text, meeting_sentence)],
                provenance=Provenance(rule="meeting.verb", confidence=0.8),
            ),
            Event(
                id="s1",
                kind="ScheduledMeeting",
                date=dt.date(2024, 4, 10),
                participants=["e1", "e2"],
                place="e8",
                evidence=[span(text, "Example and Sample will meet again in Oslo on 10 April.")],
                provenance=Provenance(rule="meeting.future", confidence=0.7),
            ),
            Event(
                id="g1",
                kind="Signing",
                date=dt.date(2023, 3, 2),
                agreement="e9",
                signatories=["e4", "e5"],
                evidence=[span(text, "the Lisbon Accord was signed on 2 March 2023")],
                provenance=Provenance(rule="signing.passive", confidence=0.75),
            ),
        ],
        anniversaries=[
            Anniversary(
                event="m1",
                of="g1",
                number=1,
                evidence=[span(text, "a year after the Lisbon Accord was signed")],
                provenance=Provenance(rule="anniversary.year-after", confidence=0.6),
            )
        ],
        quotations=[
            Quotation(
                speaker="e1",
                text=quote,
                context="m1",
                evidence=[span(text, quote)],
                provenance=Provenance(rule="quote.said", confidence=0.95),
            )
        ],
    )

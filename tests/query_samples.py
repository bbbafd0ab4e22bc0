"""Two small articles with held, scheduled and undated meetings, as Annotations (no NLP).

Written for the example queries of ``data/queries/``: each query's comment says what it
answers, and these articles have every case that could make one answer wrong:

- ``baku``: Lavrov and Aliyev met on 27 February 2023 in Baku (the first anniversary of a
  declaration signed on 22 February 2022); Lavrov *will* meet Bayramov on 28 February (a
  scheduled meeting, never held in these articles); Exemple *will* meet Bayramov on 10 March.
- ``paris``: Exemple and Bayramov met in Paris on 10 March 2023 (the announced meeting took
  place); Exemple and Lavrov "have met", on a day the article does not give.
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
    Quotation,
    Role,
)

LAVROV_QID = "Q900001"
"""An invented Wikidata id for the federated query's stand-in endpoint."""

BAKU = (
    "BAKU - Russian Foreign Minister Sergey Lavrov met Azerbaijani President Ilham Aliyev in "
    "Baku on Monday (27 February), a year after the Declaration on Allied Cooperation was "
    "signed on 22 February 2022.\n\n"
    '"Regional security remains a very relevant topic," Lavrov said.\n\n'
    "Lavrov will meet Azerbaijani Foreign Minister Jeyhun Bayramov on Tuesday.\n\n"
    "French envoy Marie Exemple will meet Bayramov on 10 March.\n"
)
PARIS = (
    "PARIS - French envoy Marie Exemple met Bayramov in Paris on 10 March. "
    "Exemple and Lavrov have met before.\n"
)


def span(text: str, needle: str) -> Evidence:
    start = text.index(needle)
    return Evidence(start=start, end=start + len(needle), exact=needle)


def _people() -> list[Entity]:
    return [
        Entity(id="lavrov", type="Person", label="Sergey Lavrov", qid=LAVROV_QID),
        Entity(id="aliyev", type="Person", label="Ilham Aliyev"),
        Entity(id="bayramov", type="Person", label="Jeyhun Bayramov"),
        Entity(id="exemple", type="Person", label="Marie Exemple"),
        Entity(id="ru", type="Country", label="Russia", qid="Q159"),
        Entity(id="az", type="Country", label="Azerbaijan", qid="Q227"),
        Entity(id="fr", type="Country", label="France", qid="Q142"),
    ]


def baku() -> Annotations:
    t = BAKU
    met = "Sergey Lavrov met Azerbaijani President Ilham Aliyev in Baku on Monday (27 February)"
    return Annotations(
        article=ArticleInfo(id="baku", text=t, published=dt.date(2023, 2, 27)),
        extractor="test.v0",
        reference_date=dt.date(2023, 2, 27),
        entities=[
            *_people(),
            Entity(id="baku-city", type="Place", label="Baku", qid="Q9248"),
            Entity(id="decl", type="Agreement", label="Declaration on Allied Cooperation"),
        ],
        roles=[
            Role(
                holder="lavrov",
                party="ru",
                title="Foreign Minister",
                evidence=[span(t, "Russian Foreign Minister Sergey Lavrov")],
            ),
            Role(
                holder="aliyev",
                party="az",
                title="President",
                evidence=[span(t, "Azerbaijani President Ilham Aliyev")],
            ),
            Role(
                holder="bayramov",
                party="az",
                title="Foreign Minister",
                evidence=[span(t, "Azerbaijani Foreign Minister Jeyhun Bayramov")],
            ),
            Role(
                holder="exemple",
                party="fr",
                title="envoy",
                evidence=[span(t, "French envoy Marie Exemple")],
            ),
        ],
        events=[
            Event(
                id="m1",
                kind="Meeting",
                date=dt.date(2023, 2, 27),
                participants=["lavrov", "aliyev"],
                place="baku-city",
                evidence=[span(t, met)],
            ),
            Event(
                id="s1",
                kind="ScheduledMeeting",
                date=dt.date(2023, 2, 28),
                participants=["lavrov", "bayramov"],
                evidence=[span(t, "Lavrov will meet Azerbaijani Foreign Minister Jeyhun Bayramov")],
            ),
            Event(
                id="s2",
                kind="ScheduledMeeting",
                date=dt.date(2023, 3, 10),
                participants=["exemple", "bayramov"],
                evidence=[span(t, "Marie Exemple will meet Bayramov on 10 March")],
            ),
            Event(
                id="g1",
                kind="Signing",
                date=dt.date(2022, 2, 22),
                agreement="decl",
                signatories=["ru", "az"],
                evidence=[span(t, "the Declaration on Allied Cooperation was signed")],
            ),
        ],
        anniversaries=[
            Anniversary(event="m1", of="g1", number=1, evidence=[span(t, "a year after")])
        ],
        quotations=[
            Quotation(
                speaker="lavrov",
                text="Regional security remains a very relevant topic,",
                context="m1",
                evidence=[span(t, "Regional security remains a very relevant topic,")],
            )
        ],
    )


def paris() -> Annotations:
    t = PARIS
    return Annotations(
        article=ArticleInfo(id="paris", text=t, published=dt.date(2023, 3, 11)),
        extractor="test.v0",
        reference_date=dt.date(2023, 3, 11),
        entities=[
            *_people(),
            Entity(id="paris-city", type="Place", label="Paris", qid="Q90"),
        ],
        roles=[
            Role(
                holder="exemple",
                party="fr",
                title="envoy",
                evidence=[span(t, "French envoy Marie Exemple")],
            ),
        ],
        events=[
            Event(
                id="h2",
                kind="Meeting",
                date=dt.date(2023, 3, 10),
                participants=["exemple", "bayramov"],
                place="paris-city",
                evidence=[span(t, "Marie Exemple met Bayramov in Paris on 10 March")],
            ),
            Event(
                id="u1",
                kind="Meeting",
                date=None,
                participants=["exemple", "lavrov"],
                evidence=[span(t, "Exemple and Lavrov have met before")],
            ),
        ],
    )


def articles() -> list[Annotations]:
    return [baku(), paris()]

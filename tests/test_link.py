"""Linking: canonical labels, QIDs only with a source, never across types, input untouched."""

from __future__ import annotations

import datetime as dt

import pytest

from graphbuild.annotations import (
    Annotations,
    ArticleInfo,
    Entity,
    EntityType,
    Event,
    Evidence,
    Quotation,
    Role,
)
from graphbuild.link.gazetteer import Gazetteer
from graphbuild.link.gazetteer_files import load_gazetteer
from graphbuild.link.offline import link, match_entity

TEXT = (
    "Foreign Minister Sergei Lavrov of the Russian Federation met Jordan Peters in Amman. "
    "Putin later said Russia valued the talks. A G7 statement followed."
)


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


def span(text: str, occurrence: int = 0) -> Evidence:
    start = -1
    for _ in range(occurrence + 1):
        start = TEXT.index(text, start + 1)
    return Evidence(start=start, end=start + len(text), exact=text)


def make(entities: list[Entity], **extra: object) -> Annotations:
    return Annotations.model_validate(
        {
            "article": ArticleInfo(id="t-1", text=TEXT, published=dt.date(2024, 5, 2)),
            "extractor": "test",
            "entities": entities,
            **extra,
        }
    )


def by_id(ann: Annotations) -> dict[str, Entity]:
    return {e.id: e for e in ann.entities}


def test_variant_country_name_becomes_canonical_and_linked(gaz: Gazetteer) -> None:
    ann = make([Entity(id="c1", type="Country", label="Russian Federation")])
    (country,) = link(ann, gaz).entities
    assert country.label == "Russia"
    assert "Russian Federation" in country.aliases
    assert country.qid == "Q159"
    assert country.link_source is not None and "country-codes" in country.link_source


def test_surname_becomes_full_name_and_keeps_the_text_form(gaz: Gazetteer) -> None:
    ann = make([Entity(id="p1", type="Person", label="Putin", mentions=[span("Putin")])])
    (person,) = link(ann, gaz).entities
    assert (person.label, person.qid) == ("Vladimir Putin", "Q7747")
    assert "Putin" in person.aliases
    assert person.link_source is not None and person.link_source.startswith("verified.tsv")
    assert person.mentions == [span("Putin")]


def test_transliteration_variant_gets_canonical_label_but_no_unsourced_qid(
    gaz: Gazetteer,
) -> None:
    ann = make([Entity(id="p1", type="Person", label="Sergei Lavrov")])
    (person,) = link(ann, gaz).entities
    assert person.label == "Sergey Lavrov"
    assert "Sergei Lavrov" in person.aliases
    assert person.qid is None and person.link_source is None


def test_organisation_without_sourced_qid_stays_unlinked(gaz: Gazetteer) -> None:
    ann = make([Entity(id="o1", type="Organization", label="Group of Seven")])
    (org,) = link(ann, gaz).entities
    assert org.label == "G7"
    assert org.qid is None and org.link_source is None


def test_never_links_across_types(gaz: Gazetteer) -> None:
    ann = make(
        [
            Entity(id="p1", type="Person", label="Jordan"),
            Entity(id="l1", type="Place", label="Russia"),
            Entity(id="o1", type="Organization", label="Moscow"),
            Entity(id="c1", type="Country", label="Putin"),
        ]
    )
    out = link(ann, gaz)
    assert [(e.label, e.qid, e.aliases) for e in out.entities] == [
        ("Jordan", None, []),
        ("Russia", None, []),
        ("Moscow", None, []),
        ("Putin", None, []),
    ]
    assert all(match_entity(e, gaz) is None for e in ann.entities)


def test_every_qid_set_by_linking_has_a_source(gaz: Gazetteer) -> None:
    names: list[tuple[EntityType, str]] = [
        ("Country", "Türkiye"), ("Country", "UK"), ("Organization", "NATO"),
        ("Organization", "BRICS"), ("Place", "Kiev"), ("Place", "Geneva"),
        ("Person", "Putin"), ("Person", "Erdogan"), ("Person", "Nobody Known"),
    ]  # fmt: skip
    ann = make([Entity(id=f"e{i}", type=t, label=label) for i, (t, label) in enumerate(names)])
    out = link(ann, gaz)
    linked = [e for e in out.entities if e.qid is not None]
    assert {e.label for e in linked} == {
        "Turkey",
        "United Kingdom",
        "NATO",
        "Kyiv",
        "Vladimir Putin",
    }
    assert all(e.link_source for e in linked)
    unlinked = {e.label for e in out.entities if e.qid is None}
    assert unlinked == {"BRICS", "Geneva", "Recep Tayyip Erdoğan", "Nobody Known"}


def test_unknown_entities_and_agreements_are_left_alone(gaz: Gazetteer) -> None:
    ann = make(
        [
            Entity(id="a1", type="Agreement", label="Treaty of Amman"),
            Entity(id="p1", type="Person", label="Jordan Peters", mentions=[span("Jordan Peters")]),
        ]
    )
    assert link(ann, gaz).entities == ann.entities


def test_link_is_pure(gaz: Gazetteer) -> None:
    ann = make(
        [
            Entity(id="c1", type="Country", label="Russian Federation"),
            Entity(id="c2", type="Country", label="Russia"),
            Entity(id="p1", type="Person", label="Putin", mentions=[span("Putin")]),
        ],
        roles=[Role(holder="p1", party="c1", title="President")],
    )
    before = ann.model_dump()
    out = link(ann, gaz)
    assert ann.model_dump() == before
    assert out is not ann
    out.entities[0].aliases.append("mutated")
    assert "mutated" not in ann.entities[0].aliases


def test_curated_labels_and_links_are_kept(gaz: Gazetteer) -> None:
    ann = make(
        [
            Entity(id="c1", type="Country", label="Russian Federation"),
            Entity(id="p1", type="Person", label="Putin", qid="Q123", link_source="a researcher"),
        ],
        curated=True,
    )
    country, person = link(ann, gaz).entities
    assert (country.label, country.qid) == ("Russian Federation", "Q159")
    assert (person.label, person.qid, person.link_source) == ("Putin", "Q123", "a researcher")


def test_entities_that_are_one_gazetteer_entry_are_merged(gaz: Gazetteer) -> None:
    ann = make(
        [
            Entity(id="p1", type="Person", label="Sergei Lavrov", mentions=[span("Sergei Lavrov")]),
            Entity(id="g1", type="Country", label="Russian Federation", mentions=[span("Russian")]),
            Entity(id="g2", type="Country", label="Russia", mentions=[span("Russia", 1)]),
            Entity(id="p2", type="Person", label="Jordan Peters", mentions=[span("Jordan Peters")]),
            Entity(id="p3", type="Person", label="Putin", mentions=[span("Putin")]),
            Entity(id="p4", type="Person", label="Lavrov"),
            Entity(id="l1", type="Place", label="Amman", mentions=[span("Amman")]),
        ],
        roles=[
            Role(holder="p1", party="g1", title="Foreign Minister", evidence=[span("Sergei")]),
            Role(holder="p4", party="g2", title="Foreign Minister", evidence=[span("Minister")]),
            Role(holder="p3", party="g2", title="President"),
        ],
        events=[Event(id="ev1", kind="Meeting", participants=["p1", "p2", "p4"], place="l1")],
        quotations=[Quotation(speaker="p4", text="valued the talks")],
    )
    out = link(ann, gaz)
    entities = by_id(out)
    assert sorted(entities) == ["g1", "l1", "p1", "p2", "p3"]
    assert entities["g1"].label == "Russia"
    assert [m.exact for m in entities["g1"].mentions] == ["Russian", "Russia"]
    assert entities["p1"].label == "Sergey Lavrov"
    assert {"Sergei Lavrov", "Lavrov"} <= set(entities["p1"].aliases)
    assert [(r.holder, r.party, r.title) for r in out.roles] == [
        ("p1", "g1", "Foreign Minister"),
        ("p3", "g1", "President"),
    ]
    assert [e.exact for e in out.roles[0].evidence] == ["Minister", "Sergei"]
    assert out.events[0].participants == ["p1", "p2"]
    assert out.quotations[0].speaker == "p1"
    assert entities["l1"].qid is not None  # Amman's capital QID is sourced


def test_linked_annotations_still_validate(gaz: Gazetteer) -> None:
    ann = make(
        [
            Entity(
                id="c1", type="Country", label="the Russian Federation", mentions=[span("Russian")]
            )
        ]
    )
    out = link(ann, gaz)
    assert Annotations.model_validate_json(out.to_json()) == out

"""Roles (who acts for whom) and person names, one phenomenon class per test.

Sentences are written for these tests. Where a party can only come from the sourced
office-holder table, the people are real rows of that table (``data/gazetteer``); everyone
else is invented.
"""

from __future__ import annotations

import datetime as dt

import pytest

from graphbuild.annotations import Annotations, ArticleInfo
from graphbuild.extract import Extractor, load_pipeline
from graphbuild.link.gazetteer_files import load_gazetteer


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(load_pipeline(), load_gazetteer(), today=dt.date(2026, 1, 1))


def run(extractor: Extractor, text: str, published: str | None = "2025-03-12") -> Annotations:
    info = ArticleInfo(
        id="t", text=text, published=dt.date.fromisoformat(published) if published else None
    )
    return extractor.extract(info)


def label(ann: Annotations, entity_id: str | None) -> str | None:
    return ann.entity(entity_id).label if entity_id else None


def roles(ann: Annotations) -> set[tuple[str, str]]:
    return {(label(ann, r.holder), label(ann, r.party)) for r in ann.roles}  # type: ignore[misc]


def persons(ann: Annotations) -> set[str]:
    return {e.label for e in ann.entities if e.type == "Person"}


def rules(ann: Annotations) -> dict[str, str]:
    return {label(ann, r.holder): r.provenance.rule for r in ann.roles}  # type: ignore[misc]


# ---- the office-holder table gives the state of a titled person -----------------------------


def test_title_without_country_takes_the_state_from_the_office_holder_table(
    extractor: Extractor,
) -> None:
    ann = run(extractor, "President Cyril Ramaphosa opened the trade fair in Durban on Monday.")
    assert roles(ann) == {("Cyril Ramaphosa", "South Africa")}
    # the rule names the table row that decided: person, state, start of the term
    assert rules(ann)["Cyril Ramaphosa"].startswith("role.office-holder-table:Q1148669/ZA/")


def test_table_party_needs_a_title_that_fits_the_office(extractor: Extractor) -> None:
    ann = run(extractor, "Ambassador Cyril Ramaphosa arrived in Oslo on Monday.")
    assert roles(ann) == set()
    assert [(d.kind, d.reason) for d in ann.dropped] == [("Role", "no-party")]


def test_past_office_named_by_its_title_still_gives_the_state(extractor: Extractor) -> None:
    ann = run(extractor, "President Barack Obama visited the old port in 2016.")
    assert roles(ann) == {("Barack Obama", "United States")}


def test_without_any_date_the_office_must_fit(extractor: Extractor) -> None:
    ann = run(extractor, "Prime Minister Narendra Modi opened a dam.", published=None)
    assert roles(ann) == {("Narendra Modi", "India")}


def test_unknown_titled_person_is_dropped_with_a_reason(extractor: Extractor) -> None:
    ann = run(extractor, "Deputy Minister Halvard Quist toured the harbour on Monday.")
    assert roles(ann) == set()
    dropped = [d for d in ann.dropped if d.kind == "Role"]
    assert len(dropped) == 1 and dropped[0].reason == "no-party"
    assert "Halvard Quist" in dropped[0].evidence[0].exact

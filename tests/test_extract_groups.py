"""'The two ministers', 'both heads of state': the people of that office the article told of
last, not whoever the sentence before happens to name; none when three fit.

Every sentence is written for these tests and every person is invented.
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


def scheduled(extractor: Extractor, text: str) -> list[set[str]]:
    ann: Annotations = extractor.extract(
        ArticleInfo(id="t", text=text, published=dt.date(2025, 3, 12))
    )
    label = {e.id: e.label for e in ann.entities}
    return [
        {label[p] for p in ev.participants} for ev in ann.events if ev.kind == "ScheduledMeeting"
    ]


def test_the_two_ministers_are_the_ministers_not_the_presidents_named_just_before(
    extractor: Extractor,
) -> None:
    text = (
        "Estonian Foreign Minister Talvo Brennik met Latvian Foreign Minister Aiga Rudzite in "
        "Riga on Tuesday. Estonian President Mart Kask and Latvian President Ilmars Kalnavs "
        "could meet at a summit next month, though neither side confirmed it. Brennik invited "
        "her Latvian colleague to Tallinn, where the two ministers are scheduled to hold talks "
        "on 20 March."
    )
    assert {"Talvo Brennik", "Aiga Rudzite"} in scheduled(extractor, text)
    assert all("Mart Kask" not in found for found in scheduled(extractor, text))


def test_the_two_leaders_stay_unresolved_when_three_leaders_fit(extractor: Extractor) -> None:
    text = (
        "Estonian Prime Minister Mart Kask, who spoke by telephone to Finnish Prime Minister "
        "Liisa Virta, is due to host Latvian Prime Minister Ilmars Kalnavs in Tallinn on "
        "Thursday. The two leaders are expected to sign a transport accord."
    )
    found = scheduled(extractor, text)
    assert {"Mart Kask", "Ilmars Kalnavs"} in found
    assert all("Liisa Virta" not in people for people in found)


def test_a_leader_expected_somewhere_for_talks_is_a_planned_meeting(
    extractor: Extractor,
) -> None:
    text = (
        "The Latvian foreign minister disclosed that President Ilmars Kalnavs was expected in "
        "Tallinn on 20 March for bilateral talks with President Mart Kask."
    )
    assert {"Ilmars Kalnavs", "Mart Kask"} in scheduled(extractor, text)
    denied = (
        "President Ilmars Kalnavs is not expected in Tallinn for talks with President Mart Kask."
    )
    assert scheduled(extractor, denied) == []

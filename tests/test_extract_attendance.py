"""Who else took part, as readouts list them after the meeting: 'attended from the X side by',
'Also taking part in the talks were', 'assisted at the talks by', 'joined the two for lunch',
'took part in the audience', and 'X attended the meeting' several sentences on.

Every sentence is written for these tests and every person is invented.
"""

from __future__ import annotations

import datetime as dt

import pytest

from graphbuild.annotations import Annotations, ArticleInfo
from graphbuild.extract import Extractor

LEAD = (
    "Estonian Foreign Minister Talvo Brennik held talks with Latvian Foreign Minister "
    "Aiga Rudzite in Riga on Tuesday. "
)
PAIR = {"Talvo Brennik", "Aiga Rudzite"}


def participants(extractor: Extractor, text: str) -> list[set[str]]:
    ann: Annotations = extractor.extract(
        ArticleInfo(id="t", text=text, published=dt.date(2025, 3, 12))
    )
    label = {e.id: e.label for e in ann.entities}
    return [{label[p] for p in ev.participants} for ev in ann.events if ev.kind == "Meeting"]


@pytest.mark.parametrize(
    "follow_up",
    [
        "The session was attended from the Estonian side by Deputy Minister Jaan Tamm.",
        "Also taking part in the talks were Deputy Minister Jaan Tamm and others.",
        "Brennik was assisted at the talks by Deputy Minister Jaan Tamm.",
        "Estonian Defence Minister Jaan Tamm joined the two for a working lunch.",
        "Deputy Minister Jaan Tamm also took part in the meeting.",
    ],
)
def test_a_follow_up_sentence_adds_an_attendee(extractor: Extractor, follow_up: str) -> None:
    assert PAIR | {"Jaan Tamm"} in participants(extractor, LEAD + follow_up)


def test_an_attendee_named_several_sentences_on(extractor: Extractor) -> None:
    text = (
        LEAD
        + "They discussed trade. They discussed energy. They discussed the border. "
        + "Deputy Minister Jaan Tamm, a former ambassador, attended the meeting."
    )
    assert PAIR | {"Jaan Tamm"} in participants(extractor, text)


def test_a_person_who_only_joins_a_call_is_no_attendee(extractor: Extractor) -> None:
    text = LEAD + "Separately, Deputy Minister Jaan Tamm joined a phone call with Helsinki."
    assert PAIR in participants(extractor, text)
    assert all("Jaan Tamm" not in found for found in participants(extractor, text))


def test_the_owner_of_a_meeting_that_took_place_takes_part(extractor: Extractor) -> None:
    text = (
        "Estonian Foreign Minister Talvo Brennik's first encounter with Latvian President "
        "Ilmars Kalnavs took place in Riga on 15 November 2024."
    )
    assert {"Talvo Brennik", "Ilmars Kalnavs"} in participants(extractor, text)


def test_a_title_and_the_visiting_minister_held_talks(extractor: Extractor) -> None:
    """The guest is the one the host received, not an attendee a later sentence added."""
    text = (
        "Latvian President Ilmars Kalnavs received Estonian Foreign Minister Talvo Brennik in "
        "Riga on Monday. The meeting was attended by the Prime Minister and Minister of Foreign "
        "Affairs Aiga Rudzite. In the afternoon, the Prime Minister and the visiting minister "
        "held talks at the ministry."
    )
    assert {"Aiga Rudzite", "Talvo Brennik"} in participants(extractor, text)


def test_a_participle_lists_attendees_by_by(extractor: Extractor) -> None:
    text = (
        "Estonian Foreign Minister Talvo Brennik held talks with Latvian Foreign Minister Aiga "
        "Rudzite in Riga on Monday, attended by Deputy Minister Jaan Tamm and by the Latvian "
        "Ambassador to Estonia, Dr. Ilze Kalna."
    )
    assert PAIR | {"Jaan Tamm", "Ilze Kalna"} in participants(extractor, text)


def test_an_attendee_told_after_quoted_reactions_joins_the_talks(extractor: Extractor) -> None:
    text = (
        "Foreign Minister Liisa Virta held talks with Foreign Minister Ilmars Kalnavs in Riga "
        "on Monday.\n\n"
        '"We agreed on the grid," Virta said. "It is a good day."\n\n'
        '"Our border is open," Kalnavs said. "It will stay open. We are friends."\n\n'
        '"We are not asking for gifts," he added. "We ask for partnership."\n\n'
        '"Trade will double," Virta said. "Ports are ready."\n\n'
        '"Rail will follow," Kalnavs said. "Tracks are laid. Trains are ordered."\n\n'
        "Estonian Ambassador to Latvia Mart Kask also attended the talks."
    )
    assert participants(extractor, text) == [{"Liisa Virta", "Ilmars Kalnavs", "Mart Kask"}]


def test_a_member_of_a_delegation_at_the_talks_took_part(extractor: Extractor) -> None:
    text = (
        "Prime Minister Liisa Virta held talks with President Ilmars Kalnavs in Tallinn on "
        "Monday. Mart Kask, Minister of Foreign Affairs and Trade, was part of the Latvian "
        "delegation at the talks."
    )
    assert participants(extractor, text) == [{"Liisa Virta", "Ilmars Kalnavs", "Mart Kask"}]

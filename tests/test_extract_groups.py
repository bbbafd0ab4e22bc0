"""'The two ministers', 'both heads of state': the people of that office the article told of
last, not whoever the sentence before happens to name; none when three fit.

Every sentence is written for these tests and every person is invented.
"""

from __future__ import annotations

import datetime as dt

import pytest

from graphbuild.annotations import Annotations, ArticleInfo
from graphbuild.extract import Extractor, load_pipeline
from graphbuild.extract.document import ParsedArticle


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


def held(extractor: Extractor, text: str) -> list[tuple[set[str], dt.date | None]]:
    ann: Annotations = extractor.extract(
        ArticleInfo(id="t", text=text, published=dt.date(2025, 3, 12))
    )
    label = {e.id: e.label for e in ann.entities}
    return [
        ({label[p] for p in ev.participants}, ev.date) for ev in ann.events if ev.kind == "Meeting"
    ]


def test_a_plural_office_takes_only_the_holders_of_the_meeting_just_told(
    extractor: Extractor,
) -> None:
    text = (
        "Secretary of State Tomas Rivera and Secretary of Trade Lucia Quispe met President "
        "Mart Kask in Tallinn on Monday. Later that day, the Secretaries joined Foreign "
        "Minister Liisa Virta for the annual strategic dialogue."
    )
    found = held(extractor, text)
    assert ({"Tomas Rivera", "Lucia Quispe", "Liisa Virta"}, dt.date(2025, 3, 10)) in found
    assert all(not ("Liisa Virta" in people and "Mart Kask" in people) for people, _ in found)


def test_joining_someone_for_talks_is_a_meeting_and_joining_a_cause_is_none(
    extractor: Extractor,
) -> None:
    text = (
        "On Monday, Foreign Minister Tomas Rivera joined Trade Minister Lucia Quispe for talks "
        "on fisheries in Lima."
    )
    assert held(extractor, text) == [({"Tomas Rivera", "Lucia Quispe"}, dt.date(2025, 3, 10))]
    assert held(extractor, "On Monday, Peru joined Chile in a call for calm.") == []


def test_a_dated_summit_looked_back_on_was_held(extractor: Extractor) -> None:
    text = (
        "The minister praised the 14 January summit between President Mart Kask and "
        "President Ilmars Kalnavs."
    )
    assert held(extractor, text) == [({"Mart Kask", "Ilmars Kalnavs"}, dt.date(2025, 1, 14))]
    undated = (
        "The minister praised the summit between President Mart Kask and President Ilmars Kalnavs."
    )
    assert held(extractor, undated) == []


def test_the_people_a_gathering_brought_together_took_part_in_it(extractor: Extractor) -> None:
    alone = (
        "The talks in Riga on Monday brought together Foreign Minister Liisa Virta and "
        "Foreign Minister Mart Kask."
    )
    assert held(extractor, alone) == [({"Liisa Virta", "Mart Kask"}, dt.date(2025, 3, 10))]
    hosted = (
        "Foreign Minister Ilmars Kalnavs hosted a meeting in Riga on Monday. The talks "
        "brought together Foreign Minister Liisa Virta and Foreign Minister Mart Kask."
    )
    assert held(extractor, hosted) == [
        ({"Ilmars Kalnavs", "Liisa Virta", "Mart Kask"}, dt.date(2025, 3, 10))
    ]
    told = (
        "Foreign Minister Ilmars Kalnavs met Foreign Minister Liisa Virta in Riga on Monday. "
        "The talks at the castle brought together Trade Minister Mart Kask and Trade "
        "Minister Anna Berzina."
    )
    assert held(extractor, told) == [
        ({"Ilmars Kalnavs", "Liisa Virta", "Mart Kask", "Anna Berzina"}, dt.date(2025, 3, 10))
    ]


def test_a_meeting_hosted_by_someone_has_its_host_as_the_other_side(
    extractor: Extractor,
) -> None:
    text = (
        "Foreign Minister Liisa Virta flew to Riga on Monday for a meeting hosted by Foreign "
        "Minister Ilmars Kalnavs."
    )
    assert held(extractor, text) == [({"Liisa Virta", "Ilmars Kalnavs"}, dt.date(2025, 3, 10))]


def test_with_hung_on_the_place_of_the_talks_still_names_the_other_side(
    extractor: Extractor,
) -> None:
    text = (
        "On Monday, Foreign Minister Liisa Virta and Trade Minister Mart Kask subsequently "
        "held a trilateral meeting at the Foreign Ministry with Peru's Minister of Foreign "
        "Affairs and Trade, Lucia Quispe, on the situation in the region."
    )
    assert held(extractor, text) == [
        ({"Liisa Virta", "Mart Kask", "Lucia Quispe"}, dt.date(2025, 3, 10))
    ]


def test_ending_days_of_talks_together_is_a_meeting(extractor: Extractor) -> None:
    text = (
        "Foreign Minister Liisa Virta and her Latvian counterpart Ilmars Kalnavs ended two "
        "days of talks in Riga on Monday with a tête-à-tête meeting."
    )
    assert held(extractor, text) == [({"Liisa Virta", "Ilmars Kalnavs"}, dt.date(2025, 3, 10))]
    assert held(extractor, "Foreign Minister Liisa Virta began a visit to Riga on Monday.") == []


def test_an_object_told_after_the_place_of_an_audience_is_the_guest(
    extractor: Extractor,
) -> None:
    text = (
        "The President of the Republic of Estonia, Mart Kask, received in audience this "
        "Monday, at the Kadriorg Palace in Tallinn, the Chairperson of the African Union "
        "Commission, Amina Diallo, who is on her first visit to Estonia."
    )
    assert held(extractor, text) == [({"Mart Kask", "Amina Diallo"}, dt.date(2025, 3, 10))]


def test_a_body_of_two_words_names_the_party_of_a_description(extractor: Extractor) -> None:
    text = (
        "President Mart Kask, Chairperson of the African Union, received the Chairperson of "
        "the African Union Commission, Amina Diallo, on Monday.\n\n"
        "The AU Commission Chairperson is due to travel to Riga on Friday, where she will be "
        "received by President Ilmars Kalnavs."
    )
    assert {"Amina Diallo", "Ilmars Kalnavs"} in scheduled(extractor, text)


@pytest.mark.parametrize(
    "head", ["the head of the Estonian diplomatic service", "the head of Estonian diplomacy"]
)
def test_the_head_of_a_states_diplomacy_is_its_foreign_minister(
    extractor: Extractor, head: str
) -> None:
    text = (
        "Estonian Foreign Minister Liisa Virta held talks with Latvian Foreign Minister "
        f"Ilmars Kalnavs in Riga on Monday. Later in the day, {head} was received by "
        "President Jan Ozols."
    )
    assert ({"Liisa Virta", "Jan Ozols"}, dt.date(2025, 3, 10)) in held(extractor, text)


def test_the_host_of_a_signing_ceremony_took_part_in_it(extractor: Extractor) -> None:
    text = (
        "The foreign ministers of Estonia and Latvia signed a border treaty in Vilnius on "
        "Monday at a ceremony hosted by Lithuanian Foreign Minister Anna Berzina. Estonian "
        "Foreign Minister Liisa Virta and Latvian Foreign Minister Ilmars Kalnavs then spoke "
        "to reporters."
    )
    assert held(extractor, text) == [
        ({"Liisa Virta", "Ilmars Kalnavs", "Anna Berzina"}, dt.date(2025, 3, 10))
    ]


def test_ministers_joining_the_two_leaders_for_talks_meet_both(extractor: Extractor) -> None:
    text = (
        "President Mart Kask received Ilmars Kalnavs, General Secretary of the Latvian "
        "Workers' Party, at the palace on Monday. Foreign Minister Liisa Virta and Foreign "
        "Minister Anna Berzina joined the two leaders for the expanded round of talks."
    )
    everyone = {"Mart Kask", "Ilmars Kalnavs", "Liisa Virta", "Anna Berzina"}
    assert (everyone, dt.date(2025, 3, 10)) in held(extractor, text)


def test_the_month_of_a_thing_discussed_does_not_undate_a_plan(extractor: Extractor) -> None:
    text = (
        "Foreign Minister Liisa Virta is due to travel on to Riga on Friday, where she will "
        "meet Prime Minister Ilmars Kalnavs on the recovery from January's floods."
    )
    ann = extractor.extract(ArticleInfo(id="t", text=text, published=dt.date(2025, 3, 12)))
    label = {e.id: e.label for e in ann.entities}
    got = [
        ({label[p] for p in ev.participants}, ev.date)
        for ev in ann.events
        if ev.kind == "ScheduledMeeting"
    ]
    assert got == [({"Liisa Virta", "Ilmars Kalnavs"}, dt.date(2025, 3, 14))]


def test_the_visiting_minister_is_the_one_from_abroad_after_a_tete_a_tete(
    extractor: Extractor,
) -> None:
    text = (
        "RIGA, 11 March 2025 - Latvian Foreign Minister Ilmars Kalnavs and his Estonian "
        "counterpart Liisa Virta held a tête-à-tête in Riga on Monday.\n\n"
        '"We agreed on the grid," Virta said.\n\n'
        '"Our border is open," Kalnavs said. "It will stay open."\n\n'
        '"We are not asking for gifts," the Latvian minister added.\n\n'
        "The visiting minister was later received by Prime Minister Anna Berzina."
    )
    got = held(extractor, text)
    monday = dt.date(2025, 3, 10)
    assert ({"Ilmars Kalnavs", "Liisa Virta"}, monday) in got
    assert ({"Liisa Virta", "Anna Berzina"}, monday) in got


def test_a_session_of_talks_with_someone_names_them(extractor: Extractor) -> None:
    text = (
        "Foreign Minister Ilmars Kalnavs of Latvia arrived on Sunday. On Monday, Foreign "
        "Minister Liisa Virta held a session of official talks with her Latvian counterpart "
        "at the ministry in Tallinn."
    )
    assert held(extractor, text) == [({"Liisa Virta", "Ilmars Kalnavs"}, dt.date(2025, 3, 10))]


def test_an_agency_dateline_with_a_triple_dash_stands_apart() -> None:
    nlp = load_pipeline()
    text = "Oslo, Jan 13 (NTB) --- His Majesty King Harald received the visiting minister."
    parsed = ParsedArticle.from_doc(text, nlp(text))
    assert any(s.text.startswith("His Majesty") for s in parsed.sentences)


def test_the_three_ministers_are_the_ministers_of_the_meeting_not_an_official(
    extractor: Extractor,
) -> None:
    text = (
        "On Monday, Foreign Minister Liisa Virta hosted Foreign Minister Ilmars Kalnavs and "
        "Foreign Minister Anna Berzina in Tallinn. The Secretary-General of the Baltic "
        "Council, Jan Ozols, also took part in the meeting.\n\n"
        "During the meeting, the ministers held a video conference with Foreign Minister "
        "Tomas Rivera of Chile.\n\n"
        "Later the same day, the three ministers were received by President Mart Kask."
    )
    ministers = {"Liisa Virta", "Ilmars Kalnavs", "Anna Berzina"}
    assert (ministers | {"Mart Kask"}, dt.date(2025, 3, 10)) in held(extractor, text)


def test_the_two_prime_ministers_joined_for_discussions_after_years_of_closure(
    extractor: Extractor,
) -> None:
    text = (
        "Estonian Prime Minister Liisa Virta and Latvian Prime Minister Ilmars Kalnavs held "
        "talks in Riga on Monday.\n\n"
        "Virta, who arrived on Sunday with Foreign Minister Anna Berzina, was welcomed before "
        "the talks. Berzina joined the two prime ministers at the table for discussions on "
        "the recovery of tourism after more than two years of closed borders."
    )
    everyone = {"Liisa Virta", "Ilmars Kalnavs", "Anna Berzina"}
    assert (everyone, dt.date(2025, 3, 10)) in held(extractor, text)

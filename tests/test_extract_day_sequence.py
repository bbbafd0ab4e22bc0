"""A visit's day as readouts tell it: a 'session of talks', a reception 'at the end of the day'
that is a meeting of its own, and an anniversary whose earlier event is dated a sentence on.

Every sentence is written for these tests and every person is invented.
"""

from __future__ import annotations

import datetime as dt

import pytest

from graphbuild.annotations import Annotations, ArticleInfo
from graphbuild.extract import Extractor, load_pipeline
from graphbuild.extract.document import ParsedArticle


def run(extractor: Extractor, text: str, published: dt.date | None) -> Annotations:
    return extractor.extract(ArticleInfo(id="t", text=text, published=published))


def meetings(ann: Annotations) -> set[tuple[frozenset[str], dt.date | None]]:
    label = {e.id: e.label for e in ann.entities}
    return {
        (frozenset(label[p] for p in ev.participants), ev.date)
        for ev in ann.events
        if ev.kind == "Meeting"
    }


def test_a_reception_at_the_end_of_the_day_is_a_meeting_of_its_own(
    extractor: Extractor,
) -> None:
    text = (
        "Estonian Foreign Minister Talvo Brennik held talks on Tuesday in Riga with his "
        "Latvian counterpart, Aiga Rudzite. At the end of the day, Latvian President Ilmars "
        "Kalnavs received the Estonian minister in the presence of Ms Rudzite."
    )
    day = dt.date(2024, 7, 9)
    found = meetings(run(extractor, text, dt.date(2024, 7, 10)))
    assert (frozenset({"Talvo Brennik", "Aiga Rudzite"}), day) in found
    assert (frozenset({"Ilmars Kalnavs", "Talvo Brennik", "Aiga Rudzite"}), day) in found


def test_a_session_of_talks_is_a_meeting(extractor: Extractor) -> None:
    text = (
        "Estonian Foreign Minister Talvo Brennik held a session of official talks with "
        "Latvian Foreign Minister Aiga Rudzite in Riga on Tuesday."
    )
    found = meetings(run(extractor, text, dt.date(2024, 7, 10)))
    assert (frozenset({"Talvo Brennik", "Aiga Rudzite"}), dt.date(2024, 7, 9)) in found


def test_an_anniversary_dated_a_sentence_later_sets_the_year_of_an_undated_article(
    extractor: Extractor,
) -> None:
    text = (
        "On 12 June, on the occasion of the 20th anniversary of the Treaty on Good "
        "Neighbourliness between Estonia and Latvia, Estonian Foreign Minister Talvo Brennik "
        "met Latvian Foreign Minister Aiga Rudzite in Tallinn. The treaty was signed in Riga "
        "on 12 June 2004 and entered into force on 1 March 2005."
    )
    ann = run(extractor, text, None)
    assert ann.reference_date == dt.date(2024, 6, 12)
    assert (frozenset({"Talvo Brennik", "Aiga Rudzite"}), dt.date(2024, 6, 12)) in meetings(ann)
    assert [a.number for a in ann.anniversaries] == [20]


def test_a_meeting_told_in_an_as_clause_takes_the_day_of_its_sentence(
    extractor: Extractor,
) -> None:
    text = (
        "Estonia and Latvia agreed on Monday to finish the border talks, as Estonian Foreign "
        "Minister Talvo Brennik sat down in Riga with his Latvian counterpart Aiga Rudzite."
    )
    found = meetings(run(extractor, text, dt.date(2025, 3, 11)))
    assert (frozenset({"Talvo Brennik", "Aiga Rudzite"}), dt.date(2025, 3, 10)) in found


def test_the_day_of_a_visit_dates_the_meeting_told_after_it(extractor: Extractor) -> None:
    visit = (
        "Estonia and Latvia pledged on Monday to build a new rail link, as Estonian Foreign "
        "Minister Talvo Brennik paid her first official visit to Riga. Brennik was hosted at "
        "the foreign ministry by her Latvian counterpart, Aiga Rudzite."
    )
    pair = frozenset({"Talvo Brennik", "Aiga Rudzite"})
    assert (pair, dt.date(2025, 3, 10)) in meetings(run(extractor, visit, dt.date(2025, 3, 11)))
    report = (
        "The visit by Estonian Foreign Minister Talvo Brennik ended a long freeze, officials "
        "said on Monday. Brennik was hosted by her Latvian counterpart Aiga Rudzite."
    )
    # the day of a report is not the day of the visit it reports
    assert (pair, dt.date(2025, 3, 10)) not in meetings(
        run(extractor, report, dt.date(2025, 3, 11))
    )


def test_a_dateline_without_a_year_is_the_day_of_writing(extractor: Extractor) -> None:
    text = (
        "RIGA, March 12 - Latvian President Ilmars Kalnavs today received Estonian Foreign "
        "Minister Talvo Brennik. Her visit follows the commission held in Tallinn on "
        "Tuesday, 11 March."
    )
    ann = run(extractor, text, None)
    assert ann.reference_date == dt.date(2025, 3, 12)
    assert (frozenset({"Ilmars Kalnavs", "Talvo Brennik"}), dt.date(2025, 3, 12)) in meetings(ann)


def test_celebrations_on_the_day_mark_an_anniversary(extractor: Extractor) -> None:
    text = (
        "Receptions in Tallinn and Riga marked 30 years since the Treaty on Good "
        "Neighbourliness between Estonia and Latvia was signed in Riga on 8 March 1995."
    )
    ann = run(extractor, text, dt.date(2025, 3, 10))
    by_id = {ev.id: ev for ev in ann.events}
    assert [(a.number, by_id[a.event].date) for a in ann.anniversaries] == [
        (30, dt.date(2025, 3, 8))
    ]
    history = run(extractor, text, dt.date(2025, 9, 10))  # not a story about that day
    assert history.anniversaries == []


def test_an_undated_meeting_told_as_the_exchange_marks_an_anniversary(
    extractor: Extractor,
) -> None:
    text = (
        "The Latvian Ambassador to Estonia, Ilze Kalna, held a meeting with Jaan Tamm, "
        "Secretary General of the Ministry of Foreign Affairs of Estonia. In the exchange, "
        "they highlighted the 30th anniversary of the establishment of diplomatic relations "
        "between the two countries. Relations were established on 8 March 1991."
    )
    ann = run(extractor, text, None)
    by_id = {ev.id: ev for ev in ann.events}
    assert [(a.number, by_id[a.of].date) for a in ann.anniversaries] == [(30, dt.date(1991, 3, 8))]
    assert by_id[ann.anniversaries[0].event].kind == "Meeting"


def test_a_conversation_on_the_margins_is_its_own_meeting_on_the_same_day(
    extractor: Extractor,
) -> None:
    text = (
        "Foreign Minister Liisa Virta travelled to Riga today for a meeting in the Baltic "
        "format hosted by Foreign Minister Ilmars Kalnavs. The talks brought together "
        "Foreign Minister Mart Kask and Foreign Minister Anna Berzina. The ministers "
        "discussed energy links.\n\n"
        '"We agreed on a common line," Virta said.\n\n'
        '"Our region speaks with one voice," Kask said.\n\n'
        "Kask said the grid would be ready next year.\n\n"
        '"This is good news," Kalnavs told reporters at the closing press conference.\n\n'
        "On the margins of the meeting, Virta and Kask held a separate conversation on "
        "fisheries."
    )
    day = dt.date(2025, 3, 12)
    got = meetings(run(extractor, text, day))
    everyone = frozenset({"Liisa Virta", "Ilmars Kalnavs", "Mart Kask", "Anna Berzina"})
    assert (everyone, day) in got
    assert (frozenset({"Liisa Virta", "Mart Kask"}), day) in got


def test_a_time_inside_a_relative_clause_does_not_undate_the_meeting(
    extractor: Extractor,
) -> None:
    text = (
        "Foreign Minister Tomas Rivera met Foreign Minister Lucia Quispe in Lima on Friday. "
        "Quispe, who took office at the end of October, was later received by President "
        "Mart Kask."
    )
    friday = dt.date(2025, 3, 7)
    got = meetings(run(extractor, text, dt.date(2025, 3, 12)))
    assert (frozenset({"Lucia Quispe", "Mart Kask"}), friday) in got


def test_the_day_of_a_relative_clause_on_a_participant_is_not_the_meetings(
    extractor: Extractor,
) -> None:
    text = (
        "Prime Minister Liisa Virta hosted her Latvian counterpart, Ilmars Kalnavs, in Tallinn "
        "yesterday. Kalnavs and Foreign Minister Anna Berzina, who arrived on Sunday, joined "
        "Virta for talks on the energy agreement signed in April between the two states.\n\n"
        "Earlier in the day, Berzina paid a courtesy call on Estonia's Head of State, His "
        "Excellency Mart Kask, at his residence."
    )
    yesterday = dt.date(2025, 3, 11)
    got = meetings(run(extractor, text, dt.date(2025, 3, 12)))
    assert (frozenset({"Anna Berzina", "Mart Kask"}), yesterday) in got
    assert all(day == yesterday for _, day in got)


def test_a_meeting_sixty_years_to_the_day_after_a_treaty_is_on_the_day_told(
    extractor: Extractor,
) -> None:
    text = (
        "The Baltic foreign ministers were hosted by Estonia's Liisa Virta in Tallinn on "
        "Wednesday, sixty years to the day after their treaty was signed on 12 March 1965.\n\n"
        "Virta welcomed Latvia's Ilmars Kalnavs and Lithuania's Anna Berzina to the castle."
    )
    got = meetings(run(extractor, text, dt.date(2025, 3, 12)))
    everyone = frozenset({"Liisa Virta", "Ilmars Kalnavs", "Anna Berzina"})
    assert got == {(everyone, dt.date(2025, 3, 12))}


def test_the_visiting_ministers_received_in_the_afternoon_are_those_welcomed_that_day(
    extractor: Extractor,
) -> None:
    text = (
        "Foreign Minister Liisa Virta welcomed Latvian Foreign Minister Ilmars Kalnavs, "
        "Lithuanian Foreign Minister Anna Berzina and Polish Foreign Minister Jan Nowak to "
        "Tallinn on Monday, where they were joined by "
        "Baltic Council Secretary General Mart Kask.\n\n"
        '"We stand together," Virta told a news conference.\n\n'
        'Kalnavs struck a similar note. "Our unity is our security," he said.\n\n'
        '"We will not decide in isolation," Berzina said.\n\n'
        "Nowak said the treaty had aged well.\n\n"
        "In the afternoon, President Toomas Tamm received the three visiting ministers, "
        "accompanied by Virta."
    )
    monday = dt.date(2025, 3, 10)
    got = meetings(run(extractor, text, dt.date(2025, 3, 12)))
    visitors = {"Ilmars Kalnavs", "Anna Berzina", "Jan Nowak"}
    assert (frozenset(visitors | {"Toomas Tamm", "Liisa Virta"}), monday) in got


def test_a_meeting_following_the_talks_and_the_head_of_diplomacy_are_told_apart(
    extractor: Extractor,
) -> None:
    text = (
        "Estonian Foreign Minister Liisa Virta held talks with Latvian Foreign Minister "
        "Ilmars Kalnavs in Riga on Monday.\n\n"
        "Following the bilateral talks, the two ministers were joined by the Foreign Minister "
        "of Lithuania, Anna Berzina, for a trilateral meeting on energy.\n\n"
        "The head of Estonian diplomacy was also received by the President of Latvia, Jan "
        "Ozols."
    )
    monday = dt.date(2025, 3, 10)
    got = meetings(run(extractor, text, dt.date(2025, 3, 12)))
    assert got == {
        (frozenset({"Liisa Virta", "Ilmars Kalnavs"}), monday),
        (frozenset({"Liisa Virta", "Ilmars Kalnavs", "Anna Berzina"}), monday),
        (frozenset({"Liisa Virta", "Jan Ozols"}), monday),
    }


@pytest.mark.parametrize("dash", ["--", "—", "-"])
def test_an_agency_dateline_stands_apart_from_the_lead_sentence(dash: str) -> None:
    nlp = load_pipeline()
    text = (
        f"Oslo, 21 May 2025 (NTB) {dash} His Majesty King Harald received in audience at the "
        "palace today the visiting minister, who conveyed a written message."
    )
    parsed = ParsedArticle.from_doc(text, nlp(text))
    lead = next(s for s in parsed.sentences if "received" in s.text)
    assert lead.text.startswith("His Majesty")
    # a dash inside prose that follows no dateline leaves the sentence whole
    prose = "Talks went well - the minister said so - and ended on time."
    whole = ParsedArticle.from_doc(prose, nlp(prose))
    assert len(whole.sentences) == 1


def test_a_look_back_at_an_earlier_meeting_leaves_the_day_of_the_story(
    extractor: Extractor,
) -> None:
    text = (
        "Estonian Foreign Minister Liisa Virta held talks with Latvian Foreign Minister "
        "Ilmars Kalnavs in Riga today.\n\n"
        "The two ministers last met on 15 January in Vilnius, where they agreed on a grid "
        "link.\n\n"
        "Later in the day, Virta was received by President Jan Ozols."
    )
    today = dt.date(2025, 3, 12)
    got = meetings(run(extractor, text, today))
    assert (frozenset({"Liisa Virta", "Jan Ozols"}), today) in got
    assert (frozenset({"Liisa Virta", "Ilmars Kalnavs"}), dt.date(2025, 1, 15)) in got


def test_the_day_of_a_relative_clause_on_the_subject_of_a_conjoined_verb(
    extractor: Extractor,
) -> None:
    text = (
        "Foreign Minister Liisa Virta visited Riga on Monday.\n\n"
        "President Ilmars Kalnavs, who took office on 4 February, attended a reception hosted "
        "by Estonian Ambassador Mart Kask and met the ambassador on the sidelines, his office "
        "said."
    )
    got = meetings(run(extractor, text, dt.date(2025, 3, 12)))
    assert got
    assert all(day != dt.date(2025, 2, 4) for _, day in got)


def test_a_day_of_a_plan_does_not_date_what_happened_on_the_same_day(
    extractor: Extractor,
) -> None:
    text = (
        "President Mart Kask today received at the Kadriorg Anna Berzina, Secretary General "
        "of the Organization for Security and Co-operation in Europe.\n\n"
        "The Secretary General is due to hold talks tomorrow with Foreign Minister Liisa "
        "Virta.\n\n"
        "On the same day, the President received Foreign Minister Ilmars Kalnavs of Latvia."
    )
    today = dt.date(2025, 3, 12)
    got = meetings(run(extractor, text, today))
    assert got == {
        (frozenset({"Mart Kask", "Anna Berzina"}), today),
        (frozenset({"Mart Kask", "Ilmars Kalnavs"}), today),
    }


def test_talks_and_a_larger_meeting_the_same_day_are_two_meetings(
    extractor: Extractor,
) -> None:
    text = (
        "On the morning of 10 March 2025, Foreign Minister Liisa Virta held talks with "
        "Latvian Foreign Minister Ilmars Kalnavs in Tallinn.\n\n"
        "On the same day, President Mart Kask met with Prime Minister Anna Berzina of Latvia. "
        "Virta and Kalnavs were present at the meeting."
    )
    day = dt.date(2025, 3, 10)
    got = meetings(run(extractor, text, dt.date(2025, 3, 12)))
    assert (frozenset({"Liisa Virta", "Ilmars Kalnavs"}), day) in got
    everyone = frozenset({"Liisa Virta", "Ilmars Kalnavs", "Mart Kask", "Anna Berzina"})
    assert (everyone, day) in got

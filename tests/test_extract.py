"""Extraction, one phenomenon per test, on small sentences written for the tests."""

from __future__ import annotations

import datetime as dt

import pytest
from extract_samples import run

from graphbuild.annotations import Annotations
from graphbuild.extract import Extractor


def label(ann: Annotations, entity_id: str | None) -> str | None:
    return ann.entity(entity_id).label if entity_id else None


def roles(ann: Annotations) -> set[tuple[str, str]]:
    return {(label(ann, r.holder), label(ann, r.party)) for r in ann.roles}  # type: ignore[misc]


def meetings(
    ann: Annotations, kind: str = "Meeting"
) -> list[tuple[frozenset[str], dt.date | None]]:
    return [
        (frozenset(label(ann, p) for p in e.participants), e.date)  # type: ignore[misc]
        for e in ann.events
        if e.kind == kind
    ]


def quotes(ann: Annotations) -> list[tuple[str, str]]:
    return [(label(ann, q.speaker), q.text) for q in ann.quotations]  # type: ignore[misc]


# 2025-03-12 is a Wednesday.


def test_demonym_title_and_held_meeting_with_weekday(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Polish Foreign Minister Anna Kowalska met Chilean Foreign Minister Tomas Rivera "
        "in Warsaw on Monday.",
    )
    assert ("Anna Kowalska", "Poland") in roles(ann)
    assert ("Tomas Rivera", "Chile") in roles(ann)
    assert meetings(ann) == [(frozenset({"Anna Kowalska", "Tomas Rivera"}), dt.date(2025, 3, 10))]
    assert meetings(ann, "ScheduledMeeting") == []


def test_scheduled_meeting_is_not_held(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Norwegian Prime Minister Erik Lund is scheduled to meet Kenyan President "
        "Grace Otieno in Nairobi on Friday.",
    )
    assert meetings(ann) == []
    assert meetings(ann, "ScheduledMeeting") == [
        (frozenset({"Erik Lund", "Grace Otieno"}), dt.date(2025, 3, 14))
    ]


@pytest.mark.parametrize(
    "verb_phrase",
    [
        "hopes to meet",
        "may meet",
        "could meet",
        "did not meet",
        "spoke by telephone with",
        "held a video call with",
    ],
)
def test_distractors_are_not_meetings(extractor: Extractor, verb_phrase: str) -> None:
    ann = run(
        extractor,
        f"Irish Foreign Minister Sean Daly {verb_phrase} Peruvian Foreign Minister "
        "Lucia Vargas on Tuesday.",
    )
    assert meetings(ann) == []
    assert meetings(ann, "ScheduledMeeting") == []


def test_passive_received_by_and_three_participants(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Greek Foreign Minister Nikos Pappas and Danish Foreign Minister Lars Holm were "
        "received by Egyptian President Omar Farouk in Cairo on 10 March 2025.",
    )
    assert meetings(ann) == [
        (frozenset({"Nikos Pappas", "Lars Holm", "Omar Farouk"}), dt.date(2025, 3, 10))
    ]


def test_apposition_role_and_surname_coreference(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Maria Santos, the Foreign Minister of Portugal, hosted Jan Novak in Lisbon on "
        'Tuesday.\n\n"We share a continent," Santos said.',
    )
    assert ("Maria Santos", "Portugal") in roles(ann)
    assert quotes(ann) == [("Maria Santos", "We share a continent,")]


def test_quote_announced_by_previous_paragraph_and_continued(extractor: Extractor) -> None:
    text = (
        "Swedish Foreign Minister Karin Berg visited Rome on Monday.\n"
        "Speaking to reporters, Berg said:\n"
        '"Europe must stand together on trade.\n'
        '"We will not accept new barriers."'
    )
    ann = run(extractor, text)
    assert len(ann.quotations) == 1
    speaker, said = quotes(ann)[0]
    assert speaker == "Karin Berg"
    assert "Europe must stand together" in said and "new barriers" in said


def test_unnamed_source_gives_no_quotation(extractor: Extractor) -> None:
    ann = run(
        extractor,
        'Japanese Prime Minister Ken Sato arrived in Hanoi. "The talks were frank," a '
        "diplomat said.",
    )
    assert quotes(ann) == []


def test_former_and_latter(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Finnish President Olli Virtanen and Dutch Prime Minister Pieter Jansen spoke to the "
        'press; the former called the plan "a good start", while the latter said it was '
        '"far from enough".',
    )
    assert ("Olli Virtanen", "a good start") in quotes(ann)
    assert ("Pieter Jansen", "far from enough") in quotes(ann)


def test_anniversary_of_signing_with_ordinal_word(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Austrian Chancellor Felix Gruber met Slovak Prime Minister Peter Horvath in Vienna on "
        "Monday, on the tenth anniversary of the signing of the Treaty on Danube Cooperation "
        "on 10 March 2015.",
    )
    assert len(ann.anniversaries) == 1
    anniversary = ann.anniversaries[0]
    events = {e.id: e for e in ann.events}
    assert anniversary.number == 10
    assert events[anniversary.event].date == dt.date(2025, 3, 10)
    base = events[anniversary.of]
    assert base.kind == "Signing" and base.date == dt.date(2015, 3, 10)
    assert "Treaty on Danube Cooperation" in (label(ann, base.agreement) or "")


def test_counterpart_takes_the_office_of_the_other_side(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Italian Foreign Minister Paolo Conti held talks with his Mexican counterpart Rosa "
        "Delgado in Rome on Tuesday.",
    )
    assert ("Rosa Delgado", "Mexico") in roles(ann)
    role = next(r for r in ann.roles if label(ann, r.holder) == "Rosa Delgado")
    assert role.title == "Foreign Minister"
    assert meetings(ann) == [(frozenset({"Paolo Conti", "Rosa Delgado"}), dt.date(2025, 3, 11))]


def test_year_from_anniversary_when_no_publication_date(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Belgian Foreign Minister Luc Peeters met Estonian Foreign Minister Kadri Tamm in "
        "Brussels on Friday (20 June). The visit marked the fifth anniversary of the "
        "Declaration on Digital Partnership, signed on 20 June 2020.",
        published=None,
    )
    assert meetings(ann) == [(frozenset({"Luc Peeters", "Kadri Tamm"}), dt.date(2025, 6, 20))]


def test_evidence_offsets_cut_the_article_text(extractor: Extractor) -> None:
    text = "Czech President Jiri Dvorak received Latvian President Ilze Ozola in Prague on Monday."
    ann = run(extractor, text)
    spans = [ev for e in ann.events for ev in e.evidence] + [
        ev for r in ann.roles for ev in r.evidence
    ]
    assert spans
    for span in spans:
        assert text[span.start : span.end] == span.exact


def test_news_perfect_is_dated_on_the_day_of_publication(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Spanish Prime Minister Luis Ortega has received Moroccan Prime Minister Karim Alami "
        "in Madrid, his office said.",
    )
    assert meetings(ann) == [(frozenset({"Luis Ortega", "Karim Alami"}), dt.date(2025, 3, 12))]


def test_perfect_of_history_is_not_dated(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Spanish Prime Minister Luis Ortega has met Moroccan Prime Minister Karim Alami "
        "several times since January.",
    )
    assert meetings(ann) == []


def test_the_leaders_refers_to_the_meeting_just_reported(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Thai Prime Minister Somchai Wong met Malaysian Prime Minister Aziz Rahman in Bangkok "
        "on Monday. The leaders will meet again in Kuala Lumpur on 2 April.",
    )
    assert meetings(ann, "ScheduledMeeting") == [
        (frozenset({"Somchai Wong", "Aziz Rahman"}), dt.date(2025, 4, 2))
    ]


def test_agency_dateline_date_is_not_the_meeting_date(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "HANOI, March 12 (Agency) -- Vietnamese President Tran Minh met visiting Lao President "
        "Bounmy Vong in Hanoi on Tuesday.",
    )
    assert meetings(ann) == [(frozenset({"Tran Minh", "Bounmy Vong"}), dt.date(2025, 3, 11))]


def test_live_blog_entry_happens_on_the_day_of_publication(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Live: summit diplomacy\n"
        "09:30 - Angolan President Jose Santos has arrived.\n"
        "10:45 - Zambian President Peter Banda received Angolan President Jose Santos at "
        "State House, officials said.",
    )
    assert meetings(ann) == [(frozenset({"Peter Banda", "Jose Santos"}), dt.date(2025, 3, 12))]


def test_place_from_travelled_to(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Swiss President Anna Keller travelled to Lima on 3 March 2025 and held talks with "
        "Peruvian President Jorge Salas.",
    )
    (event,) = [e for e in ann.events if e.kind == "Meeting"]
    assert label(ann, event.place) == "Lima"


def test_distributive_demonyms_pair_parties_and_names(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "The Kenyan and Tanzanian foreign ministers, Amina Odhiambo and Juma Mwinyi, held "
        "talks in Arusha on Tuesday.",
    )
    assert {("Amina Odhiambo", "Kenya"), ("Juma Mwinyi", "Tanzania")} <= roles(ann)

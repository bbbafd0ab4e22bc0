"""Quotations: how news attributes direct speech, one phenomenon per test.

Every sentence here is written for these tests (invented people acting for real states).
"""

from __future__ import annotations

import datetime as dt

import pytest

from graphbuild.annotations import Annotations, ArticleInfo
from graphbuild.extract import Extractor


def quotes(extractor: Extractor, text: str) -> list[tuple[str, str]]:
    info = ArticleInfo(id="q", text=text, published=dt.date(2025, 3, 12))
    ann: Annotations = extractor.extract(info)
    label = {e.id: e.label for e in ann.entities}
    return [(label[q.speaker], q.text) for q in ann.quotations]


def test_a_post_on_social_media_is_quoted_speech(extractor: Extractor) -> None:
    got = quotes(
        extractor,
        "Kenyan Foreign Minister Amina Wekesa met Chilean Foreign Minister Tomas Rivera in "
        'Nairobi on Monday.\n\n"We agreed to open direct flights before the end of the year," '
        "Wekesa tweeted after the talks.",
    )
    assert [s for s, _ in got] == ["Amina Wekesa"]
    assert got[0][1].startswith("We agreed to open direct flights")


@pytest.mark.parametrize(
    "attribution",
    [
        "elaborated Anna Kowalska",
        "mentioned the Polish minister, Anna Kowalska",
        "Anna Kowalska elaborated",
    ],
)
def test_speaker_after_the_quote_in_either_order(extractor: Extractor, attribution: str) -> None:
    got = quotes(
        extractor,
        "Polish Foreign Minister Anna Kowalska arrived in Lima on Tuesday.\n\n"
        f'"Our trade has doubled in five years and will double again," {attribution}.',
    )
    assert got == [("Anna Kowalska", "Our trade has doubled in five years and will double again,")]


def test_quoted_as_telling_reporters(extractor: Extractor) -> None:
    got = quotes(
        extractor,
        "Indian External Affairs Minister Ravi Menon was quoted as telling reporters that the "
        'talks were "frank and useful".',
    )
    assert got == [("Ravi Menon", "frank and useful")]


def test_what_he_termed(extractor: Extractor) -> None:
    got = quotes(
        extractor,
        'Ghanaian President Kofi Mensah criticised what he termed a "wall of tariffs" erected '
        "by richer economies.",
    )
    assert got == [("Kofi Mensah", "wall of tariffs")]


def test_a_fragment_the_speaker_called_something(extractor: Extractor) -> None:
    got = quotes(
        extractor,
        "The envoys were later received by Uzbek President Rustam Karimov, who called the new "
        'forum "a useful start" and asked for a second round.',
    )
    assert got == [("Rustam Karimov", "a useful start")]


@pytest.mark.parametrize(
    "text",
    [
        # a label in a noun phrase, not anyone's words
        'The talks took place amid concern in the capital about the so-called "grey zone" '
        "tactics of rival navies, and Chilean Foreign Minister Tomas Rivera welcomed the progress.",
        # words of a joint text, not of one speaker
        "Chilean Foreign Minister Tomas Rivera and Peruvian Foreign Minister Ana Salas agreed on "
        'the importance of "deepening the strategic dialogue" between the two blocs.',
        # an institution's statement names no person
        "The Foreign Office said in a statement that Chilean Foreign Minister Tomas Rivera's visit "
        'was "a milestone for both nations".',
    ],
)
def test_not_a_persons_quotation(extractor: Extractor, text: str) -> None:
    assert quotes(extractor, text) == []


def test_he_added_continues_the_last_quoted_speaker(extractor: Extractor) -> None:
    got = quotes(
        extractor,
        "Spokesman Omar Haddad briefed reporters in Amman on Thursday.\n\n"
        '"There will be a meeting of the two foreign ministers next week," said Haddad.\n\n'
        "Foreign Minister Layla Nasser arrived in Amman from Cairo on Wednesday evening.\n\n"
        '"Trade and water will be on the agenda as well," he added.',
    )
    assert [s for s, _ in got] == ["Omar Haddad", "Omar Haddad"]


@pytest.mark.parametrize("cue", ["noting that", "adding:", "stressing that"])
def test_a_participle_after_a_quote_goes_on_with_the_same_speaker(
    extractor: Extractor, cue: str
) -> None:
    # the parser hangs the participle on the quoted verb; its "We" is not the speaker
    got = quotes(
        extractor,
        "Chilean Foreign Minister Tomas Rivera received his Polish counterpart Anna Kowalska "
        "in Santiago on Monday.\n\n"
        "After the talks, Rivera said: “We settled on a plan for copper and wine exports,” "
        f"{cue} “the tariffs between our markets will fall next spring.”",
    )
    assert got == [
        ("Tomas Rivera", "We settled on a plan for copper and wine exports,"),
        ("Tomas Rivera", "the tariffs between our markets will fall next spring."),
    ]


def test_a_quote_left_open_ends_at_its_attribution(extractor: Extractor) -> None:
    got = quotes(
        extractor,
        "Chilean Foreign Minister Tomas Rivera met Polish Foreign Minister Anna Kowalska in "
        "Warsaw on Monday.\n\n"
        '"Chile and Poland have drawn closer through this visit, Rivera said.\n\n'
        '"Our ports will welcome more Polish ships, and our farmers more Polish buyers, '
        "the Chilean minister said.\n\nKowalska said the talks had gone well.",
    )
    assert got == [
        ("Tomas Rivera", "Chile and Poland have drawn closer through this visit"),
        (
            "Tomas Rivera",
            "Our ports will welcome more Polish ships, and our farmers more Polish buyers",
        ),
    ]


@pytest.mark.parametrize(
    "line",
    [
        "'We will double our copper sales by 2030,' Rivera told reporters.",
        "‘We will double our copper sales by 2030,’ Rivera told reporters.",
    ],
)
def test_speech_in_single_quotation_marks(extractor: Extractor, line: str) -> None:
    got = quotes(
        extractor,
        "Chilean Foreign Minister Tomas Rivera met Polish Foreign Minister Anna Kowalska in "
        f"Warsaw on Monday.\n\n{line}\n\nThe two countries’ ties have grown, and Kowalska's "
        "ministry said the 'grey zone' talks would go on.",
    )
    assert got == [("Tomas Rivera", "We will double our copper sales by 2030,")]


@pytest.mark.parametrize(
    "line",
    [
        "According to Rivera, “the copper agreement will be signed in the spring.”",
        "“The copper agreement will be signed in the spring,” according to the Chilean foreign "
        "minister, Tomas Rivera.",
    ],
)
def test_speech_according_to_a_named_person(extractor: Extractor, line: str) -> None:
    got = quotes(
        extractor,
        "Chilean Foreign Minister Tomas Rivera met Polish Foreign Minister Anna Kowalska in "
        f"Warsaw on Monday.\n\n{line}",
    )
    assert [s for s, _ in got] == ["Tomas Rivera"]


def test_speech_according_to_a_statement_has_no_speaker(extractor: Extractor) -> None:
    got = quotes(
        extractor,
        "Chilean Foreign Minister Tomas Rivera met Polish Foreign Minister Anna Kowalska in "
        "Warsaw on Monday.\n\n“The copper agreement will be signed in the spring,” according "
        "to a statement from the ministry after Rivera left.",
    )
    assert got == []


def test_a_possessor_in_the_subject_is_not_the_speaker(extractor: Extractor) -> None:
    got = quotes(
        extractor,
        "Chilean Foreign Minister Tomas Rivera met Polish Foreign Minister Anna Kowalska in "
        "Warsaw on Monday.\n\nKowalska's spokesman, Jan Zielinski, said: “The talks were very "
        "constructive.”\n\nRivera's office said: “The minister will return in May.”",
    )
    assert got == [("Jan Zielinski", "The talks were very constructive.")]


def test_words_wished_inside_a_report_are_the_wishers(extractor: Extractor) -> None:
    got = quotes(
        extractor,
        "Chilean Foreign Minister Tomas Rivera met Polish Foreign Minister Anna Kowalska in "
        "Warsaw on Monday.\n\nKowalska wrote in a post that Rivera had wished the staff in the "
        "lobby “happy holidays,” according to a translation by a newspaper.",
    )
    assert got == [("Tomas Rivera", "happy holidays,")]


@pytest.mark.parametrize(
    "attribution", ["the ministry said in a statement", "Rivera's spokesperson said"]
)
def test_a_quote_with_an_unnamed_speaker_of_its_own_is_nobodys(
    extractor: Extractor, attribution: str
) -> None:
    got = quotes(
        extractor,
        "Chilean Foreign Minister Tomas Rivera met Polish Foreign Minister Anna Kowalska in "
        "Warsaw on Monday.\n\nRivera said: “We opened a new chapter today.”\n\n"
        f"“The two ministers also discussed the war in Ukraine,” {attribution}.",
    )
    assert got == [("Tomas Rivera", "We opened a new chapter today.")]


@pytest.mark.parametrize("lead", ["The state news agency", "A wire service"])
def test_an_agency_quoting_a_person_as_saying(extractor: Extractor, lead: str) -> None:
    got = quotes(
        extractor,
        "Chilean Foreign Minister Tomas Rivera met Polish Foreign Minister Anna Kowalska in "
        f'Warsaw on Monday.\n\n{lead} quoted Rivera as saying: "Our relations have entered a '
        'new stage."',
    )
    assert got == [("Tomas Rivera", "Our relations have entered a new stage.")]


def test_a_form_of_address_or_the_head_of_state_speaks_for_the_holder_told_of(
    extractor: Extractor,
) -> None:
    text = (
        "King Harald Berg received Foreign Minister Tomas Rivera at the palace on Monday.\n\n"
        'His Majesty said that "the two kingdoms share one sea".'
    )
    assert quotes(extractor, text) == [("Harald Berg", "the two kingdoms share one sea")]
    text = (
        "President Mart Kask received Trade Minister Lucia Quispe in Tallinn on Monday.\n\n"
        '"Our ports are open to your ships," the head of state noted.'
    )
    assert quotes(extractor, text) == [("Mart Kask", "Our ports are open to your ships,")]
    # no monarch in the story: no speaker
    text = (
        "President Mart Kask received Trade Minister Lucia Quispe in Tallinn on Monday.\n\n"
        'His Majesty said that "the two kingdoms share one sea".'
    )
    assert quotes(extractor, text) == []


def test_the_one_a_quotation_thanks_is_not_its_speaker(extractor: Extractor) -> None:
    text = (
        "Foreign Minister Liisa Virta held talks with Foreign Minister Ilmars Kalnavs in Riga "
        "on Monday.\n\n"
        '"A good day in Riga. Thank you, dear Ilmars, for your friendship," the Minister '
        "wrote on X after the talks."
    )
    got = quotes(extractor, text)
    assert [speaker for speaker, _ in got] == ["Liisa Virta"]


def test_words_a_person_describes_something_as_or_is_cited_with_are_theirs(
    extractor: Extractor,
) -> None:
    lead = "Foreign Minister Liisa Virta met Foreign Minister Ilmars Kalnavs on Monday. "
    got = quotes(extractor, lead + 'Virta described the talks as "frank and very useful".')
    assert got == [("Liisa Virta", "frank and very useful")]
    got = quotes(extractor, lead + 'According to Kalnavs, the deal is "closer than ever".')
    assert got == [("Ilmars Kalnavs", "closer than ever")]
    # a scare-quoted name after 'known as' is nobody's words
    got = quotes(extractor, lead + 'They discussed the corridor known as "Middle Route".')
    assert got == []

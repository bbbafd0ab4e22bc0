"""Meetings, their participants, dates and status: one phenomenon per test, on small
sentences written for the tests (invented people in real countries)."""

from __future__ import annotations

import datetime as dt

import pytest
from extract_samples import run

from graphbuild.annotations import Annotations
from graphbuild.extract import Extractor


def label(ann: Annotations, entity_id: str) -> str:
    return ann.entity(entity_id).label


def meetings(
    ann: Annotations, kind: str = "Meeting"
) -> list[tuple[frozenset[str], dt.date | None]]:
    return [
        (frozenset(label(ann, p) for p in e.participants), e.date)
        for e in ann.events
        if e.kind == kind
    ]


# 2025-03-12 is a Wednesday: Monday is 10 March, Tuesday 11 March.
MONDAY, TUESDAY, WEDNESDAY = dt.date(2025, 3, 10), dt.date(2025, 3, 11), dt.date(2025, 3, 12)


# ---- ways to say that a meeting took place ---------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Ghanaian Foreign Minister Kofi Mensah paid a courtesy call on Kenyan President "
        "Ruth Wanjiru at State House on Monday.",
        "Kenyan President Ruth Wanjiru on Monday received in audience Ghanaian Foreign "
        "Minister Kofi Mensah.",
        "Ghanaian Foreign Minister Kofi Mensah led a delegation to a meeting with Kenyan "
        "President Ruth Wanjiru on Monday.",
        "A meeting between Kenyan President Ruth Wanjiru and Ghanaian Foreign Minister Kofi "
        "Mensah took place in Nairobi on Monday.",
        "Before a meeting with Kenyan President Ruth Wanjiru on Monday, Ghanaian Foreign "
        "Minister Kofi Mensah told reporters that trade would top the agenda.",
        "Kenyan President Ruth Wanjiru's talks with Ghanaian Foreign Minister Kofi Mensah on "
        "Monday focused on trade.",
        "Kenyan President Ruth Wanjiru and Ghanaian Foreign Minister Kofi Mensah co-chaired "
        "the fifth session of the Joint Commission in Nairobi on Monday.",
        "Kenyan President Ruth Wanjiru hosted a lunch for Ghanaian Foreign Minister Kofi "
        "Mensah on Monday.",
    ],
)
def test_ways_of_reporting_a_meeting(extractor: Extractor, text: str) -> None:
    ann = run(extractor, text)
    assert meetings(ann) == [(frozenset({"Kofi Mensah", "Ruth Wanjiru"}), MONDAY)]


@pytest.mark.parametrize(
    "text",
    [
        "Chilean President Ana Rojas requested a meeting with Uruguayan President Martin "
        "Silva on Monday.",
        "A planned meeting between Chilean President Ana Rojas and Uruguayan President "
        "Martin Silva was called off on Monday.",
        "Chilean President Ana Rojas received a letter from Uruguayan President Martin Silva "
        "on Monday.",
        "Chilean President Ana Rojas and Uruguayan President Martin Silva held a video "
        "conference on Monday.",
    ],
)
def test_requests_plans_and_letters_are_not_meetings(extractor: Extractor, text: str) -> None:
    ann = run(extractor, text)
    assert meetings(ann) == []
    assert meetings(ann, "ScheduledMeeting") == []


# ---- who took part ---------------------------------------------------------------------

FOUR = frozenset({"John Mwangi", "Kofi Mensah", "Ann Kerubo", "Yaw Boateng"})


@pytest.mark.parametrize(
    "text",
    [
        "Kenyan Foreign Minister John Mwangi met Ghanaian Foreign Minister Kofi Mensah in "
        "Nairobi on Monday. Also present were Kenyan Trade Minister Ann Kerubo and Ghanaian "
        "Ambassador Yaw Boateng.",
        "Kenyan Foreign Minister John Mwangi held talks with Ghanaian Foreign Minister Kofi "
        "Mensah on Monday. Trade Minister Ann Kerubo and Ambassador Yaw Boateng attended the "
        "talks.",
        "Kenyan Foreign Minister John Mwangi held talks with Ghanaian Foreign Minister Kofi "
        "Mensah on Monday. A wider round followed with the participation of Trade Minister "
        "Ann Kerubo and Ambassador Yaw Boateng.",
        "Kenyan Foreign Minister John Mwangi held talks with Ghanaian Foreign Minister Kofi "
        "Mensah on Monday. They went on in a larger setting with the participation of Trade "
        "Minister Ann Kerubo and Ambassador Yaw Boateng.",
        "Kenyan Foreign Minister John Mwangi met Ghanaian Foreign Minister Kofi Mensah on "
        "Monday. The meeting was attended by Trade Minister Ann Kerubo and Ambassador Yaw "
        "Boateng.",
        "Kenyan Foreign Minister John Mwangi met Ghanaian Foreign Minister Kofi Mensah on "
        "Monday. Trade Minister Ann Kerubo and Ambassador Yaw Boateng were also present.",
    ],
)
def test_attendance_after_the_meeting_adds_participants(extractor: Extractor, text: str) -> None:
    ann = run(extractor, text)
    assert meetings(ann) == [(FOUR, MONDAY)]


@pytest.mark.parametrize(
    "text",
    [
        "Kenyan Foreign Minister John Mwangi, accompanied by his deputy Ann Kerubo, met "
        "Ghanaian Foreign Minister Kofi Mensah in Nairobi on Monday.",
        "Kenyan Foreign Minister John Mwangi, joined by Trade Minister Ann Kerubo, held talks "
        "with Ghanaian Foreign Minister Kofi Mensah on Monday.",
        "Ghanaian Foreign Minister Kofi Mensah was received by Kenyan Foreign Minister John "
        "Mwangi on Monday in the presence of Trade Minister Ann Kerubo.",
    ],
)
def test_companions_in_the_same_sentence(extractor: Extractor, text: str) -> None:
    ann = run(extractor, text)
    assert meetings(ann) == [(frozenset({"John Mwangi", "Kofi Mensah", "Ann Kerubo"}), MONDAY)]


def test_a_delegation_led_by_and_its_members(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Kenyan President Ruth Wanjiru on Monday received a delegation led by Ghanaian "
        "Foreign Minister Kofi Mensah. The delegation, which arrived on Sunday, included "
        "Ambassador Yaw Boateng.",
    )
    assert meetings(ann) == [
        (frozenset({"Ruth Wanjiru", "Kofi Mensah", "Yaw Boateng"}), MONDAY),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Kenyan Foreign Minister John Mwangi held separate meetings with Ghanaian Foreign "
        "Minister Kofi Mensah and Nigerian Foreign Minister Ada Okafor on Monday.",
        "Kenyan Foreign Minister John Mwangi met Ghanaian Foreign Minister Kofi Mensah and "
        "Nigerian Foreign Minister Ada Okafor separately on Monday.",
    ],
)
def test_separate_bilaterals_are_two_meetings(extractor: Extractor, text: str) -> None:
    ann = run(extractor, text)
    # compared as sets: a frozenset's printed order is not stable, so sorting by it is not
    found = meetings(ann)
    assert len(found) == 2
    assert set(found) == {
        (frozenset({"John Mwangi", "Kofi Mensah"}), MONDAY),
        (frozenset({"John Mwangi", "Ada Okafor"}), MONDAY),
    }


def test_greetings_conveyed_from_someone_do_not_make_a_participant(
    extractor: Extractor,
) -> None:
    ann = run(
        extractor,
        "Ghanaian Foreign Minister Kofi Mensah called on Kenyan President Ruth Wanjiru on "
        "Monday and conveyed greetings from Ghanaian President Ama Asante.",
    )
    assert meetings(ann) == [(frozenset({"Kofi Mensah", "Ruth Wanjiru"}), MONDAY)]


def test_a_spokesperson_reporting_a_meeting_is_not_a_participant(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Kenyan Foreign Ministry spokesperson Mary Atieno said Kenyan President Ruth Wanjiru "
        "met Ghanaian Foreign Minister Kofi Mensah on Monday.",
    )
    assert meetings(ann) == [(frozenset({"Kofi Mensah", "Ruth Wanjiru"}), MONDAY)]


def test_the_two_are_the_two_people_just_named(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "On Friday, Ghanaian Foreign Minister Kofi Mensah will attend a forum chaired by Kenyan "
        "President Ruth Wanjiru. The two are scheduled to sign a trade pact on Friday.",
    )
    assert meetings(ann, "ScheduledMeeting") == [
        (frozenset({"Kofi Mensah", "Ruth Wanjiru"}), dt.date(2025, 3, 14))
    ]


def test_the_two_countries_are_no_participants(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Kenyan President Ruth Wanjiru met Ghanaian Foreign Minister Kofi Mensah on Monday. "
        "It was her first visit since the two countries signed a trade pact.",
    )
    assert meetings(ann) == [(frozenset({"Kofi Mensah", "Ruth Wanjiru"}), MONDAY)]


# ---- dates -----------------------------------------------------------------------------


def test_a_meeting_the_text_does_not_date_is_kept_without_a_date(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Kenyan President Ruth Wanjiru met Ghanaian Foreign Minister Kofi Mensah at State House.",
        published=None,
    )
    assert meetings(ann) == [(frozenset({"Kofi Mensah", "Ruth Wanjiru"}), None)]
    assert ann.dropped == []


def test_a_month_is_not_a_day_and_the_meeting_is_reported_as_dropped(
    extractor: Extractor,
) -> None:
    ann = run(
        extractor,
        "Kenyan President Ruth Wanjiru first met Ghanaian Foreign Minister Kofi Mensah in "
        "Accra in October.",
    )
    assert meetings(ann) == []
    assert [(d.kind, d.reason) for d in ann.dropped] == [("Meeting", "no-date")]


def test_a_held_meeting_dated_after_publication_is_dropped_with_its_reason(
    extractor: Extractor,
) -> None:
    ann = run(
        extractor,
        "Kenyan President Ruth Wanjiru met Ghanaian Foreign Minister Kofi Mensah on 20 March 2025.",
    )
    assert meetings(ann) == []
    assert [(d.kind, d.reason) for d in ann.dropped] == [("Meeting", "date-after-reference")]


def test_one_named_person_is_too_few(extractor: Extractor) -> None:
    ann = run(extractor, "Kenyan President Ruth Wanjiru met the visitors on Monday.")
    assert meetings(ann) == []
    assert [(d.kind, d.reason) for d in ann.dropped] == [("Meeting", "too-few-participants")]


def test_a_day_after_a_dated_clause(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Kenyan President Ruth Wanjiru spoke by telephone with Ugandan President Moses Okello "
        "on Tuesday, a day after she met Ghanaian Foreign Minister Kofi Mensah in Nairobi.",
    )
    assert meetings(ann) == [(frozenset({"Kofi Mensah", "Ruth Wanjiru"}), MONDAY)]


def test_earlier_in_the_day_is_the_day_of_the_meeting_before(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Kenyan President Ruth Wanjiru met Ghanaian Foreign Minister Kofi Mensah on Monday.\n\n"
        "Earlier in the day, Mensah called on Kenyan Foreign Minister John Mwangi.",
    )
    assert (frozenset({"Kofi Mensah", "John Mwangi"}), MONDAY) in meetings(ann)


def test_the_date_in_the_next_sentence_that_refers_to_the_meeting(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Kenyan President Ruth Wanjiru met Ghanaian Foreign Minister Kofi Mensah at State "
        "House. The talks, held on Monday, focused on trade.",
    )
    assert meetings(ann) == [(frozenset({"Kofi Mensah", "Ruth Wanjiru"}), MONDAY)]


def test_scheduled_on_the_weekday_of_publication_is_that_day(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "On Wednesday, Kenyan President Ruth Wanjiru is scheduled to meet Ghanaian Foreign "
        "Minister Kofi Mensah.",
    )
    assert meetings(ann, "ScheduledMeeting") == [
        (frozenset({"Kofi Mensah", "Ruth Wanjiru"}), WEDNESDAY)
    ]


def test_next_weekday_of_publication_is_a_week_later(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Kenyan President Ruth Wanjiru will meet Ghanaian Foreign Minister Kofi Mensah next "
        "Wednesday.",
    )
    assert meetings(ann, "ScheduledMeeting") == [
        (frozenset({"Kofi Mensah", "Ruth Wanjiru"}), dt.date(2025, 3, 19))
    ]


# ---- more forms of real copy -----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Kenyan Foreign Minister John Mwangi is expected to travel to Accra on 20 March for "
        "talks with Ghanaian Foreign Minister Kofi Mensah, a spokesperson said.",
        "Kenyan Foreign Minister John Mwangi is set to pay an official visit to Accra on "
        "20 March for talks with Ghanaian Foreign Minister Kofi Mensah.",
    ],
)
def test_a_journey_for_talks_is_a_scheduled_meeting(extractor: Extractor, text: str) -> None:
    ann = run(extractor, text)
    assert meetings(ann, "ScheduledMeeting") == [
        (frozenset({"John Mwangi", "Kofi Mensah"}), dt.date(2025, 3, 20))
    ]


def test_calling_for_talks_is_not_a_meeting(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Kenyan Foreign Minister John Mwangi called for talks with Ghanaian Foreign Minister "
        "Kofi Mensah on Monday.",
    )
    assert meetings(ann) == [] and meetings(ann, "ScheduledMeeting") == []


def test_a_phone_call_in_a_relative_clause_does_not_cancel_the_meeting(
    extractor: Extractor,
) -> None:
    ann = run(
        extractor,
        "Kenyan President Ruth Wanjiru, who spoke by telephone on Sunday to Ugandan President "
        "Moses Okello, is due to host Ghanaian President Ama Asante in Nairobi on Friday. The "
        "two leaders are expected to sign a trade pact.",
    )
    assert meetings(ann, "ScheduledMeeting") == [
        (frozenset({"Ruth Wanjiru", "Ama Asante"}), dt.date(2025, 3, 14))
    ]


def test_a_courtesy_call_is_not_a_phone_call(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Kenyan President Ruth Wanjiru on Monday held talks with Ghanaian President Ama "
        "Asante, who paid her a courtesy call at State House.",
    )
    assert meetings(ann) == [(frozenset({"Ruth Wanjiru", "Ama Asante"}), MONDAY)]


def test_a_place_dateline_with_a_colon_and_a_long_title(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Nairobi: Ruth Wanjiru, Minister of Foreign Affairs and International Cooperation, on "
        "Monday received Ghanaian Foreign Minister Kofi Mensah.",
    )
    assert meetings(ann) == [(frozenset({"Ruth Wanjiru", "Kofi Mensah"}), MONDAY)]


def test_an_attendance_list_in_a_quoted_statement(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Kenyan President Ruth Wanjiru held a meeting with Ghanaian Foreign Minister Kofi "
        'Mensah on Monday.\n\n"The meeting was attended by Ann Kerubo, Minister of Trade; '
        'and Yaw Boateng, Ambassador to Kenya," according to a statement.',
    )
    assert meetings(ann) == [
        (frozenset({"Ruth Wanjiru", "Kofi Mensah", "Ann Kerubo", "Yaw Boateng"}), MONDAY)
    ]


def test_joining_someone_in_his_meeting(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Kenyan Foreign Minister John Mwangi joined Kenyan President Ruth Wanjiru in her "
        "meeting with Ghanaian Foreign Minister Kofi Mensah on Monday.",
    )
    assert meetings(ann) == [
        (frozenset({"John Mwangi", "Ruth Wanjiru", "Kofi Mensah"}), MONDAY),
    ]


def test_attending_a_session_of_a_joint_commission_together(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "On Monday, Kenyan Foreign Minister John Mwangi and Ghanaian Foreign Minister Kofi "
        "Mensah attended the review of the third session of the Joint Commission.",
    )
    assert meetings(ann) == [(frozenset({"John Mwangi", "Kofi Mensah"}), MONDAY)]


def test_an_undated_report_of_a_dated_meeting_is_that_meeting(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Kenyan President Ruth Wanjiru met Ghanaian Foreign Minister Kofi Mensah on 3 March "
        "2025.\n\nBand music played.\n\nTourists came.\n\nIt rained.\n\nThe market was "
        "busy.\n\nAt the end of the visit, Wanjiru and Mensah signed a trade pact.",
    )
    assert meetings(ann) == [(frozenset({"Ruth Wanjiru", "Kofi Mensah"}), dt.date(2025, 3, 3))]


def test_also_received_takes_the_day_of_the_audience_before(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Kenyan President Ruth Wanjiru received Ghanaian Foreign Minister Kofi Mensah on "
        "Monday.\n\nThey discussed trade.\n\nThey discussed security.\n\nThey discussed "
        "health.\n\nThey discussed water.\n\nWanjiru also received Nigerian Ambassador Ada "
        "Okafor.",
    )
    assert (frozenset({"Ruth Wanjiru", "Ada Okafor"}), MONDAY) in meetings(ann)


# ---- anniversaries ---------------------------------------------------------------------


def anniversaries(ann: Annotations) -> list[tuple[dt.date | None, dt.date | None, int]]:
    events = {e.id: e for e in ann.events}
    return [(events[a.event].date, events[a.of].date, a.number) for a in ann.anniversaries]


def test_the_earlier_event_dated_in_the_next_sentence(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Kenyan President Ruth Wanjiru met Ghanaian President Ama Asante in Nairobi on Monday, "
        "on the 60th anniversary of diplomatic relations. The two countries established "
        "relations on 10 March 1965.",
    )
    assert anniversaries(ann) == [(MONDAY, dt.date(1965, 3, 10), 60)]


def test_meetings_held_as_two_countries_mark_n_years(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Kenyan President Ruth Wanjiru met Ghanaian President Ama Asante in Nairobi on Monday. "
        "The meeting, held as Kenya and Ghana mark 60 years of diplomatic relations "
        "established on 1 June 1965, lasted an hour.",
    )
    assert anniversaries(ann) == [(MONDAY, dt.date(1965, 6, 1), 60)]


def test_a_celebration_still_to_come_marks_no_anniversary(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Kenya and Ghana are going to celebrate 60 years of diplomatic relations soon.",
    )
    assert ann.anniversaries == []


# ---- announced meetings in real copy ---------------------------------------------------

FRIDAY = dt.date(2025, 3, 14)
PAIR = frozenset({"Kofi Mensah", "Ivan Petrov"})


@pytest.mark.parametrize(
    "text",
    [
        # the future seen from a past report
        "The ministry said Ghanaian Foreign Minister Kofi Mensah would meet Russian Foreign "
        "Minister Ivan Petrov on Friday.",
        "Ghanaian Foreign Minister Kofi Mensah would travel to Moscow on Friday on a visit "
        "during which he would hold talks with Russian Foreign Minister Ivan Petrov.",
        # a journey's purpose
        "Ghanaian Foreign Minister Kofi Mensah will visit Russia to meet Russian Foreign "
        "Minister Ivan Petrov on Friday.",
        "Ghanaian Foreign Minister Kofi Mensah is due in Moscow on Friday to hold talks with "
        "Russian Foreign Minister Ivan Petrov.",
        "Ghanaian Foreign Minister Kofi Mensah will be in Moscow on Friday for talks with "
        "Russian Foreign Minister Ivan Petrov.",
        # doing something together
        "Ghanaian Foreign Minister Kofi Mensah will be joined by Russian Ambassador Ivan "
        "Petrov in planting trees on Friday.",
        # a meeting held between them
        "A meeting will be held between Ghanaian Foreign Minister Kofi Mensah and Russian "
        "Foreign Minister Ivan Petrov on Friday.",
        # a meeting announced in the passive
        "Talks between Ghanaian Foreign Minister Kofi Mensah and Russian Foreign Minister Ivan "
        "Petrov are planned for Friday.",
        # announced in a quoted statement
        '"Ghanaian Foreign Minister Kofi Mensah will meet Russian Foreign Minister Ivan '
        'Petrov in Moscow on Friday," the ministry said.',
    ],
)
def test_ways_of_announcing_a_meeting(extractor: Extractor, text: str) -> None:
    ann = run(extractor, text)
    assert meetings(ann, "ScheduledMeeting") == [(PAIR, FRIDAY)]
    assert meetings(ann) == []


@pytest.mark.parametrize(
    "text",
    [
        "Ghanaian Foreign Minister Kofi Mensah would meet Russian Foreign Minister Ivan Petrov "
        "if the talks succeed.",
        "Ghanaian Foreign Minister Kofi Mensah said he would be happy to meet Russian Foreign "
        "Minister Ivan Petrov on Friday.",
        "Ghanaian Foreign Minister Kofi Mensah said he would have met Russian Foreign Minister "
        "Ivan Petrov on Friday.",
        "Ghanaian Foreign Minister Kofi Mensah would like to meet Russian Foreign Minister "
        "Ivan Petrov on Friday, he said.",
        "Ghanaian Foreign Minister Kofi Mensah hopes to travel to Moscow to meet Russian "
        "Foreign Minister Ivan Petrov.",
        '"We hope Ghanaian Foreign Minister Kofi Mensah will meet Russian Foreign Minister '
        'Ivan Petrov soon," the spokesman said.',
        '"I met Russian Foreign Minister Ivan Petrov on Monday," Ghanaian Foreign Minister '
        "Kofi Mensah said.",
        "Talks between Ghanaian Foreign Minister Kofi Mensah and Russian Foreign Minister Ivan "
        "Petrov were planned for Friday but called off.",
    ],
)
def test_conditions_wishes_and_quoted_reports_are_no_announcements(
    extractor: Extractor, text: str
) -> None:
    ann = run(extractor, text)
    assert meetings(ann, "ScheduledMeeting") == []
    assert meetings(ann) == []


def test_a_past_journey_for_talks_is_a_meeting(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Ghanaian Foreign Minister Kofi Mensah was in Moscow on Monday for talks with Russian "
        "Foreign Minister Ivan Petrov.",
    )
    assert meetings(ann) == [(PAIR, MONDAY)]


@pytest.mark.parametrize(
    "text",
    [
        "Ghanaian Foreign Minister Kofi Mensah was joined by Russian Ambassador Ivan Petrov at "
        "a wreath-laying ceremony on Monday.",
        "Talks were held in Accra on Monday between Ghanaian Foreign Minister Kofi Mensah and "
        "Russian Foreign Minister Ivan Petrov.",
    ],
)
def test_passive_reports_of_a_meeting(extractor: Extractor, text: str) -> None:
    ann = run(extractor, text)
    assert meetings(ann) == [(PAIR, MONDAY)]


def test_a_plan_for_a_month_takes_no_day_from_another_clause(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "The two ministers agreed that a meeting will be held between Ghanaian President Kofi "
        "Mensah and Russian President Ivan Petrov in April, to build on the accords reached "
        "today.",
    )
    # a month is no day: not a scheduled meeting (as a past meeting in April is no meeting),
    # and said so among what was seen and dropped
    assert meetings(ann, "ScheduledMeeting") == []
    assert [(d.kind, d.reason) for d in ann.dropped] == [("ScheduledMeeting", "no-date")]


def test_a_time_inside_a_reported_clause_does_not_undate_the_meeting(
    extractor: Extractor,
) -> None:
    ann = run(
        extractor,
        "Ghanaian Foreign Minister Kofi Mensah met Russian Foreign Minister Ivan Petrov on "
        "Monday. In his meeting with Ivan Petrov, Kofi Mensah said the summits in May and June "
        "had been a turning point.",
    )
    assert meetings(ann) == [(PAIR, MONDAY)]


def test_a_day_that_corresponds_to_the_anniversary(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "1 March 2021 corresponds to the 100th anniversary of the establishment of diplomatic "
        "relations between Ghana and Kenya. To mark this occasion, Ghanaian Foreign Minister "
        "Kofi Mensah will be joined by Kenyan Ambassador Ruth Wanjiru in planting trees.",
        published="2021-03-01",
    )
    day = dt.date(2021, 3, 1)
    assert anniversaries(ann) == [(day, dt.date(1921, 3, 1), 100)]
    # the announced planting is dated by the occasion it marks
    assert meetings(ann, "ScheduledMeeting") == [(frozenset({"Kofi Mensah", "Ruth Wanjiru"}), day)]


def test_the_earlier_signing_told_sentences_later(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Ministers gathered in Accra on Wednesday (3 April 2019) to celebrate 70 years of the "
        "partnership. The ceremony took place in the hall where the founders met to sign the "
        "Accra Friendship Treaty on 4 April 1949.",
        published="2019-04-03",
    )
    assert anniversaries(ann) == [(dt.date(2019, 4, 3), dt.date(1949, 4, 4), 70)]


def test_a_meeting_on_the_anniversary_day_itself(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Kenyan President Ruth Wanjiru met Ghanaian President Ama Asante in Nairobi on Monday, "
        "the 60th anniversary of diplomatic relations between the two countries.",
    )
    assert anniversaries(ann) == [(MONDAY, dt.date(1965, 3, 10), 60)]


@pytest.mark.parametrize(
    "text",
    [
        "This year is the 60th anniversary of relations, Kenyan President Ruth Wanjiru said "
        "on Monday.",
        "Kenyan President Ruth Wanjiru met Ghanaian President Ama Asante in Nairobi on Monday. "
        "They discussed plans for the 60th anniversary of diplomatic relations.",
    ],
)
def test_an_anniversary_without_its_day_or_base_is_left_out(
    extractor: Extractor, text: str
) -> None:
    ann = run(extractor, text)
    assert ann.anniversaries == []
    assert [e for e in ann.events if e.kind == "Event"] == []


# ---- meetings in real copy: dates, attendance, names -----------------------------------


def test_a_day_told_of_a_span_does_not_date_what_follows(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Kenyan Foreign Minister John Mwangi met Ghanaian President Ama Asante on Monday. "
        "He is the first minister to visit Ghana since the government took office on 23 "
        "February. He was received at the airport by Ghanaian Foreign Minister Kofi Mensah.",
    )
    assert (frozenset({"John Mwangi", "Kofi Mensah"}), MONDAY) in meetings(ann)


def test_a_quoted_post_does_not_move_the_day_on(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Kenyan Foreign Minister John Mwangi met Ghanaian President Ama Asante on Monday. "
        '"Honoured to call on the President. We discussed trade. We discussed energy. We '
        'discussed health," Mwangi posted. Mwangi is the first minister to visit this year. '
        "He was received at the airport by Ghanaian Foreign Minister Kofi Mensah.",
    )
    assert (frozenset({"John Mwangi", "Kofi Mensah"}), MONDAY) in meetings(ann)


def test_an_attendance_list_a_few_sentences_on(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Kenyan President Ruth Wanjiru received Ghanaian Foreign Minister Kofi Mensah on "
        "Monday. They discussed trade. Mensah conveyed greetings from Accra. The reception "
        "was attended by Ghanaian Ambassador Yaw Boateng.",
    )
    assert meetings(ann) == [
        (frozenset({"Ruth Wanjiru", "Kofi Mensah", "Yaw Boateng"}), MONDAY),
    ]


def test_the_two_named_earlier_in_the_sentence(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Ghanaian Foreign Minister Kofi Mensah said on Monday he hoped for constructive talks "
        "with Russian adviser Ivan Petrov as the two met in Accra.",
    )
    assert meetings(ann) == [(PAIR, MONDAY)]


def test_a_long_title_whose_holder_is_named_after_a_comma(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Ghanaian Foreign Minister Kofi Mensah on Monday received in audience the Deputy "
        "Minister in charge of Relations with the Commonwealth of Russia, Ivan Petrov.",
    )
    assert meetings(ann) == [(PAIR, MONDAY)]


def test_a_bare_title_is_no_participant() -> None:
    from graphbuild.extract.participant_references import is_name

    assert not is_name("Arabian King")
    assert not is_name("Excellency")
    assert is_name("Salman bin Abdulaziz")
    assert is_name("Kofi Mensah")


def test_a_lead_that_sums_up_separate_meetings(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "On Monday, Kenyan Foreign Minister John Mwangi held talks with Ghanaian Ambassador "
        "Kofi Mensah, Nigerian Ambassador Ada Okafor and Russian Ambassador Ivan Petrov. "
        "Later on in the day, the minister met with the Nigerian Ambassador. Mwangi also held "
        "talks with Ivan Petrov.",
    )
    found = meetings(ann)
    assert len(found) == 3
    assert set(found) == {
        (frozenset({"John Mwangi", "Kofi Mensah"}), MONDAY),
        (frozenset({"John Mwangi", "Ada Okafor"}), MONDAY),
        (frozenset({"John Mwangi", "Ivan Petrov"}), MONDAY),
    }


def test_a_group_meeting_and_a_later_bilateral_stay_apart(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Kenyan President Ruth Wanjiru received Ghanaian Foreign Minister Kofi Mensah on "
        "Monday in the presence of Kenyan Foreign Minister John Mwangi. Mwangi and Mensah then "
        "co-chaired a session of the joint commission.",
    )
    found = meetings(ann)
    assert len(found) == 2
    assert set(found) == {
        (frozenset({"Ruth Wanjiru", "Kofi Mensah", "John Mwangi"}), MONDAY),
        (frozenset({"John Mwangi", "Kofi Mensah"}), MONDAY),
    }


def test_a_definite_title_only_one_person_holds(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Kenyan Cabinet Secretary John Mwangi met Ghanaian Ambassador Kofi Mensah and "
        "Nigerian Ambassador Ada Okafor on Monday. Later in the day, the CS met with the "
        "Nigerian Ambassador again.",
    )
    assert (frozenset({"John Mwangi", "Ada Okafor"}), MONDAY) in meetings(ann)


def test_the_three_ministers_of_a_meeting_told_long_before(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Kenyan Foreign Minister John Mwangi hosted Ghanaian Foreign Minister Kofi Mensah and "
        "Nigerian Foreign Minister Ada Okafor in Nairobi on Monday. Mensah spoke of trade. "
        "Okafor spoke of energy. Mwangi spoke of health. Mensah thanked his hosts. Okafor "
        "praised the format. The three ministers were later received together by Kenyan "
        "President Ruth Wanjiru.",
    )
    three = frozenset({"John Mwangi", "Kofi Mensah", "Ada Okafor"})
    assert set(meetings(ann)) == {(three, MONDAY), (three | {"Ruth Wanjiru"}, MONDAY)}


def test_the_guests_of_a_hosted_meeting(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Kenyan Foreign Minister John Mwangi on Monday took part in a meeting in Accra hosted "
        "by Ghanaian Foreign Minister Kofi Mensah, together with Nigerian Foreign Minister Ada "
        "Okafor and Togolese Foreign Minister Yao Dogbe. Later in the day, the three visiting "
        "ministers were received by Ghanaian President Ama Asante.",
    )
    guests = frozenset({"John Mwangi", "Ada Okafor", "Yao Dogbe"})
    assert (guests | {"Ama Asante"}, MONDAY) in meetings(ann)


def test_his_counterpart_of_the_other_party(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Kenyan President Ruth Wanjiru received Ghanaian Foreign Minister Kofi Mensah on "
        "Monday, in the presence of Ghanaian Ambassador Yaw Boateng and Kenyan Foreign "
        "Minister John Mwangi. Mwangi and his Ghanaian counterpart then co-chaired a session "
        "of the joint commission.",
    )
    assert (frozenset({"John Mwangi", "Kofi Mensah"}), MONDAY) in meetings(ann)


def test_a_lunch_in_honour_of_the_visiting_guest(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Kenyan Foreign Minister John Mwangi met Ghanaian Foreign Minister Kofi Mensah on "
        "Monday. Kenyan Trade Minister Ann Kerubo later hosted a lunch in honour of the "
        "visiting dignitary.",
    )
    assert (frozenset({"Ann Kerubo", "Kofi Mensah"}), MONDAY) in meetings(ann)


def test_the_margins_of_a_bodys_meeting_are_no_people(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "AU Commission Chairperson Ada Okafor spoke in Addis Ababa. Kenyan Foreign Minister "
        "John Mwangi met Ghanaian Foreign Minister Kofi Mensah on Monday on the margins of the "
        "AU Executive Council meeting.",
    )
    assert meetings(ann) == [(frozenset({"John Mwangi", "Kofi Mensah"}), MONDAY)]


def test_present_at_the_meeting_a_few_sentences_on(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Kenyan President Ruth Wanjiru met Ghanaian President Ama Asante on Monday. They spoke "
        "of trade. They spoke of energy. They spoke of health. Kenyan Foreign Minister John "
        "Mwangi and Ghanaian Foreign Minister Kofi Mensah were present at the meeting.",
    )
    assert meetings(ann) == [
        (frozenset({"Ruth Wanjiru", "Ama Asante", "John Mwangi", "Kofi Mensah"}), MONDAY)
    ]


def test_a_name_the_parser_hung_elsewhere_and_the_day_of_what_comes_after(
    extractor: Extractor,
) -> None:
    ann = run(
        extractor,
        "Prior to the Accra forum on March 22-23 in Accra, Ghanaian Foreign Minister Kofi "
        "Mensah is to meet with her Russian counterpart, Ivan Petrov.",
    )
    # the forum's days are not the meeting's
    assert meetings(ann, "ScheduledMeeting") == [(PAIR, None)]


def test_a_quoted_meeting_between_their_two_states_dates_it(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Ghanaian Foreign Minister Kofi Mensah is to meet with her Russian counterpart, Ivan "
        'Petrov. "There will be a bilateral meeting between Ghana and Russia at the foreign '
        'ministry on March 20," the spokesman said.',
    )
    assert meetings(ann, "ScheduledMeeting") == [(PAIR, dt.date(2025, 3, 20))]


def test_a_lead_with_a_series_of_talks_dates_the_meetings_after_it(extractor: Extractor) -> None:
    """ "held, Tuesday in Lima, a series of talks with his counterparts": the lead names no
    other side, but its day dates the meetings the next paragraphs tell."""
    ann = run(
        extractor,
        "Chilean Foreign Minister Tomas Rivera held, Tuesday in Lima, a series of talks with "
        "his Andean counterparts.\n\nRivera met with the Minister of Foreign Affairs of Peru, "
        "Ana Salas, to discuss trade.",
    )
    assert meetings(ann) == [(frozenset({"Tomas Rivera", "Ana Salas"}), TUESDAY)]


def test_the_day_of_an_according_to_report_does_not_date_the_meeting(
    extractor: Extractor,
) -> None:
    ann = run(
        extractor,
        "According to the foreign ministry on Wednesday, Kenyan Foreign Minister Amina Wekesa "
        "had a breakfast meeting with her Chilean counterpart Tomas Rivera on Tuesday.",
    )
    assert meetings(ann) == [(frozenset({"Amina Wekesa", "Tomas Rivera"}), TUESDAY)]


# ---- round 3: dates as real news gives them ----------------------------------------------

PAIR_KG = frozenset({"Ruth Wanjiru", "Kofi Mensah"})


@pytest.mark.parametrize(
    ("text", "day"),
    [
        (
            "Kenyan President Ruth Wanjiru received Ghanaian Foreign Minister Kofi Mensah this "
            "morning at State House.",
            WEDNESDAY,
        ),
        (
            "Kenyan President Ruth Wanjiru hosted Ghanaian Foreign Minister Kofi Mensah for "
            "dinner tonight.",
            WEDNESDAY,
        ),
        (
            "Kenyan President Ruth Wanjiru met Ghanaian Foreign Minister Kofi Mensah in Nairobi "
            "on 10.03.2025.",
            MONDAY,
        ),
        (
            "Kenyan President Ruth Wanjiru met Ghanaian Foreign Minister Kofi Mensah in Nairobi "
            "on Tuesday (3/11/2025).",
            TUESDAY,
        ),
        (
            "Kenyan President Ruth Wanjiru met Ghanaian Foreign Minister Kofi Mensah in Nairobi "
            "on 28/02/2025.",
            dt.date(2025, 2, 28),
        ),
    ],
)
def test_days_written_as_real_news_writes_them(
    extractor: Extractor, text: str, day: dt.date
) -> None:
    assert meetings(run(extractor, text)) == [(PAIR_KG, day)]


@pytest.mark.parametrize(
    "text",
    [
        "Kenyan President Ruth Wanjiru met Ghanaian Foreign Minister Kofi Mensah in Nairobi, "
        "the ministry said on Tuesday.",
        "Kenyan President Ruth Wanjiru held talks with Ghanaian Foreign Minister Kofi Mensah "
        "in Nairobi, the state broadcaster reported Tuesday.",
    ],
)
def test_the_day_of_the_report_is_not_the_day_of_the_meeting(
    extractor: Extractor, text: str
) -> None:
    assert meetings(run(extractor, text)) == [(PAIR_KG, None)]


def test_the_report_day_leaves_the_meetings_own_day(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Kenyan President Ruth Wanjiru met Ghanaian Foreign Minister Kofi Mensah on Monday, "
        "the ministry said on Tuesday.",
    )
    assert meetings(ann) == [(PAIR_KG, MONDAY)]


def test_a_past_perfect_is_not_news_of_the_day(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "The ministry said that Kenyan President Ruth Wanjiru had met Ghanaian Foreign "
        "Minister Kofi Mensah in Nairobi.",
    )
    assert meetings(ann) == [(PAIR_KG, None)]


# ---- round 3: who took part, as real news names them --------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "A three-member Ghanaian delegation, led by Foreign Minister Kofi Mensah, held a "
        "meeting with Kenyan President Ruth Wanjiru on Monday.",
        "A Ghanaian delegation headed by Foreign Minister Kofi Mensah met Kenyan President "
        "Ruth Wanjiru on Monday.",
        "Ghanaian Ambassador Kofi Mensah presented his credentials to Kenyan President Ruth "
        "Wanjiru on Monday.",
        "Ghanaian High Commissioner Kofi Mensah presented her letter of introduction to "
        "Kenyan President Ruth Wanjiru on Monday.",
        "Ghanaian Ambassador Kofi Mensah handed over copies of his letters of credence to "
        "Kenyan President Ruth Wanjiru on Monday.",
        "Kofi Mensah, Foreign Minister of Ghana, received here on Monday Kenyan President "
        "Ruth Wanjiru.",
        "Kenyan President Ruth Wanjiru received the Ambassador Extraordinary and "
        "Plenipotentiary of Ghana, Kofi Mensah, on Monday.",
    ],
)
def test_real_news_ways_of_naming_who_met(extractor: Extractor, text: str) -> None:
    assert meetings(run(extractor, text)) == [(PAIR_KG, MONDAY)]


def test_a_painting_presented_is_no_meeting(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Ghanaian Ambassador Kofi Mensah presented a painting to Kenyan President Ruth "
        "Wanjiru on Monday.",
    )
    assert meetings(ann) == []


def test_along_with_adds_the_companions(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Foreign Minister Kofi Mensah, along with Trade Minister Ama Owusu, met Kenyan "
        "President Ruth Wanjiru on Monday. The talks lasted an hour, said spokesman Paul "
        "Ndegwa. He said Mensah, along with Defence Minister Kwame Boateng, went to the "
        "president's residence at her invitation.",
    )
    people = PAIR_KG | {"Ama Owusu", "Kwame Boateng"}
    assert meetings(ann) == [(people, MONDAY)]


def test_along_with_after_someone_else_adds_nobody(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Kenyan President Ruth Wanjiru received Foreign Minister Kofi Mensah on Monday. "
        "Later, Amos Kiprop, along with Trade Minister Ama Owusu, toured the port.",
    )
    assert meetings(ann) == [(PAIR_KG, MONDAY)]


def test_a_building_is_no_participant(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Foreign Minister Kofi Mensah later visited the National Museum at Bait Al Hosn Fort "
        "on Monday.",
    )
    assert meetings(ann) == []


# ---- real-news readouts: forms of address, the visit's guest --------------------------


@pytest.mark.parametrize("address", ["Smt.", "Hon.", "Amb."])
def test_an_abbreviated_form_of_address_does_not_end_the_sentence(
    extractor: Extractor, address: str
) -> None:
    ann = run(
        extractor,
        f"Ghanaian Foreign Minister Kofi Mensah called on {address} Ruth Wanjiru, Kenyan "
        "Minister of Finance, at the Treasury on Monday.",
    )
    assert meetings(ann) == [(PAIR_KG, MONDAY)]


def test_the_visiting_guest_of_a_call_is_the_caller(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Kenyan Foreign Minister John Mwangi met Ghanaian Foreign Minister Kofi Mensah on "
        "Monday. The visiting minister thanked Kenya for its support. He said trade had "
        "doubled. He praised the new port. Earlier in the day, Mensah called on Kenyan "
        "Finance Minister Ruth Wanjiru at the Treasury. Kenyan Minister of State Ann Kerubo "
        "later hosted a dinner in honour of the visiting minister.",
    )
    assert (frozenset({"Ann Kerubo", "Kofi Mensah"}), MONDAY) in meetings(ann)
    assert not any("Ruth Wanjiru" in p and "Ann Kerubo" in p for p, _ in meetings(ann))


def test_an_envoys_post_and_name_hung_on_the_verb(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Ghanaian Foreign Minister Kofi Mensah was received at the airport on Monday by "
        "Kenyan Foreign Secretary Ruth Wanjiru and the Indian High Commissioner to Kenya "
        "Rahul Sharma.",
    )
    assert meetings(ann) == [(PAIR_KG | {"Rahul Sharma"}, MONDAY)]


def test_a_greeting_on_arrival_is_a_reception(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Ghanaian Foreign Minister Kofi Mensah arrived in Nairobi on Monday. At the airport, "
        "he was greeted by Kenyan Foreign Minister Ruth Wanjiru.",
    )
    assert meetings(ann) == [(PAIR_KG, MONDAY)]


def test_a_decision_greeted_by_someone_is_no_meeting(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "The decision of Ghanaian Foreign Minister Kofi Mensah was greeted by Kenyan "
        "Foreign Minister Ruth Wanjiru with caution on Monday.",
    )
    assert meetings(ann) == []


def test_the_guests_are_the_visits_guest(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Kenyan Defence Minister John Mwangi received Ghanaian Defence Minister Kofi Mensah "
        "on Monday. During the meeting, the two sides reviewed cooperation. Mensah and his "
        "delegation later visited the naval base. Upon their arrival, they were greeted by "
        "the base's protocol officer. The guests toured the base. Mensah and his delegation "
        "also visited the port. Upon their arrival, the guests were greeted by Commodore "
        "Peter Otieno, head of the port.",
    )
    assert frozenset({"Kofi Mensah", "Peter Otieno"}) in [p for p, _ in meetings(ann)]


def test_an_absolute_clause_with_a_gerund_read_as_a_noun(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Ghanaian Foreign Minister Kofi Mensah has ended a visit to Kenya. The two-day stop "
        "in Nairobi focused on trade, with Mensah meeting with Kenya's President Ruth "
        "Wanjiru and several ministers to discuss energy.",
    )
    assert meetings(ann) == [(PAIR_KG, None)]


def test_his_excellency_alone_is_the_person_of_the_story(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Ghanaian Foreign Minister Kofi Mensah arrived in Nairobi on Monday. His Excellency "
        "later met Kenyan President Ruth Wanjiru at State House.",
    )
    assert meetings(ann) == [(PAIR_KG, MONDAY)]


def test_courtesy_calls_listed_with_semicolons(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Ghanaian High Commissioner Kofi Mensah presented her credentials to Kenyan President "
        "Ruth Wanjiru on Monday. She will also have courtesy calls with Governor General; "
        "Her Excellency Ann Kerubo, Speaker; John Mwangi, Minister of Trade, Industry and "
        "Tourism; Dr. Amos Friday, Minister of Health; and Peter Otieno, Minister of "
        "Defence.",
    )
    planned = meetings(ann, "ScheduledMeeting")
    # "Dr. Amos Friday" is a name, not the day of the calls
    assert {d for _, d in planned} == {None}
    for other in ("Ann Kerubo", "John Mwangi", "Peter Otieno"):
        assert (frozenset({"Kofi Mensah", other}), None) in planned


@pytest.mark.parametrize(
    "text",
    [
        "Ghanaian Foreign Minister Kofi Mensah and Kenyan President Ruth Wanjiru co-chaired "
        "the joint commission in Nairobi on Monday.",
        "The joint commission was co-chaired by Ghanaian Foreign Minister Kofi Mensah and "
        "Kenyan President Ruth Wanjiru in Nairobi on Monday.",
    ],
)
def test_co_chairs_of_a_session_met(extractor: Extractor, text: str) -> None:
    assert meetings(run(extractor, text)) == [(PAIR_KG, MONDAY)]


def test_a_plan_told_after_the_visit_takes_its_day(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Ghanaian Foreign Minister Kofi Mensah will visit Nairobi on Friday to attend a "
        "forum and sign a trade document. According to the ministry, the meeting will be "
        "co-chaired by Mensah and Kenyan President Ruth Wanjiru.",
    )
    assert meetings(ann, "ScheduledMeeting") == [(PAIR_KG, dt.date(2025, 3, 14))]


def test_a_plan_during_a_visit_of_several_days_has_no_day(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Ghanaian Foreign Minister Kofi Mensah will visit Kenya from 14 to 16 March. During "
        "the visit, he will hold talks with President Ruth Wanjiru.",
    )
    assert meetings(ann, "ScheduledMeeting") == [(PAIR_KG, None)]


def test_the_sides_of_a_meeting_mark_an_anniversary(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Ghanaian Ambassador Kofi Mensah held a meeting with Kenyan Foreign Minister Ruth "
        "Wanjiru. They highlighted the 60th anniversary of the establishment of diplomatic "
        "relations between the two countries. Relations were established on 12 May 1964.",
        published=None,
    )
    assert anniversaries(ann) == [(None, dt.date(1964, 5, 12), 60)]


@pytest.mark.parametrize(
    "text",
    [
        "Kenyan President Ruth Wanjiru on Monday granted an audience to Ghanaian Foreign "
        "Minister Kofi Mensah.",
        "Ghanaian Ambassador Kofi Mensah paid a farewell call on Kenyan President Ruth "
        "Wanjiru on Monday.",
        "Ghanaian Ambassador Kofi Mensah paid an introductory call on Kenyan President Ruth "
        "Wanjiru on Monday.",
    ],
)
def test_audiences_and_calls_an_envoy_pays(extractor: Extractor, text: str) -> None:
    assert meetings(run(extractor, text)) == [(PAIR_KG, MONDAY)]


def test_a_farewell_phone_call_is_no_meeting(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Ghanaian Ambassador Kofi Mensah had a farewell phone call with Kenyan President Ruth "
        "Wanjiru on Monday.",
    )
    assert meetings(ann) == []


def test_the_minister_and_a_named_envoy(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Kenyan Foreign Minister Ruth Wanjiru received Ghanaian Ambassador Kofi Mensah on "
        "Monday. The ministry also said the minister and the Nigerian Ambassador to Kenya, "
        "John Okafor, discussed trade at the meeting.",
    )
    assert frozenset({"Ruth Wanjiru", "John Okafor"}) in [p for p, _ in meetings(ann)]


def test_a_post_greeting_the_person_met(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Kenyan Foreign Minister Ruth Wanjiru met several counterparts in Addis Ababa on "
        "Monday. “Good to meet FM Kofi Mensah of Ghana on the sidelines of the "
        "Council. Discussed trade and energy,” she posted on X.",
    )
    assert meetings(ann) == [(PAIR_KG, MONDAY)]


def test_a_post_hoping_to_meet_is_no_meeting(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Kenyan Foreign Minister Ruth Wanjiru attended the AU Executive Council in Addis "
        "Ababa on Monday. “I hope to meet FM Kofi Mensah of Ghana soon,” she posted on X.",
    )
    assert meetings(ann) == []


def test_the_nth_day_of_a_dated_visit(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Ghanaian Foreign Minister Kofi Mensah made a two-day visit to Nairobi on 10–11 "
        "March. He held talks with Kenyan President Ruth Wanjiru on the first day and "
        "co-chaired the joint commission with Kenyan Trade Minister Ann Kerubo on the second.",
    )
    assert sorted(meetings(ann), key=lambda m: str(m[1])) == [
        (PAIR_KG, MONDAY),
        (frozenset({"Kofi Mensah", "Ann Kerubo"}), TUESDAY),
    ]


def test_a_meeting_during_a_visit_of_several_days_has_no_day(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Ghanaian Foreign Minister Kofi Mensah paid a three-day visit to Kenya from 9 to 11 "
        "March. He met Kenyan President Ruth Wanjiru.",
    )
    assert meetings(ann) == [(PAIR_KG, None)]


def test_a_counterpart_named_in_the_next_sentence(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "The foreign secretary, Ruth Wanjiru, welcomed her Ghanaian counterpart to Nairobi "
        "yesterday for talks on trade. Kofi Mensah, Ghana's foreign minister, arrived at the "
        "ministry shortly after 10am.",
    )
    assert meetings(ann) == [(PAIR_KG, TUESDAY)]


def test_a_counterpart_of_another_state_named_next_is_not_the_guest(
    extractor: Extractor,
) -> None:
    ann = run(
        extractor,
        "The foreign secretary, Ruth Wanjiru, welcomed her Ghanaian counterpart to Nairobi "
        "yesterday for talks on trade. Amos Kiprop, Uganda's foreign minister, was in Kampala.",
    )
    assert meetings(ann) == []


def test_an_arrival_told_after_the_meeting_does_not_date_what_follows(
    extractor: Extractor,
) -> None:
    ann = run(
        extractor,
        "Kenyan Foreign Minister Ruth Wanjiru hosted Ghanaian Foreign Minister Kofi Mensah "
        "in Mombasa on Tuesday. Mensah arrived in Mombasa on Monday evening. The two were "
        "joined by Kenyan Trade Minister Ann Kerubo for a session on trade.",
    )
    assert meetings(ann) == [(PAIR_KG | {"Ann Kerubo"}, TUESDAY)]


def test_a_dinner_for_the_visiting_speaker(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Lok Sabha Speaker Om Birla on Tuesday received Kenyan Speaker Ruth Wanjiru at "
        "Parliament House. Earlier in the day, Wanjiru called on Indian President Amit Rao. "
        "Minister of State Kofi Mensah later hosted a dinner in honour of the visiting "
        "Speaker.",
    )
    found = meetings(ann)
    assert (PAIR_KG, TUESDAY) in found
    assert (frozenset({"Om Birla", "Ruth Wanjiru"}), TUESDAY) in found


def test_due_in_a_city_for_talks_is_a_plan(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Ghanaian Foreign Minister Kofi Mensah is due in Nairobi on Friday for talks with "
        "Kenyan President Ruth Wanjiru.",
    )
    assert meetings(ann, "ScheduledMeeting") == [(PAIR_KG, dt.date(2025, 3, 14))]


def test_was_due_for_talks_is_neither_plan_nor_meeting(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Ghanaian Foreign Minister Kofi Mensah was due in Nairobi on Friday for talks with "
        "Kenyan President Ruth Wanjiru.",
    )
    assert ann.events == []


def test_a_meeting_in_a_time_of_life_takes_no_day(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Kenyan President Ruth Wanjiru met Ghanaian Foreign Minister Kofi Mensah on Monday. "
        "Wanjiru met Ugandan President Amos Kiprop when she was a student.",
    )
    assert (frozenset({"Ruth Wanjiru", "Amos Kiprop"}), None) in meetings(ann)


def test_a_meeting_as_someone_arrived_keeps_the_day(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Kenyan President Ruth Wanjiru met Ghanaian Foreign Minister Kofi Mensah on Monday. "
        "She also met Ugandan President Amos Kiprop as he arrived at State House.",
    )
    assert (frozenset({"Ruth Wanjiru", "Amos Kiprop"}), MONDAY) in meetings(ann)


@pytest.mark.parametrize(
    "text",
    [
        "Ghanaian Foreign Minister Kofi Mensah conferred with Kenyan President Ruth Wanjiru "
        "in Nairobi on Monday.",
        "Ghanaian Foreign Minister Kofi Mensah exchanged views with Kenyan President Ruth "
        "Wanjiru in Nairobi on Monday.",
    ],
)
def test_conferring_and_exchanging_views_in_person(extractor: Extractor, text: str) -> None:
    assert meetings(run(extractor, text)) == [(PAIR_KG, MONDAY)]


@pytest.mark.parametrize(
    "text",
    [
        "Kenyan President Ruth Wanjiru conferred the national award on Ghanaian Foreign "
        "Minister Kofi Mensah on Monday.",
        "Kenyan President Ruth Wanjiru received a phone call from Ghanaian Foreign Minister "
        "Kofi Mensah on Monday. During the call, Wanjiru exchanged views with Mensah on trade.",
    ],
)
def test_an_award_or_a_call_is_no_meeting(extractor: Extractor, text: str) -> None:
    assert meetings(run(extractor, text)) == []


@pytest.mark.parametrize(
    "text",
    [
        "Ghanaian Foreign Minister Kofi Mensah leaves for Nairobi on Friday to meet Kenyan "
        "President Ruth Wanjiru.",
        "Ghanaian Foreign Minister Kofi Mensah heads to Nairobi on Friday for talks with "
        "Kenyan President Ruth Wanjiru.",
    ],
)
def test_a_journey_in_the_present_with_a_day_to_come(extractor: Extractor, text: str) -> None:
    ann = run(extractor, text)
    assert meetings(ann, "ScheduledMeeting") == [(PAIR_KG, dt.date(2025, 3, 14))]


def test_a_habitual_journey_is_no_plan(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Ghanaian Foreign Minister Kofi Mensah often travels to Nairobi to meet Kenyan "
        "President Ruth Wanjiru.",
    )
    assert ann.events == []


@pytest.mark.parametrize(
    "text",
    [
        "Ghanaian Foreign Minister Kofi Mensah together with his Kenyan counterpart Ruth "
        "Wanjiru inaugurated the new embassy building on Monday.",
        "Ghanaian Foreign Minister Kofi Mensah and Kenyan Foreign Minister Ruth Wanjiru cut "
        "the ribbon together at the new embassy on Monday.",
    ],
)
def test_an_act_done_together_in_person(extractor: Extractor, text: str) -> None:
    assert meetings(run(extractor, text)) == [(PAIR_KG, MONDAY)]


def test_an_act_done_together_by_video_is_no_meeting(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Ghanaian Foreign Minister Kofi Mensah and Kenyan Foreign Minister Ruth Wanjiru "
        "jointly inaugurated the new embassy building via video link on Monday.",
    )
    assert meetings(ann) == []


@pytest.mark.parametrize(
    "text",
    [
        "Ghanaian Foreign Minister Kofi Mensah told a joint press conference with Kenyan "
        "President Ruth Wanjiru in Nairobi on Monday that trade had doubled.",
        "At a joint news conference with Kenyan President Ruth Wanjiru on Monday, Ghanaian "
        "Foreign Minister Kofi Mensah said trade had doubled.",
    ],
)
def test_a_joint_press_conference_with_someone(extractor: Extractor, text: str) -> None:
    assert meetings(run(extractor, text)) == [(PAIR_KG, MONDAY)]


def test_a_press_conference_alone_is_no_meeting(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Ghanaian Foreign Minister Kofi Mensah told a press conference in Nairobi on Monday "
        "that Kenyan President Ruth Wanjiru had been invited.",
    )
    assert meetings(ann) == []


def test_each_guest_with_its_own_day(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Ghanaian Foreign Minister Kofi Mensah met Kenyan President Ruth Wanjiru on Monday "
        "and Ugandan President Amos Kiprop on Tuesday.",
    )
    assert sorted(meetings(ann), key=lambda m: str(m[1])) == [
        (PAIR_KG, MONDAY),
        (frozenset({"Kofi Mensah", "Amos Kiprop"}), TUESDAY),
    ]


def test_guests_of_one_day_stay_one_meeting(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Ghanaian Foreign Minister Kofi Mensah met Kenyan President Ruth Wanjiru and Ugandan "
        "President Amos Kiprop on Monday.",
    )
    assert meetings(ann) == [(PAIR_KG | {"Amos Kiprop"}, MONDAY)]


def test_a_post_that_opens_with_met(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Kenyan Foreign Minister Ruth Wanjiru met several counterparts in Addis Ababa on "
        "Monday. “Met my good friend FM Kofi Mensah of Ghana. Discussed trade,” she posted.",
    )
    assert meetings(ann) == [(PAIR_KG, MONDAY)]


def test_a_post_greeting_someone_seen_virtually(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Kenyan Foreign Minister Ruth Wanjiru spoke at a forum in Nairobi on Monday. “Good to "
        "see FM Kofi Mensah of Ghana virtually today,” she posted.",
    )
    assert meetings(ann) == []


def test_a_post_about_a_meeting_already_told_adds_no_other_day(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Kenyan Foreign Minister Ruth Wanjiru met Ghanaian Foreign Minister Kofi Mensah in "
        "Nairobi on Monday. On Tuesday she visited the port of Mombasa. “Good to meet FM Kofi "
        "Mensah of Ghana this week,” she posted.",
    )
    assert meetings(ann) == [(PAIR_KG, MONDAY)]


def test_n_years_to_the_day_after_a_signing_marks_its_anniversary(extractor: Extractor) -> None:
    ann = run(
        extractor,
        "Kenyan President Ruth Wanjiru hosted Ghanaian President Ama Asante in Nairobi on "
        "Monday, forty years to the day after the two countries signed the Treaty of "
        "Friendship.",
    )
    assert anniversaries(ann) == [(MONDAY, dt.date(1985, 3, 10), 40)]

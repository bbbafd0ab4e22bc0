"""Date expressions and their resolution against a reference date."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graphbuild.extract import lexicon
from graphbuild.extract.dates import (
    day_shift,
    find_dates,
    infer_reference_date,
    resolve_relative_date,
)

WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
NUMBERS = {**lexicon.ORDINAL_WORDS, **lexicon.CARDINAL_WORDS}
references = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2090, 12, 31))


@given(references, st.integers(min_value=0, max_value=6))
def test_past_weekday_is_the_most_recent_one_not_after_the_reference(
    reference: dt.date, weekday: int
) -> None:
    mention = find_dates(f"They met on {WEEKDAY_NAMES[weekday]}.")[0]
    resolved = resolve_relative_date(mention, reference, "past")
    assert resolved is not None
    assert resolved.weekday() == weekday
    assert dt.timedelta(0) <= reference - resolved < dt.timedelta(days=7)


@given(references, st.integers(min_value=0, max_value=6))
def test_future_weekday_is_the_next_one_from_the_reference(
    reference: dt.date, weekday: int
) -> None:
    """The reference date's own weekday is that day itself (GUIDELINES, Dates)."""
    mention = find_dates(f"They will meet on {WEEKDAY_NAMES[weekday]}.")[0]
    resolved = resolve_relative_date(mention, reference, "future")
    assert resolved is not None
    assert resolved.weekday() == weekday
    assert dt.timedelta(0) <= resolved - reference < dt.timedelta(days=7)


@given(references, st.integers(min_value=0, max_value=6))
def test_next_weekday_is_always_after_the_reference(reference: dt.date, weekday: int) -> None:
    mention = find_dates(f"They will meet next {WEEKDAY_NAMES[weekday]}.")[0]
    resolved = resolve_relative_date(mention, reference, "future")
    assert resolved is not None
    assert resolved.weekday() == weekday
    assert dt.timedelta(days=1) <= resolved - reference <= dt.timedelta(days=7)


@given(references, st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2090, 12, 31)))
def test_same_day_expressions_take_the_previous_event_day(
    reference: dt.date, previous: dt.date
) -> None:
    for phrase in ("Earlier in the day", "later that day", "on the same day"):
        (mention,) = find_dates(f"{phrase}, they met.")
        assert resolve_relative_date(mention, reference, "past", previous) == previous


@given(
    st.sampled_from(["a", "one", "two", "three", "the"]),
    st.sampled_from(["after", "before", "later", "earlier"]),
)
def test_day_shift_counts_days_from_the_dated_clause(number: str, direction: str) -> None:
    n = {"a": 1, "one": 1, "the": 1, "two": 2, "three": 3}[number]
    unit = "day" if n == 1 else "days"
    shift = day_shift(f", {number} {unit} {direction} ")
    assert shift == (-n if direction in ("after", "earlier") else n)
    assert day_shift(", as the ministers ") is None


@pytest.mark.parametrize("direction", ["after", "since"])
def test_years_to_the_day_is_the_same_day_not_a_shift(direction: str) -> None:
    assert day_shift(f", sixty years to the day {direction} the treaty was signed, ") is None


@given(references, st.integers(min_value=-20, max_value=20))
def test_weekday_with_day_and_month_takes_the_year_that_makes_it_right(
    reference: dt.date, offset: int
) -> None:
    target = reference + dt.timedelta(days=offset)
    text = f"on {WEEKDAY_NAMES[target.weekday()]} ({target.day} {MONTH_NAMES[target.month - 1]})"
    mention = find_dates(text)[0]
    assert mention.weekday == target.weekday() and mention.year is None
    assert resolve_relative_date(mention, reference, "past") == target


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_a_full_date_round_trips_in_both_orders(day: dt.date) -> None:
    for text in (
        f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}",
        f"{MONTH_NAMES[day.month - 1]} {day.day}, {day.year}",
    ):
        (mention,) = find_dates(text)
        assert mention.is_complete
        assert resolve_relative_date(mention, None) == day


def test_a_wrong_weekday_is_rejected() -> None:
    # 1 March 2025 was a Saturday.
    (mention,) = find_dates("Monday, 1 March 2025")
    assert resolve_relative_date(mention, dt.date(2025, 3, 5)) is None


def test_next_weekday_and_same_day() -> None:
    friday = dt.date(2025, 3, 14)
    (nxt,) = find_dates("next Tuesday")
    assert resolve_relative_date(nxt, friday) == dt.date(2025, 3, 18)
    (later,) = find_dates("Later in the day")
    assert resolve_relative_date(later, friday, previous=dt.date(2025, 3, 13)) == dt.date(
        2025, 3, 13
    )


@given(st.integers(min_value=1960, max_value=2060), st.integers(min_value=1, max_value=60))
def test_reference_year_from_an_anniversary(base_year: int, number: int) -> None:
    event_year = base_year + number
    anchor = dt.date(event_year, 5, 20)
    text = (
        f"They met on {WEEKDAY_NAMES[anchor.weekday()]} (20 May), on the {number}th anniversary "
        f"of the accord signed on 20 May {base_year}."
    )
    assert infer_reference_date(text, None, NUMBERS, dt.date(2100, 1, 1)) == anchor


@given(st.integers(min_value=1960, max_value=2040), st.integers(min_value=2, max_value=60))
def test_reference_year_from_an_anniversary_dated_a_sentence_later(
    base_year: int, number: int
) -> None:
    """The earlier event's date told after the anniversary, a later year beside it."""
    text = (
        f"On 20 May, on the occasion of the {number}th anniversary of the Fisheries Accord, "
        "the two ministers met in the capital. The accord was signed in Apia on "
        f"20 May {base_year} and came into force on 2 January {base_year + 1}."
    )
    found = infer_reference_date(text, None, NUMBERS, dt.date(2100, 1, 1))
    assert found == dt.date(base_year + number, 5, 20)


def test_publication_date_wins_and_dateline_is_used_otherwise() -> None:
    published = dt.date(2024, 1, 2)
    assert infer_reference_date("Any text.", published, NUMBERS, dt.date(2026, 1, 1)) == published
    text = "Valletta, 3 October 2023\n\nThe ministers met today."
    assert infer_reference_date(text, None, NUMBERS, dt.date(2026, 1, 1)) == dt.date(2023, 10, 3)


@given(st.text(max_size=300))
def test_arbitrary_text_never_breaks_date_finding(text: str) -> None:
    for mention in find_dates(text):
        assert text[mention.start : mention.end] == mention.text
        resolve_relative_date(mention, dt.date(2025, 1, 1), "past")


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2080, 12, 31)))
def test_a_dateline_without_year_takes_it_from_the_text_and_the_weekday(day: dt.date) -> None:
    month = MONTH_NAMES[day.month - 1]
    weekday = WEEKDAY_NAMES[day.weekday()]
    text = (
        f"PORT LOUIS, {month} {day.day} (Agency) -- The ministers met on {weekday}. Trade "
        f"grew in {day.year - 1}."
    )
    found = infer_reference_date(text, None, NUMBERS, dt.date(2100, 1, 1))
    assert found is not None
    assert (found.month, found.day, found.weekday()) == (day.month, day.day, day.weekday())
    assert day.year - 1 <= found.year <= day.year


def test_a_dateline_without_year_and_no_year_in_the_text_stays_unresolved() -> None:
    text = "PORT LOUIS, May 20 (Agency) -- The ministers met on Tuesday."
    assert infer_reference_date(text, None, NUMBERS, dt.date(2100, 1, 1)) is None


def test_numeric_days_with_dots_and_slashes() -> None:
    dot = find_dates("talks on 16.11.2018 in Minsk")[0]
    assert (dot.day, dot.month, dot.year) == (16, 11, 2018)
    us = find_dates("on Thursday (3/17/2016)")[-1]
    assert (us.day, us.month, us.year) == (17, 3, 2016)
    # a part above 12 is the day; two parts of 12 or less without a weekday are no date
    assert (find_dates("on 17/03/2016")[0].day, find_dates("on 17/03/2016")[0].month) == (17, 3)
    assert find_dates("on 3/4/2016") == []


def test_this_morning_and_tonight_are_the_reference_day() -> None:
    reference = dt.date(2025, 3, 12)
    for text in ("met this morning", "a dinner tonight", "this afternoon"):
        mention = find_dates(text)[0]
        assert resolve_relative_date(mention, reference, "past") == reference


def test_an_agency_dateline_with_its_year_after_a_slash() -> None:
    found = find_dates("Addis Ababa February 15/2023 (ENA) The minister said")
    assert [(d.day, d.month, d.year) for d in found] == [(15, 2, 2023)]


@pytest.mark.parametrize(
    "phrase",
    [
        "At the end of the day",
        "by the close of the day",
        "That evening",
        "the same afternoon",
        "The same day",
        "That same day",
    ],
)
def test_phrases_of_the_same_day_continue_the_day_before_them(phrase: str) -> None:
    (found,) = find_dates(f"{phrase}, the president received the guest.")
    assert found.relative == "same-day"
    earlier = dt.date(2024, 7, 9)
    assert resolve_relative_date(found, dt.date(2024, 7, 12), previous=earlier) == earlier


@pytest.mark.parametrize("agency", ["(ONA) --", "(Agency) —", "-", ":"])
def test_a_dateline_opening_a_long_first_paragraph_is_the_day_of_writing(agency: str) -> None:
    text = (
        f"Tallinn, 21 May 2025 {agency} President Mart Kask received in audience at the "
        "palace today the visiting foreign minister of Latvia, who conveyed a written message "
        "from his president on the relations between the two countries.\n\nOn Sunday the "
        "ministers will meet again in Riga on 25 May."
    )
    assert infer_reference_date(text, None, NUMBERS, dt.date(2100, 1, 1)) == dt.date(2025, 5, 21)


def test_a_dateline_year_is_not_pushed_past_a_year_named_for_a_plan() -> None:
    text = (
        "TALLINN, September 10. Estonia hosted the ministers on Tuesday, a year after the "
        "crisis of September 2023.\n\nLatvia will hold the presidency in the first half of "
        "2026. The next round is due on Wednesday."
    )
    found = infer_reference_date(text, None, NUMBERS, dt.date(2100, 1, 1))
    assert found == dt.date(2024, 9, 10)  # a Tuesday, one year from 2023


@pytest.mark.parametrize(
    ("reference", "tense", "expected"),
    [
        (dt.date(2024, 10, 7), "past", dt.date(2024, 10, 4)),
        (dt.date(2024, 10, 2), "past", dt.date(2024, 9, 4)),
        (dt.date(2024, 10, 2), "future", dt.date(2024, 10, 4)),
        (dt.date(2024, 12, 20), "future", dt.date(2025, 1, 4)),
        (dt.date(2024, 10, 7), "unknown", dt.date(2024, 10, 4)),
    ],
)
def test_a_day_of_the_month_alone_is_of_the_nearest_month_the_tense_allows(
    reference: dt.date, tense: str, expected: dt.date
) -> None:
    (mention,) = find_dates("they met on the 4th")
    assert (mention.day, mention.month) == (4, None)
    assert resolve_relative_date(mention, reference, tense) == expected  # type: ignore[arg-type]


def test_a_day_of_the_month_before_its_month_is_the_whole_date() -> None:
    (mention,) = find_dates("on the 4th of July")
    assert (mention.day, mention.month) == (4, 7)

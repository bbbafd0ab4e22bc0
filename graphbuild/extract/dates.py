"""Date expressions in news text and their resolution to calendar dates.

News gives dates relative to the moment of writing ("on Tuesday", "Monday (3 March)",
"next Tuesday", "today"). They are resolved against a reference date: the publication date
when known, otherwise the text's own anchors (a dateline, a fully dated event, an anniversary
whose base year and number fix the year). A stated weekday must agree with the date.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
WEEKDAYS = {
    name: i
    for i, names in enumerate(
        [
            ("monday", "mon"),
            ("tuesday", "tue", "tues"),
            ("wednesday", "wed"),
            ("thursday", "thu", "thur", "thurs"),
            ("friday", "fri"),
            ("saturday", "sat"),
            ("sunday", "sun"),
        ]
    )
    for name in names
}
_MONTH_RE = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_WEEKDAY_RE = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"

Tense = Literal["past", "future", "unknown"]


@dataclass(frozen=True)
class DateMention:
    """A date expression found in text, before resolution."""

    start: int
    end: int
    text: str
    day: int | None = None
    month: int | None = None
    year: int | None = None
    weekday: int | None = None
    relative: str | None = None  # "today", "yesterday", "tomorrow", "next", "last", "same-day"

    @property
    def is_complete(self) -> bool:
        return self.day is not None and self.month is not None and self.year is not None


# Order matters: longer, more specific forms first; spans found are not re-matched.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "wd-d-m-y",
        re.compile(
            rf"\b(?P<wd>{_WEEKDAY_RE}),?\s*\(?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m>{_MONTH_RE})"
            rf"(?:,?\s+(?P<y>\d{{4}}))?\)?"
        ),
    ),
    (
        "wd-m-d-y",
        re.compile(
            rf"\b(?P<wd>{_WEEKDAY_RE}),?\s*\(?(?P<m>{_MONTH_RE})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?"
            rf"(?:,?\s+(?P<y>\d{{4}}))?\)?"
        ),
    ),
    (
        "d-m-y",
        re.compile(
            rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>{_MONTH_RE})"
            rf"(?:,?\s+(?P<y>\d{{4}})|/(?P<y2>\d{{4}}))?\b"
        ),
    ),
    (
        "m-d-y",
        re.compile(
            rf"\b(?P<m>{_MONTH_RE})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b"
            rf"(?:,?\s+(?P<y>\d{{4}})|/(?P<y2>\d{{4}})\b)?"
        ),
    ),
    ("iso", re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b")),
    ("next-wd", re.compile(rf"\b(?P<rel>next|last|this)\s+(?P<wd>{_WEEKDAY_RE})\b")),
    ("wd", re.compile(rf"\b(?P<wd>{_WEEKDAY_RE})\b")),
    # "16.11.2018": day, month, year with dots (the European order)
    (
        "d.m.y",
        re.compile(r"(?<![\d.])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>(?:19|20)\d{2})(?![\d.]\d)"),
    ),
    # "3/17/2016", "17/03/2016": the order is read off a part above 12 or a weekday beside it
    (
        "slash",
        re.compile(r"(?<![\d/])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>(?:19|20)\d{2})(?![\d/])"),
    ),
    # "met on the 4th", "on 4 th": a day of the month the story is in
    (
        "day",
        re.compile(r"\bon\s+(?:the\s+)?(?P<d>[1-9]|[12]\d|3[01])\s?(?:st|nd|rd|th)\b(?!\s+of\b)"),
    ),
    (
        "rel",
        re.compile(
            r"\b(?P<rel>today|tonight|this (?:morning|afternoon|evening)|yesterday|tomorrow|"
            r"(?:later|earlier)(?: on)? (?:in|on|during) the "
            r"(?:same )?(?:day|morning|afternoon|evening)|(?:later|earlier) (?:that|the same) "
            r"(?:day|morning|afternoon|evening)|(?:on )?(?:that|the) same day|"
            r"(?:at|by|towards?) the (?:end|close) of the day|"
            r"(?:that|the same) (?:morning|afternoon|evening|night))\b",
            re.I,
        ),
    ),
]


_SHIFT = re.compile(
    # not "sixty years to the day after the treaty was signed": the same day, years on
    r"\b(?<!to )(?P<n>a|one|two|three|four|five|six|the)\s+days?\s+"
    r"(?P<dir>after|before|later|earlier)\b",
    re.I,
)
_SHIFT_N = {"a": 1, "one": 1, "the": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


def day_shift(text: str) -> int | None:
    """Days from a dated clause to an event told after it: "…on Tuesday, a day after X met Y"
    -> -1; "…, two days before X met Y" -> +2; "on Monday …; a day later X met Y" -> +1.
    ``text`` lies between the date and the event's verb."""
    found = None
    for m in _SHIFT.finditer(text):
        found = m
    if found is None:
        return None
    n = _SHIFT_N[found.group("n").lower()]
    return -n if found.group("dir").lower() in ("after", "earlier") else n


def find_dates(text: str, offset: int = 0) -> list[DateMention]:
    """All date expressions in ``text``, in order, non-overlapping (offsets shifted by offset)."""
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    for _kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            groups = m.groupdict()
            month = MONTHS.get(groups["m"].rstrip(".").lower()) if groups.get("m") else None
            day = int(groups["d"]) if groups.get("d") else None
            if groups.get("m") and groups["m"].isdigit():
                month = int(groups["m"])
            # "Addis Ababa February 15/2023 (ENA)": an agency dateline's year after a slash
            year_text = groups.get("y") or groups.get("y2")
            year = int(year_text) if year_text else None
            weekday = WEEKDAYS.get(groups["wd"].lower()) if groups.get("wd") else None
            if groups.get("a"):
                order = _slash_order(int(groups["a"]), int(groups["b"]), year, text[:s])
                if order is None:
                    continue
                day, month = order
            rel = groups.get("rel")
            if day is not None and month is not None and not _valid_day(day, month, year):
                continue
            relative = None
            if rel:
                rel_l = rel.lower()
                same_day = ("later", "earlier", "on", "at ", "by ", "toward", "that ", "the same")
                relative = "same-day" if rel_l.startswith(same_day) else rel_l
                if rel_l.startswith(("this ", "tonight")) and groups.get("wd") is None:
                    relative = "today"  # "this morning", "tonight": the reference day
            taken.append((s, e))
            found.append(
                DateMention(s + offset, e + offset, m.group(0), day, month, year, weekday, relative)
            )
    found.sort(key=lambda d: d.start)
    return found


_WEEKDAY_BEFORE = re.compile(rf"\b(?P<wd>{_WEEKDAY_RE})\W{{0,3}}$")


def _slash_order(a: int, b: int, year: int | None, before: str) -> tuple[int, int] | None:
    """(day, month) of "a/b/year": a part above 12 is the day; else a weekday right before
    ("Thursday (3/17/2016)") decides; else the order is unknown."""
    options = [(d, m) for d, m in ((a, b), (b, a)) if m <= 12 and _valid_day(d, m, year)]
    if len(options) == 2 and a != b:
        wd = _WEEKDAY_BEFORE.search(before)
        if wd is None or year is None:
            return None
        weekday = WEEKDAYS[wd.group("wd").lower()]
        options = [(d, m) for d, m in options if dt.date(year, m, d).weekday() == weekday]
    return options[0] if len(options) >= 1 else None


def _valid_day(day: int, month: int, year: int | None) -> bool:
    try:
        dt.date(year if year is not None else 2000, month, day)  # 2000: leap, allows 29 Feb
    except ValueError:
        return False
    return True


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def year_for_weekday(day: int, month: int, weekday: int, not_after: dt.date) -> int | None:
    """Latest year, not after ``not_after``'s year + 1, in which day/month falls on weekday.

    The date itself must not lie more than a year after ``not_after`` (announced events
    can be a few months ahead of the reference date).
    """
    for year in range(not_after.year + 1, not_after.year - 60, -1):
        d = _safe_date(year, month, day)
        if d is not None and d.weekday() == weekday and d <= not_after + dt.timedelta(days=366):
            if year == not_after.year + 1 and d > not_after + dt.timedelta(days=300):
                continue
            return year
    return None


def resolve_relative_date(
    mention: DateMention,
    reference: dt.date | None,
    tense: Tense = "unknown",
    previous: dt.date | None = None,
) -> dt.date | None:
    """Resolve a date mention to a calendar date, or None when it cannot be fixed.

    ``previous`` is the date of the previously mentioned event (for "later in the day").
    """
    if mention.relative == "same-day":
        return previous or reference
    if reference is None:
        if mention.is_complete:
            return _checked(mention, mention.year, mention.month, mention.day)  # type: ignore[arg-type]
        return None
    if mention.relative in ("today", "yesterday", "tomorrow"):
        shift = {"today": 0, "yesterday": -1, "tomorrow": 1}[mention.relative]
        return reference + dt.timedelta(days=shift)
    if mention.day is not None and mention.month is not None:
        if mention.year is not None:
            return _checked(mention, mention.year, mention.month, mention.day)
        return _resolve_day_month(mention, reference, tense)
    if mention.weekday is not None:
        return _resolve_weekday(mention.weekday, reference, tense, mention.relative)
    if mention.day is not None:
        return _resolve_day_of_month(mention.day, reference, tense)
    return None


def _resolve_day_of_month(day: int, reference: dt.date, tense: Tense) -> dt.date | None:
    """ "on the 4th": that day of the reference's month, or of the month before (past) or
    after (future) when the reference has passed it or not yet reached it."""
    months = [(reference.year, reference.month + k) for k in (-1, 0, 1)]
    options = [
        d
        for y, m in months
        if (d := _safe_date(y + (m - 1) // 12, (m - 1) % 12 + 1, day)) is not None
    ]
    return _nearest(options, reference, tense)


def _nearest(options: list[dt.date], reference: dt.date, tense: Tense) -> dt.date | None:
    """The latest option not after the reference (past), the earliest not before it
    (future), else the closest; None when the tense allows none."""
    if tense == "past":
        past = [d for d in options if d <= reference]
        return max(past) if past else None
    if tense == "future":
        future = [d for d in options if d >= reference]
        return min(future) if future else None
    return min(options, key=lambda d: abs((d - reference).days)) if options else None


def _checked(mention: DateMention, year: int, month: int, day: int) -> dt.date | None:
    d = _safe_date(year, month, day)
    if d is None:
        return None
    if mention.weekday is not None and d.weekday() != mention.weekday:
        return None
    return d


def _resolve_day_month(mention: DateMention, reference: dt.date, tense: Tense) -> dt.date | None:
    assert mention.day is not None and mention.month is not None
    if mention.weekday is not None:
        # the year that makes the weekday right, nearest to the reference date
        candidates = [
            d
            for y in range(reference.year - 30, reference.year + 2)
            if (d := _safe_date(y, mention.month, mention.day)) is not None
            and d.weekday() == mention.weekday
        ]
        if not candidates:
            return None
        return min(candidates, key=lambda d: (abs((d - reference).days), d > reference))
    this_year = _safe_date(reference.year, mention.month, mention.day)
    options = [
        d
        for y in (reference.year - 1, reference.year, reference.year + 1)
        if (d := _safe_date(y, mention.month, mention.day)) is not None
    ]
    found = _nearest(options, reference, tense)
    return found if found is not None else this_year


def _resolve_weekday(
    weekday: int, reference: dt.date, tense: Tense, relative: str | None
) -> dt.date | None:
    delta_back = (reference.weekday() - weekday) % 7  # 0..6 days back to that weekday
    # 0..6 days ahead: the reference date's own weekday is that day itself ("On Thursday, X is
    # scheduled to meet Y" in a Thursday paper), in future as in past tense
    delta_fwd = (weekday - reference.weekday()) % 7
    if relative == "next":
        return reference + dt.timedelta(days=delta_fwd or 7)
    if relative == "last":
        return reference - dt.timedelta(days=delta_back or 7)
    if tense == "future":
        return reference + dt.timedelta(days=delta_fwd)
    if tense == "past":
        return reference - dt.timedelta(days=delta_back)
    # unknown tense: the nearest such day, preferring the past
    if delta_back <= (delta_fwd or 7):
        return reference - dt.timedelta(days=delta_back)
    return reference + dt.timedelta(days=delta_fwd)


_ANCHOR = re.compile(
    r"\b(?P<num>\w+(?:-\w+)?)\s+anniversary\b|\b(?P<num2>\d+|\w+)\s+years\s+(?:since|after|of)\b"
)


# Verbs that tell when the earlier event of an anniversary happened ("The treaty was signed on
# 26 April 1994").
BASE_CUE = re.compile(
    r"\b(?:established|signed|sign|signing|founded|adopted|concluded|opened|launched|set up)\b",
    re.I,
)
_SENTENCE_END = re.compile(r"[.!?][\"”’']?\s+(?=[A-Z\"“‘])")


def _base_year_later(text: str, start: int) -> int | None:
    """ "… the 30th anniversary of the treaty. The treaty was signed on 26 April 1994.": the
    year of the first dated founding verb in the next few sentences."""
    rest = text[start : start + 1200]
    for sentence in _SENTENCE_END.split(rest)[:4]:
        cue = BASE_CUE.search(sentence)
        if cue is None:
            continue
        dated = [d for d in find_dates(sentence[cue.end() :]) if d.year is not None]
        if dated:
            return dated[0].year
    return None


def anniversary_anchor_years(text: str, number_of: dict[str, int]) -> list[int]:
    """Years implied by "the Nth anniversary of … <date with year>" (base year + N), the
    date in the anniversary's sentence or told a sentence or a few on."""
    years = []
    for m in _ANCHOR.finditer(text):
        word = (m.group("num") or m.group("num2") or "").lower()
        n = number_of.get(word)
        if n is None:
            digits = re.match(r"(\d+)", word)
            n = int(digits.group(1)) if digits else None
        if not n:
            continue
        tail = text[m.end() : m.end() + 300]
        stop = re.search(r"[.;]\s", tail)
        tail = tail[: stop.start()] if stop else tail
        full = [d for d in find_dates(tail) if d.year is not None]
        if full:
            years.append(full[0].year + n)  # type: ignore[operator]
            continue
        later = _base_year_later(text, m.end() + len(tail))
        if later is not None:
            years.append(later + n)
    return years


# What ends a dateline: an agency in brackets, then a dash or a colon.
_DATELINE_END = re.compile(r"\s*(?:\([^()]{1,40}\)\s*)?(?:-{1,3}|[–—]|:)\s")


def infer_reference_date(
    text: str,
    published: dt.date | None,
    number_of: dict[str, int],
    today: dt.date,
) -> dt.date | None:
    """The date relative expressions are resolved against, following the annotation rules.

    Publication date first; else a dateline with a full date; else the year implied by an
    anniversary (or by the latest fully dated event) combined with a weekday+day+month
    mention or a partial dateline; else the latest year, not after today, in which a stated
    weekday+day+month is right.
    """
    if published is not None:
        return published
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    edge_lines = lines[:3] + lines[-2:]
    for line in edge_lines:
        if len(line) <= 80:
            full = [d for d in find_dates(line) if d.is_complete]
            if full:
                d = full[0]
                return dt.date(d.year, d.month, d.day)  # type: ignore[arg-type]
    if lines:
        # "Muscat, 21 May 2025 (ODA) -- His Majesty received …": a dateline that opens a
        # long first paragraph
        head = lines[0][:80]
        for d in find_dates(head):
            if d.is_complete and d.start <= 40 and _DATELINE_END.match(head, d.end):
                return dt.date(d.year, d.month, d.day)  # type: ignore[arg-type]
    mentions = find_dates(text)
    anchors = anniversary_anchor_years(text, number_of)
    complete_years = [d.year for d in mentions if d.is_complete and d.year is not None]
    anchor = max(anchors) if anchors else (max(complete_years) if complete_years else None)
    for d in mentions:
        if d.weekday is not None and d.day is not None and d.month is not None and d.year is None:
            found: dt.date | None = None
            if anchor is not None:
                options = [
                    x
                    for y in (anchor - 1, anchor, anchor + 1)
                    if (x := _safe_date(y, d.month, d.day)) is not None and x.weekday() == d.weekday
                ]
                if options:
                    found = min(options, key=lambda x: abs(x.year - anchor))
            if found is None:
                year = year_for_weekday(d.day, d.month, d.weekday, today)
                found = dt.date(year, d.month, d.day) if year is not None else None
            if found is not None:
                # "LUSAKA, March 12 - … on Tuesday, 11 March": the weekday fixes the year, the
                # dateline is the day of writing
                return _dateline_day_near(text, found) or found
    if anchor is not None:
        head = text[:200]
        for d in find_dates(head):
            if d.day is not None and d.month is not None and d.year is None:
                found = _safe_date(anchor, d.month, d.day)
                if found is not None:
                    return found
        complete = [
            dt.date(d.year, d.month, d.day)  # type: ignore[arg-type]
            for d in mentions
            if d.is_complete
        ]
        if complete and not anchors:
            return max(complete)
    return _dateline_with_year_from_text(text, mentions)


_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


def _partial_dateline(text: str) -> DateMention | None:
    """A dateline's day and month without a year ("LUSAKA, March 12 -")."""
    head = text.lstrip()[:60]
    dateline = next(
        (
            d
            for d in find_dates(head)
            if d.day is not None and d.month is not None and d.year is None and d.weekday is None
        ),
        None,
    )
    return dateline if dateline is not None and dateline.start <= 40 else None


def _dateline_day_near(text: str, near: dt.date) -> dt.date | None:
    """The day of a dateline without a year ("LUSAKA, March 12 -"), in the year that puts it
    closest to ``near`` and at most a month from it."""
    dateline = _partial_dateline(text)
    if dateline is None:
        return None
    assert dateline.day is not None and dateline.month is not None
    options = [
        x
        for y in (near.year - 1, near.year, near.year + 1)
        if (x := _safe_date(y, dateline.month, dateline.day)) is not None
    ]
    best = min(options, key=lambda x: abs((x - near).days), default=None)
    return best if best is not None and abs((best - near).days) <= 31 else None


def _dateline_with_year_from_text(text: str, mentions: list[DateMention]) -> dt.date | None:
    """ "BEIJING, April 18 (Agency) -- … on Tuesday …", with years elsewhere in the text: the
    year nearest to one the text names in which the dateline's day falls on a weekday the
    text names (a wire reports the dateline's day by its weekday). Without a year in the
    text the day stays unresolved: several years fit a weekday."""
    dateline = _partial_dateline(text)
    if dateline is None:
        return None
    years = [int(y) for y in _YEAR.findall(text)]
    weekdays = {d.weekday for d in mentions if d.weekday is not None and d.day is None}
    if not years or not weekdays:
        return None
    assert dateline.day is not None and dateline.month is not None
    fitting = [
        day
        for year in range(min(years) - 1, max(years) + 8)
        if (day := _safe_date(year, dateline.month, dateline.day)) is not None
        and day.weekday() in weekdays
    ]
    if not fitting:
        return None
    # the year nearest to one the text names, so a year named for a plan ("the presidency in
    # the first half of 2026") does not push the day past it; on a tie, the weekday the text
    # names first (the lead's), then the later year
    first = next(d.weekday for d in mentions if d.weekday is not None and d.day is None)
    return min(
        fitting,
        key=lambda d: (min(abs(d.year - y) for y in years), d.weekday() != first, -d.year),
    )

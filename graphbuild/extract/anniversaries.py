"""Anniversaries: "the 30th anniversary of the Treaty of X", "a quarter-century after …".

The phrase gives the number of years; the earlier event is an agreement named after it
(a signing) or a dated event, and the date it marks is the year the phrase counts back to.
These are the text rules; :mod:`graphbuild.extract.event_anniversaries` ties each
anniversary to the event that marks it.
"""

from __future__ import annotations

import re

from spacy.tokens import Span

from graphbuild.extract import lexicon
from graphbuild.extract.dates import find_dates

_ORDINAL_NUM = re.compile(r"^(\d+)(?:st|nd|rd|th)$")
ANNIVERSARY_PHRASE = re.compile(
    r"\b(?P<num>[\w-]+)\s+anniversary\b|"
    r"\b(?:mark(?:s|ed|ing)?|celebrat(?:e|es|ed|ing)|commemorat(?:e|es|ed|ing))\s+"
    r"(?:the\s+)?(?P<num2>[\w-]+)\s+years\s+(?:since|of)\b|"
    r"\b(?P<num3>[\w-]+)\s+years\s+(?:to\s+the\s+day\s+)?(?:since|after)\b|"
    r"\ba\s+(?P<span>quarter[- ]century|decade|half[- ]century|century)\s+(?:after|since)\b"
)
_AGREEMENT = re.compile(
    r"(?:the\s+)?(?P<name>(?:[A-Z][\w'’-]*\s+(?:(?:on|of|for|and|the)\s+)*){0,8}?"
    r"(?:" + "|".join(lexicon.AGREEMENT_HEADS) + r"|treaty|accord|agreement|declaration)"
    r"(?:\s+(?:on|of|for|between|and|the|[A-Z][\w'’-]*)(?=\s|$|,|\.))*)"
)


def anniversary_number(word: str | None) -> int | None:
    if not word:
        return None
    w = word.lower()
    if w in lexicon.ORDINAL_WORDS:
        return lexicon.ORDINAL_WORDS[w]
    m = _ORDINAL_NUM.match(w)
    if m:
        return int(m.group(1))
    if w.isdigit():
        return int(w)
    if w in lexicon.CARDINAL_WORDS:
        return lexicon.CARDINAL_WORDS[w]
    return None


def anniversary_spans(sent: Span) -> list[tuple[int, int]]:
    spans = []
    text = sent.text
    for m in ANNIVERSARY_PHRASE.finditer(text):
        start = sent.start_char + m.start()
        dates = [
            d for d in find_dates(text[m.end() :], sent.start_char + m.end()) if d.year is not None
        ]
        end = dates[0].end if dates else sent.start_char + m.end()
        spans.append((start, end))
    # "signed on <date>", "established on <date>", "of <date>" describe earlier events
    for m in re.finditer(
        r"\b(?:signed|signing|established|agreed|restored|founded|adopted|entered into force)\b"
        r"[^.;]{0,80}?\b(?:on|in)\s+",
        text,
    ):
        dates = find_dates(text[m.end() :], sent.start_char + m.end())
        # a calendar date; "agreed on Monday" is the news of the day, not an earlier event
        if (
            dates
            and dates[0].start - (sent.start_char + m.end()) < 3
            and (dates[0].year is not None or dates[0].month is not None)
        ):
            spans.append((sent.start_char + m.start(), dates[0].end))
    return spans


def agreement_in(phrase: str, offset: int) -> tuple[int, int, str] | None:
    for am in _AGREEMENT.finditer(phrase):
        name = am.group("name").strip()
        name = re.sub(r"\s+(?:on|of|for|between|and|the)$", "", name)
        name = re.sub(r"\s+(?:in|at)\s.*$", "", name)
        if not any(ch.isupper() for ch in name):
            continue
        words = name.split()
        if len(words) < 2:
            continue
        if name.lower().startswith(("signing", "establishment")):
            continue
        start = offset + am.start("name")
        return (start, start + len(name), name)
    return None

"""Which event an anniversary belongs to, and the earlier event it marks.

:mod:`graphbuild.extract.anniversaries` reads the phrase ("the 30th anniversary of the
Treaty of X"); these rules tie it to the meeting or ceremony that marks it, which may be a
sentence back or made for the phrase alone, and date the earlier event by the years it
counts back. They need the events found so far and the story's day, so they are mixed into
:class:`graphbuild.extract.events.EventExtractor` as well.
"""

from __future__ import annotations

import datetime as dt
import re

from spacy.tokens import Span

from graphbuild.extract import lexicon
from graphbuild.extract.anniversaries import (
    ANNIVERSARY_PHRASE,
    agreement_in,
    anniversary_number,
    anniversary_spans,
)
from graphbuild.extract.dates import BASE_CUE, DateMention, Tense, find_dates, resolve_relative_date
from graphbuild.extract.event_dating import DayContext, EventDating
from graphbuild.extract.event_facts import AnniversaryFact, EventFact

# The people of the meeting just told, as the subject of a sentence that marks an anniversary.
_SIDES_SUBJECT = re.compile(
    r"(?:^|,\s*)(?:[Tt]hey|[Tt]he two (?:sides|ministers|leaders|parties)|[Bb]oth sides)\s+"
    r"(?:also\s+)?(?:highlighted|marked|celebrated|commemorated|hailed)\b"
)

# Celebrations that mark an anniversary on its day ("Receptions marked 60 years since …").
_CELEBRATION = re.compile(
    r"\b(?:receptions?|ceremon(?:y|ies)|celebrations?|festivities|commemorations?|events?|"
    r"gala|concerts?)\b[^.;]{0,80}\b(?:mark|celebrat|commemorat)\w*\s",
    re.I,
)


def _safe_day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


# What dates the earlier event of an anniversary in a following sentence.
# Words before an anniversary phrase that make the day the anniversary itself: "<date>
# corresponds to / marks / is the Nth anniversary", "on the Nth anniversary", "<date>, the Nth
# anniversary".
_EXACT_DAY = re.compile(
    r"(?:\b(?:corresponds?|corresponding|coincides?|coinciding) (?:to|with)|\bmarks|\bmarked|"
    r"\b(?:is|was|will be|falls on|fell on)|,\s+on|,)\s+(?:the\s+|its\s+|their\s+)?$"
)


def _exact_day(before: str) -> bool:
    """Whether the words before an anniversary phrase make a day they name the anniversary
    itself: a date right before "corresponds to / marks / is / , on / ," the phrase."""
    cue = _EXACT_DAY.search(before)
    if cue is None:
        return False
    near = before[max(0, cue.start() - 40) : cue.start()]
    dates = find_dates(near)
    return bool(dates) and dates[-1].end >= len(near) - 2


# A sentence that does something "to mark this occasion" goes back to the anniversary before.
_TO_MARK_OCCASION = re.compile(
    r"\b(?:to|in order to)\s+(?:mark|celebrate|commemorate|honou?r)\s+(?:this|the|that)\s+"
    r"(?:\w+\s+)?(?:occas+ion|anniversary|day|milestone|event)\b",
    re.I,
)


class EventAnniversaries(EventDating):
    """The anniversary rules of :class:`graphbuild.extract.events.EventExtractor`, which they
    are mixed into; ``anniversaries`` is the extractor's field, named here for the type
    checker."""

    anniversaries: list[AnniversaryFact]

    def _date_from_occasion(self) -> None:
        """ "1 March is the 100th anniversary of … To mark this occasion, X will be joined by
        Y …": an undated meeting done to mark an anniversary just told takes its day."""
        for ev in self.events:
            if ev.kind not in ("Meeting", "ScheduledMeeting") or ev.date is not None or ev.sequel:
                continue
            sent = self.parsed.sentences[ev.sentence]
            if not _TO_MARK_OCCASION.search(sent.text):
                continue
            for a in self.anniversaries:
                marked = self.events[a.event]
                if (
                    marked.date is not None
                    and marked.kind == "Event"
                    and 0 < ev.sentence - marked.sentence <= 2
                ):
                    ev.date = marked.date
                    break

    def _anniversaries_in(self, sent: Span, si: int, first_new_event: int) -> None:
        text = sent.text
        for m in ANNIVERSARY_PHRASE.finditer(text):
            if self.parsed.in_quote(sent.start_char + m.start()):
                continue
            number = anniversary_number(m.group("num") or m.group("num2") or m.group("num3"))
            if m.group("span"):
                number = lexicon.SPAN_WORDS.get(
                    m.group("span").replace(" ", "-"), lexicon.SPAN_WORDS.get(m.group("span"))
                )
            if not number:
                continue
            after = text[m.end() :]
            base_dates = [
                d for d in find_dates(after, sent.start_char + m.end()) if d.year is not None
            ]
            if not base_dates:
                # "… the 70th anniversary of diplomatic relations. They were established on
                # 15 May 1955.": the earlier event dated one or two sentences on
                base_dates = self._base_date_after(si)
            # the event that marks it
            n_events = len(self.events)
            event_index = self._marking_event(sent, si, first_new_event, m.start())
            if event_index is None and base_dates:
                event_index = self._celebration_on_the_day(
                    sent, si, m.start(), base_dates[0], number
                )
            if event_index is None:
                continue
            event = self.events[event_index]
            made = event_index >= n_events  # a dated event made for this phrase alone
            of_date = None
            phrase_end = sent.end_char
            if base_dates:
                base = base_dates[0]
                of_date = dt.date(base.year, base.month, base.day)  # type: ignore[arg-type]
                if (
                    event.date is not None
                    and event.date.year - of_date.year != number
                    and not m.group("span")
                ):
                    of_date = None
                elif base.start < sent.end_char:
                    phrase_end = base.start
            if (
                of_date is None
                and event.date is not None
                and ("to the day" in text or _exact_day(text[: m.start()]))
            ):
                # "1 March corresponds to the 100th anniversary of …", "met on Monday, the
                # 60th anniversary of …": the day itself is the anniversary
                try:
                    of_date = event.date.replace(year=event.date.year - number)
                except ValueError:
                    of_date = None
            if of_date is None:
                if made:
                    del self.events[event_index:]
                continue
            if made and event.date is not None:
                # "… marked the anniversary with a ceremony on Wednesday. On the sidelines of
                # the ceremony, X received Y": the day goes on to what follows
                self._set_context(DayContext(si, event.date, None))
            phrase = self.parsed.text[sent.start_char + m.end() : phrase_end]
            if base_dates and base_dates[0].start >= sent.end_char:
                # the earlier event told in a later sentence: its agreement is named there
                base_sent = self.parsed.sentences[self.parsed.sentence_index(base_dates[0].start)]
                later = self.parsed.text[base_sent.start_char : base_dates[0].start]
                if agreement_in(phrase, sent.start_char + m.end()) is None and agreement_in(
                    later, base_sent.start_char
                ):
                    phrase, phrase_start = later, base_sent.start_char
                    phrase_end = base_dates[0].start
                else:
                    phrase_start = sent.start_char + m.end()
            else:
                phrase_start = sent.start_char + m.end()
            agreement = agreement_in(phrase, phrase_start)
            signatories = []
            if agreement is not None:
                a_end = agreement[1]
                tail = self.parsed.text[agreement[0] : min(phrase_end, a_end + 80)]
                btw = re.search(r"\bbetween\b(.+)", tail)
                if btw:
                    bs = agreement[0] + btw.start(1)
                    be = agreement[0] + btw.end(1)
                    for g in self.mentions.geo_in(bs, be):
                        if g.entry.type == "Country" and g.entry.label not in signatories:
                            signatories.append(g.entry.label)
            kind = "Signing" if agreement is not None else "Event"
            label = None
            if agreement is None:
                lab = re.sub(r"^\s*(?:of|since|after)\s+(?:the\s+)?", "", phrase).strip(" ,")
                label = lab[:120] or None
            base_event = EventFact(
                kind,
                [],
                of_date,
                None,
                sent.start_char,
                sent.end_char,
                "anniversary.base",
                0.8,
                si,
                label=label,
                agreement=agreement,
                signatories=signatories,
            )
            self.events.append(base_event)
            self.anniversaries.append(
                AnniversaryFact(
                    event_index,
                    len(self.events) - 1,
                    number,
                    sent.start_char + m.start(),
                    sent.end_char,
                    "anniversary.phrase",
                )
            )

    def _base_date_after(self, si: int) -> list[DateMention]:
        for sent in self.parsed.sentences[si + 1 : si + 5]:
            text = sent.text
            cue = BASE_CUE.search(text)
            if cue is None:
                continue
            dates = [
                d
                for d in find_dates(text[cue.end() :], sent.start_char + cue.end())
                if d.year is not None and d.day is not None
            ]
            if dates:
                return dates[:1]
        return []

    def _celebration_on_the_day(
        self, sent: Span, si: int, pos: int, base: DateMention, number: int
    ) -> int | None:
        """ "Receptions in A and B marked 60 years since the treaty was signed on 22 June
        1965": a celebration on the anniversary's own day, when that day is near the
        reference date (the story is about it, not a history of it)."""
        if not _CELEBRATION.search(sent.text[: pos + 16]) or self.reference is None:
            return None
        if base.year is None or base.month is None or base.day is None:
            return None
        day = _safe_day(base.year + number, base.month, base.day)
        if day is None or abs((day - self.reference).days) > 14:
            return None
        self.events.append(
            EventFact(
                "Event", [], day, None, sent.start_char, sent.end_char, "anniversary.day", 0.6, si
            )
        )
        return len(self.events) - 1

    def _marking_event(self, sent: Span, si: int, first_new: int, pos: int) -> int | None:
        new = [
            i
            for i in range(first_new, len(self.events))
            if self.events[i].kind in ("Meeting", "ScheduledMeeting")
        ]
        if new:
            return new[0]
        subj = sent.text[:pos].lower()
        refers_back = re.search(
            r"\b(?:the|this|that)\s+(?:meeting|visit|talks|summit|trip|gathering|ceremony|event|"
            r"session|exchange|discussions?|audience|conversation|encounter)\b",
            subj,
        ) or (
            # "They highlighted the 63rd anniversary of …" right after the meeting: its people
            _SIDES_SUBJECT.search(subj)
            and any(ev.kind == "Meeting" and 0 < si - ev.sentence <= 1 for ev in self.events[-3:])
        )
        if refers_back:
            for i in range(len(self.events) - 1, -1, -1):
                ev = self.events[i]
                if ev.kind in ("Meeting", "ScheduledMeeting") and si - ev.sentence <= 4:
                    return i
        # a dated event without named participants ("the ministers met … on the anniversary")
        dates = [
            d
            for d in self._dates(sent, anniversary_spans(sent))
            if d.start < sent.start_char + pos or True
        ]
        for d in dates:
            tense: Tense = (
                "future"
                if re.search(
                    r"\bwill\b|\bdue to\b|\bscheduled\b|\bagreed to\b|\bto be held\b|"
                    r"\bplan(?:s|ned)? to\b",
                    sent.text,
                )
                else "past"
            )
            date = resolve_relative_date(
                d, self.reference, tense, self._context.date if self._context else None
            )
            if date is not None:
                self.events.append(
                    EventFact(
                        "Event",
                        [],
                        date,
                        None,
                        sent.start_char,
                        sent.end_char,
                        "anniversary.event",
                        0.7,
                        si,
                    )
                )
                return len(self.events) - 1
        return None

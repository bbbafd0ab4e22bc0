"""When a meeting took place: the dates of a sentence, and the day the story is at.

A meeting is seldom dated in its own clause; its day comes from the sentence before, an
arrival, the n-th day of a visit or the next sentence, and a date in the sentence may belong
to a report, a span or another event instead. These rules read and move the day the story is
at (:class:`DayContext`), which the meeting frames of :mod:`graphbuild.extract.events` leave
for the meetings after them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from spacy.tokens import Span, Token

from graphbuild.extract import lexicon
from graphbuild.extract.anniversaries import anniversary_spans
from graphbuild.extract.coref import Resolver
from graphbuild.extract.dates import DateMention, Tense, find_dates, resolve_relative_date
from graphbuild.extract.document import ParsedArticle, subtree_range
from graphbuild.extract.event_facts import EventFact, PlaceRef
from graphbuild.extract.meeting_status import REPORTING_VERBS, verb_chain
from graphbuild.extract.mentions import MentionIndex

# ", Minister of …" after a name: the office its holder is introduced with.
_TITLE_AFTER = re.compile(r",\s+(?:the\s+)?(?:(?:Deputy|Vice|Acting|Chief)\s+)?([A-Z][a-z]+)\b")
_OFFICES_AFTER_NAME = lexicon.ROLE_NOUNS | {
    "speaker",
    "governor",
    "ambassador",
    "senator",
    "director",
    "attorney",
    "mayor",
}

# "on the first day (of the visit)", "on the second": a day counted within a visit.
_NTH_DAY = re.compile(
    r"\b[Oo]n\s+(?:the\s+)?(?P<nth>first|second|third|fourth|fifth)(?P<day>\s+day\b)?"
)

# "18–19 August", "from 3 to 5 May", "March 14-16": the days a visit spans.
_DAY_RANGE = re.compile(
    r"\b(?P<a>\d{1,2})\s*(?:–|-|to|and)\s*(?P<b>\d{1,2})\s+(?:January|February|March|April|"
    r"May|June|July|August|September|October|November|December)\b|"
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December)\s+(?P<c>\d{1,2})\s*(?:–|-|to|and)\s*(?P<d>\d{1,2})\b"
)

# Verbs of arriving whose day dates the receptions told after them.
_ARRIVAL_VERBS = frozenset({"arrive", "land"})
# Verbs of a visit told as a noun: "paid / made / began a visit".
_VISIT_VERBS = frozenset({"pay", "make", "undertake", "begin", "start", "conduct"})

# How many sentences a date given to one meeting carries to an undated one that follows.
CONTEXT_WINDOW = 4

_VISIT_NOUNS = frozenset({"visit", "trip", "tour"})
TRAVEL_VERBS = frozenset({"arrive", "visit", "travel", "fly", "land"})

# A sentence that goes on about the meeting just reported.
REFERS_TO_MEETING = re.compile(
    r"\s*(?:The|This|That|Their|These)\s+(?:\w+\s+){0,2}?(?:meeting|meetings|talks|audience|"
    r"visit|session|discussions?|encounter|consultations|reception|courtesy call|lunch|"
    r"luncheon|dinner|breakfast|ceremony)\b",
)

# "a bilateral meeting between Indonesia and Australia": a meeting of two states.
_BETWEEN_PARTIES = re.compile(
    r"\b(?:meeting|talks|consultations|summit)\s+between\s+((?:the\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*"
    r"\s+and\s+(?:the\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)"
)

# "prior to the forum on", "ahead of next week's summit in Bali on": the day of what a
# meeting comes before.
_BEFORE_EVENT = re.compile(
    r"\b(?:[Pp]rior to|[Aa]head of|[Bb]efore)\s+(?:the\s+|a\s+|its\s+|their\s+)?"
    r"(?:[\w'’-]+\s+){0,5}?(?:forum|summit|conference|meeting|session|visit|trip|"
    r"ceremony|election|talks|process|assembly|congress)\b[^,.;]{0,40}?\bon\s+$"
)


def sub_clauses(head: Token, tok: Token) -> list[tuple[int, int]]:
    """Character ranges of the clauses inside ``head``'s that do not hold the trigger: a
    relative, adverbial or reported clause has its own time ("X, who took office on 2 May,
    met Y"; "X said the summits in May were a success, in his meeting with Y")."""
    out = []
    for d in head.subtree:
        if d.i != head.i and d.dep_ in ("relcl", "acl", "advcl", "ccomp", "parataxis"):
            if not any(t.i == tok.i for t in d.subtree):
                out.append(subtree_range(d))
    return out


def outside_of(pos: int, ranges: list[tuple[int, int]]) -> bool:
    return not any(s <= pos < e for s, e in ranges)


@dataclass
class DayContext:
    """The sentence, day and place of the meeting or visit told last."""

    sentence: int
    date: dt.date | None
    place: PlaceRef | None


_MONTH_OR_YEAR = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|(?:19|20)\d\d|(?:last|this|next) (?:month|year))\b",
    re.I,
)


class EventDating:
    """The dating rules of :class:`graphbuild.extract.events.EventExtractor`, which they are
    mixed into: they read the article and the events found so far, and move the story's day.
    The attributes are the extractor's fields, named here for the type checker."""

    parsed: ParsedArticle
    mentions: MentionIndex
    resolver: Resolver
    reference: dt.date | None
    events: list[EventFact]
    _context: DayContext | None
    _past_day: dt.date | None

    def _day_of_visit(
        self, sent: Span, clause: tuple[int, int], tok: Token, si: int
    ) -> dt.date | None:
        """ "a two-day visit on 18–19 August … talks with X on the first day and with Y on
        the second": the n-th day of the dated visit just told."""
        text = self.parsed.text[sent.start_char : sent.end_char]
        rel = tok.idx - sent.start_char
        days = [m for m in _NTH_DAY.finditer(text) if m.group("day") or "day" in text[: m.start()]]
        after = [m for m in days if m.start() > rel]
        before = [m for m in days if m.start() < rel]
        found = after[0] if after else (before[-1] if before else None)
        if found is None:
            return None
        ctx = self._context
        if ctx is None or ctx.date is None or self._distance(ctx.sentence, si) > CONTEXT_WINDOW:
            return None
        span = _DAY_RANGE.search(self.parsed.sentences[ctx.sentence].text)
        if span is None:
            return None
        first, last = (
            int(span.group("a") or span.group("c")),
            int(span.group("b") or span.group("d")),
        )
        if ctx.date.day not in (first, last) or not first < last:
            return None
        n = lexicon.ORDINAL_WORDS.get(found.group("nth").lower(), 0)
        if not 1 <= n <= last - first + 1:
            return None
        return ctx.date.replace(day=first + n - 1)

    def _first_day_of_visit(self, si: int) -> dt.date | None:
        """The earliest day told in the last sentences that speak of a visit (or the day
        of the meeting just told)."""
        for back in range(si - 1, max(-1, si - 5), -1):
            sent = self.parsed.sentences[back]
            if not re.search(r"\b(?:visit|tour|trip|stay)\b", sent.text, re.I):
                continue
            days = [
                resolve_relative_date(d, self.reference, "past")
                for d in find_dates(sent.text, sent.start_char)
            ]
            found = [d for d in days if d is not None]
            if found:
                return min(found)
        ctx = self._context
        if ctx is not None and ctx.date is not None and self._distance(ctx.sentence, si) <= 2:
            return ctx.date
        return None

    def _set_context(self, ctx: DayContext) -> None:
        self._context = ctx
        if ctx.date is not None and (self.reference is None or ctx.date <= self.reference):
            self._past_day = ctx.date

    def _arrival_day(self, sent: Span, si: int, anniv_spans: list[tuple[int, int]]) -> bool:
        """ "X arrived in Nairobi on Monday. At the airport he was greeted by Y": the day of
        an arrival dates the receptions told after it. True when the sentence told one."""
        for tok in sent:
            if tok.lemma_.lower() in _ARRIVAL_VERBS and tok.tag_ == "VBD":
                verb = tok
            elif (
                tok.lemma_.lower() == "visit"
                and tok.pos_ == "NOUN"
                and tok.dep_ in ("dobj", "obj")
                and tok.head.lemma_.lower() in _VISIT_VERBS
                and tok.head.tag_ == "VBD"
            ):
                # "X paid a three-day visit to Kenya from 9 to 11 March"
                verb = tok.head
            else:
                continue
            clause = subtree_range(verb)
            skip = sub_clauses(verb, verb)
            dates = [
                d
                for d in self._dates(sent, anniv_spans)
                if clause[0] <= d.start < clause[1]
                and outside_of(d.start, skip)
                and not self._since(d.start)
            ]
            if dates:
                before = self._context
                self._remember(si, dates, None, "past")
                now = self._context.date if self._context is not None else None
                if (
                    before is not None
                    and before.date is not None
                    and now is not None
                    and (now < before.date)
                ):
                    # "… hosted them on Thursday. They arrived on Wednesday evening.": an
                    # arrival told after the day's meeting is its background
                    self._set_context(before)
                return True
        return False

    def _dates(
        self, sent: Span, anniv_spans: list[tuple[int, int]], quote: object | None = None
    ) -> list[DateMention]:
        """The sentence's dates outside quotations (inside ``quote`` only, when given)."""
        out = []
        for d in find_dates(sent.text, sent.start_char):
            q = self.parsed.in_quote(d.start)
            if q != quote:
                continue
            if any(s <= d.start < e for s, e in anniv_spans):
                continue
            dl = self.parsed.dateline
            if dl is not None and dl[0] <= d.start < dl[1]:
                continue
            if self._name_goes_on(d):
                continue
            out.append(d)
        return out

    def _name_goes_on(self, d: DateMention) -> bool:
        """ "Dr. Godwin Friday": a bare weekday that ends a person's name (the name's words
        hang on it), unlike "X Friday met Y", where the day modifies the verb."""
        if d.weekday is None or d.day is not None or d.relative is not None:
            return False
        tok = self.parsed.token_at(d.start)
        if tok is None or tok.i == 0:
            return False
        prev = tok.doc[tok.i - 1]
        if not any(
            m.end == prev.idx + len(prev.text)
            for m in self.mentions.persons_in(max(0, d.start - 60), d.start)
        ):
            return False
        if prev.dep_ == "compound" and prev.head.i == tok.i:
            return True
        # "Dr. Amos Friday, Minister of Health": the office follows the full name
        title = _TITLE_AFTER.match(self.parsed.text, d.end)
        return title is not None and title.group(1).lower() in _OFFICES_AFTER_NAME

    def _conjunct_vague_time(self, sent: Span, head: Token) -> bool:
        """ "X first visited Dhaka in March and met Y": a verb joined to another shares the
        time told on that one (not a time inside its own part or a clause of its own)."""
        if head.dep_ != "conj" or head.head.pos_ not in ("VERB", "AUX"):
            return False
        first = head.head
        own = range(head.left_edge.i, head.right_edge.i + 1)
        for child in first.children:
            if child.i in own or child.dep_ not in ("prep", "npadvmod", "advmod"):
                continue
            s, e = child.left_edge.idx, child.right_edge.idx + len(child.right_edge)
            for ent in self.parsed.ents_in(sent):
                # a month or a year, not a span ("for the one-day visit") or a day
                if (
                    ent.label_ == "DATE"
                    and s <= ent.start_char < e
                    and _MONTH_OR_YEAR.search(ent.text)
                    and not find_dates(ent.text)
                ):
                    return True
        return False

    def _vague_time(
        self, sent: Span, clause: tuple[int, int], skip: list[tuple[int, int]] | None = None
    ) -> bool:
        for ent in self.parsed.ents_in(sent):
            if (
                ent.label_ == "DATE"
                and clause[0] <= ent.start_char < clause[1]
                and outside_of(ent.start_char, skip or [])
                # "the recovery from January's eruption": the time of a thing, not of the act
                and not re.match(r"['’]s\b", self.parsed.text[ent.end_char : ent.end_char + 3])
                and not ent.text.endswith(("'s", "’s"))
                # "after two years of closed borders", "for three decades": a span of time
                and not re.match(r"\s+of\b", self.parsed.text[ent.end_char : ent.end_char + 4])
                and not re.search(
                    r"\bfor\s+$", self.parsed.text[ent.start_char - 5 : ent.start_char]
                )
            ):
                if not find_dates(ent.text):
                    return True
        return False

    def _date_from_next_sentence(self) -> None:
        """ "X met Y in Hanoi. The talks, held on Monday, …": a date the next sentence gives
        to the meeting it refers back to."""
        for ev in self.events:
            if ev.kind not in ("Meeting", "ScheduledMeeting") or ev.date is not None or ev.sequel:
                continue
            if ev.sentence + 1 >= len(self.parsed.sentences):
                continue
            nxt = self.parsed.sentences[ev.sentence + 1]
            if any(e.sentence == ev.sentence + 1 for e in self.events):
                continue
            dates = []
            if REFERS_TO_MEETING.match(nxt.text):
                dates = self._dates(nxt, anniversary_spans(nxt))
            elif self._between_their_parties(ev, nxt):
                # "X is to meet Y. 'There will be a bilateral meeting between A and B on 21
                # March,' the spokesman said": a meeting of their two states, dated
                dates = [d for d in find_dates(nxt.text, nxt.start_char) if d.day is not None]
            tense: Tense = "future" if ev.kind == "ScheduledMeeting" else "past"
            for d in dates:
                date = resolve_relative_date(d, self.reference, tense)
                if date is not None:
                    if (
                        ev.kind == "Meeting"
                        and self.reference is not None
                        and date > self.reference + dt.timedelta(days=1)
                    ):
                        break
                    ev.date = date
                    break

    def _between_their_parties(self, ev: EventFact, sent: Span) -> bool:
        m = _BETWEEN_PARTIES.search(sent.text)
        if m is None:
            return False
        named = {
            g.entry.label
            for g in self.mentions.geo_in(sent.start_char + m.start(1), sent.start_char + m.end(1))
            if g.entry.type == "Country"
        }
        theirs = [set(self.resolver.parties.get(p, [])) for p in ev.participants]
        return (
            len(named) == 2
            and len(theirs) == 2
            and all(t & named for t in theirs)
            and theirs[0] & named != theirs[1] & named
        )

    def _distance(self, earlier: int, later: int) -> int:
        """Sentences from ``earlier`` to ``later`` that tell the story: a quoted post or
        statement between them does not move the narrative on."""
        return sum(
            1 for s in self.parsed.sentences[earlier + 1 : later + 1] if not self._mostly_quoted(s)
        )

    def _mostly_quoted(self, sent: Span) -> bool:
        quoted = 0
        for t in sent:
            if self.parsed.in_quote(t.idx) is not None:
                quoted += len(t.text)
        return quoted * 2 > len(sent.text.strip())

    def _before_something(self, pos: int, trigger: Token) -> bool:
        """Whether the date at ``pos`` dates what a meeting comes before ("prior to / ahead
        of / before the summit on Friday")."""
        start = max(0, pos - 80)
        cue = _BEFORE_EVENT.search(self.parsed.text[start:pos])
        if cue is not None and not start + cue.start() <= trigger.idx < pos:
            return True
        tok = self.parsed.token_at(pos)
        for _ in range(12):
            if tok is None or tok.i == trigger.i:
                return False
            if tok.lower_ in ("prior", "ahead", "before") and tok.dep_ in ("advmod", "prep"):
                return True
            if tok.head.i == tok.i:
                return False
            tok = tok.head
        return False

    def _report_day(self, pos: int, head: Token) -> bool:
        """Whether the date at ``pos`` is the day of a report whose content is the meeting
        ("X met Y, the ministry said on Tuesday", "the ministry said Tuesday that X had met
        Y"), not of the meeting itself."""
        tok = self.parsed.token_at(pos)
        verb = None
        for _ in range(6):
            if tok is None or tok.head.i == tok.i:
                break
            tok = tok.head
            if tok.pos_ in ("VERB", "AUX"):
                verb = tok
                break
        if verb is None or verb.lemma_.lower() not in REPORTING_VERBS:
            return False
        chain = verb_chain(head)
        if any(t.i == verb.i for t in chain):
            return False
        top = chain[-1]
        if verb.dep_ in ("parataxis", "ccomp") and verb.head.i == top.i:
            return True  # "X met Y, the ministry said on Tuesday" read the other way round
        t = top
        for _ in range(8):
            if t.head.i == t.i:
                return False
            if t.head.i == verb.i:
                return t.dep_ in ("ccomp", "parataxis")
            if t.dep_ not in ("ccomp", "conj", "xcomp", "advcl"):
                return False
            t = t.head
        return False

    def _day_of_a_visit(self, sent: Span, si: int, anniv_spans: list[tuple[int, int]]) -> None:
        """ "A and B agreed on Tuesday to …, as X paid her first visit to Z. X was hosted by
        Y": the one day of a sentence that tells of a visit dates the meetings after it."""
        if self._context is not None and self._context.sentence == si:
            return
        told = any(
            (t.pos_ == "NOUN" and t.lemma_.lower() in _VISIT_NOUNS)
            or (t.pos_ == "VERB" and t.lemma_.lower() in TRAVEL_VERBS)
            for t in sent
            if self.parsed.in_quote(t.idx) is None
        )
        if not told:
            return
        days = [
            d
            for d in self._dates(sent, anniv_spans)
            if not self._since(d.start) and not self._of_a_report(d.start)
        ]
        if len(days) == 1:
            self._remember(si, days, None, "past")

    def _of_a_report(self, pos: int) -> bool:
        """Whether the date at ``pos`` hangs on a verb of saying ("officials said on Tuesday")."""
        tok = self.parsed.token_at(pos)
        for _ in range(6):
            if tok is None:
                return False
            if tok.pos_ in ("VERB", "AUX"):
                return tok.lemma_.lower() in REPORTING_VERBS
            if tok.head.i == tok.i:
                return False
            tok = tok.head
        return False

    def _since(self, pos: int) -> bool:
        """Whether the date at ``pos`` is the start of a span ("since 23 May", "since the
        government took office on 23 May"), not a day something happened on."""
        tok = self.parsed.token_at(pos)
        for _ in range(12):
            if tok is None:
                return False
            if tok.lower_ == "since" or any(
                c.dep_ == "mark" and c.lower_ == "since" for c in tok.children
            ):
                return True
            if tok.head.i == tok.i:
                return False
            tok = tok.head
        return False

    def _remember(
        self, si: int, dates: list[DateMention], place: PlaceRef | None, tense: Tense
    ) -> None:
        previous = self._context.date if self._context else None
        for d in dates:
            r = resolve_relative_date(d, self.reference, tense, previous)
            if r is not None:
                self._set_context(DayContext(si, r, place))
                return

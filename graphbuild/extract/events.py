"""Meetings that happened, meetings announced for a later date, and anniversaries.

A meeting is read off the dependency parse: a meeting verb whose subject and objects are
people (:mod:`graphbuild.extract.participants`), held or scheduled by the verb's tense and
modality (:mod:`graphbuild.extract.meeting_status`). This module finds the meeting frames
sentence by sentence and places them; a meeting needs a calendar date, resolved from the
sentence or the one before (:mod:`graphbuild.extract.event_dating`); undatable ones are
dropped. :class:`EventExtractor` also takes in the people a report adds
(:mod:`graphbuild.extract.event_companions`), ties anniversaries to the event that marks
them (:mod:`graphbuild.extract.event_anniversaries`) and merges the reports of one event
(:mod:`graphbuild.extract.event_merging`); those rules share its state, so they are mixed in.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from graphbuild.extract import lexicon
from graphbuild.extract.anniversaries import anniversary_spans
from graphbuild.extract.coref import Resolver
from graphbuild.extract.dates import (
    DateMention,
    Tense,
    day_shift,
    find_dates,
    resolve_relative_date,
)
from graphbuild.extract.document import ParsedArticle, subtree_range
from graphbuild.extract.event_anniversaries import EventAnniversaries
from graphbuild.extract.event_companions import EventCompanions
from graphbuild.extract.event_dating import (
    CONTEXT_WINDOW,
    TRAVEL_VERBS,
    DayContext,
    EventDating,
    outside_of,
    sub_clauses,
)
from graphbuild.extract.event_facts import AnniversaryFact, DroppedEvent, EventFact, PlaceRef
from graphbuild.extract.event_merging import EventMerging
from graphbuild.extract.meeting_status import (
    is_noun_trigger,
    is_trigger,
    meeting_status,
    news_progressive,
    noun_status,
    on_agenda,
    verb_chain,
)
from graphbuild.extract.mentions import GazetteerLike, MentionIndex
from graphbuild.extract.participant_references import is_name
from graphbuild.extract.participants import ParticipantFinder
from graphbuild.extract.quotes import QuoteFact

# "11:40 -", "11.40 GMT:": a live-blog entry's time stamp at the start of a paragraph.
_LIVE_STAMP = re.compile(r"\s*\d{1,2}[:.]\d{2}\b")

# A present perfect that reports history rather than today's news.
_HISTORY_CUES = re.compile(
    r"\b(?:before|already|previously|ever|never|twice|times|often|repeatedly|since|"
    r"recently|regularly|frequently|in the past|so far|yet|"
    # "During his visit, X has paid a courtesy call on Y": some day of a visit of several
    r"during (?:his|her|their|the) (?:[\w-]+ )?(?:visit|trip|tour|stay))\b",
    re.I,
)

# Continents and world regions: never the place a meeting is held in.
_REGIONS = frozenset(
    {"europe", "asia", "africa", "eurasia", "oceania", "the americas", "americas",
     "latin america", "middle east", "the middle east", "the pacific", "the caribbean",
     "central asia", "south asia", "southeast asia", "east asia", "the balkans", "the gulf"}
)  # fmt: skip

# A meeting told as a look back from the day of the story.
_FLASHBACK = re.compile(
    r"\b(?:last|first|previously|earlier|had)\s+(?:\w+\s+)?(?:met|held|talked|spoke)\b|"
    r"\b(?:previous|last|earlier) (?:meeting|talks|encounter)\b",
    re.I,
)

# A plan that goes back to the visit or meeting just announced: "The meeting will be …",
# "During the visit, he will …".
_PLAN_REFERS_BACK = re.compile(
    r"\b(?:[Tt]he|[Tt]his|[Tt]hat)\s+(?:\w+\s+)?(?:meeting|talks|visit|session|trip|"
    r"negotiations?|consultations)\b"
)
# A visit of several days: which of them a meeting falls on is not told.
_SEVERAL_DAYS = re.compile(
    r"\bfrom\b[^.;]{0,25}?\d[^.;]{0,15}?\b(?:to|until|till|through)\b|\b\d{1,2}\s*[-–]\s*\d{1,2}\b|"
    r"\b(?:two|three|four|five|six|seven|\d)[- ]day\b|\bdays?-long\b",
    re.I,
)
# A post that opens by greeting whom its author met: "Good to meet", "Pleasure to meet",
# "Honoured to call on", "Delighted to receive".
_GREETING_POST = re.compile(
    r"\W{0,3}(?:(?:(?:Very|So|Really|Truly)\s+)?(?:Good|Glad|Great|Nice|Pleased|Delighted|Happy|"
    r"Honou?red|Wonderful|Lovely|(?:A\s+)?[Pp]leasure|(?:An?\s+)?[Hh]onou?r)\s+(?:as always\s+)?"
    r"to\s+(?:have\s+)?(?:meet(?:\s+with)?|met(?:\s+with)?|see|seen|call(?:ed)?[\s-]+on|receive|"
    r"received|welcome|welcomed|host|hosted|sit\s+down\s+with)|Met(?:\s+with)?|Called\s+on)\s"
)

# "On the margins of the meeting, X met Y": a meeting on the day of the one just told.
_ON_ITS_MARGINS = re.compile(
    r"\b(?:on|at) the (?:margins?|sidelines?|side-lines?) of (?:the|this|that) "
    r"(?:meeting|talks|summit|conference|session|forum|gathering|visit)\b",
    re.I,
)

# A meeting told as a further step of the day, not the one just reported.
_SEQUEL = re.compile(
    r"\b(?:later|then|afterwards|also|separately|earlier|subsequently|thereafter|"
    r"after that|in the (?:morning|afternoon|evening)|(?:end|close) of the day|"
    r"on the (?:margins?|sidelines?) of|"
    r"(?:following|after) (?:the|their|these|this) (?:\w+ )?(?:talks|meeting|discussions|session)|"
    r"(?:that|the same) (?:morning|afternoon|evening|night)|(?:that|the) same day)\b",
    re.I,
)


_SEPARATE = re.compile(
    r"\bseparate(?:ly)?\b|\bindividually\b|\bone after the other\b|"
    # "held meetings with A, B and C": a meeting each, as "held talks with" a group is not
    r"\b(?:held|had|holds|has held|have held) (?:\w+ ){0,2}meetings with\b|"
    # "took part in bilateral talks with A, B and C": two sides each time
    r"\bbilateral (?:talks|meetings|discussions)\b[^.;]{0,60}?\bwith\b",
    re.I,
)

# A past time that is not a day: a month or year, "last year", "earlier this week", "ago".
_PAST_VAGUE = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December)\b|\b(?:19|20)\d{2}\b|\b(?:last|past|previous)\s+(?:year|month|week|"
    r"spring|summer|autumn|fall|winter|decade)\b|\bago\b|\bearlier this (?:year|month|week)\b|"
    r"\bthis (?:year|month|week)\b|\bin the past\b",
    re.I,
)


# Verbs whose subject hosts a gathering a later sentence may name the people of.
_HOSTING = frozenset({"host", "chair", "convene", "co-host", "co-chair", "hold"})

_CREDENTIAL_LETTER = re.compile(r"\bletters? of (?:credence|introduction)\b", re.I)


def _visit_plan(noun: Token, verb: Token) -> bool:
    """A visit's list of planned meetings: "agenda includes talks with", "courtesy calls"."""
    return on_agenda(verb) or (
        noun.tag_ == "NNS" and noun.lemma_.lower() in ("call", "meeting", "visit")
    )


_FIRST_DAY_VERBS = frozenset({"begin", "start", "open"})
_PLAN_LEMMAS = frozenset({"plan", "intend", "expect", "aim", "hope", "want"})
_VISIT_WORD = re.compile(r"\b(?:visit|tour|trip|stay)\b", re.I)


def _present_perfect(verb: Token) -> bool:
    """ "has met", not "had met": only the present perfect (or a meeting going on as the
    story is written, "are holding talks") is news of the day."""
    return any(
        k.lemma_ == "have" and k.dep_ == "aux" and k.tag_ in ("VBZ", "VBP")
        for t in verb_chain(verb)
        for k in t.children
    ) or news_progressive(verb_chain(verb)[-1])


def _own_clause_text(head: Token, tok: Token) -> str:
    """The clause's words without relative and adverbial clauses that do not hold the trigger:
    in "X, who spoke by telephone to Z, is due to host Y" the call is not the meeting's."""
    skip: set[int] = set()
    for d in head.subtree:
        if d.i != head.i and d.dep_ in ("relcl", "acl", "advcl", "parataxis"):
            inner = {t.i for t in d.subtree}
            if tok.i not in inner:
                skip |= inner
    return " ".join(t.text for t in head.subtree if t.i not in skip)


def _past_vague(
    parsed: ParsedArticle, sent: Span, clause: tuple[int, int], skip: list[tuple[int, int]]
) -> bool:
    for ent in parsed.ents_in(sent):
        if (
            ent.label_ == "DATE"
            and clause[0] <= ent.start_char < clause[1]
            and outside_of(ent.start_char, skip)
        ):
            if _PAST_VAGUE.search(ent.text) and not find_dates(ent.text):
                return True
    return False


def _time_of_its_own(head: Token) -> bool:
    """ "X met Y when she was a student", "X once met Y": a meeting told with a time of its
    own that is not the day just reported."""
    for c in head.children:
        if c.dep_ == "advmod" and c.lower_ in ("once", "originally"):
            return True
        if (
            c.dep_ == "advcl"
            and c.lemma_.lower() in ("be", "serve", "work", "live", "study", "hold")
            and any(
                k.dep_ in ("mark", "advmod") and k.lower_ in ("when", "while", "as")
                for k in c.children
            )
        ):
            # "… when she was a student / served as ambassador": a time of life
            return True
    return False


@dataclass
class EventExtractor(EventAnniversaries, EventCompanions, EventMerging, EventDating):
    parsed: ParsedArticle
    mentions: MentionIndex
    gaz: GazetteerLike
    resolver: Resolver
    reference: dt.date | None
    published: dt.date | None = None
    events: list[EventFact] = field(default_factory=list)
    anniversaries: list[AnniversaryFact] = field(default_factory=list)
    dropped: list[DroppedEvent] = field(default_factory=list)
    # the article's quotations with their speakers, for a speaker's own post about a meeting
    quotes: list[QuoteFact] = field(default_factory=list)
    _context: DayContext | None = None
    _lone_host: tuple[int, int] | None = None  # (person, sentence) of a host with no guest
    _past_day: dt.date | None = None  # the last day told that is not after the reference
    _people: ParticipantFinder = field(init=False)

    def __post_init__(self) -> None:
        self._people = ParticipantFinder(self.parsed, self.mentions, self.resolver, self.events)

    # ---- public -------------------------------------------------------------------------
    def run(self) -> None:
        for si, sent in enumerate(self.parsed.sentences):
            anniv_spans = anniversary_spans(sent)
            self._greeting_post(si, sent)
            if self._sentence_in_quote(sent):
                # a statement quoted whole can still list who attended the meeting, and
                # announce one ("X will meet Y on Friday," the ministry said)
                before = len(self.events)
                for tok in sent:
                    if is_trigger(tok) or is_noun_trigger(tok):
                        self._event_from_trigger(tok, si, sent, anniv_spans, quoted=True)
                self._companions(sent, si, before)
                continue
            before = len(self.events)
            arrival = self._arrival_day(sent, si, anniv_spans)
            for tok in sent:
                if is_trigger(tok) or is_noun_trigger(tok):
                    quoted = self.parsed.in_quote(tok.idx) is not None
                    self._event_from_trigger(tok, si, sent, anniv_spans, quoted=quoted)
            if len(self.events) == before and not arrival:
                self._day_of_a_visit(sent, si, anniv_spans)
            self._gathering_told_again(sent, si, before)
            self._companions(sent, si, before)
            self._anniversaries_in(sent, si, before)
        self._date_from_next_sentence()
        self._date_from_occasion()
        self._merge()

    def _greeting_post(self, si: int, sent: Span) -> None:
        """ "'Good to meet FM X of Nepal on the sidelines of …,' he tweeted": a speaker's own
        post that opens by greeting the people met reports a meeting with them."""
        for q in self.quotes:
            if not sent.start_char <= q.start < sent.end_char:
                continue
            m = _GREETING_POST.match(self.parsed.text, q.start, q.end)
            if m is None:
                continue
            stop = re.search(r"[.!?;]\s|[.!?;]$", self.parsed.text[m.end() : q.end])
            end = m.end() + stop.start() if stop else q.end
            if lexicon.REMOTE_CUES.search(self.parsed.text[m.start() : end]):
                continue  # "Good to speak with X by phone", "Glad to see X virtually"
            met = [
                pm.person
                for pm in self.mentions.persons_in(m.end(), end)
                if is_name(self.mentions.persons[pm.person].name) and pm.person != q.speaker
            ]
            met = list(dict.fromkeys(met))
            if not met:
                continue
            if any(
                ev.kind == "Meeting" and {q.speaker, *met} <= set(ev.participants)
                for ev in self.events
            ):
                continue  # the post about a meeting the story has told already
            date = None
            inherited = True
            if re.search(r"\btoday\b", self.parsed.text[m.start() : end], re.I):
                date, inherited = self.reference, False
            elif self._context is not None and self._distance(self._context.sentence, si) <= (
                CONTEXT_WINDOW
            ):
                date = self._context.date
            self.events.append(
                EventFact(
                    "Meeting",
                    [q.speaker, *met],
                    date,
                    None,
                    q.start,
                    end,
                    "event.held.post",
                    0.7 if inherited else 0.8,
                    si,
                    host=None,
                    trigger=m.start(),
                    sides=([q.speaker], met),
                )
            )

    def _sentence_in_quote(self, sent: Span) -> bool:
        q = self.parsed.in_quote(sent.start_char)
        return q is not None and q.end >= sent.end_char - 2

    def _place(self, tok: Token, sent: Span, clause: tuple[int, int]) -> PlaceRef | None:
        # "Copenhagen, where he will meet": the antecedent of a where-clause
        head = verb_chain(tok)[-1]
        if head.dep_ in ("relcl", "advcl") and any(c.lower_ == "where" for c in head.children):
            antecedent = self._place_at(head.head)
            if antecedent is not None:
                return antecedent
        cands: list[PlaceRef] = []
        for s, e in (clause, (sent.start_char, sent.end_char)):
            for t in self.parsed.doc.char_span(s, e, alignment_mode="expand") or []:
                arrival = t.lower_ == "to" and (
                    t.head.lemma_.lower() in TRAVEL_VERBS or t.head.lemma_.lower() == "visit"
                )
                if (t.lower_ == "in" or arrival) and t.dep_ == "prep":
                    if any(
                        g.start <= t.idx < g.end and g.entry.type == "Organization"
                        for g in self.mentions.geo
                    ):
                        continue  # "the Organization for … Co-operation in Europe"
                    for p in t.children:
                        ref = self._place_at(p)
                        if ref is not None:
                            cands.append(ref)
            if cands:
                break
        return cands[0] if cands else None

    def _place_at(self, tok: Token) -> PlaceRef | None:
        """A city or region named by ``tok`` (or by "the city of X" around it)."""
        s, e = subtree_range(tok)
        for g in self.mentions.geo_in(s, e):
            if g.entry.type == "Place":
                return PlaceRef(g.start, g.end, g.text, g.entry)
        for ent in self.parsed.entities:
            if ent.label_ in ("GPE", "LOC") and s <= ent.start_char and ent.end_char <= e:
                entry = self.gaz.lookup(ent.text)
                if entry is not None and entry.type in ("Country", "Organization"):
                    continue
                if any(
                    g.start <= ent.start_char < g.end and g.entry.type == "Country"
                    for g in self.mentions.geo
                ):
                    continue
                text = re.sub(r"^the\s+", "", ent.text)
                if text.casefold() in _REGIONS:
                    continue  # "Co-operation in Europe": a region is no meeting's place
                return PlaceRef(ent.end_char - len(text), ent.end_char, text, entry)
        return None

    # ---- events -------------------------------------------------------------------------
    def _event_from_trigger(
        self,
        tok: Token,
        si: int,
        sent: Span,
        anniv_spans: list[tuple[int, int]],
        quoted: bool = False,
    ) -> None:
        noun = tok.pos_ in ("NOUN", "PROPN")
        if noun:
            status, perfect, verb = noun_status(tok)
            if verb is None:
                return
            head = verb_chain(verb)[-1]
        else:
            status, perfect = meeting_status(tok)
            head = verb_chain(tok)[-1]
        quote = self.parsed.in_quote(tok.idx) if quoted else None
        if quoted:
            # inside quotation marks only an announcement counts ("X will meet Y on
            # Friday," the ministry said), between people the quotation names, dated by
            # the quotation itself
            if status != "scheduled" or quote is None:
                return
            if not (quote.start <= subtree_range(head)[0] and subtree_range(head)[1] <= quote.end):
                return
        clause = subtree_range(head)
        clause_text = self.parsed.text[clause[0] : clause[1]]
        dates = self._dates(sent, anniv_spans, quote)
        skip = sub_clauses(head, tok)
        # "X had lunch with Y and plans to meet Z in São Paulo on Tuesday": the plan joined
        # to what was done has its own day
        plan_joined = [
            subtree_range(c)
            for c in head.children
            if c.dep_ == "conj"
            and head.tag_ == "VBD"
            and c.pos_ in ("VERB", "AUX")
            and (
                c.lemma_.lower() in _PLAN_LEMMAS
                or any(k.dep_ == "aux" and k.lower_ in ("will", "shall") for k in c.children)
            )
            and not any(t.i == tok.i for t in c.subtree)
        ]
        skip = skip + plan_joined
        # "prior to the forum on 22 March, X is to meet Y": the forum's day, not the meeting's;
        # "X met Y, the ministry said on Tuesday": the report's day, not the meeting's
        dates = [
            d
            for d in dates
            if not self._before_something(d.start, tok) and not self._report_day(d.start, head)
        ]
        in_clause = [
            d for d in dates if clause[0] <= d.start < clause[1] and outside_of(d.start, skip)
        ]
        # "according to the ministry on Thursday, X met Y on Wednesday": the report's day
        reported = [subtree_range(t) for t in sent if t.lower_ == "according"]
        if reported:
            own_days = [d for d in in_clause if outside_of(d.start, reported)]
            in_clause = own_days or in_clause
        if status is None:
            # a day told of a visit or a talk that is not itself a meeting dates what follows
            # ("X arrived in Y on Monday to visit …. He met Z"), but not a day of another
            # clause ("the first visit since the government took office on 23 May")
            own_dates = [
                d
                for d in dates
                if clause[0] <= d.start < clause[1]
                and outside_of(d.start, skip)
                and not self._since(d.start)
            ]
            if own_dates and (self._context is None or self._context.sentence != si):
                # (a day already read for this sentence's meeting or visit stands: "will visit
                # Y on 29 December to … sign a document" is not a past 29 December)
                self._remember(si, own_dates, None, "past")
            return
        # a letter of credence or introduction is handed over in person, not sent
        own = _CREDENTIAL_LETTER.sub("", _own_clause_text(head, tok))
        if lexicon.REMOTE_CUES.search(own) or lexicon.CANCEL_CUES.search(own):
            return
        self._people.quoted = quoted
        try:
            participants = (
                self._people.noun_participants(tok, head)
                if noun
                else self._people.participants(tok)
            )
        finally:
            self._people.quoted = False
        tense: Tense = "future" if status == "scheduled" else "past"
        # "visited Dhaka in March and met Y": the time of the verb it is joined to is its own
        shared_vague = self._conjunct_vague_time(sent, head)
        own_vague = self._vague_time(sent, clause, skip) or shared_vague
        # a clause with a time of its own that is not a day ("in April", "next month") is
        # not dated by the other clauses' days
        # (nor by a day of a clause inside its own: "X, who arrived on Sunday, joined Y")
        relative = [
            subtree_range(d)
            for d in sent
            if d.dep_ == "relcl" and not any(t.i == tok.i for t in d.subtree)
        ]
        outside = [d for d in dates if outside_of(d.start, relative + plan_joined)]
        chosen = sorted(
            in_clause or ([] if own_vague else outside), key=lambda d: abs(d.start - tok.idx)
        )
        date = None
        previous = self._context.date if self._context else None
        if status == "held" and previous is not None and self.reference is not None:
            if previous > self.reference:
                # "… is due to hold talks tomorrow. On the same day, the President received
                # X": what happened goes on from the last day told that has been
                previous = self._past_day
        for d in chosen:
            date = resolve_relative_date(d, self.reference, tense, previous)
            if date is not None:
                if d.end <= tok.idx:
                    shift = day_shift(self.parsed.text[d.end : tok.idx])
                    if shift is not None:
                        date += dt.timedelta(days=shift)
                break
        place = self._place(tok, sent, clause)
        inherited = False
        if date is None and not in_clause and status == "held":
            date = self._day_of_visit(sent, clause, tok, si)
            inherited = date is not None
        vague = self._vague_time(sent, clause, skip) or shared_vague
        if (
            date is None
            and not in_clause
            and status == "held"
            and noun
            and head.lemma_.lower() in _FIRST_DAY_VERBS
            and _VISIT_WORD.search(clause_text)
        ):
            # "X is paying a visit to Y on Tuesday and Wednesday. X began his visit with a
            # meeting with Z": the first day told of the visit
            date = self._first_day_of_visit(si)
            inherited = date is not None
        if date is None and not outside and status == "held" and not perfect:
            later = re.search(
                r"\blater\b|\bafterwards\b|\bthen\b|\balso\b|"
                # "After meeting with X, Y had lunch with Z": the same day's next step
                r"^\W*after (?:the |his |her |their |a )?(?:meeting|talks)\b|"
                r"^\W*in the (?:morning|afternoon|evening)\b",
                self.parsed.text[sent.start_char : sent.end_char],
                re.I,
            )
            ctx = self._context
            margins = _ON_ITS_MARGINS.search(self.parsed.text[sent.start_char : tok.idx])
            if (
                ctx is not None
                and not vague
                and (self._distance(ctx.sentence, si) <= CONTEXT_WINDOW or later or margins)
                and not _SEVERAL_DAYS.search(self.parsed.sentences[ctx.sentence].text)
                and not _time_of_its_own(head)
            ):
                date = ctx.date
                inherited = True
                if place is None:
                    place = ctx.place
        if (
            date is None
            and not dates
            and status == "scheduled"
            and self._context is not None
            and self.reference is not None
            and self._context.date is not None
            and self._context.date >= self.reference
            and self._distance(self._context.sentence, si) <= 2
            and not vague
            and _PLAN_REFERS_BACK.search(self.parsed.text[sent.start_char : tok.idx + len(tok)])
            and not _SEVERAL_DAYS.search(self.parsed.sentences[self._context.sentence].text)
        ):
            # "X will visit Y on 29 December … The meeting will be co-chaired by X and Z":
            # the plan just announced, and its day
            date = self._context.date
            inherited = True
            if place is None:
                place = self._context.place
        if (
            date is None
            and not dates
            and status == "held"
            and perfect
            and self.published is not None
            and not vague
            and not _HISTORY_CUES.search(clause_text)
            and _present_perfect(tok if not noun else head)
        ):
            # "X has met Y in Paris, his office said": news perfect, i.e. on the day of writing
            date = self.published
            inherited = True
        if date is None and not dates and status == "held" and self.published is not None:
            p_start, _ = self.parsed.paragraphs[self.parsed.paragraph_of(tok.idx)]
            if _LIVE_STAMP.match(self.parsed.text[p_start : p_start + 12]):
                # a live-blog entry stamped with a time of day: it happened on that day
                date = self.published
                inherited = True
        flashback = (
            status == "held"
            and date is not None
            and self._context is not None
            and self._context.date is not None
            and date < self._context.date - dt.timedelta(days=7)
            and _FLASHBACK.search(clause_text) is not None
        )
        if date is not None and not inherited and not flashback:
            # (not "the two last met on 15 September …": a look back leaves the day told)
            self._set_context(DayContext(si, date, place))
        kind = "Meeting" if status == "held" else "ScheduledMeeting"
        named_apart: list[int] = []
        if len(participants) == 1 and not noun:
            # "X welcomed his Norwegian counterpart … Y, Norway's foreign minister, arrived"
            named_later = [p for p in self._people.named_after(tok) if p not in participants]
            if self._people.separately:
                named_apart = named_later  # "met his Saudi and Omani counterparts": one each
            participants += named_later
        if len(participants) < 2:
            if participants:
                self._drop(kind, "too-few-participants", tok, sent)
                if kind == "Meeting" and (head if noun else tok).lemma_.lower() in _HOSTING:
                    # "X hosted a meeting of … on Monday": who the next sentence may add to
                    self._lone_host = (participants[0], si)
            return
        if date is None and status == "scheduled" and vague:
            # "will meet Y in April", "next month": a time the text gives, but not a day
            self._drop(kind, "no-date", tok, sent, "a time, but no day")
            return
        if (
            date is None
            and status == "held"
            and (shared_vague or _past_vague(self.parsed, sent, clause, skip))
        ):
            # "met in Beijing last year", "in October": a time the text gives, but not a day
            self._drop(kind, "no-date", tok, sent, "a time, but no day")
            return
        if (
            status == "held"
            and date is not None
            and self.reference is not None
            and date > self.reference + dt.timedelta(days=1)
        ):
            self._drop(kind, "date-after-reference", tok, sent, str(date))
            return
        rule = f"event.{status}.{tok.lemma_.lower()}"
        host = self._people.host(tok)
        groups = [participants]
        if named_apart:
            groups = [[participants[0], p] for p in named_apart]
        elif _SEPARATE.search(clause_text):
            subjects, objects = self._people.sides
            if len(subjects) == 1 and len(objects) >= 2:
                # "held separate meetings with A and B", "received A and B separately"
                groups = [[subjects[0], o] for o in objects if o != subjects[0]]
        if noun and status == "scheduled" and _visit_plan(tok, head):
            # "X's agenda includes talks with A, B and C", "she will have courtesy calls with
            # A; B; C": one planned meeting with each
            owners, others = self._people.sides
            if len(owners) == 1 and len(others) >= 2:
                groups = [[owners[0], o] for o in others if o != owners[0]]
        dates_of = [date] * len(groups)
        if not noun and len(groups) == 1 and len(in_clause) >= 2:
            split = self._each_with_its_day(in_clause, clause, tense)
            if split is not None:
                # "X met A on Monday and B on Tuesday": one meeting per guest and day
                groups, dates_of = split
        sides = ([], []) if noun else self._people.sides
        sequel = bool(_SEQUEL.search(self.parsed.text[sent.start_char : tok.idx])) or any(
            # "held a separate conversation", "on the margins of the meeting, X met Y"
            c.dep_ == "amod" and c.lower_ == "separate"
            for o in (tok, *tok.children)
            for c in o.children
        )
        for group, date in zip(groups, dates_of, strict=True):
            self.events.append(
                EventFact(
                    kind,
                    group,
                    date,
                    place,
                    sent.start_char,
                    sent.end_char,
                    rule,
                    0.85 if not inherited else 0.7,
                    si,
                    host=host,
                    trigger=tok.idx,
                    sides=(list(sides[0]), list(sides[1])) if len(groups) == 1 else ([], []),
                    sequel=sequel,
                )
            )

    def _each_with_its_day(
        self, in_clause: list[DateMention], clause: tuple[int, int], tense: Tense
    ) -> tuple[list[list[int]], list[dt.date | None]] | None:
        """ "X met A on Monday and B on Tuesday": each guest with the day told right after it
        (before the next guest), when the guests' days differ."""
        subjects, objects = self._people.sides
        if len(subjects) != 1 or len(objects) < 2:
            return None
        where: dict[int, int] = {}
        for o in objects:
            starts = [
                m.start for m in self.mentions.persons_in(clause[0], clause[1]) if m.person == o
            ]
            if not starts:
                return None
            where[o] = starts[0]
        order = sorted(objects, key=lambda o: where[o])
        days: list[dt.date | None] = []
        for i, o in enumerate(order):
            stop = where[order[i + 1]] if i + 1 < len(order) else clause[1]
            own = [d for d in in_clause if where[o] < d.start < stop]
            if len(own) != 1:
                return None
            days.append(resolve_relative_date(own[0], self.reference, tense, None))
        if len(set(days)) < 2 or None in days:
            return None
        return [[subjects[0], o] for o in order], days

    def _drop(self, kind: str, reason: str, tok: Token, sent: Span, detail: str = "") -> None:
        detail = detail or f"{tok.text!r}"
        self.dropped.append(DroppedEvent(kind, reason, detail, sent.start_char, sent.end_char))

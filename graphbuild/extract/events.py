"""Meetings that happened, meetings announced for a later date, and anniversaries.

A meeting is read off the dependency parse: a meeting verb ("met", "received", "hosted",
"held talks", "took part in a meeting", "called on") whose subject and objects are people.
Its status comes from the verb's tense and modality: past and asserted -> held; "will",
"is scheduled/due/expected to" -> scheduled; hoped, possible, denied, remote, postponed or
planned-in-the-past -> nothing. A meeting needs a calendar date; undatable ones are dropped.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from graphbuild.extract import lexicon
from graphbuild.extract.coref import Resolver
from graphbuild.extract.dates import DateMention, Tense, find_dates, resolve_relative_date
from graphbuild.extract.document import ParsedArticle, subtree_range
from graphbuild.extract.mentions import GazetteerLike, MentionIndex

# "11:40 -", "11.40 GMT:": a live-blog entry's time stamp at the start of a paragraph.
_LIVE_STAMP = re.compile(r"\s*\d{1,2}[:.]\d{2}\b")

# A present perfect that reports history rather than today's news.
_HISTORY_CUES = re.compile(
    r"\b(?:before|already|previously|ever|never|twice|times|often|repeatedly|since|"
    r"recently|regularly|frequently|in the past|so far|yet)\b",
    re.I,
)


_TRAVEL_VERBS = frozenset({"travel", "arrive", "fly", "come", "go", "return"})
_GROUP_NOUNS = frozenset(
    {"leader", "minister", "president", "side", "counterpart", "diplomat", "delegation"}
)


@dataclass
class PlaceRef:
    start: int
    end: int
    text: str
    qid_entry: object | None = None


@dataclass
class EventFact:
    kind: str  # Meeting | ScheduledMeeting | Signing | Event
    participants: list[int]
    date: dt.date | None
    place: PlaceRef | None
    start: int
    end: int
    rule: str
    confidence: float
    sentence: int = -1
    label: str | None = None
    agreement: tuple[int, int, str] | None = None  # span and name of the agreement
    signatories: list[str] = field(default_factory=list)  # party labels
    host: int | None = None  # who received or hosted the others


@dataclass
class AnniversaryFact:
    event: int  # index into events
    of: int  # index into events
    number: int
    start: int
    end: int
    rule: str


@dataclass
class _Context:
    sentence: int
    date: dt.date | None
    place: PlaceRef | None


_ORDINAL_NUM = re.compile(r"^(\d+)(?:st|nd|rd|th)$")
_ANNIV = re.compile(
    r"\b(?P<num>[\w-]+)\s+anniversary\b|\bmarking\s+(?P<num2>[\w-]+)\s+years\s+(?:since|of)\b|"
    r"\b(?P<num3>[\w-]+)\s+years\s+(?:since|after)\b|"
    r"\ba\s+(?P<span>quarter[- ]century|decade|half[- ]century|century)\s+(?:after|since)\b"
)
_AGREEMENT = re.compile(
    r"(?:the\s+)?(?P<name>(?:[A-Z][\w'’-]*\s+(?:(?:on|of|for|and|the)\s+)*){0,8}?"
    r"(?:" + "|".join(lexicon.AGREEMENT_HEADS) + r"|treaty|accord|agreement|declaration)"
    r"(?:\s+(?:on|of|for|between|and|the|[A-Z][\w'’-]*)(?=\s|$|,|\.))*)"
)


def _number(word: str | None) -> int | None:
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


@dataclass
class EventExtractor:
    parsed: ParsedArticle
    mentions: MentionIndex
    gaz: GazetteerLike
    resolver: Resolver
    reference: dt.date | None
    published: dt.date | None = None
    events: list[EventFact] = field(default_factory=list)
    anniversaries: list[AnniversaryFact] = field(default_factory=list)
    _context: _Context | None = None

    # ---- public -------------------------------------------------------------------------
    def run(self) -> None:
        for si, sent in enumerate(self.parsed.sentences):
            if self._sentence_in_quote(sent):
                continue
            anniv_spans = self._anniversary_spans(sent)
            before = len(self.events)
            for tok in sent:
                if self.parsed.in_quote(tok.idx):
                    continue
                if self._is_trigger(tok):
                    self._event_from_trigger(tok, si, sent, anniv_spans)
            self._anniversaries_in(sent, si, before)
        self._merge()

    # ---- triggers -----------------------------------------------------------------------
    def _sentence_in_quote(self, sent: Span) -> bool:
        q = self.parsed.in_quote(sent.start_char)
        return q is not None and q.end >= sent.end_char - 2

    def _is_trigger(self, tok: Token) -> bool:
        lemma = tok.lemma_.lower()
        if tok.pos_ not in ("VERB", "AUX"):
            return False
        if lemma in ("meet", "receive", "host", "welcome"):
            return True
        if lemma in lexicon.LIGHT_VERBS:
            objs = [c for c in tok.children if c.dep_ in ("dobj", "obj")]
            objs += [c for o in objs for c in o.conjuncts]
            if any(
                o.lemma_.lower() in lexicon.MEETING_NOUNS or o.lower_ in lexicon.MEETING_NOUNS
                for o in objs
            ):
                return lemma != "sign"
            if tok.dep_ == "relcl" and tok.head.lemma_.lower() in lexicon.MEETING_NOUNS:
                return True
            if lemma == "sign":
                return True
        if lemma == "take":
            if any(c.lower_ == "part" for c in tok.children):
                return True
            # "talks between X and Y took place"
            if any(c.lower_ == "place" and c.dep_ == "dobj" for c in tok.children) and any(
                c.dep_ in ("nsubj", "nsubjpass") and c.lemma_.lower() in lexicon.MEETING_NOUNS
                for c in tok.children
            ):
                return True
        if lemma == "sit" and any(c.lower_ == "down" for c in tok.children):
            return True
        if lemma == "call" and any(
            c.lower_ == "on" and c.dep_ in ("prep", "prt") for c in tok.children
        ):
            return True
        if lemma == "visit":
            return True
        # "X and Y <did something> at a summit"
        if tok.tag_ == "VBD":
            for c in tok.subtree:
                if (
                    c.dep_ == "prep"
                    and c.lower_ in ("at", "during")
                    and c.head.dep_ not in ("relcl", "advcl")
                ):
                    if any(
                        p.lemma_.lower() in ("summit", "meeting", "talk", "talks")
                        for p in c.children
                    ):
                        subj = [s for s in tok.children if s.dep_ == "nsubj"]
                        if subj and any(x.dep_ == "conj" for x in subj[0].children):
                            return True
        return False

    def _chain(self, tok: Token) -> list[Token]:
        """The trigger and the verbs that govern it through xcomp/aux-like links."""
        chain = [tok]
        t = tok
        while t.dep_ in ("xcomp", "acomp", "auxpass", "aux") and t.head is not t:
            t = t.head
            chain.append(t)
        return chain

    def _status(self, tok: Token) -> tuple[str | None, bool]:
        """("held"|"scheduled"|None, perfect) from tense, aspect and modality."""
        chain = self._chain(tok)
        future = False
        perfect = False
        for t in chain:
            kids = list(t.children)
            if any(k.dep_ == "neg" for k in kids):
                return None, False
            if any(k.dep_ in ("aux",) and k.lower_ in lexicon.HEDGE_MODALS for k in kids):
                return None, False
            if lexicon.forms(t.lemma_, t.lower_) & lexicon.HEDGE_LEMMAS and t is not tok:
                return None, False
            if any(k.lower_ in ("will", "shall", "'ll") and k.dep_ == "aux" for k in kids):
                future = True
            if t.lemma_.lower() in lexicon.SCHEDULE_HEADS or t.lower_ in (
                "due",
                "set",
                "expected",
                "scheduled",
            ):
                be = [k for k in kids if k.dep_ in ("auxpass", "aux") and k.lemma_ == "be"]
                be += [t.head] if t.dep_ == "acomp" and t.head.lemma_ == "be" else []
                if any(b.tag_ == "VBD" for b in be):
                    return None, False
                future = True
            if t.lemma_ == "be" and t is not tok and any(k.dep_ == "xcomp" for k in kids):
                # "is to meet"
                if t.tag_ in ("VBZ", "VBP") and tok.dep_ == "xcomp":
                    future = True
            if any(k.lemma_ == "have" and k.dep_ == "aux" for k in kids) and t.tag_ == "VBN":
                perfect = True
        # a governing hedge above the clause ("hopes to", "agreed to", "invited ... to")
        head = chain[-1]
        if (
            head.dep_ in ("xcomp", "ccomp")
            and lexicon.forms(head.head.lemma_, head.head.lower_) & lexicon.HEDGE_LEMMAS
        ):
            return None, False
        if future:
            return "scheduled", False
        top = chain[-1]
        tags = {t.tag_ for t in chain}
        if "VBD" in tags or (
            tok.tag_ == "VBN"
            and any(
                k.dep_ in ("auxpass", "aux") and k.tag_ in ("VBD", "VBZ", "VBP")
                for t in chain
                for k in t.children
            )
        ):
            return "held", perfect
        if top.tag_ == "VBD":
            return "held", perfect
        return None, False

    # ---- participants ---------------------------------------------------------------------
    def _persons_in(self, tok: Token, exclude_clauses: bool = True) -> list[int]:
        start, end = subtree_range(tok)
        excluded: list[tuple[int, int]] = []
        if exclude_clauses:
            for d in tok.subtree:
                if d is not tok and d.dep_ in ("relcl", "advcl", "ccomp", "acl", "parataxis"):
                    excluded.append(subtree_range(d))
        out: list[int] = []
        for m in self.mentions.persons_in(start, end):
            if any(s <= m.start < e for s, e in excluded):
                continue
            if self.parsed.text[m.end : m.end + 2] in ("'s", "’s"):
                continue
            if self.parsed.in_quote(m.start):
                continue
            if m.person not in out:
                out.append(m.person)
        if not out:
            ref = self._reference(tok)
            out.extend(p for p in ref if p not in out)
        else:
            # "he and X": a pronoun coordinated with a name
            for c in tok.conjuncts:
                if c.lower_ in ("he", "she"):
                    r = self.resolver.subject_before(c.idx)
                    if r is not None and r not in out:
                        out.insert(0, r)
            if tok.lower_ in ("he", "she"):
                r = self.resolver.subject_before(tok.idx)
                if r is not None and r not in out:
                    out.insert(0, r)
        return out

    def _reference(self, tok: Token) -> list[int]:
        low = tok.lower_
        if low in ("they", "them"):
            return self._previous_participants(None)
        group = self._group(tok)
        if group is not None:
            return group
        r = self.resolver.resolve_token(tok)
        return [r] if r is not None else []

    def _group(self, tok: Token) -> list[int] | None:
        """ "the two ministers", "the foreign ministers of A and B", "both leaders"."""
        nums = [
            lexicon.NUMBER_WORDS.get(c.lower_)
            for c in tok.children
            if c.dep_ in ("nummod", "det", "amod", "predet")
        ]
        nums = [n for n in nums if n]
        if tok.lower_ in lexicon.NUMBER_WORDS and tok.dep_ in (
            "nsubj",
            "nsubjpass",
            "dobj",
            "pobj",
        ):
            nums.append(lexicon.NUMBER_WORDS[tok.lower_])
        plural = tok.tag_ in ("NNS", "NNPS") or bool(nums)
        if not plural:
            return None
        preps = [c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"]
        if preps:
            s, e = subtree_range(preps[0])
            parties = [
                g.entry.label
                for g in self.mentions.geo_in(s, e)
                if g.entry.type in ("Country", "Organization")
            ]
            if parties:
                found: list[int] = []
                for party in parties:
                    holders = [p for p, labels in self.resolver.parties.items() if party in labels]
                    if len(holders) == 1:
                        found.append(holders[0])
                    elif len(holders) > 1:
                        key = tok.lemma_.lower()
                        fitting = [
                            p
                            for p in holders
                            if any(
                                key.rstrip("s") in t.lower()
                                for t in self.resolver.titles.get(p, [])
                            )
                        ]
                        if len(fitting) == 1:
                            found.append(fitting[0])
                        else:
                            return None
                    else:
                        return None
                return found
            return None
        if nums:
            return self._previous_participants(nums[0])
        # "the leaders", "the ministers": the people of the meeting just reported
        if tok.lemma_.lower() in _GROUP_NOUNS and any(c.lower_ == "the" for c in tok.children):
            if self.events and self.parsed.sentence_index(tok.idx) - self.events[-1].sentence <= 2:
                return self._previous_participants(None)
        return None

    def _previous_participants(self, count: int | None) -> list[int]:
        if not self.events:
            return []
        last = self.events[-1]
        if count is None or len(last.participants) == count:
            return list(last.participants)
        return []

    def _subjects(self, tok: Token) -> list[Token]:
        for t in self._chain(tok):
            subs = [c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")]
            if subs:
                out = []
                for s in subs:
                    if s.lower_ in ("who", "that", "which") and t.dep_ == "relcl":
                        out.append(t.head)
                    else:
                        out.append(s)
                return out
        top = self._chain(tok)[-1]
        if top.dep_ == "conj" and top.head is not top:
            return self._subjects(top.head)
        if tok.dep_ == "acl":  # "a meeting hosted by X" -> handled by agent
            return []
        return []

    def _objects(self, tok: Token) -> list[Token]:
        out: list[Token] = []
        for c in tok.children:
            if c.dep_ in ("dobj", "obj", "dative", "attr") or (
                c.dep_ == "npadvmod" and tok.lemma_.lower() in ("meet", "receive", "host")
            ):
                out.append(c)
                for cc in c.children:
                    if cc.dep_ == "prep" and cc.lower_ in ("with", "by"):
                        out.extend(cc.children)
                    if cc.dep_ == "acl":
                        out.extend(x for a in cc.children if a.dep_ == "agent" for x in a.children)
                        out.extend(
                            x
                            for a in cc.children
                            if a.dep_ == "prep" and a.lower_ == "with"
                            for x in a.children
                        )
            elif c.dep_ in ("prep", "agent", "prt") and c.lower_ in (
                "with",
                "by",
                "on",
                "alongside",
                "together",
                "in",
                "at",
            ):
                for p in c.children:
                    if p.dep_ in ("pobj", "pcomp"):
                        if c.lower_ in ("in", "at"):
                            if p.lemma_.lower() in lexicon.MEETING_NOUNS or p.lower_ == "part":
                                out.extend(self._objects_of_noun(p))
                            continue
                        out.append(p)
                    elif p.dep_ == "prep" and p.lower_ == "with":  # "together with"
                        out.extend(x for x in p.children if x.dep_ == "pobj")
            elif c.dep_ == "advmod" and c.lower_ == "together":
                for p in c.children:
                    if p.dep_ == "prep" and p.lower_ == "with":
                        out.extend(x for x in p.children if x.dep_ == "pobj")
        return out

    def _objects_of_noun(self, noun: Token) -> list[Token]:
        out: list[Token] = []
        for cc in noun.children:
            if cc.dep_ == "prep" and cc.lower_ in ("with", "between"):
                for x in cc.children:
                    if x.dep_ == "pobj":
                        out.append(x)
                        out.extend(x.conjuncts)
            if cc.dep_ == "acl":
                out.extend(x for a in cc.children if a.dep_ == "agent" for x in a.children)
            if cc.dep_ == "prep" and cc.lower_ in ("at", "in"):
                for p in cc.children:
                    out.extend(self._objects_of_noun(p))
        return out

    def _participants(self, tok: Token) -> list[int]:
        people: list[int] = []
        subjects = self._subjects(tok)
        tokens = subjects + self._objects(tok)
        for subj in subjects:
            if subj.lemma_.lower() in lexicon.MEETING_NOUNS:
                tokens = [t for t in tokens if t is not subj] + self._objects_of_noun(subj)
        # objects of the verbs in the chain too ("is scheduled to hold talks with X")
        for t in tokens:
            for p in self._persons_in(t):
                if p not in people:
                    people.append(p)
        # "together with X and Y" anywhere in the clause
        for d in tok.subtree:
            if d.lower_ == "together" and d.i + 1 < len(d.doc) and d.doc[d.i + 1].lower_ == "with":
                w = d.doc[d.i + 1]
                for x in w.children:
                    for p in self._persons_in(x):
                        if p not in people:
                            people.append(p)
        return people

    # ---- dates and places ---------------------------------------------------------------
    def _dates(self, sent: Span, anniv_spans: list[tuple[int, int]]) -> list[DateMention]:
        out = []
        for d in find_dates(sent.text, sent.start_char):
            if self.parsed.in_quote(d.start):
                continue
            if any(s <= d.start < e for s, e in anniv_spans):
                continue
            dl = self.parsed.dateline
            if dl is not None and dl[0] <= d.start < dl[1]:
                continue
            out.append(d)
        return out

    def _vague_time(self, sent: Span, clause: tuple[int, int]) -> bool:
        for ent in sent.ents:
            if ent.label_ == "DATE" and clause[0] <= ent.start_char < clause[1]:
                if not find_dates(ent.text):
                    return True
        return False

    def _place(self, tok: Token, sent: Span, clause: tuple[int, int]) -> PlaceRef | None:
        # "Copenhagen, where he will meet": the antecedent of a where-clause
        head = self._chain(tok)[-1]
        if head.dep_ in ("relcl", "advcl") and any(c.lower_ == "where" for c in head.children):
            antecedent = self._place_at(head.head)
            if antecedent is not None:
                return antecedent
        cands: list[PlaceRef] = []
        for s, e in (clause, (sent.start_char, sent.end_char)):
            for t in self.parsed.doc.char_span(s, e, alignment_mode="expand") or []:
                arrival = t.lower_ == "to" and t.head.lemma_.lower() in _TRAVEL_VERBS
                if (t.lower_ == "in" or arrival) and t.dep_ == "prep":
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
        for ent in self.parsed.doc.ents:
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
                return PlaceRef(ent.end_char - len(text), ent.end_char, text, entry)
        return None

    # ---- events -------------------------------------------------------------------------
    def _event_from_trigger(
        self, tok: Token, si: int, sent: Span, anniv_spans: list[tuple[int, int]]
    ) -> None:
        status, perfect = self._status(tok)
        head = self._chain(tok)[-1]
        clause = subtree_range(head)
        clause_text = self.parsed.text[clause[0] : clause[1]]
        dates = self._dates(sent, anniv_spans)
        in_clause = [d for d in dates if clause[0] <= d.start < clause[1]]
        if status is None:
            if dates:
                self._remember(si, dates, None, "past")
            return
        if lexicon.REMOTE_CUES.search(clause_text) or lexicon.CANCEL_CUES.search(clause_text):
            return
        participants = self._participants(tok)
        tense: Tense = "future" if status == "scheduled" else "past"
        chosen = sorted(in_clause or dates, key=lambda d: abs(d.start - tok.idx))
        date = None
        for d in chosen:
            date = resolve_relative_date(
                d, self.reference, tense, self._context.date if self._context else None
            )
            if date is not None:
                break
        place = self._place(tok, sent, clause)
        inherited = False
        if date is None and not dates and status == "held" and not perfect:
            later = re.search(
                r"\blater\b|\bafterwards\b|\bthen\b",
                self.parsed.text[sent.start_char : sent.end_char],
                re.I,
            )
            ctx = self._context
            if (
                ctx is not None
                and not self._vague_time(sent, clause)
                and (si - ctx.sentence <= 2 or later)
            ):
                date = ctx.date
                inherited = True
                if place is None:
                    place = ctx.place
        if (
            date is None
            and not dates
            and status == "held"
            and perfect
            and self.published is not None
            and not self._vague_time(sent, clause)
            and not _HISTORY_CUES.search(clause_text)
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
        if date is not None and not inherited:
            self._context = _Context(si, date, place)
        if len(participants) < 2 or date is None:
            return
        if (
            status == "held"
            and self.reference is not None
            and date > self.reference + dt.timedelta(days=1)
        ):
            return
        kind = "Meeting" if status == "held" else "ScheduledMeeting"
        rule = f"event.{status}.{tok.lemma_.lower()}"
        self.events.append(
            EventFact(
                kind,
                participants,
                date,
                place,
                sent.start_char,
                sent.end_char,
                rule,
                0.85 if not inherited else 0.7,
                si,
                host=self._host(tok),
            )
        )

    def _host(self, tok: Token) -> int | None:
        """The subject of an active "received/hosted", or the agent of a passive one."""
        if tok.lemma_.lower() not in ("receive", "host"):
            return None
        passive = any(c.dep_ == "auxpass" for c in tok.children)
        if passive:
            agents = [x for c in tok.children if c.dep_ == "agent" for x in c.children]
            people = [p for a in agents for p in self._persons_in(a)]
        else:
            people = [p for s in self._subjects(tok) for p in self._persons_in(s)]
        return people[0] if len(people) == 1 else None

    def _remember(
        self, si: int, dates: list[DateMention], place: PlaceRef | None, tense: Tense
    ) -> None:
        for d in dates:
            r = resolve_relative_date(d, self.reference, tense)
            if r is not None:
                self._context = _Context(si, r, place)
                return

    # ---- anniversaries ------------------------------------------------------------------
    def _anniversary_spans(self, sent: Span) -> list[tuple[int, int]]:
        spans = []
        text = sent.text
        for m in _ANNIV.finditer(text):
            start = sent.start_char + m.start()
            dates = [
                d
                for d in find_dates(text[m.end() :], sent.start_char + m.end())
                if d.year is not None
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
            if dates and dates[0].start - (sent.start_char + m.end()) < 3:
                spans.append((sent.start_char + m.start(), dates[0].end))
        return spans

    def _anniversaries_in(self, sent: Span, si: int, first_new_event: int) -> None:
        text = sent.text
        for m in _ANNIV.finditer(text):
            if self.parsed.in_quote(sent.start_char + m.start()):
                continue
            number = _number(m.group("num") or m.group("num2") or m.group("num3"))
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
            # the event that marks it
            event_index = self._marking_event(sent, si, first_new_event, m.start())
            if event_index is None:
                continue
            event = self.events[event_index]
            if base_dates:
                base = base_dates[0]
                of_date = dt.date(base.year, base.month, base.day)  # type: ignore[arg-type]
                phrase_end = base.start
            elif "to the day" in text and event.date is not None:
                try:
                    of_date = event.date.replace(year=event.date.year - number)
                except ValueError:
                    continue
                phrase_end = sent.end_char
            else:
                continue
            if event.date is not None and event.date.year - of_date.year != number:
                if not m.group("span"):
                    continue
            phrase = self.parsed.text[sent.start_char + m.end() : phrase_end]
            agreement = self._agreement(phrase, sent.start_char + m.end())
            if agreement is None and m.start() > 0:
                # "a quarter-century after the Treaty of X was signed" / "the Brasilia Act"
                agreement = self._agreement(phrase, sent.start_char + m.end())
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

    def _agreement(self, phrase: str, offset: int) -> tuple[int, int, str] | None:
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
            r"\b(?:the|this|that)\s+(?:meeting|visit|talks|summit|trip|gathering|ceremony|event|session)\b",
            subj,
        )
        if refers_back:
            for i in range(len(self.events) - 1, -1, -1):
                ev = self.events[i]
                if ev.kind in ("Meeting", "ScheduledMeeting") and si - ev.sentence <= 4:
                    return i
        # a dated event without named participants ("the ministers met … on the anniversary")
        dates = [
            d
            for d in self._dates(sent, self._anniversary_spans(sent))
            if d.start < sent.start_char + pos or True
        ]
        for d in dates:
            tense: Tense = (
                "future" if re.search(r"\bwill\b|\bdue to\b|\bscheduled\b", sent.text) else "past"
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

    # ---- merging ------------------------------------------------------------------------
    def _merge(self) -> None:
        """One event per (kind, participants, date): several sentences can report it."""
        keep: list[EventFact] = []
        remap: dict[int, int] = {}
        for i, ev in enumerate(self.events):
            key = (ev.kind, frozenset(ev.participants), ev.date)
            found = None
            if ev.participants:
                for j, k in enumerate(keep):
                    if (k.kind, frozenset(k.participants), k.date) == key:
                        found = j
                        break
            if found is None:
                remap[i] = len(keep)
                keep.append(ev)
            else:
                remap[i] = found
                if keep[found].place is None:
                    keep[found].place = ev.place
        # a meeting whose participants are a strict subset of a same-day meeting is the same
        final: list[EventFact] = []
        remap2: dict[int, int] = {}
        for j, ev in enumerate(keep):
            sup = None
            if ev.kind in ("Meeting", "ScheduledMeeting"):
                for k2, other in enumerate(keep):
                    if (
                        other is not ev
                        and other.kind == ev.kind
                        and other.date == ev.date
                        and set(ev.participants) < set(other.participants)
                    ):
                        sup = k2
                        break
            if sup is None:
                remap2[j] = len(final)
                final.append(ev)
            else:
                remap2[j] = -1 - sup
        for j, v in list(remap2.items()):
            if v < 0:
                remap2[j] = remap2[-1 - v] if remap2[-1 - v] >= 0 else 0
        self.events = final
        for a in self.anniversaries:
            a.event = remap2[remap[a.event]]
            a.of = remap2[remap[a.of]]

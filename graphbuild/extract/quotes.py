"""Direct speech: quotation-mark spans attributed to the person who said them.

The speaker is the subject of the speech verb governing the quote in its sentence ("…," X
said; X said: "…"; X called it "…"), else the speaker announced by the paragraph before a
standalone quoted paragraph ("Speaking at the meeting, X said:"), else the speaker of the
quote this one continues. Unnamed sources ("a diplomat said", "media reported") give no quote.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Span, Token

from graphbuild.extract import lexicon
from graphbuild.extract.coref import Resolver
from graphbuild.extract.document import ParsedArticle, QuoteSpan
from graphbuild.extract.mentions import MentionIndex

# Subjects of a speech verb that name no person: a quote they say is nobody's
_UNNAMED_SOURCES = frozenset(
    {"ministry", "statement", "office", "spokesperson", "spokesman", "spokeswoman", "official",
     "source", "agency", "government", "embassy", "department", "readout", "communique",
     "communiqué", "presidency", "diplomat", "analyst", "observer", "release", "report",
     "commission", "council", "secretariat", "mission", "delegation", "side"}
)  # fmt: skip
_UNNAMED = "quote.unnamed-speaker"
_ACCORDING_TO = re.compile(r"\b[Aa]ccording\s+to\s+")
# between "according to" and the name: a determiner, a party and office words, capitalised
# or not ("the Ghanaian foreign minister, Ama Boateng"), but no clause
_TITLE_GAP = re.compile(
    r"(?:(?:the|his|her|its|[A-Z][\w'’.-]*|minister|foreign|affairs|secretary|president|"
    r"spokes(?:person|man|woman)|ambassador|envoy|deputy|prime|chief|senior|of|for),?\s+)"
    r"{0,8}"
)


@dataclass
class QuoteFact:
    speaker: int
    text: str
    start: int  # evidence: the quoted text
    end: int
    rule: str
    confidence: float


def _speech_verb(tok: Token) -> Token | None:
    t: Token | None = tok
    for _ in range(6):
        if t is None:
            return None
        if t.pos_ in ("VERB", "AUX") and t.lemma_.lower() in lexicon.SPEECH_VERBS:
            return t
        if t.head is t:
            return None
        t = t.head
    return None


# "…," he added / he continued: the quote goes on with the last quoted speaker's words
_CONTINUATION_VERBS = frozenset({"add", "continue", "elaborate", "conclude"})


def _subject(verb: Token, quoted: Callable[[int], object] | None = None) -> Token | None:
    """The subject of a speech verb; a participle ("…," adding: "…") takes its head's.

    With ``quoted`` (whether a character offset lies inside quotation marks), a head or a
    subject inside a quotation is passed over: in 'X said: "We agreed …," noting that "…"'
    the parser hangs "noting" on the quoted "agreed", whose "We" is not the speaker."""
    for c in verb.children:
        if c.dep_ in ("nsubj", "nsubjpass"):
            if quoted is not None and quoted(c.idx):
                continue
            if c.lower_ in ("who", "that") and verb.dep_ == "relcl":
                return verb.head  # "X, who called it '…'"
            return c
    if verb.dep_ in ("conj", "xcomp", "advcl") and verb.head is not verb:
        head = verb.head
        if quoted is not None:
            for _ in range(8):
                if not quoted(head.idx) or head.head is head:
                    break
                head = head.head
            if quoted(head.idx):
                return None
        return _subject(head, quoted)
    return None


def _quoted_as(verb: Token) -> Token | None:
    """The object of "quote(d) X as saying/telling": X, for the verb "saying"."""
    if verb.lemma_.lower() not in ("say", "tell") or verb.dep_ != "pcomp":
        return None
    prep = verb.head
    if prep.lower_ != "as" or prep.head.lemma_.lower() != "quote":
        return None
    return next((c for c in prep.head.children if c.dep_ == "dobj"), None)


def _is_fragment(inner: str) -> bool:
    """A few quoted words, not a quoted sentence: these need a verb that governs them."""
    words = inner.split()
    return len(words) <= 6 and not re.search(r"[.!?][,\s]*$", inner.strip())


def _joint_subject(subj: Token) -> bool:
    """ "X and Y": a coordinated subject of two or more names."""
    return any(c.dep_ == "conj" and c.pos_ == "PROPN" for c in subj.children) or (
        subj.dep_ == "conj"
    )


@dataclass
class QuoteExtractor:
    parsed: ParsedArticle
    mentions: MentionIndex
    resolver: Resolver

    def run(self) -> list[QuoteFact]:
        facts: list[QuoteFact] = []
        last_by_paragraph: dict[int, int] = {}
        for q in self.parsed.quotes:
            recent = [p for p in last_by_paragraph if q.paragraph - 2 <= p <= q.paragraph]
            previous = last_by_paragraph[max(recent)] if recent else None
            speaker, rule = self._attribute(q, previous)
            if rule == _UNNAMED:
                continue
            if speaker is None:
                speaker, rule = self._according_to(q)
            if speaker is None and self._standalone(q):
                speaker, rule = self._announced(q)
                if speaker is None and q.paragraph - 1 in last_by_paragraph:
                    speaker, rule = last_by_paragraph[q.paragraph - 1], "quote.continued"
            if speaker is None and q.paragraph in last_by_paragraph and self._bare_sentence(q):
                speaker, rule = last_by_paragraph[q.paragraph], "quote.same-paragraph"
            if speaker is None:
                continue
            last_by_paragraph[q.paragraph] = speaker
            text = self._clean(q)
            if len(text.split()) < 2:
                continue
            facts.append(QuoteFact(speaker, text, q.start, q.end, rule, 0.85))
        return facts

    def _clean(self, q: QuoteSpan) -> str:
        parts = (
            [self.parsed.text[s:e] for s, e in q.parts]
            if q.parts
            else [self.parsed.text[q.start : q.end]]
        )
        return "\n".join(p.strip() for p in parts).strip()

    def _sentences_of(self, q: QuoteSpan) -> list[Span]:
        """The sentences that start by the quote's end and end (trailing spaces aside) after
        its opening mark: a run of consecutive sentences, found by bisection."""
        return self.parsed.sentences_touching(q.mark_start, q.end)

    def _attribute(self, q: QuoteSpan, previous: int | None = None) -> tuple[int | None, str]:
        """Speaker from a speech verb outside the quote, in the sentences the quote touches."""
        doc = self.parsed.doc
        sentences = self._sentences_of(q)
        if not sentences:
            return None, ""
        first, last = sentences[0], sentences[-1]
        candidates: list[Token] = []
        for sent in {first, last}:
            for tok in sent:
                if q.mark_start <= tok.idx <= q.end:
                    continue
                if self.parsed.in_quote(tok.idx):
                    continue
                if tok.pos_ in ("VERB", "AUX") and tok.lemma_.lower() in lexicon.SPEECH_VERBS:
                    candidates.append(tok)
        # also "X said the peace was "…"": the verb governing the quote's first token
        inner = doc.char_span(q.start, min(q.end, q.start + 1), alignment_mode="expand")
        candidates.sort(key=lambda t: min(abs(t.idx - q.mark_start), abs(t.idx - q.end)))
        if inner is not None and len(inner):
            gov = _speech_verb(inner[0])
            if gov is not None and not (q.mark_start <= gov.idx <= q.end):
                if gov in candidates:
                    candidates.remove(gov)
                candidates.insert(0, gov)
        fragment = _is_fragment(self.parsed.text[q.start : q.end])
        for verb in candidates:
            if fragment and not self._speech_complement(q, verb):
                # a few quoted words inside a noun phrase are a label ("the so-called
                # 'grey zone'"), not words the verb's subject said
                continue
            quoted_as = _quoted_as(verb)
            if quoted_as is not None:
                # "Xinhua quoted X as saying: '…'": the one quoted, not the quoting agency
                person = self._person_of(quoted_as)
                if person is not None:
                    return person, "quote.quoted-as-saying"
            subj = _subject(verb, self.parsed.in_quote)
            if subj is None:
                inverted = self._name_after_verb(q, verb)
                if inverted is not None:
                    return inverted, f"quote.speech-verb.{verb.lemma_.lower()}"
                continue
            if _joint_subject(subj):
                return None, ""  # "X and Y agreed on '…'": a joint text, no one speaker
            if (
                previous is not None
                and subj.lower_ in lexicon.PRONOUNS_PERSON
                and verb.lemma_.lower() in _CONTINUATION_VERBS
            ):
                return previous, f"quote.continued.{verb.lemma_.lower()}"
            person = self._person_of(subj)
            if person is not None:
                return person, f"quote.speech-verb.{verb.lemma_.lower()}"
            if subj.lemma_.lower() in _UNNAMED_SOURCES:
                # '"…," the ministry said in a statement': the quote has its own speaker,
                # no person, so no earlier speaker may be guessed for it
                return None, _UNNAMED
            return None, ""  # an unnamed or non-person speaker: no attribution
        return None, ""

    def _according_to(self, q: QuoteSpan) -> tuple[int | None, str]:
        """'According to X, "…"' / '"…," according to X': a named person, titled or not;
        a statement, a ministry or an agency is no speaker."""
        text = self.parsed.text
        for sent in self._sentences_of(q):
            for cue in _ACCORDING_TO.finditer(text, sent.start_char, sent.end_char):
                if self.parsed.in_quote(cue.start()):
                    continue
                # the cue must lead into the quote or follow it directly
                if cue.end() <= q.mark_start:
                    # ("According to X, the treaty is '…'": the words after the comma too)
                    if not re.fullmatch(r"[^.;\n]*?,[^.;\n]*", text[cue.end() : q.mark_start]):
                        continue
                elif not re.fullmatch(r"[\s,”\"'’]*", text[q.end : cue.start()]):
                    continue
                m = next(iter(self.mentions.persons_in(cue.end(), cue.end() + 80)), None)
                if m is None or not _TITLE_GAP.fullmatch(text[cue.end() : m.start]):
                    continue
                return m.person, "quote.according-to"
        return None, ""

    def _name_after_verb(self, q: QuoteSpan, verb: Token) -> int | None:
        """ "'…,' elaborated Nasir.": an inverted speaker the parse did not make a subject."""
        end = verb.idx + len(verb)
        if verb.idx < q.end or self.parsed.text[q.end : verb.idx].strip(" ,\"”'’") != "":
            return None
        m = self.mentions.person_at(end, end + 2)
        if m is None or m.start < end or self.parsed.text[end : m.start].strip():
            return None
        return m.person

    def _speech_complement(self, q: QuoteSpan, verb: Token) -> bool:
        """Whether the quoted words are what ``verb`` reports: its complement, object or
        predicate ("called it 'long overdue'", "described the talks as 'frank'"), reached
        without passing through a noun's modifier ("concern about the 'shadow fleet'")."""
        span = self.parsed.doc.char_span(q.start, q.end, alignment_mode="expand")
        if span is None or not len(span):
            return False
        tok: Token = span.root
        for _ in range(8):
            if tok.i == verb.i:
                return True
            head = tok.head
            if head.i == tok.i:
                return False
            if tok.dep_ == "prep" and head.pos_ in ("NOUN", "PROPN", "PRON") and tok.lower_ != "as":
                # (not "described the talks as '…'": the predicate, hung on the object)
                return False
            tok = head
        return False

    def _person_of(self, subj: Token) -> int | None:
        s, e = subj.left_edge.idx, subj.right_edge.idx + len(subj.right_edge)
        named = [m for m in self.mentions.persons_in(s, e) if not self.parsed.in_quote(m.start)]
        # "Kowalska's spokesman, Jan Zielinski, said": the possessor is not the speaker
        own = [m for m in named if not re.match(r"['’]s\b", self.parsed.text[m.end : m.end + 3])]
        if own:
            return own[0].person
        # "Kowalska's spokesman said": not Kowalska; the office may still refer back to a
        # spokesman named before
        if subj.lower_ in ("former", "latter"):
            return self.resolver.former_latter(subj.idx, subj.lower_)
        person = self.resolver.resolve_token(subj)
        addressed = self._addressed(subj)
        if person is not None and person in addressed:
            # '"Thank you, dear Mihai, …," the Minister wrote': not Mihai
            person = self.resolver.resolve_token(subj, exclude=addressed)
        return person

    def _addressed(self, subj: Token) -> frozenset[int]:
        """People the quotation next to ``subj`` speaks to ("Thank you, dear X", "X, …")."""
        sent = subj.sent
        out = set()
        for m in self.mentions.persons_in(sent.start_char, sent.end_char):
            if self.parsed.in_quote(m.start) is None:
                continue
            before = self.parsed.text[max(sent.start_char, m.start - 20) : m.start]
            if re.search(r"(?i)(?:\bdear|\bthank you,?|\bthanks,?)\s+$", before):
                out.add(m.person)
        return frozenset(out)

    def _standalone(self, q: QuoteSpan) -> bool:
        p_start, _ = self.parsed.paragraphs[q.paragraph]
        return self.parsed.text[p_start : q.mark_start].strip() == ""

    def _bare_sentence(self, q: QuoteSpan) -> bool:
        """A quote that is a whole sentence on its own, following another quote."""
        before = self.parsed.text[max(0, q.mark_start - 3) : q.mark_start]
        return bool(re.search(r"[.!?]\s*$", before))

    def _announced(self, q: QuoteSpan) -> tuple[int | None, str]:
        if q.paragraph == 0:
            return None, ""
        ps, pe = self.parsed.paragraphs[q.paragraph - 1]
        para = self.parsed.text[ps:pe]
        if self.parsed.in_quote(ps + len(para) // 2) and not para.rstrip().endswith(":"):
            return None, ""
        sents = [s for s in self.parsed.sentences if ps <= s.start_char < pe]
        for sent in reversed(sents):
            for tok in sent:
                if self.parsed.in_quote(tok.idx):
                    continue
                if tok.pos_ in ("VERB",) and tok.lemma_.lower() in lexicon.SPEECH_VERBS:
                    subj = _subject(tok)
                    if subj is not None:
                        person = self._person_of(subj)
                        if person is not None:
                            return person, "quote.announced"
        return None, ""

"""Direct speech: quotation-mark spans attributed to the person who said them.

The speaker is the subject of the speech verb governing the quote in its sentence ("…," X
said; X said: "…"; X called it "…"), else the speaker announced by the paragraph before a
standalone quoted paragraph ("Speaking at the meeting, X said:"), else the speaker of the
quote this one continues. Unnamed sources ("a diplomat said", "media reported") give no quote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Span, Token

from graphbuild.extract import lexicon
from graphbuild.extract.coref import Resolver
from graphbuild.extract.document import ParsedArticle, QuoteSpan
from graphbuild.extract.mentions import MentionIndex


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


def _subject(verb: Token) -> Token | None:
    for c in verb.children:
        if c.dep_ in ("nsubj", "nsubjpass"):
            return c
    if verb.dep_ in ("conj", "xcomp", "advcl") and verb.head is not verb:
        return _subject(verb.head)
    return None


@dataclass
class QuoteExtractor:
    parsed: ParsedArticle
    mentions: MentionIndex
    resolver: Resolver

    def run(self) -> list[QuoteFact]:
        facts: list[QuoteFact] = []
        last_by_paragraph: dict[int, int] = {}
        for q in self.parsed.quotes:
            speaker, rule = self._attribute(q)
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
        return [
            s
            for s in self.parsed.sentences
            if s.start_char <= q.end and q.mark_start < s.start_char + len(s.text.rstrip())
        ]

    def _attribute(self, q: QuoteSpan) -> tuple[int | None, str]:
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
        for verb in candidates:
            subj = _subject(verb)
            if subj is None:
                continue
            person = self._person_of(subj)
            if person is not None:
                return person, f"quote.speech-verb.{verb.lemma_.lower()}"
            return None, ""  # an unnamed or non-person speaker: no attribution
        return None, ""

    def _person_of(self, subj: Token) -> int | None:
        s, e = subj.left_edge.idx, subj.right_edge.idx + len(subj.right_edge)
        named = [m for m in self.mentions.persons_in(s, e) if not self.parsed.in_quote(m.start)]
        if named:
            return named[0].person
        if subj.lower_ in ("former", "latter"):
            return self.resolver.former_latter(subj.idx, subj.lower_)
        return self.resolver.resolve_token(subj)

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

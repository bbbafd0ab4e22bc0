"""Reference resolution: pronouns, "the former/the latter" and title-only descriptions.

A reference never creates a person; it points back to one the article already named.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Token

from graphbuild.extract import lexicon
from graphbuild.extract.document import ParsedArticle
from graphbuild.extract.mentions import GazetteerLike, MentionIndex, fold

_ROLE_NOUN = (
    r"(?:(?i:minister|president|leader|chief|premier|chancellor|secretary-general|secretary|"
    r"diplomat|envoy|host|guest|chairperson|chairman|chair|king|emir|amir|sultan|"
    r"high representative|commissioner|ambassador|taoiseach|t[áa]naiste|crown prince|"
    r"speaker|governor|director-general|director general|spokes(?:person|man|woman)|"
    r"charg[ée] d['’]affaires)|"
    # abbreviated offices, as written ("the CS said", "the EAM")
    r"CS|EAM|FM|PM|FS|DPM|SG)"
)
_DEFINITE = re.compile(
    rf"\b(?:(?:HE|HH|H\.E\.|H\.H\.)\s+)?(?:the|The)\s+(?P<mods>(?:[A-Z][\w'-]*\s+){{0,4}}?)"
    rf"(?P<noun>(?:(?:[A-Z][\w-]*|foreign|prime|defence|defense|trade|finance|economy|"
    rf"interior|health|energy|justice|education|environment|agriculture|home|"
    # "the external affairs minister", "the foreign affairs secretary"
    rf"(?:external|foreign|home|internal) affairs)\s+)?"
    rf"{_ROLE_NOUN})\b"
)


# A foreign minister's titles, folded.
_FOREIGN_MINISTER = r"foreign|external affairs|secretary of state|top diplomat"

# Titles a monarch's form of address ("His Majesty") refers to.
_MONARCHS = r"\b(?:king|queen|emir|amir|sultan|monarch|emperor)\b"

# What a generic description can refer to, as a pattern over (folded) titles.
_GENERIC_CATEGORIES = {
    "leader": r"president|prime minister|premier|chancellor|king|queen|emir|sultan|head of",
    "chief": r"secretary|chief|head|director|chair|president",
    "diplomat": r"foreign|diplomat|secretary of state|ambassador|envoy|minister",
    # "Ambassador X … the Argentine envoy"
    "envoy": r"ambassador|envoy|high commissioner|representative|charg[ée]|consul",
}


@dataclass
class Resolver:
    """Resolves references to person indices, given what has been learnt about roles."""

    parsed: ParsedArticle
    mentions: MentionIndex
    gaz: GazetteerLike
    titles: dict[int, list[str]] = field(default_factory=dict)
    parties: dict[int, list[str]] = field(default_factory=dict)  # person -> party labels

    def persons_before(self, pos: int, *, outside_quotes: bool = True) -> list[int]:
        """Person indices mentioned before ``pos``, most recent first, without repeats."""
        seen: list[int] = []
        for m in sorted(self.mentions.person_mentions, key=lambda m: -m.start):
            if m.end > pos:
                continue
            if outside_quotes and self.parsed.in_quote(m.start):
                continue
            if m.person not in seen:
                seen.append(m.person)
        return seen

    def subject_before(self, pos: int) -> int | None:
        """The person who was most recently the subject of a clause before ``pos``.

        Subjects in the current sentence (before ``pos``) win, then the first subject of
        each earlier sentence; descriptions ("the GCC Secretary-General") count as subjects.
        """
        sent_index = self.parsed.sentence_index(pos)
        for si in range(sent_index, max(-1, sent_index - 6), -1):
            sent = self.parsed.sentences[si]
            found: list[tuple[int, int]] = []
            for tok in sent:
                if tok.idx >= pos or tok.dep_ not in ("nsubj", "nsubjpass"):
                    continue
                if self.parsed.in_quote(tok.idx):
                    continue
                s, e = tok.left_edge.idx, tok.idx + len(tok)
                if tok.text in ("HE", "HH"):  # "HE the Prime Minister": an honorific
                    e = tok.sent[min(len(tok.sent) - 1, tok.i - tok.sent.start + 8)].idx
                elif tok.lower_ in lexicon.PRONOUNS_PERSON:
                    continue
                named = [
                    m for m in self.mentions.persons_in(s, e) if not self.parsed.in_quote(m.start)
                ]
                person = (
                    named[-1].person if named else self.resolve_definite(self.parsed.text[s:e], s)
                )
                if person is not None:
                    found.append((tok.idx, person))
            if found:
                return max(found)[1] if si == sent_index else min(found)[1]
        before = self.persons_before(pos)
        return before[0] if before else None

    def _head_token(self, start: int, end: int) -> Token | None:
        span = self.parsed.span(start, end)
        return span.root if span is not None and len(span) else None

    @staticmethod
    def _is_subject(tok: Token) -> bool:
        t: Token | None = tok
        hops = 0
        while t is not None and hops < 4:
            if t.dep_ in ("nsubj", "nsubjpass"):
                return True
            if t.dep_ in ("compound", "appos", "conj", "flat") and t.head is not t:
                t = t.head
                hops += 1
                continue
            return False
        return False

    def former_latter(self, pos: int, which: str) -> int | None:
        before = self.persons_before(pos)
        if len(before) < 2:
            return None
        latter, former = before[0], before[1]
        return former if which == "former" else latter

    def resolve_token(self, tok: Token, exclude: frozenset[int] = frozenset()) -> int | None:
        """The person a subject/object token refers to, if it is a reference."""
        span_start, span_end = tok.left_edge.idx, tok.idx + len(tok)
        named = self.mentions.person_at(tok.idx, tok.idx + len(tok))
        if named is not None:
            return named.person
        low = tok.lower_
        if low in lexicon.PRONOUNS_PERSON:
            return self.subject_before(tok.idx)
        if (
            low in ("excellency", "highness")
            and tok.i > 0
            and tok.doc[tok.i - 1].lower_ in ("his", "her")
            and not any(c.pos_ == "PROPN" and c.i > tok.i for c in tok.subtree)
            # "His Highness Tuimaleali'ifano …": a name the parser left out still follows
            and not (tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].text[:1].isupper())
        ):
            # "His Excellency also met Y", "Her Excellency will have courtesy calls with Y":
            # the form of address stands for the person the story is about
            return self.subject_before(tok.idx)
        if low in ("former", "latter") and any(c.lower_ == "the" for c in tok.children):
            return self.former_latter(tok.idx, low)
        if (
            low in ("majesty", "highness")
            and tok.i > 0
            and tok.doc[tok.i - 1].lower_ in ("his", "her")
            and not any(c.pos_ == "PROPN" and c.i > tok.i for c in tok.subtree)
        ):
            # "His Majesty said": the monarch the story told of last
            return self._last_holder(tok.idx, _MONARCHS)
        if low == "head" and any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children):
            of = " ".join(t.lower_ for t in tok.subtree if t.i > tok.i)
            if re.search(r"(?:diplomacy|diplomatic service|foreign (?:ministry|service))$", of):
                # "the head of Ukrainian diplomacy": that state's foreign minister
                phrase = self.parsed.text[tok.idx : tok.right_edge.idx + len(tok.right_edge)]
                return self._foreign_minister_of(phrase, tok.idx)
            if re.match(r"of (?:the )?(?:state|government)\b", of):
                # "the head of state noted": the head of state or government told of last
                return self._last_holder(tok.idx, _GENERIC_CATEGORIES["leader"])
        phrase = self.parsed.text[span_start:span_end]
        found = self.resolve_definite(phrase, tok.idx, exclude)
        if (
            found is not None
            and tok.dep_ in ("nsubj", "nsubjpass")
            and re.fullmatch(r"(?i)the\s+\w+", phrase)
        ):
            # "the PM held meetings with …" after "the visit of Prime Minister X … Prime
            # Minister Y": a bare description as subject goes on with the subject told last
            # when it fits them, not with the last name it fits
            subject = self.subject_before(tok.idx)
            if subject is not None and subject != found and subject not in exclude:
                others = frozenset(self.persons_before(tok.idx)) - {subject}
                if self.resolve_definite(phrase, tok.idx, others | exclude) == subject:
                    return subject
        return found

    def _foreign_minister_of(self, phrase: str, pos: int) -> int | None:
        party = None
        for word in phrase.split():
            entry = self.gaz.demonym(word) or self.gaz.lookup(word)
            if entry is not None and entry.type == "Country":
                party = entry.label
        for person in self.persons_before(pos):
            if party is not None and party not in self.parties.get(person, []):
                continue
            if any(re.search(_FOREIGN_MINISTER, fold(t)) for t in self.titles.get(person, [])):
                return person
        return None

    def _last_holder(self, pos: int, pattern: str) -> int | None:
        """The person told of last before ``pos`` whose title matches ``pattern``."""
        for person in self.persons_before(pos):
            if any(re.search(pattern, fold(t)) for t in self.titles.get(person, [])):
                return person
        return None

    def resolve_definite(
        self, phrase: str, pos: int, exclude: frozenset[int] = frozenset()
    ) -> int | None:
        """ "the Turkish leader", "the Minister", "HE the GCC Secretary-General"."""
        m = _DEFINITE.search(phrase)
        if m is None:
            return None
        party = None
        noun_words: list[str] = []
        words = (m.group("mods") + " " + m.group("noun")).split()
        i = 0
        while i < len(words):
            # "the AU Commission Chairperson": a body of two words before one of one
            pair = self.gaz.lookup(" ".join(words[i : i + 2])) if i + 1 < len(words) else None
            if pair is not None and pair.type in ("Country", "Organization"):
                party = pair.label
                i += 2
                continue
            word = words[i]
            entry = self.gaz.demonym(word) or self.gaz.lookup(word)
            if entry is not None and entry.type in ("Country", "Organization"):
                party = entry.label
            else:
                noun_words.append(word)
            i += 1
        noun = fold(" ".join(lexicon.ABBREVIATED_TITLES.get(w, w) for w in noun_words))
        head = noun.split()[-1] if noun else ""
        candidates = [p for p in self.persons_before(pos) if p not in exclude]
        category = _GENERIC_CATEGORIES.get(head)
        # "the Tánaiste", "the CS": an office only one state has is held for that state
        from graphbuild.extract.role_parties import state_title_party

        only = state_title_party(noun, self.gaz) if noun else None
        if only is not None and party is None:
            party = only.label
        scored: list[tuple[int, int, int]] = []
        for rank, person in enumerate(candidates):
            titles = [fold(t) for t in self.titles.get(person, [])]
            parties = self.parties.get(person, [])
            if party is not None and parties and party not in parties:
                continue
            generic = head in ("leader", "chief", "diplomat", "host", "guest", "head")
            exact = any(noun in t for t in titles)
            if category is not None:
                # "the Turkish leader": the most recent head of state or government
                if not any(re.search(category, t) for t in titles):
                    continue
                scored.append((0, 0, rank))
                continue
            if generic:
                fits = bool(titles) or party is not None
            else:
                fits = exact or any(head in t.split() or head in t for t in titles)
            if not fits:
                continue
            score = 0 if (party is not None and party in parties) else 1
            # "Trade Minister X … the Chilean trade minister": the office as written outweighs
            # a party another minister is known to have
            scored.append((0 if exact else 1, score, rank))
        if not scored:
            return None
        best = min(scored)
        return candidates[best[2]]

    def definite_party(self, phrase: str) -> str | None:
        m = _DEFINITE.search(phrase)
        if m is None:
            return None
        for word in (m.group("mods") + " " + m.group("noun")).split():
            entry = self.gaz.demonym(word) or self.gaz.lookup(word)
            if entry is not None and entry.type in ("Country", "Organization"):
                return entry.label
        return None

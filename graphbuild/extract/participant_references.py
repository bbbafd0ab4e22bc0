"""Whom a token of a meeting's clause names: a person by name, title, pronoun or group.

"the Kenyan President", "the visiting minister", "he and X", "the two ministers", "the
foreign ministers of A and B": a side of a meeting often names its people without their
names, so they are resolved through coreference, the titles the article gave, the visit
being told and the meeting just reported. The participant finder decides which tokens are
a meeting's sides and asks these rules whom each one names.
"""

from __future__ import annotations

import re

from spacy.tokens import Token

from graphbuild.extract import lexicon
from graphbuild.extract.coref import Resolver
from graphbuild.extract.document import ParsedArticle, subtree_range
from graphbuild.extract.event_facts import EventFact
from graphbuild.extract.mentions import MentionIndex, fold

# Offices a numbered group names ("the two ministers", "both heads of state"), as words a
# title holds.
_HEADS_OF_STATE = ("president", "king", "amir", "emir", "sultan", "prime minister", "premier",
                   "chancellor", "head of state", "head of government", "leader")  # fmt: skip

_GROUP_OFFICES: dict[str, tuple[str, ...]] = {
    "minister": ("minister", "secretary of state", "foreign secretary"),
    "president": ("president",),
    "secretary": ("secretary",),
    "leader": _HEADS_OF_STATE,
    "premier": ("prime minister", "premier"),
    "ambassador": ("ambassador", "high commissioner", "envoy"),
    "envoy": ("envoy", "ambassador", "high commissioner", "representative"),
}


def _noun_lemma(tok: Token) -> str:
    """The tagger leaves a capitalised plural as it is ("the two Foreign Ministers")."""
    lemma = tok.lemma_.lower()
    if tok.tag_ == "NNPS" and lemma == tok.lower_:
        if lemma.endswith("ies"):
            return lemma[:-3] + "y"
        if lemma.endswith("s") and not lemma.endswith("ss"):
            return lemma[:-1]
    return lemma


def _group_office(tok: Token) -> tuple[str, ...] | None:
    """The title words a plural role noun stands for; None for a noun no office names."""
    lemma = _noun_lemma(tok)
    if lemma == "head":
        of = " ".join(t.lower_ for t in tok.subtree if t.i > tok.i)
        return _HEADS_OF_STATE if re.match(r"of (?:state|government)", of) else None
    if lemma == "minister" and any(c.lower_ == "prime" for c in tok.children):
        return ("prime minister", "premier")
    if lemma == "minister" and any(c.lower_ == "foreign" for c in tok.children):
        return ("foreign minister", "minister of foreign", "minister for foreign",
                "external affairs", "secretary of state", "foreign secretary")  # fmt: skip
    return _GROUP_OFFICES.get(lemma)


_GROUP_NOUNS = frozenset(
    {
        "leader",
        "minister",
        "president",
        "side",
        "counterpart",
        "diplomat",
        "delegation",
        "official",
        "envoy",
        "head",
        "premier",
        "chancellor",
        "secretary",
        "ambassador",
        "man",
        "woman",
        "statesman",
        "politician",
        "delegate",
        "chief",
    }
)

# ", His Highness " between an office and the name of its holder.
_APPOSED_NAME = re.compile(
    r",\s+(?:(?:His|Her)\s+(?:Royal\s+)?(?:Highness|Majesty|Excellency)\s+|H\.\s?E\.\s+)?"
)

# Words a person's name does not end with: an office or a rank ("Arabian King" cut off
# before "X bin Y").
_NOT_LAST_NAME_WORDS = frozenset(
    {
        "king",
        "queen",
        "prince",
        "princess",
        "minister",
        "president",
        "premier",
        "chancellor",
        "secretary",
        "ambassador",
        "emir",
        "amir",
        "sultan",
        "sheikh",
        "excellency",
        "highness",
        "majesty",
        "deputy",
        "envoy",
        "spokesman",
        "spokesperson",
        "speaker",
        "governor",
        "chairman",
        "chairperson",
        "commissioner",
        "delegate",
        "counterpart",
        # words of a diplomatic title or of a ministry's name that the name finder can take
        # for a name: "Ambassador Extraordinary and Plenipotentiary", "the Apostolic Nuncio",
        # "Minister of Foreign Affairs and Expatriates"
        "extraordinary",
        "plenipotentiary",
        "nuncio",
        "apostolic",
        "attaché",
        "attache",
        "chargé",
        "charge",
        "consul",
        "expatriates",
        "emigrants",
        "diaspora",
        "affairs",
        "cooperation",
        "representative",
        # buildings and places a capitalised phrase can end with: "Bait Al Falaj Fort"
        "fort",
        "museum",
        "palace",
        "house",
        "hall",
        "centre",
        "center",
        "hotel",
        "airport",
        "mosque",
        "square",
        "building",
        "residence",
    }
)

# Legislatures and bodies: a "name" right before one of them is the body's ("Lok Sabha").
_BODY_ENDINGS = frozenset(
    {
        "sabha",
        "duma",
        "knesset",
        "majlis",
        "parliament",
        "assembly",
        "senate",
        "congress",
        "khural",
        "storting",
        "riksdag",
        "bundestag",
        "sejm",
        "oireachtas",
        "council",
        "commission",
        "ministry",
    }
)


def is_name(label: str) -> bool:
    """Whether a person's label can be a name: not a bare title or honorific ("Excellency",
    "Arabian King"), defensively, whatever found it."""
    words = [w.strip(".,").lower() for w in label.split()]
    if not words or words[-1] in _NOT_LAST_NAME_WORDS or words[-1] in _BODY_ENDINGS:
        return False
    return not all(w in lexicon.HONORIFICS or w in _NOT_LAST_NAME_WORDS for w in words)


# Head nouns of a title written before its holder's name.
TITLE_HEADS = lexicon.ROLE_NOUNS | {
    "delegate",
    "ambassador",
    "adviser",
    "advisor",
    "director",
    "canciller",
    "dignitary",
    "visitor",
}

# Titles of envoys, written before their post and their name: "Ambassador to Kenya X".
_ENVOY_TITLES = frozenset(
    {"ambassador", "commissioner", "envoy", "representative", "consul", "emissary", "nuncio"}
)

# Words that say which office a title is, for matching counterparts.
_OFFICE_WORDS = frozenset(
    {
        "foreign",
        "minister",
        "president",
        "prime",
        "ambassador",
        "secretary",
        "defence",
        "defense",
        "finance",
        "trade",
        "speaker",
        "chancellor",
        "premier",
        "king",
        "envoy",
        "affairs",
    }
)

# How many sentences back "the visiting minister" finds the visit's guest: a visit story keeps
# its guest across the paragraphs of the day's other engagements.
_VISITOR_WINDOW = 8

# Verbs whose subject is the guest: "X called on Y", "X visited Y", "X paid a call on Y".
_CALLER_VERBS = frozenset({"call", "visit", "pay"})

_GROUP_OF_PEOPLE = frozenset({"delegation", "team", "mission", "group"})


_COMMA_THEN_ADDRESS = re.compile(
    r",\s*(?:(?:Ambassador|Amb\.|Dr\.?|H\.\s?E\.?|Prof\.?|Mr\.?|Mrs\.?|Ms\.?|Hon\.?|"
    r"Eng\.?|Sheikh|Sheikha)\s+)*$"
)
_SENDER_BEFORE = re.compile(
    r"\b(?:[Ee]nvoy|[Ee]missary|[Mm]essenger|[Mm]essage|[Ll]etter|[Gg]reetings)\s+"
    r"(?:of|from)\s+(?:the\s+)?(?:[A-Z][\w.'’-]*\s+){0,3}$"
)


def _leader_of_group(clause: Token) -> bool:
    """ "a delegation led by X", "a team headed by X": X takes part for the group."""
    return (
        clause.dep_ == "acl"
        and clause.lemma_.lower() in ("lead", "head")
        and clause.head.lemma_.lower() in _GROUP_OF_PEOPLE
        and any(c.dep_ == "agent" for c in clause.children)
    )


class ParticipantReferences:
    """The rules of :class:`graphbuild.extract.participants.ParticipantFinder`, which they
    are mixed into, for whom a token names; the attributes are the finder's fields, named
    here for the type checker."""

    parsed: ParsedArticle
    mentions: MentionIndex
    resolver: Resolver
    events: list[EventFact]
    quoted: bool

    def _persons_in(self, tok: Token, exclude_clauses: bool = True) -> list[int]:
        start, end = subtree_range(tok)
        excluded: list[tuple[int, int]] = []
        if exclude_clauses:
            for d in tok.subtree:
                if d is not tok and d.dep_ in ("relcl", "advcl", "ccomp", "acl", "parataxis"):
                    if _leader_of_group(d):
                        continue
                    excluded.append(subtree_range(d))
        out: list[int] = []
        sent_by: list[int] = []  # who sent the envoy or the message: not there
        for m in self.mentions.persons_in(start, end):
            if any(s <= m.start < e for s, e in excluded):
                continue
            if not is_name(self.mentions.persons[m.person].name):
                continue
            if self.parsed.text[m.end : m.end + 2] in ("'s", "’s"):
                continue
            nxt = re.match(r"\s+(\w+)", self.parsed.text[m.end : m.end + 30])
            if nxt and nxt.group(1).lower() in _BODY_ENDINGS:
                continue  # "Lok Sabha Speaker X": a name cut short before the body it names
            if self.parsed.in_quote(m.start) and not self.quoted:
                continue
            if _SENDER_BEFORE.search(self.parsed.text[max(0, m.start - 60) : m.start]):
                sent_by.append(m.person)  # "received the Special Envoy of President X"
                continue
            if m.person not in out:
                out.append(m.person)
        if self.quoted or (sent_by and not out):
            return out
        for p in self._holder_after_post(tok):
            if p not in out:
                out.append(p)
        if not out:
            named = self._title_then_name(tok)
            if named is not None:
                return [named]
            ref = self._reference(tok)
            out.extend(p for p in ref if p not in out)
            if ref:
                # "the Prime Minister and the visiting minister held talks": each a reference
                for c in tok.conjuncts:
                    if not self.mentions.persons_in(*subtree_range(c)):
                        out.extend(p for p in self._reference(c) if p not in out)
        else:
            # "the minister and the Ethiopian Ambassador, X, discussed": a title written in
            # lower case, coordinated with a named person, refers back to its holder
            if (
                tok.text.islower()
                and tok.lemma_.lower() in TITLE_HEADS
                and tok.conjuncts
                and any(c.lower_ == "the" and c.i < tok.i for c in tok.children)
                and not self.mentions.persons_in(tok.left_edge.idx, tok.idx + len(tok.text))
            ):
                r = self._title_reference(tok)
                if r is None:
                    r = self.resolver.resolve_token(tok)
                if r is not None and r not in out:
                    out.insert(0, r)
            # "he and X": a pronoun coordinated with a name
            for c in tok.conjuncts:
                if c.lower_ in ("he", "she"):
                    r = self.resolver.subject_before(c.idx)
                    if r is not None and r not in out:
                        out.insert(0, r)
                elif c.pos_ == "NOUN" and not self.mentions.persons_in(
                    c.left_edge.idx, c.idx + len(c.text)
                ):
                    # "X and his Bahraini counterpart"
                    r = self._title_reference(c)
                    if r is not None and r not in out:
                        out.append(r)
            if tok.lower_ in ("he", "she"):
                r = self.resolver.subject_before(tok.idx)
                if r is not None and r not in out:
                    out.insert(0, r)
        return out

    def _holder_after_post(self, tok: Token) -> list[int]:
        """ "received … the Indian High Commissioner to Sri Lanka Santosh Jha": an envoy's
        title, its post and the holder's name, with "to <post> <name>" hung by the parser on
        the verb instead of on the title."""
        last = tok.doc[max(t.i for t in tok.subtree)]
        if last.lemma_.lower() not in _ENVOY_TITLES or last.i + 1 >= len(tok.doc):
            return []
        prep = tok.doc[last.i + 1]
        if prep.lower_ not in ("to", "in") or prep.dep_ != "prep" or prep.head.i == last.i:
            return []
        if prep.head.i in {t.i for t in tok.subtree}:
            return []
        objs = [c for c in prep.children if c.dep_ == "pobj"]
        if len(objs) != 1 or objs[0].pos_ != "PROPN":
            return []
        s, e = subtree_range(objs[0])
        found = [
            m
            for m in self.mentions.persons_in(s, e)
            if m.end == e and m.start > s and is_name(self.mentions.persons[m.person].name)
        ]
        return [found[0].person] if found else []

    def _title_then_name(self, tok: Token) -> int | None:
        """ "received the Minister Delegate to … in charge of Relations with the
        Commonwealth, Félix Mbayu": a long title whose holder's name closes the phrase after
        a comma, however the parser attached it."""
        if tok.tag_ not in ("NN", "NNP") or tok.lemma_.lower() not in TITLE_HEADS:
            return None
        end = subtree_range(tok)[1]
        sent = tok.sent
        doc = tok.doc
        for t in doc[tok.i + 1 : min(sent.end, tok.i + 25)]:
            if t.idx < end:
                continue
            if t.pos_ in ("VERB", "AUX") or t.lower_ in (";", "who", "which", "where"):
                return None
            if t.lower_ == "and" and (
                t.i + 1 >= len(doc)
                or not doc[t.i + 1].text[:1].isupper()
                or self.mentions.person_at(doc[t.i + 1].idx, doc[t.i + 1].idx + 1) is not None
            ):
                # "the Minister of Foreign Affairs and International Cooperation, X" goes on;
                # "the Minister and X" is two people
                return None
            m = self.mentions.person_at(t.idx, t.idx + len(t.text))
            if m is not None:
                before = self.parsed.text[max(0, m.start - 40) : m.start]
                # ", X" or ", Ambassador X" / ", H.E. Dr. X": a form of address between
                if not _COMMA_THEN_ADDRESS.search(before) or self.parsed.in_quote(m.start):
                    return None
                return m.person
        return None

    def _reference(self, tok: Token) -> list[int]:
        low = tok.lower_
        if low in ("they", "them"):
            return self._previous_participants(None)
        if tok.lemma_.lower() in ("guest", "visitor") and any(
            c.lower_ == "the" for c in tok.children
        ):
            # "the guests were greeted by X": the visit's guest (with a delegation), however
            # far the story has gone on through the visit's programme
            guest = self._visitor(tok, window=3 * _VISITOR_WINDOW)
            if guest is not None:
                return [guest]
        group = self._group(tok)
        if group is not None:
            return group
        named = self._named_in_apposition(tok)
        if named is not None:
            return [named]
        if any(c.lower_ == "visiting" for c in tok.children) and any(
            c.lower_ in ("the", "this") for c in tok.children
        ):
            # "the visiting minister": the guest, before any minister told of last, however
            # far the quoted reactions have taken the story
            guest = self._visitor(tok, window=3 * _VISITOR_WINDOW)
            if guest is not None:
                return [guest]
        r = self.resolver.resolve_token(tok)
        if r is None:
            r = self._title_reference(tok)
        return [r] if r is not None else []

    def _named_in_apposition(self, tok: Token) -> int | None:
        """ "a courtesy call on Samoa's Head of State, His Highness X": the office is
        described, then named right after the comma (the parser hangs the name elsewhere)."""
        if tok.pos_ not in ("NOUN", "PROPN") or tok.lemma_.lower() in ("they", "them"):
            return None
        for c in tok.children:
            # "received His Highness Prince X, Minister of …": the name hangs on the address
            if c.dep_ == "appos":
                named = self.mentions.person_at(c.idx, c.idx + len(c))
                if named is not None:
                    return named.person
        end = subtree_range(tok)[1]
        m = _APPOSED_NAME.match(self.parsed.text, end)
        if m is None:
            return None
        found = self.mentions.person_at(m.end(), m.end() + 1)
        return found.person if found is not None and found.start == m.end() else None

    def _title_reference(self, tok: Token) -> int | None:
        """ "the CS", "the US Ambassador", "Qatar's Ambassador": a definite title that only
        one person named before holds (with that party, when the description names one)."""
        doc = tok.doc
        definite = any(c.lower_ in ("the", "this") for c in tok.children) or (
            tok.i > 0 and doc[tok.i - 1].lower_ == "the"
        )
        possessed = [c for c in tok.children if c.dep_ == "poss"]
        if not definite and not possessed:
            return None
        if tok.tag_ not in ("NN", "NNP"):
            return None
        title = lexicon.ABBREVIATED_TITLES.get(tok.text, tok.text).lower()
        if any(c.lower_ == "visiting" for c in tok.children) and definite:
            # "talks with the visiting minister", "a dinner in honour of the visiting
            # Speaker": the guest of the meeting just reported, whatever the office
            guest = self._visitor(tok)
            if guest is not None:
                return guest
        if title.split()[-1] not in TITLE_HEADS:
            return None
        parties: set[str] = set()
        for c in tok.children:
            if c.i < tok.i and c.dep_ in ("compound", "amod", "poss", "nmod"):
                entry = self.resolver.gaz.demonym(c.text) or self.resolver.gaz.lookup(c.text)
                if entry is not None and entry.type in ("Country", "Organization"):
                    parties.add(entry.label)
                elif c.pos_ == "PROPN" and c.dep_ == "compound" and c.text[:1].isupper():
                    title = f"{c.text.lower()} {title}"
        before = set(self.resolver.persons_before(tok.idx))
        cands = [
            p
            for p, titles in self.resolver.titles.items()
            if p in before and any(title in t.lower() for t in titles)
        ]
        if parties:
            cands = [p for p in cands if parties & set(self.resolver.parties.get(p, []))]
            if not cands:
                # "his Bahraini counterpart", "the Uruguayan canciller": the one person of
                # that party named before
                owner = {p for c in possessed for p in self._persons_in(c)}
                cands = [
                    p
                    for p in self.resolver.persons_before(tok.idx)
                    if parties & set(self.resolver.parties.get(p, [])) and p not in owner
                ]
                if len(cands) > 1 and title == "counterpart" and owner:
                    # the one holding the owner's kind of office
                    office = {w for p in owner for w in self._office_words(p)}
                    cands = [p for p in cands if office & self._office_words(p)]
        return cands[0] if len(cands) == 1 else None

    def _office_words(self, person: int) -> set[str]:
        words = {w.lower() for t in self.resolver.titles.get(person, []) for w in t.split()}
        return words & _OFFICE_WORDS

    def _visitor(self, tok: Token, window: int = _VISITOR_WINDOW) -> int | None:
        """The guest of the meeting just reported (its people other than the host, or than
        the subject of the clause at hand)."""
        si = self.parsed.sentence_index(tok.idx)
        for ev in reversed(self.events):
            if si - ev.sentence > window:
                return None
            if ev.kind not in ("Meeting", "ScheduledMeeting"):
                continue
            here = {p for t in tok.doc[tok.sent.start : tok.i] for p in self._named_at(t)}
            if ev.host is not None:
                # the trigger's own sides, not the attendees a later sentence added
                told = [*ev.sides[0], *ev.sides[1]] or ev.participants
                guests = [p for p in dict.fromkeys(told) if p != ev.host]
            elif ev.sides[0] and ev.sides[1] and ev.rule.rsplit(".", 1)[-1] in _CALLER_VERBS:
                # "X called on Y", "X paid a visit to Y": the caller is the guest
                guests = list(ev.sides[0])
            elif ev.sides[0] and ev.sides[1]:
                guests = list(ev.sides[1])
            else:
                guests = self._away_from_home(ev)
            guests = [p for p in guests if p not in here]
            if len(guests) == 1:
                return guests[0]
            if ev.host is None and not (ev.sides[0] and ev.sides[1]):
                # a meeting whose sides nothing tells ("they were greeted by Y"): look further
                continue
            return None
        return None

    def _away_from_home(self, ev: EventFact) -> list[int]:
        """ "A and B held talks in Podgorica": with no host told, the guests are those who
        act for another state than the one whose capital the meeting is in."""
        people = list(ev.participants)
        metonym = getattr(self.resolver.gaz, "metonym", None)
        home = metonym(ev.place.text) if ev.place is not None and metonym is not None else None
        if home is None or home.type != "Country":
            return people
        parties = self.resolver.parties
        away = [p for p in people if parties.get(p) and home.label not in parties[p]]
        at_home = [p for p in people if home.label in parties.get(p, [])]
        return away if away and at_home else people

    def _named_at(self, t: Token) -> list[int]:
        m = self.mentions.person_at(t.idx, t.idx + len(t.text))
        return [m.person] if m is not None else []

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
        # "the two Foreign Ministers" (not "the MSG Leaders", a body's meeting)
        lemma = _noun_lemma(tok) if nums else tok.lemma_.lower()
        if not plural:
            return None
        preps = [c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"]
        office = _group_office(tok)
        if nums and nums[0] is not None and office is not None:
            # "the two ministers", "both heads of state": the people just named or of the
            # meeting just told, if they hold that office; else those of that office told last
            for told, any_office in (
                (self._named_just_before(tok, nums[0]), False),
                # "the two leaders": whoever led the meeting just told, whatever their office
                # (a party's "General Secretary")
                (self._previous_participants(nums[0], tok.idx), lemma == "leader"),
            ):
                if told and (any_office or all(self._holds(p, office) for p in told)):
                    return told
            # "the three ministers" after a meeting of three ministers and a secretary-general
            of_office = self._office_holders_of_last_meeting(tok, office)
            if len(of_office) == nums[0]:
                return of_office
            fitting = self._holders_told_before(tok, nums[0], office)
            if fitting:
                return fitting
        if preps and lemma not in _GROUP_NOUNS | lexicon.ROLE_NOUNS:
            # "on the margins of the NATO meeting" names no people
            return None
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
                        key = lemma
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
        if nums and nums[0] is not None:
            bare = tok.lower_ in lexicon.NUMBER_WORDS
            if not bare and lemma not in _GROUP_NOUNS | lexicon.ROLE_NOUNS:
                return None  # "the two countries" are no people
            named = self._named_just_before(tok, nums[0])
            if named:
                return named
            return self._previous_participants(nums[0], tok.idx)
        # "the leaders", "the ministers": the people of the meeting just reported
        if lemma in _GROUP_NOUNS and any(c.lower_ == "the" for c in tok.children):
            if self.events and self.parsed.sentence_index(tok.idx) - self.events[-1].sentence <= 2:
                told = self._previous_participants(None)
                if office is not None and lemma != "leader":
                    # "met President X. … the Secretaries joined Y": those of that office
                    holding = [p for p in told if self._holds(p, office)]
                    if len(holding) >= 2:
                        return holding
                return told
        return None

    def _office_holders_of_last_meeting(self, tok: Token, office: tuple[str, ...]) -> list[int]:
        si = self.parsed.sentence_index(tok.idx)
        for ev in reversed(self.events):
            if si - ev.sentence > 20:
                break
            if ev.kind == "Meeting":
                return [p for p in ev.participants if self._holds(p, office)]
        return []

    def _holds(self, person: int, office: tuple[str, ...]) -> bool:
        titles = " ".join(fold(t) for t in self.resolver.titles.get(person, []))
        return any(re.search(rf"\b{w}", titles) for w in office)

    def _holders_told_before(self, tok: Token, count: int, office: tuple[str, ...]) -> list[int]:
        """The ``count`` people of the office last named before ``tok``; none when another
        holder was named as late as the last of them (which two of three is unclear)."""
        recent: list[int] = []
        last_sentence: list[int] = []
        for m in reversed(self.mentions.persons_in(0, tok.idx)):
            if self.parsed.in_quote(m.start) or m.person in recent:
                continue
            if self._holds(m.person, office):
                recent.append(m.person)
                last_sentence.append(self.parsed.sentence_index(m.start))
            if len(recent) > count:
                break
        if len(recent) < count:
            return []
        if len(recent) > count and last_sentence[count] >= last_sentence[count - 1]:
            return []
        return recent[:count][::-1]

    def _named_just_before(self, tok: Token, count: int) -> list[int]:
        """ "The two are to sign …": the ``count`` people the sentence before names, if it
        names exactly that many (and the word is not in that sentence's own clause)."""
        si = self.parsed.sentence_index(tok.idx)
        here = self.parsed.sentences[si]
        # "X said he hoped for talks with Y as the two met in Z": named before, same sentence
        people = self._people_between(here.start_char, tok.idx)
        if len(people) == count:
            return people
        if si == 0:
            return []
        prev = self.parsed.sentences[si - 1]
        people = self._people_between(prev.start_char, prev.end_char)
        return people if len(people) == count else []

    def _people_between(self, start: int, end: int) -> list[int]:
        people: list[int] = []
        for m in self.mentions.persons_in(start, end):
            if self.parsed.in_quote(m.start):
                continue
            if m.person not in people:
                people.append(m.person)
        return people

    def _previous_participants(self, count: int | None, at: int | None = None) -> list[int]:
        if not self.events:
            return []
        last = self.events[-1]
        near = at is None or self.parsed.sentence_index(at) - last.sentence <= 2
        if near and (count is None or len(last.participants) == count):
            return list(last.participants)
        if count is not None and count >= 3 and at is not None:
            # "The three ministers were later received by X": the meeting, told earlier, of
            # exactly that many people, or of that many guests with their host
            si = self.parsed.sentence_index(at)
            for ev in reversed(self.events):
                if si - ev.sentence > 20:
                    break
                if ev.kind not in ("Meeting", "ScheduledMeeting"):
                    continue
                if len(ev.participants) == count:
                    return list(ev.participants)
                if ev.host is not None and len(ev.participants) - 1 == count:
                    return [p for p in ev.participants if p != ev.host]
                if len(ev.sides[1]) == count and len(ev.sides[0]) == 1:
                    # "X welcomed A, B, C and D, where they were joined by E … the four
                    # visiting ministers": the ones X welcomed, not those who joined them
                    return list(ev.sides[1])
        return []

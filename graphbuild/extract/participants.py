"""Who took part in a meeting: the people a meeting verb's subjects and objects name.

Names are read off the dependency parse ("X met Y", "talks between X and Y", "together
with X"); pronouns and groups ("he and X", "the two ministers", "the foreign ministers of
A and B", "the leaders") are resolved through coreference and the meeting just reported
(:mod:`graphbuild.extract.participant_references`, mixed into :class:`ParticipantFinder`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Token

from graphbuild.extract import lexicon
from graphbuild.extract.coref import Resolver
from graphbuild.extract.document import ParsedArticle, subtree_range
from graphbuild.extract.event_facts import EventFact
from graphbuild.extract.meeting_status import (
    CREDENTIAL_VERBS,
    credential_recipients,
    misread_participle,
    presents_credentials,
    quantified,
    verb_chain,
)
from graphbuild.extract.mentions import MentionIndex
from graphbuild.extract.participant_references import TITLE_HEADS, ParticipantReferences, is_name

# "X's agenda/programme includes talks with Y": a visit's plan.
AGENDA_NOUNS = frozenset({"agenda", "programme", "program", "schedule", "itinerary"})


_APART = re.compile(r"\b(?:sidelines?|margins?|fringes?|separate(?:ly)?|bilateral)\b", re.I)


@dataclass
class ParticipantFinder(ParticipantReferences):
    """The people of a meeting verb; ``events`` are the events found so far, in text order."""

    parsed: ParsedArticle
    mentions: MentionIndex
    resolver: Resolver
    events: list[EventFact]
    # the people of the last ``participants`` call, as (subjects' people, objects' people)
    sides: tuple[list[int], list[int]] = field(default_factory=lambda: ([], []))
    # reading a quotation: only the people it names, by name
    quoted: bool = False
    # the last ``named_after`` found counterparts of several states, each named apart
    separately: bool = False

    def participants(self, tok: Token) -> list[int]:
        people: list[int] = []
        subjects = self._subjects(tok)
        objects = self._objects(tok)
        tokens = subjects + objects
        subject_people = [p for s in subjects for p in self._persons_in(s)]
        object_people = [p for o in objects for p in self._persons_in(o)]
        self.sides = (list(dict.fromkeys(subject_people)), list(dict.fromkeys(object_people)))
        for subj in subjects:
            if subj.lemma_.lower() in lexicon.MEETING_NOUNS:
                # "the talks between X and Y took place", "X's meeting with Y took place"
                owners = [c for c in subj.children if c.dep_ == "poss"]
                tokens = [t for t in tokens if t is not subj] + owners + self._objects_of_noun(subj)
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

    def noun_participants(self, noun: Token, verb: Token) -> list[int]:
        """ "X's talks with Y", "a meeting between X and Y", "X paid a courtesy call on Y",
        "after a meeting with Y, X said": the noun's other side and its owner (the possessor,
        else the subject of the verb that governs the noun)."""
        people: list[int] = []
        sides = self._objects_of_noun(noun)
        for c in noun.children:
            if (
                c.dep_ == "prep"
                and c.lower_ in ("on", "to")
                and noun.lemma_.lower()
                in (
                    "call",
                    "visit",
                    "audience",
                )
            ):
                sides.extend(x for x in c.children if x.dep_ == "pobj")
        owners = [c for c in noun.children if c.dep_ in ("poss", "nsubj")]
        if not owners and noun.dep_ in ("pcomp", "pobj") and noun.head.lower_ == "with":
            # "…, with Mensah meeting Y": the gerund's subject read as a compound
            owners = [c for c in noun.children if c.dep_ == "compound" and c.pos_ == "PROPN"]
        if not owners and not any(
            c.dep_ == "prep" and c.lower_ == "between" for c in noun.children
        ):
            owners = [s for s in self._subjects(verb) if s.i != noun.i]
        elif verb.lemma_.lower() in ("join", "accompany"):
            # "W joined X in his meeting with Y", "W accompanied X to talks with Y"
            owners += [s for s in self._subjects(verb) if s.i != noun.i]
            owners += [c for c in verb.children if c.dep_ in ("dobj", "obj")]
        owner_people = [p for t in owners for p in self._persons_in(t)]
        for t in owners:
            if t.lemma_.lower() in AGENDA_NOUNS:
                # "X's agenda includes talks with Y": the agenda's owner
                owner_people += self._possessors(t)
        if not owner_people and owners and owners[0].lower_ in ("his", "her", "their"):
            # "Wang spoke, following his meeting with X": the pronoun is the clause's subject
            owner_people = [p for s in self._subjects(verb) for p in self._persons_in(s)]
        side_people = [p for t in sides for p in self._persons_in(t)]
        for p in self._semicolon_list(sides):
            if p not in side_people and p not in owner_people:
                side_people.append(p)
        counted = bool(owners) and (
            owners[0].lower_ == "both"
            or any(c.lower_ in ("both", "two") for c in owners[0].children)
        )
        if side_people and counted and len(side_people) == 1:
            # "In a meeting with Y, both men reviewed …": Y and the person the story is
            # about, not the two people of the meeting told before
            r = self._protagonist(noun.idx, side_people)
            if r is not None:
                owner_people = [r]
        if not owner_people and side_people and owners and owners[0].lower_ == "they":
            # "In a meeting with Y, they agreed …": Y and the person the story is about
            r = self.resolver.subject_before(noun.idx)
            if r is not None and r not in side_people:
                owner_people = [r]
        for p in owner_people + side_people:
            if p not in people:
                people.append(p)
        self.sides = (list(dict.fromkeys(owner_people)), list(dict.fromkeys(side_people)))
        return people

    def _protagonist(self, pos: int, others: list[int]) -> int | None:
        """The person the story is about: in most of the meetings told so far, else the
        subject told last."""
        counts: dict[int, int] = {}
        for ev in self.events:
            for p in ev.participants:
                if p not in others:
                    counts[p] = counts.get(p, 0) + 1
        if counts:
            best = max(counts.values())
            top = [p for p, n in counts.items() if n == best]
            if len(top) == 1:
                return top[0]
        r = self.resolver.subject_before(pos)
        return r if r is not None and r not in others else None

    def named_after(self, tok: Token) -> list[int]:
        """ "X welcomed his Norwegian counterpart to London. Y, Norway's
        foreign minister, arrived …": a guest described by office and state, named only in
        the next sentences (by a person first named there who holds that state's office)."""
        self.separately = False
        objs = [o for o in self._objects(tok) if o.lemma_.lower() in TITLE_HEADS]
        if len(objs) != 1 or self._persons_in(objs[0]):
            return []
        obj = objs[0]
        doc = obj.doc
        s, e = subtree_range(obj)
        last = max(t.i for t in obj.subtree)
        if last + 1 < len(doc) and doc[last + 1].lower_ in ("from", "of"):
            e = max(e, subtree_range(doc[last + 1])[1])
        parties = {
            g.entry.label
            for g in self.mentions.geo_in(s, e)
            if g.entry.type in ("Country", "Organization")
        }
        if not parties:
            return []
        si = self.parsed.sentence_index(tok.idx)
        seen = {m.person for m in self.mentions.person_mentions if m.start < tok.idx}
        plural = obj.tag_ in ("NNS", "NNPS")
        found: list[int] = []
        # "met his Saudi, Omani and Iraqi counterparts …": each may be named sentences later,
        # one paragraph at a time; one counterpart is named in the next sentences
        reach = 8 if plural and len(parties) >= 2 else 2
        for sent in self.parsed.sentences[si + 1 : si + 1 + reach]:
            for m in self.mentions.persons_in(sent.start_char, sent.end_char):
                if m.person in seen or m.person in found or self.parsed.in_quote(m.start):
                    continue
                if not is_name(self.mentions.persons[m.person].name):
                    continue
                own = set(self.resolver.parties.get(m.person, []))
                told = {p for f in found for p in self.resolver.parties.get(f, [])}
                if parties & own and not (own & told):
                    found.append(m.person)
            if found and reach == 2:
                break  # the nearest sentence that names them
        covered = {p for f in found for p in self.resolver.parties.get(f, [])} & parties
        if plural and len(parties) >= 2 and found and _APART.search(tok.sent.text):
            # "met his Saudi and Omani counterparts on the sidelines of …": one meeting with
            # each (a "trilateral meeting" with them stays one)
            self.separately = True
            return found
        if (plural and covered == parties) or (not plural and len(found) == 1):
            return found
        return []

    def _semicolon_list(self, sides: list[Token]) -> list[int]:
        """ "courtesy calls with the Governor General; Her Excellency X; Y, Minister of …;
        Z": a list set off by semicolons, which the parser breaks up; its names to the end of
        the sentence."""
        if not sides:
            return []
        last = max(t.i for x in sides for t in x.subtree)
        doc = sides[0].doc
        sent = sides[0].sent
        if last + 1 >= sent.end or doc[last + 1].text != ";":
            return []
        rest = doc[last + 1 : sent.end]
        if any(t.pos_ == "VERB" and t.dep_ in ("ROOT", "ccomp", "relcl", "advcl") for t in rest):
            return []
        out: list[int] = []
        for m in self.mentions.persons_in(rest.start_char, rest.end_char):
            if is_name(self.mentions.persons[m.person].name) and m.person not in out:
                out.append(m.person)
        return out

    def _possessors(self, tok: Token) -> list[int]:
        out: list[int] = []
        for c in tok.children:
            if c.dep_ != "poss":
                continue
            if c.lower_ in ("his", "her"):
                r = self.resolver.subject_before(c.idx)
                out += [r] if r is not None else []
                continue
            s, e = subtree_range(c)
            out += [
                m.person
                for m in self.mentions.persons_in(s, e)
                if is_name(self.mentions.persons[m.person].name)
            ]
        return out

    def host(self, tok: Token) -> int | None:
        """The subject of an active "received/hosted", or the agent of a passive one."""
        if tok.lemma_.lower() not in ("receive", "host"):
            # "took part in a meeting hosted by X"
            for d in tok.subtree:
                if d.lemma_.lower() == "host" and d.dep_ == "acl":
                    agents = [x for c in d.children if c.dep_ == "agent" for x in c.children]
                    people = [p for a in agents for p in self._persons_in(a)]
                    if len(people) == 1:
                        return people[0]
            return None
        passive = any(c.dep_ == "auxpass" for c in tok.children)
        if passive:
            agents = [x for c in tok.children if c.dep_ == "agent" for x in c.children]
            people = [p for a in agents for p in self._persons_in(a)]
        else:
            people = [p for s in self._subjects(tok) for p in self._persons_in(s)]
        return people[0] if len(people) == 1 else None

    def _subjects(self, tok: Token) -> list[Token]:
        for t in verb_chain(tok):
            subs = [c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")]
            if subs:
                out = []
                for s in subs:
                    if s.lower_ in ("who", "that", "which") and t.dep_ == "relcl":
                        out.append(t.head)
                    else:
                        out.append(s)
                return out
        top = verb_chain(tok)[-1]
        if top.dep_ == "conj" and top.head is not top:
            return self._subjects(top.head)
        if (
            top.dep_ in ("advcl", "xcomp")
            and top.head is not top
            and any(k.tag_ == "TO" for k in top.children)
        ):
            # "X will travel to Moscow to meet Y": the journey's subject
            return self._subjects(top.head)
        if (
            top.dep_ == "pcomp"
            and top.tag_ == "VBG"
            and top.head.dep_ == "prep"
            and top.head.head.pos_ in ("VERB", "AUX", "ADV")
        ):
            # "X said ahead of hosting Y", "X spoke before meeting Y": the clause's subject
            verb = top.head.head
            while verb.pos_ == "ADV" and verb.head is not verb:
                verb = verb.head
            if verb.pos_ in ("VERB", "AUX"):
                return self._subjects(verb)
        if (top.dep_ == "relcl" and top.head.pos_ in ("PROPN", "NOUN")) or misread_participle(top):
            # "X, Minister of …, on Monday received Y" read as a relative clause of X
            return [top.head]
        if tok.dep_ == "acl":  # "a meeting hosted by X" -> handled by agent
            return []
        if top.dep_ == "ROOT":
            # "Prior to the forum in Bali, Foreign Minister X is to meet Y": the parser hung
            # the name on the place before it; the name right before the verb is its subject
            chain = verb_chain(tok)
            first = min(
                [t.i for t in chain]
                + [k.i for t in chain for k in t.children if k.dep_ in ("aux", "auxpass", "neg")]
            )
            if first > top.sent.start:
                prev = top.doc[first - 1]
                m = self.mentions.person_at(prev.idx, prev.idx + len(prev.text))
                if m is not None and m.end == prev.idx + len(prev.text) and prev.pos_ == "PROPN":
                    return [prev]
        return []

    def _objects(self, tok: Token) -> list[Token]:
        out: list[Token] = []
        # "hosted a lunch in honour of X", "a dinner in honor of X"
        for d in [tok] + [c for c in tok.children if c.dep_ in ("dobj", "obj")]:
            for p in d.children:
                if p.dep_ == "prep" and p.lower_ == "in":
                    for h in p.children:
                        if h.lower_ in ("honour", "honor"):
                            ofs = [of for of in h.children if of.lower_ == "of"]
                            if not ofs and h.i + 1 < len(h.doc) and h.doc[h.i + 1].lower_ == "of":
                                # "a dinner in honour of X" with "of X" hung on the dinner
                                ofs = [h.doc[h.i + 1]]
                            out.extend(x for of in ofs for x in of.children if x.dep_ == "pobj")
        if tok.lemma_.lower() in CREDENTIAL_VERBS and presents_credentials(tok):
            # "presented her credentials to X": X, not the papers
            return out + credential_recipients(tok)
        for c in tok.children:
            if (
                c.dep_ in ("dobj", "obj", "dative", "attr")
                or (c.dep_ == "npadvmod" and tok.lemma_.lower() in ("meet", "receive", "host"))
                # "called on Hon. X" read as "called X" with a stray particle
                or (c.dep_ == "oprd" and tok.lemma_.lower() == "call")
            ):
                out.append(c)
                for cc in [*c.children, *(x for q in quantified([c]) for x in q.children)]:
                    # ("held a session of talks with X": the talks' 'with')
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
                "between",
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
                            else:
                                out.extend(self._displaced_object(tok, p))
                                # "signed the deal at a ceremony hosted by X": X was there
                                out.extend(
                                    x
                                    for a in p.children
                                    if a.dep_ == "acl"
                                    and a.lemma_.lower() in ("host", "chair", "convene")
                                    for ag in a.children
                                    if ag.dep_ == "agent"
                                    for x in ag.children
                                    if x.dep_ == "pobj"
                                )
                                # "held talks at the ministry with X": 'with' hung on the place
                                out.extend(
                                    x
                                    for w in p.children
                                    if w.dep_ == "prep" and w.lower_ == "with"
                                    for x in w.children
                                    if x.dep_ == "pobj"
                                    and (
                                        x.pos_ == "PROPN" or x.lemma_.lower() in lexicon.ROLE_NOUNS
                                    )
                                )
                            continue
                        out.append(p)
                    elif p.dep_ == "prep" and p.lower_ == "with":  # "together with"
                        out.extend(x for x in p.children if x.dep_ == "pobj")
            elif c.dep_ == "xcomp" and any(k.dep_ == "auxpass" for k in tok.children):
                # "was hosted to breakfast by X"
                for cc in c.children:
                    if cc.dep_ in ("prep", "agent") and cc.lower_ == "by":
                        out.extend(x for x in cc.children if x.dep_ == "pobj")
            elif c.dep_ == "prep" and c.text == "To" and c.i == tok.i + 1:
                # "received To X": a name that starts with "To" read as a preposition
                out.extend(x for x in c.children if x.dep_ == "pobj")
            elif c.dep_ in ("advcl", "xcomp") and c.lower_ == "visiting" and c.i == tok.i + 1:
                # "X met visiting President Y": the parser reads 'visiting' as a verb
                out.extend(x for x in c.children if x.dep_ in ("dobj", "obj"))
            elif c.dep_ == "advmod" and c.lower_ == "together":
                for p in c.children:
                    if p.dep_ == "prep" and p.lower_ == "with":
                        out.extend(x for x in p.children if x.dep_ == "pobj")
        return out

    def _displaced_object(self, verb: Token, place: Token) -> list[Token]:
        """ "X received in audience, at the Palace in Luanda, the Chairperson of …, Y": the
        object told after the place is hung on it by the parser, as an apposition."""
        if verb.lemma_.lower() not in ("receive", "host", "welcome", "greet") or any(
            c.dep_ in ("dobj", "obj") for c in verb.children
        ):
            return []
        found = []
        if self.mentions.person_at(place.idx, place.idx + len(place)) is not None:
            # "received at the Akorda Feridun X": the place and the name parsed as one
            found.append(place)
        for t in place.subtree:
            if t.dep_ not in ("appos", "conj") or t.head.pos_ != "PROPN":
                continue
            if self.mentions.person_at(t.idx, t.idx + len(t)) is not None:
                found.append(t)
            found.extend(
                c
                for c in t.conjuncts
                if self.mentions.person_at(c.idx, c.idx + len(c)) is not None and c not in found
            )
        return found

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

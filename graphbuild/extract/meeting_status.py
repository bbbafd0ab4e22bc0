"""Whether a verb reports a meeting, and whether that meeting was held or is scheduled.

A meeting verb ("met", "received", "hosted", "held talks", "took part in a meeting", "called
on"); its status comes from the verb's tense and modality: past and asserted -> held; "will",
"is scheduled/due/expected to" -> scheduled; hoped, possible, denied or planned-in-the-past
-> nothing.
"""

from __future__ import annotations

import re

from spacy.tokens import Token

from graphbuild.extract import lexicon

# Who can be "greeted by" someone on arrival, besides a name or a pronoun ("the decision was
# greeted by X" is a reaction).
_GREETED_PEOPLE = lexicon.ROLE_NOUNS | {"guest", "visitor", "delegation", "delegate", "envoy"}

# Verbs that open or close a round of talks the subjects held together.
_ROUNDS_OFF = frozenset({"end", "conclude", "wrap", "close", "open", "begin", "start", "resume"})

# What one joins someone for that is a meeting: "X joined Y for talks".
_JOINED_FOR = lexicon.MEETING_NOUNS | {"lunch", "dinner", "breakfast", "luncheon"}

# Gatherings whose people sat in one room: "the forum brought together A and B".
_GATHERINGS = frozenset({"forum", "conference", "gathering", "retreat", "ceremony", "reception"})

_QUANTITY_NOUNS = frozenset(
    {
        "series",
        "number",
        "couple",
        "set",
        "string",
        "host",
        "flurry",
        "session",
        "round",
        "day",
        "hour",
    }
)


def _takes_part_in_the_one_told(tok: Token) -> bool:
    for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ == "in"):
        for noun in (c for c in prep.children if c.dep_ == "pobj"):
            if noun.lemma_.lower() == "part":
                inner = [
                    x
                    for p in noun.children
                    if p.dep_ == "prep" and p.lower_ == "of"
                    for x in p.children
                    if x.dep_ == "pobj"
                ]
                noun = inner[0] if inner else noun
            told = noun.lemma_.lower() in lexicon.MEETING_NOUNS | {"exchange", "audience"}
            definite = any(c.lower_ in ("the", "this", "that") for c in noun.children)
            own_side = any(
                c.dep_ == "prep" and c.lower_ in ("with", "between") for c in noun.children
            )
            if told and definite and not own_side:
                return True
    return False


def _refers_back(noun: Token) -> bool:
    """ "the talks", "this meeting" without its own other side."""
    definite = any(c.lower_ in ("the", "this", "that") for c in noun.children)
    named = any(
        c.dep_ == "prep" and c.lower_ in ("with", "between", "of") for c in noun.children
    ) or (noun.head.lower_ == "of")
    return definite and not named


# "presented his credentials to X", "handed over a copy of her letters of credence to X",
# "submitted his letter of introduction to X": an envoy received in person.
CREDENTIAL_VERBS = frozenset({"present", "hand", "submit", "deliver"})
_CREDENTIAL_PAPERS = frozenset({"credentials", "credential", "credence", "introduction"})


def credential_recipients(tok: Token) -> list[Token]:
    """Whom "to" names after a verb of handing over papers, attached to the verb or (as the
    parser often does) to the papers: "presented copies of his letters of credence to X"."""
    objs = [c for c in tok.children if c.dep_ in ("dobj", "obj")]
    preps = [c for c in tok.children if c.dep_ in ("prep", "dative") and c.lower_ == "to"]
    preps += [t for o in objs for t in o.subtree if t.dep_ == "prep" and t.lower_ == "to"]
    return [x for p in preps for x in p.children if x.dep_ == "pobj"]


def presents_credentials(tok: Token) -> bool:
    objs = [c for c in tok.children if c.dep_ in ("dobj", "obj")]
    if not objs or not credential_recipients(tok):
        return False
    for o in objs:
        words = {t.lower_ for t in o.subtree}
        if words & _CREDENTIAL_PAPERS and (
            o.lower_ in ("credentials", "credential")
            or o.lemma_.lower() in ("letter", "copy", "copies")
        ):
            return True
    return False


# Acts two people do together in one place: "jointly inaugurated", "together launched".
_JOINT_ACTS = frozenset(
    {"inaugurate", "launch", "unveil", "open", "plant", "lay", "witness", "tour", "cut"}
)


def _done_together(verb: Token) -> bool:
    """ "X and Y jointly/together <act>", "X together with Y <act>"."""
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    if any(c.dep_ == "advmod" and c.lower_ in ("jointly", "together") for c in verb.children):
        return len(subjects) > 1 or any(x.dep_ == "conj" for s in subjects for x in s.children)
    return any(
        w.lower_ == "with" and any(a.lower_ == "together" for a in w.children)
        for s in subjects
        for w in s.children
    )


_MEALS = frozenset({"lunch", "dinner", "breakfast", "luncheon", "tea", "coffee"})


def _shared_meal(tok: Token) -> bool:
    meals = [c for c in tok.children if c.dep_ in ("dobj", "obj") and c.lemma_.lower() in _MEALS]
    return any(c.dep_ == "prep" and c.lower_ == "with" for t in (tok, *meals) for c in t.children)


def _talked_with_a_person(tok: Token) -> bool:
    return any(
        c.dep_ == "prep"
        and c.lower_ == "with"
        and any(
            o.dep_ == "pobj" and (o.ent_type_ == "PERSON" or o.pos_ == "PROPN") for o in c.children
        )
        for c in tok.children
    )


def _discussed_face_to_face(tok: Token) -> bool:
    """ "X discussed bilateral ties with his counterpart Y", "the two ministers will discuss
    trade on Monday": agencies report talks by their subject. Only with a person after
    "with" (not "discussed it with reporters") or a subject that counts the people ("the
    two ministers", "both leaders"); a call says so ("by phone"), which rules it out."""
    objects = [c for c in tok.children if c.dep_ in ("dobj", "obj")]
    for child in [*tok.children, *(c for o in objects for c in o.children)]:
        if child.dep_ == "prep" and child.lower_ == "with":
            for obj in child.children:
                if obj.dep_ == "pobj" and (
                    obj.ent_type_ == "PERSON"
                    or obj.lemma_.lower() in ("counterpart", "colleague")
                    or (obj.pos_ == "PROPN" and not obj.ent_type_)
                    # "discussed with Ambassador X cooperation on …": the name read as the
                    # topic's compound
                    or any(
                        t.ent_type_ == "PERSON" and t.dep_ == "compound" and t.head.i == obj.i
                        for t in obj.children
                    )
                ):
                    return True
        if (
            child.dep_ == "nsubj"
            and child.tag_ in ("NNS", "NNPS")
            and any(c.lower_ in ("two", "both", "three") for c in child.children)
            and child.lemma_.lower() not in ("side", "country", "party", "nation")
            # only with a day of its own ("On Monday, the two ministers will discuss …"):
            # else it tells what the talks just reported were about, not another meeting
            and tok.dep_ != "relcl"
            and any(t.ent_type_ == "DATE" for t in tok.subtree if t.i not in child_span(child))
        ):
            return True
    return False


def child_span(tok: Token) -> range:
    return range(tok.left_edge.i, tok.right_edge.i + 1)


def quantified(objs: list[Token]) -> list[Token]:
    """ "held a series of talks", "two days of talks": the quantity's meeting noun."""
    return [
        x
        for o in objs
        if o.lemma_.lower() in _QUANTITY_NOUNS
        for p in o.children
        if p.dep_ == "prep" and p.lower_ == "of"
        for x in p.children
        if x.dep_ == "pobj"
    ]


def is_trigger(tok: Token) -> bool:
    lemma = tok.lemma_.lower()
    if tok.pos_ not in ("VERB", "AUX"):
        return False
    if lemma in ("meet", "receive", "host", "welcome"):
        return True
    if lemma in lexicon.LIGHT_VERBS:
        objs = [c for c in tok.children if c.dep_ in ("dobj", "obj")]
        objs += [c for o in objs for c in o.conjuncts]
        # "hold the Dialogue and Cooperation Mechanism (HDCM) Meeting": the name's last word
        objs += [c for o in objs for c in o.children if c.dep_ == "appos"]
        objs += quantified(objs)
        if lemma in ("attend", "chair", "co-chair"):
            # "attended the review of the third session of the Joint Commission"
            for o in list(objs):
                for p in o.children:
                    if p.dep_ == "prep" and p.lower_ == "of":
                        inner = [x for x in p.children if x.dep_ == "pobj"]
                        objs += inner
                        objs += [
                            y
                            for x in inner
                            for q in x.children
                            if q.lower_ == "of"
                            for y in q.children
                            if y.dep_ == "pobj"
                        ]
        meeting_objs = [
            o
            for o in objs
            if o.lemma_.lower() in lexicon.MEETING_NOUNS or o.lower_ in lexicon.MEETING_NOUNS
        ]
        if meeting_objs:
            if lemma == "attend" and all(_refers_back(o) for o in meeting_objs):
                # "W and Z attended the talks": companions of the meeting just reported
                return False
            return lemma != "sign"
        if tok.dep_ == "relcl" and tok.head.lemma_.lower() in lexicon.MEETING_NOUNS:
            return True
        if lemma in ("hold", "conduct", "have") and any(
            c.dep_ == "nsubjpass" and c.lemma_.lower() in lexicon.MEETING_NOUNS
            for c in tok.children
        ):
            # "a meeting will be held between X and Y", "talks were held with X"
            return True
        if lemma == "sign":
            return True
    if lemma in _ROUNDS_OFF and tok.tag_ == "VBD":
        # "X and Y ended two days of talks in Almaty with a tête-à-tête": they sat together
        objs = [c for c in tok.children if c.dep_ in ("dobj", "obj")]
        objs += quantified(objs)
        if any(
            o.lemma_.lower() in lexicon.MEETING_NOUNS and not _refers_back(o) for o in objs
        ) and any(c.dep_ == "nsubj" for c in tok.children):
            return True
    if lemma in CREDENTIAL_VERBS and presents_credentials(tok):
        return True
    if lemma == "confer" and (
        any(c.dep_ == "prep" and c.lower_ == "with" for c in tok.children)
        or (
            not any(c.dep_ in ("dobj", "obj") for c in tok.children)
            and (
                sum(c.dep_ == "nsubj" for c in tok.children) > 1
                or any(
                    c.dep_ == "nsubj" and any(x.dep_ == "conj" for x in c.children)
                    for c in tok.children
                )
            )
        )
    ):
        # "X conferred with Y", "X and Y conferred in Helsinki" (not "conferred an award")
        return True
    views = [
        c
        for c in tok.children
        if c.dep_ in ("dobj", "obj") and c.lemma_.lower() in ("view", "opinion")
    ]
    if (
        lemma == "exchange"
        and views
        and any(
            c.dep_ == "prep" and c.lower_ == "with"
            for c in list(tok.children) + list(views[0].children)
        )
    ):
        # "X exchanged views with Y" (a call says so: "by phone", which rules it out)
        return True
    if lemma == "discuss" and _discussed_face_to_face(tok):
        return True
    if (
        lemma in ("give", "accord", "extend")
        and any(
            c.dep_ in ("dobj", "obj") and c.lemma_.lower() in ("welcome", "reception", "audience")
            for c in tok.children
        )
        and any(c.dep_ == "dative" for c in tok.children)
    ):
        # "X gave Y an official welcome at the palace", "accorded Y a warm reception"
        return True
    if lemma == "have" and tok.tag_ == "VBD" and _shared_meal(tok):
        # "X had lunch with Y": they sat at one table
        return True
    if lemma == "talk" and tok.tag_ == "VBD" and _talked_with_a_person(tok):
        # "X later talked with Y about …" (a call says so: "by phone", which rules it out)
        return True
    if lemma in _JOINT_ACTS and tok.tag_ == "VBD" and _done_together(tok):
        # "X and Y jointly inaugurated the building", "X together with Y launched …"
        return True
    if tok.lower_.startswith(("co-chair", "co-host")):
        # "X and Y co-chaired the joint commission", "the session was co-chaired by X and
        # Y": the chairs sat together (tagged as one word, its lemma is unreliable)
        return True
    if lemma == "take":
        if any(c.lower_ == "part" for c in tok.children):
            # "W and Z took part in the (first part of the) exchange": companions of the
            # meeting just told, not a meeting of their own
            return not _takes_part_in_the_one_told(tok)
        # "talks between X and Y took place"
        if any(c.lower_ == "place" and c.dep_ == "dobj" for c in tok.children) and any(
            c.dep_ in ("nsubj", "nsubjpass") and c.lemma_.lower() in lexicon.MEETING_NOUNS
            for c in tok.children
        ):
            return True
    if (
        lemma == "bring"
        and any(c.lower_ == "together" for c in tok.children)
        and any(
            c.dep_ == "nsubj" and c.lemma_.lower() in _JOINED_FOR | _GATHERINGS
            for c in tok.children
        )
    ):
        # "the talks / the forum brought together A, B and C"
        return True
    if lemma == "sit" and any(c.lower_ == "down" for c in tok.children):
        return True
    if lemma == "call" and any(
        c.lower_ == "on" and c.dep_ in ("prep", "prt") for c in tok.children
    ):
        return True
    if lemma == "visit":
        return True
    if (
        lemma == "greet"
        and any(c.dep_ == "auxpass" for c in tok.children)
        and any(c.dep_ == "agent" for c in tok.children)
        and any(
            c.dep_ == "nsubjpass"
            and (c.pos_ in ("PROPN", "PRON") or c.lemma_.lower() in _GREETED_PEOPLE)
            for c in tok.children
        )
    ):
        # "on arrival, X was greeted by Y": received in person (not "X greeted the nation")
        return True
    if (
        lemma == "join"
        and any(c.dep_ == "auxpass" for c in tok.children)
        and any(c.dep_ == "agent" for c in tok.children)
    ):
        # "X will be joined by Y in planting trees", "X was joined by Y at the ceremony"
        return True
    if (
        lemma == "join"
        and not any(c.dep_ == "auxpass" for c in tok.children)
        and any(
            c.dep_ in ("dobj", "obj")
            and (c.pos_ == "PROPN" or c.lemma_.lower() in _GREETED_PEOPLE | {"leader"})
            for c in tok.children
        )
        and any(
            c.dep_ == "prep"
            and c.lower_ in ("for", "at", "in")
            and any(o.dep_ == "pobj" and o.lemma_.lower() in _JOINED_FOR for o in c.children)
            for c in tok.children
        )
    ):
        # "X joined Y for talks / for the ministerial dialogue": sat down with Y
        return True
    # "X and Y <did something> at a summit" ("were present at the meeting" adds companions)
    if tok.tag_ == "VBD" and lemma != "be":
        for c in tok.subtree:
            if (
                c.dep_ == "prep"
                and c.lower_ in ("at", "during")
                and c.head.dep_ not in ("relcl", "advcl")
            ):
                if any(
                    p.lemma_.lower() in ("summit", "meeting", "talk", "talks") for p in c.children
                ):
                    subj = [s for s in tok.children if s.dep_ == "nsubj"]
                    if subj and any(x.dep_ == "conj" for x in subj[0].children):
                        return True
    return False


# Modifiers that make a meeting noun a plan or a possibility, not a meeting that took place.
_PLANNED = frozenset(
    {
        "planned",
        "possible",
        "proposed",
        "upcoming",
        "future",
        "next",
        "potential",
        "expected",
        "scheduled",
        "likely",
        "further",
        "new",
        "forthcoming",
        "eventual",
        "requested",
        "hoped",
        "hoped-for",
    }
)
# Verbs whose object is a meeting that happened: "paid a courtesy call on", "led a delegation
# to a meeting with", "concluded talks with".
_NOUN_VERBS = frozenset(
    {"pay", "lead", "make", "attend", "join", "conclude", "begin", "open", "end", "wrap", "start"}
)
# Verbs that look back on a meeting: "recalled the 11 April summit between X and Y".
_RECALL_VERBS = frozenset(
    {"recall", "remember", "praise", "hail", "commend", "review", "cite", "mention", "evoke"}
)
# Journeys made "for talks with X".
_TRAVEL_FOR = frozenset(
    {
        "travel",
        "arrive",
        "fly",
        "come",
        "go",
        "head",
        "leave",
        "depart",
        "visit",
        "pay",
        "return",
        "be",
    }
)
# Prepositions that place a main clause relative to a meeting ("after talks with X, he said").
_BOOKENDS = frozenset({"begin", "start", "open", "end", "conclude", "close", "wrap"})
_NOUN_TIME_PREPS = frozenset({"before", "after", "during", "at", "following", "in", "to"})


# Kinds of call an envoy or a guest pays in person: "a courtesy / farewell / introductory call".
_CALL_KINDS = frozenset({"courtesy", "farewell", "introductory", "protocol", "valedictory"})


def _is_courtesy(tok: Token) -> bool:
    """ "courtesy call", "farewell visit": a visit to a person, i.e. a meeting."""
    return tok.lemma_.lower() in ("call", "visit") and any(
        c.lower_ in _CALL_KINDS for c in tok.children
    )


def _granted_audience(tok: Token) -> bool:
    """ "X granted an audience to Y": the audience's other side follows "to"."""
    return (
        tok.lemma_.lower() == "audience"
        and tok.dep_ in ("dobj", "obj")
        and tok.head.lemma_.lower() in ("grant", "give")
        and any(c.dep_ == "prep" and c.lower_ == "to" for c in tok.children)
    )


def joint_presser(tok: Token) -> bool:
    """ "a joint press / news conference with X": the two stood side by side."""
    return (
        tok.lemma_.lower() in ("conference", "briefing")
        and any(c.dep_ == "amod" and c.lower_ == "joint" for c in tok.children)
        and any(c.dep_ == "compound" and c.lower_ in ("press", "news") for c in tok.children)
    )


def is_noun_trigger(tok: Token) -> bool:
    """A meeting noun with its other side: "a meeting with X", "talks between X and Y",
    "a courtesy call on X". Nouns that are the object of a meeting verb ("held talks with")
    belong to that verb's trigger."""
    if tok.pos_ not in ("NOUN", "PROPN"):
        return False
    courtesy = _is_courtesy(tok)
    low = tok.lower_
    if (
        not courtesy
        and not joint_presser(tok)
        and low not in lexicon.MEETING_NOUNS
        and tok.lemma_.lower() not in (lexicon.MEETING_NOUNS)
    ):
        return False
    preps: tuple[str, ...] = ("with", "between", "on", "to") if courtesy else ("with", "between")
    if _granted_audience(tok):
        preps = ("to",)
    if not any(c.dep_ == "prep" and c.lower_ in preps for c in tok.children) and not _hosted_by(
        tok
    ):
        return False
    return tok.head.i == tok.i or not is_trigger(tok.head)


def _hosted_by(noun: Token) -> bool:
    """ "a meeting hosted / chaired by X": the host is its other side."""
    # "a meeting in the Weimar format hosted by X": the participle can hang on the format
    heads = [noun] + [
        o
        for p in noun.children
        if p.dep_ == "prep" and p.lower_ in ("in", "of")
        for o in p.children
        if o.dep_ == "pobj"
    ]
    return any(
        c.dep_ == "acl"
        and c.lemma_.lower() in ("host", "chair", "convene", "co-host", "co-chair")
        and any(a.dep_ == "agent" for a in c.children)
        for h in heads
        for c in h.children
    )


def on_agenda(verb: Token) -> bool:
    """ "X's agenda includes / the programme comprises": a visit's plan, told in the present."""
    return (
        verb.lemma_.lower() in ("include", "comprise", "feature")
        and verb.tag_ in ("VBZ", "VBP")
        and any(
            c.dep_ == "nsubj"
            and c.lemma_.lower() in ("agenda", "programme", "program", "schedule", "itinerary")
            for c in verb.children
        )
        and not any(c.dep_ == "neg" for c in verb.children)
    )


def governing_verb(tok: Token) -> Token | None:
    t = tok
    for _ in range(6):
        if t.pos_ in ("VERB", "AUX") and t.i != tok.i:
            return t
        if t.head.i == t.i:
            return None
        t = t.head
    return None


def _dated_between(noun: Token) -> bool:
    """ "the April 11 summit between X and Y", "the talks with X on 3 May": a meeting with
    its own day and its people, so a sentence looking back on it tells that it was held."""
    people = any(
        c.dep_ == "prep"
        and c.lower_ in ("between", "with")
        and any(o.pos_ == "PROPN" for o in c.subtree)
        for c in noun.children
    )
    return people and any(t.ent_type_ == "DATE" and t.i != noun.i for t in noun.subtree)


def noun_status(tok: Token) -> tuple[str | None, bool, Token | None]:
    """Held or scheduled for a meeting noun, from the verb that governs it."""
    if any(c.lower_ in _PLANNED and c.dep_ in ("amod", "compound") for c in tok.children):
        return None, False, None
    if any(c.dep_ == "neg" for c in tok.children):
        return None, False, None
    if (
        tok.lower_ == "meeting"
        and tok.dep_ in ("pcomp", "pobj")
        and tok.head.lower_ == "with"
        and any(
            c.dep_ == "nsubj" or (c.dep_ == "compound" and c.pos_ == "PROPN") for c in tok.children
        )
        and tok.head.head.pos_ in ("VERB", "AUX")
    ):
        # "the stop focused on trade, with X meeting Y": the absolute clause's gerund read
        # as a noun with a subject; it takes the time of the clause it hangs on
        status, perfect = meeting_status(tok.head.head)
        return status, perfect, tok.head.head
    verb = governing_verb(tok)
    if verb is not None and verb.dep_ == "prep" and verb.lower_ == "following":
        # "…, following his meeting with X": a participle read as a preposition
        verb = governing_verb(verb)
        if verb is None or lexicon.forms(verb.lemma_, verb.lower_) & lexicon.HEDGE_LEMMAS:
            return None, False, None
        status, perfect = meeting_status(verb)
        return status, perfect, verb
    if verb is None:
        return None, False, None
    path = []
    t = tok
    while t.i != verb.i and t.head.i != t.i:
        path.append(t)
        t = t.head
    top = path[-1] if path else tok
    if top.dep_ == "prep":
        if (
            top.lower_ == "for"
            and verb.lemma_.lower() == "expect"
            and any(k.dep_ == "auxpass" for k in verb.children)
            and not any(k.dep_ in ("xcomp", "neg") for k in verb.children)
        ):
            # "X is/was expected in Y on 28 March for talks with Z": an arrival announced
            return "scheduled", False, verb
        # "after talks with X, he said"; "is due to travel to Y on Monday for talks with X"
        ok = (
            top.lower_ in _NOUN_TIME_PREPS
            or (top.lower_ == "for" and verb.lemma_.lower() in _TRAVEL_FOR)
            # "began his visit with a meeting with X", "ended the tour with talks with Y"
            or (top.lower_ == "with" and verb.lemma_.lower() in _BOOKENDS)
        )
    elif top.dep_ in ("dobj", "obj"):
        if on_agenda(verb):
            # "X's agenda includes talks with Y": announced for the visit
            return "scheduled", False, verb
        # "paid a courtesy call on X", "led a delegation to a meeting with X"
        ok = (
            verb.lemma_.lower() in _NOUN_VERBS
            or _is_courtesy(tok)
            or _granted_audience(tok)
            # "X told / addressed a joint press conference with Y"
            or (joint_presser(tok) and verb.lemma_.lower() in ("tell", "address", "hold", "give"))
            or (verb.lemma_.lower() in _RECALL_VERBS and _dated_between(tok))
        )
    elif top.dep_ in ("nsubj", "nsubjpass") and top.i == tok.i:
        # "X's talks with Y focused on", "a meeting between X and Y lasted"
        ok = any(c.dep_ == "poss" for c in tok.children) or any(
            c.dep_ == "prep" and c.lower_ == "between" for c in tok.children
        )
    else:
        ok = False
    if not ok:
        return None, False, None
    if (
        top.dep_ == "nsubjpass"
        and verb.lemma_.lower() in ("plan", "schedule", "slate", "set", "expect")
        and any(
            k.dep_ == "auxpass" and (k.tag_ in ("VBZ", "VBP") or k.lower_ == "be")
            for k in verb.children
        )
        and not any(k.dep_ == "neg" for k in verb.children)
    ):
        # "talks between X and Y are planned for Friday": an announcement, not a wish
        return "scheduled", False, verb
    if lexicon.forms(verb.lemma_, verb.lower_) & lexicon.HEDGE_LEMMAS:
        return None, False, None
    status, perfect = meeting_status(verb)
    if status is None and top.dep_ == "prep" and top.lower_ == "for" and _journey_ahead(verb):
        return "scheduled", False, verb  # "X heads to Y on Friday for talks with Z"
    return status, perfect, verb


# Journeys whose purpose clause ("to meet X") is a meeting planned with them.
_JOURNEY = frozenset(
    {"travel", "visit", "fly", "go", "come", "head", "arrive", "leave", "be", "due", "set"}
)
# Adjectives of willingness above a meeting verb: "would be happy to meet".
_GLAD = frozenset({"happy", "glad", "pleased", "delighted", "keen", "open", "able"})
# Verbs that report what someone said or announced: a "would" in their complement is the
# future seen from the past ("the ministry said X would meet Y on Friday").
REPORTING_VERBS = frozenset(
    {
        "say",
        "tell",
        "announce",
        "state",
        "confirm",
        "report",
        "add",
        "inform",
        "disclose",
        "reveal",
        "indicate",
        "note",
        "mention",
        "explain",
        "learn",
        "brief",
    }
)
# What makes a "would" conditional or unreal rather than the future of a report.
_UNREAL = frozenset({"if", "unless", "otherwise", "rather", "whether", "ideally", "only"})


def _future_in_past(verb: Token) -> bool:
    """ "would" as the future seen from a past report: "the ministry said X would meet Y",
    "X would travel to Y on Friday on a visit during which he would hold talks with Z". Not
    when the sentence makes it conditional or unreal ("if", "unless", "would have met")."""
    sent = verb.sent
    if any(t.lower_ in _UNREAL for t in sent):
        return False
    if any(k.lemma_ == "have" and k.dep_ == "aux" for k in verb.children):
        return False  # "would have met": counterfactual
    t = verb
    for _ in range(8):
        if t.dep_ in ("ccomp", "xcomp") and t.head.i != t.i:
            h = t.head
            if h.lemma_.lower() in REPORTING_VERBS and h.tag_ in ("VBD", "VBN"):
                return True
        if t.dep_ in ("relcl", "advcl", "acl", "pcomp", "pobj", "prep", "conj") or t.dep_ in (
            "ccomp",
            "xcomp",
        ):
            if t.head.i == t.i:
                break
            t = t.head
            # "would travel ... on a visit during which he would hold talks": the clause it
            # hangs on is itself a reported future
            if t.pos_ in ("VERB", "AUX") and any(
                k.dep_ == "aux" and k.lower_ in ("would", "will") for k in t.children
            ):
                return True
            continue
        break
    return False


def _planned(verb: Token) -> bool:
    """A journey announced for later: "will visit", "is due in", "is set to travel"."""
    if any(
        k.dep_ == "acomp" and k.lower_ in ("due", "set", "scheduled", "expected")
        for k in verb.children
    ):
        return verb.tag_ in ("VBZ", "VBP") or any(
            k.lower_ in ("will", "shall", "'ll") for k in verb.children
        )
    return meeting_status(verb)[0] == "scheduled" or _journey_ahead(verb)


_AHEAD = re.compile(
    r"^(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|tomorrow|"
    r"next\s+(?:week|month))\b",
    re.I,
)


def _journey_ahead(verb: Token) -> bool:
    """ "X leaves for Nairobi on Friday", "heads to Y tomorrow": a journey in the present
    simple with a day to come is a programme, not a report."""
    if verb.lemma_.lower() not in _JOURNEY | {
        "depart",
        "travel",
        "fly",
        "head",
    } or verb.tag_ not in (
        "VBZ",
        "VBP",
    ):
        return False
    if verb.lemma_ == "be":
        return False
    for k in verb.children:
        if k.dep_ in ("prep", "npadvmod", "advmod") and _AHEAD.match(
            verb.doc[k.left_edge.i : k.right_edge.i + 1].text
        ):
            return True
    return False


def verb_chain(tok: Token) -> list[Token]:
    """The trigger and the verbs that govern it through xcomp/aux-like links."""
    chain = [tok]
    t = tok
    while t.dep_ in ("xcomp", "acomp", "auxpass", "aux") and t.head is not t:
        t = t.head
        chain.append(t)
    return chain


def meeting_status(tok: Token) -> tuple[str | None, bool]:
    """("held"|"scheduled"|None, perfect) from tense, aspect and modality."""
    chain = verb_chain(tok)
    future = False
    perfect = False
    for t in chain:
        kids = list(t.children)
        if any(k.dep_ == "neg" for k in kids):
            return None, False
        modal = [k for k in kids if k.dep_ == "aux" and k.lower_ in lexicon.HEDGE_MODALS]
        if modal:
            if modal[0].lower_ in ("would", "'d") and _future_in_past(t):
                future = True
            else:
                return None, False
        if lexicon.forms(t.lemma_, t.lower_) & _GLAD and t is not tok:
            # "is happy to meet", "would be glad to host": a willingness, not a plan
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
        if t.lemma_ == "be" and any(
            k.dep_ == "acomp" and k.lower_ in ("due", "set", "expected", "scheduled") for k in kids
        ):
            if t.tag_ == "VBD":
                return None, False  # "X was due in Y for talks": planned, not told as held
            # "X is due in Nairobi on Friday for talks with Y"
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
    if (
        not future
        and head.dep_ in ("advcl", "xcomp")
        and head.tag_ == "VB"
        and any(k.tag_ == "TO" for k in head.children)
        and head.head.i != head.i
        and head.head.lemma_.lower() in _JOURNEY
    ):
        # "will visit Moscow to meet X on Friday", "is due in Y to hold talks with X": a
        # journey's purpose shares its plan (a past journey's purpose is not asserted)
        if _planned(head.head):
            future = True
    last = chain[-1]
    if (
        last.tag_ == "VBG"
        and last.dep_ == "pcomp"
        and last.head.lower_ == "of"
        and last.head.head.lower_ == "ahead"
    ):
        # "he said ahead of hosting X in Geelong on Thursday": what is still to come
        future = True
    if future:
        return "scheduled", False
    top = chain[-1]
    if (
        top.tag_ == "VBG"
        and top.dep_ in ("pcomp", "pobj")
        and top.head.lower_ == "with"
        and any(k.dep_ == "nsubj" for k in top.children)
        and top.head.head.i != top.head.i
        and top.head.head.pos_ in ("VERB", "AUX")
    ):
        # "the visit focused on trade, with X meeting Y": an absolute clause takes the time
        # of the clause it hangs on
        return meeting_status(top.head.head)
    if (
        top.tag_ == "VBG"
        and top.dep_ == "advcl"
        and top.head.i != top.i
        and top.head.pos_ in ("VERB", "AUX")
        and not any(k.dep_ in ("aux", "mark", "nsubj") for k in top.children)
    ):
        # "The ministry marked the centenary on Friday, hosting the three ambassadors": a
        # participle takes the time of the verb it hangs on
        return meeting_status(top.head)
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
    if (
        top.tag_ == "VBN"
        and top.dep_ in ("ROOT", "conj")
        and any(k.dep_ == "nsubj" for k in top.children)
        and not any(k.dep_ in ("aux", "auxpass") for k in top.children)
    ):
        # "X on Monday received Y": a past tense the tagger read as a participle
        return "held", perfect
    if misread_participle(top):
        return "held", perfect
    if news_progressive(top):
        # "X and Y are holding talks in Minsk": going on as the story is written, so news
        # of the day like a present perfect
        return "held", True
    return None, False


_NOW_WORDS = frozenset({"today", "now", "morning", "afternoon", "evening", "this", "currently"})


def news_progressive(verb: Token) -> bool:
    """ "are holding a meeting", "is meeting X": a present progressive with no time but now
    (with one, "is meeting X on Friday" is as likely a plan, and is left alone)."""
    if verb.tag_ != "VBG" or verb.dep_ not in ("ROOT", "conj", "ccomp"):
        return False
    if not any(
        k.dep_ == "aux" and k.lemma_ == "be" and k.tag_ in ("VBZ", "VBP") for k in verb.children
    ):
        return False
    if not any(k.dep_ in ("nsubj", "nsubjpass") for k in verb.children):
        return False
    return all(t.lower_ in _NOW_WORDS for t in verb.subtree if t.ent_type_ in ("DATE", "TIME"))


def misread_participle(verb: Token) -> bool:
    """ "X, Minister of …, received here on Tuesday Y": a past tense the parser hung on X as
    a reduced relative; a passive participle takes no direct object, so this one is active."""
    return (
        verb.tag_ == "VBN"
        and verb.dep_ == "acl"
        and verb.head.pos_ == "PROPN"
        and verb.i > 0
        and any(t.text == "," for t in verb.doc[verb.head.i + 1 : verb.i])
        and any(k.dep_ in ("dobj", "obj") for k in verb.children)
        and not any(k.dep_ in ("aux", "auxpass", "agent") for k in verb.children)
    )

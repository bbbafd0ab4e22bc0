"""Whether a verb reports a meeting, and whether that meeting was held or is scheduled.

A meeting verb ("met", "received", "hosted", "held talks", "took part in a meeting", "called
on"); its status comes from the verb's tense and modality: past and asserted -> held; "will",
"is scheduled/due/expected to" -> scheduled; hoped, possible, denied or planned-in-the-past
-> nothing.
"""

from __future__ import annotations

from spacy.tokens import Token

from graphbuild.extract import lexicon


def is_trigger(tok: Token) -> bool:
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
                    p.lemma_.lower() in ("summit", "meeting", "talk", "talks") for p in c.children
                ):
                    subj = [s for s in tok.children if s.dep_ == "nsubj"]
                    if subj and any(x.dep_ == "conj" for x in subj[0].children):
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

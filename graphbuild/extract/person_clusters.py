"""Which person each name mention refers to.

A short form (a surname, "Mr X", the given names of a patronymic) attaches to the fullest
name the article gives, so that one person is one node whichever form a sentence uses; this
runs once every name span is known, over all of them.
"""

from __future__ import annotations

import re

from graphbuild.extract import lexicon
from graphbuild.extract.document import ParsedArticle
from graphbuild.extract.mentions import GazetteerLike, Person, PersonMention, fold
from graphbuild.extract.person_mentions import NAME_PARTICLES, NOT_NAME
from graphbuild.extract.title_mentions import TITLE_WORDS


def name_tokens(name: str) -> tuple[str, ...]:
    """A name's folded words; an ʻokina written before a word is not part of it, and an
    initial glued to the name ("T.Badral", "Kh.Battulga") is a word of its own."""
    words = re.sub(r"(?<=\.)(?=[A-Z][a-z])", " ", name).split()
    return tuple(fold(t).lstrip("'‘ʻ") for t in words if t.strip(".,'‘ʻ"))


# "son/daughter of": the name after it is the father's ("Y" of "X bin Y"),
# never a short form of this person's own name
_FILIATION = frozenset({"bin", "ibn", "bint", "binti"})


def _contains(full: tuple[str, ...], part: tuple[str, ...]) -> bool:
    n = len(part)
    return any(
        full[i : i + n] == part and not (i > 0 and full[i - 1] in _FILIATION)
        for i in range(len(full) - n + 1)
    )


_PATRONYMIC_GENITIVE = ("giin", "iin", "ijn", "yn", "in", "n")


def _romanised(word: str) -> str:
    """A Mongolian word with its common romanisations made one ("Gombozhavin" and
    "Gombojavyn", "Batmunkh" and "Batmönkh")."""
    word = word.replace("zh", "j").replace("kh", "h").replace("ts", "c")
    return re.sub(r"(?:iin|ijn|yn|iyn)$", "in", word)


def _patronymic_variant(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Two writings of one Mongolian name: the father's name in the genitive first or after
    the given name ("Batmunkhin Battsetseg" / "Battsetseg Batmunkh"), or spelt two ways
    ("Gombozhavin Zandanshatar" / "Gombojavyn Zandanshatar")."""
    if len(a) != 2 or len(b) != 2 or a == b:
        return False
    for x, y in ((a, b), (b, a)):
        # genitive patronymic first, given name second; then given name, bare patronymic
        if x[1] == y[0] and len(y[1]) >= 4 and any(x[0] == y[1] + g for g in _PATRONYMIC_GENITIVE):
            return True
    return (
        a[1] == b[1]
        and a[0] != b[0]
        and len(a[0]) >= 6
        and a[0].endswith(("in", "yn", "jn"))
        and _romanised(a[0]) == _romanised(b[0])
    )


def cluster_persons(mentions: list[PersonMention], gaz: GazetteerLike) -> list[Person]:
    """Attach every short form to the fullest name it is part of (nearest such name)."""
    persons: list[Person] = []
    multi = sorted(
        (m for m in mentions if len(name_tokens(m.text)) >= 2),
        key=lambda m: -len(name_tokens(m.text)),
    )
    for m in multi:
        key = name_tokens(m.text)
        home = next((p for p in persons if _contains(p.key, key)), None)
        if home is None:
            home = next((p for p in persons if _patronymic_variant(p.key, key)), None)
        if home is None:
            home = Person(len(persons), m.text, key)
            persons.append(home)
        m.person = home.index
        home.mentions.append(m)
    for m in mentions:
        if m.person >= 0:
            continue
        key = name_tokens(m.text)
        options = [p for p in persons if _contains(p.key, key)]
        if options:
            before = [p for p in options if p.first <= m.start]
            pick = (
                max(before, key=lambda p: max(x.start for x in p.mentions if x.start <= m.start))
                if before
                else min(options, key=lambda p: p.first)
            )
        else:
            entry = gaz.lookup(m.text)
            known = entry.label if entry is not None and entry.type == "Person" else None
            key2 = name_tokens(known) if known else key
            found = next((p for p in persons if p.key == key2), None)
            if found is None:
                found = Person(len(persons), known or m.text, key2)
                persons.append(found)
            pick = found
        m.person = pick.index
        pick.mentions.append(m)
    for p in persons:
        p.mentions.sort(key=lambda x: x.start)
    return persons


def add_surname_mentions(
    parsed: ParsedArticle, persons: list[Person], mentions: list[PersonMention]
) -> None:
    """Short forms of named people that NER missed or mistyped ("Hofer" tagged as a place).

    Any contiguous part of a full name ("Paz" of "Diego Paz Ortega", "Lena" of "Lena
    Hofer", "Ortega Ruiz") that belongs to exactly one person in the article refers to them.
    """
    owners: dict[tuple[str, ...], set[int]] = {}
    for p in persons:
        if len(p.key) < 2:
            continue
        n = len(p.key)
        for size in range(1, n):
            for i in range(n - size + 1):
                part = p.key[i : i + size]
                if i > 0 and p.key[i - 1] in _FILIATION:
                    continue
                if all(
                    w in NAME_PARTICLES or len(w) < 3 or w in lexicon.HONORIFICS or w in TITLE_WORDS
                    for w in part
                ):
                    continue
                owners.setdefault(part, set()).add(p.index)
    unique = {k: next(iter(v)) for k, v in owners.items() if len(v) == 1}
    if not unique:
        mentions.sort(key=lambda m: m.start)
        return
    # a chunk's key starts with its first word's fold: skip words no short form starts with
    firsts = {k[0] for k in unique}
    taken = [(m.start, m.end) for m in mentions]
    words = [
        (m.start(), m.end()) for m in re.finditer(r"[^\s,.;:!?()\"“”]+(?:'s|’s)?", parsed.text)
    ]
    i = 0
    while i < len(words):
        word = parsed.text[words[i][0] : words[i][1]]
        if fold(word) not in firsts and fold(word.removesuffix("'s").removesuffix("’s")) not in (
            firsts
        ):
            i += 1
            continue
        matched = False
        for size in (3, 2, 1):
            if i + size > len(words):
                continue
            s, e = words[i][0], words[i + size - 1][1]
            chunk = parsed.text[s:e]
            if chunk.endswith(("'s", "’s")):
                chunk = chunk[:-2]
                e -= 2
            if "\n" in chunk or not (
                chunk[:1].isupper() or re.match(r"(?:al|el|ad|ul)-[A-Z]", chunk)
            ):
                continue
            key = name_tokens(chunk)
            if key not in unique or any(ts < e and s < te for ts, te in taken):
                continue
            if NOT_NAME.match(chunk):
                continue
            m = PersonMention(s, e, chunk, unique[key])
            mentions.append(m)
            persons[unique[key]].mentions.append(m)
            taken.append((s, e))
            i += size
            matched = True
            break
        if not matched:
            i += 1
    mentions.sort(key=lambda m: m.start)
    for p in persons:
        p.mentions.sort(key=lambda x: x.start)

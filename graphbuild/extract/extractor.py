"""The extractor: article text -> ``Annotations``, the rules run in order over one parse.

Mentions are indexed first, then roles (so coreference knows titles and parties), events,
quotations and the parties that only a quotation or a hosted meeting reveals;
:mod:`graphbuild.extract.assemble` writes the result. ``EXTRACTOR`` names the rule set and is
written into each article graph's provenance.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from graphbuild import __version__
from graphbuild.annotations import (
    Annotations,
    ArticleInfo,
)
from graphbuild.extract import lexicon
from graphbuild.extract.assemble import assemble
from graphbuild.extract.coref import Resolver
from graphbuild.extract.dates import infer_reference_date
from graphbuild.extract.document import ParsedArticle
from graphbuild.extract.events import EventExtractor
from graphbuild.extract.geo_mentions import find_geo
from graphbuild.extract.mentions import GazetteerLike, MentionIndex
from graphbuild.extract.person_clusters import add_surname_mentions, cluster_persons
from graphbuild.extract.person_mentions import find_persons
from graphbuild.extract.quotes import QuoteExtractor
from graphbuild.extract.role_parties import (
    confirm_untitled,
    evidence_roles,
    table_roles,
    table_rule,
    untitled_holder,
)
from graphbuild.extract.roles import RoleFact, extract_roles
from graphbuild.extract.stray_persons import without_stray_persons

EXTRACTOR = f"diplograph.extract.rules.v1@{__version__}"


@dataclass
class Extractor:
    """Holds the loaded pipeline and gazetteer; ``extract`` is a function of the article."""

    nlp: Language
    gazetteer: GazetteerLike
    today: dt.date | None = None
    reference_date: dt.date | None = None
    """Stands in for the publication date of articles whose metadata has none
    (``build --reference-date``); never written as the article's publication date."""

    def extract(self, article: ArticleInfo) -> Annotations:
        return extract_from_doc(
            article, self.nlp(article.text), self.gazetteer, self.today, self.reference_date
        )

    def extract_parsed(self, article: ArticleInfo, doc: Doc) -> Annotations:
        """``extract`` for a text spaCy has already parsed (``nlp.pipe`` batches)."""
        return extract_from_doc(article, doc, self.gazetteer, self.today, self.reference_date)

    def extract_many(self, articles: list[ArticleInfo], batch_size: int = 16) -> list[Annotations]:
        docs = self.nlp.pipe((a.text for a in articles), batch_size=batch_size)
        return [
            extract_from_doc(a, d, self.gazetteer, self.today, self.reference_date)
            for a, d in zip(articles, docs, strict=True)
        ]


def extract_from_doc(
    article: ArticleInfo,
    doc: Doc,
    gaz: GazetteerLike,
    today: dt.date | None = None,
    reference_date: dt.date | None = None,
) -> Annotations:
    """The rules over an already parsed document (so parsing can be batched).

    ``reference_date`` is used as the publication date when the article's metadata has none.
    """
    parsed = ParsedArticle.from_doc(article.text, doc)
    mentions = index_mentions(parsed, gaz)
    number_of = {**lexicon.ORDINAL_WORDS, **lexicon.CARDINAL_WORDS}
    reference = infer_reference_date(
        article.text, article.published or reference_date, number_of, today or dt.date.today()
    )
    roles = extract_roles(parsed, mentions, gaz)
    roles += table_roles(mentions, roles, gaz, reference, parsed.text)
    roles = confirm_untitled(mentions, roles, gaz, reference)
    resolver = Resolver(parsed, mentions, gaz)
    _learn_roles(resolver, roles)
    _whose_office(parsed, resolver, roles)
    _definite_parties(parsed, mentions, resolver, roles, gaz, reference)
    _learn_roles(resolver, roles)
    quotes = QuoteExtractor(parsed, mentions, resolver).run()
    events = EventExtractor(
        parsed, mentions, gaz, resolver, reference, article.published, quotes=quotes
    )
    events.run()
    found, unresolved = evidence_roles(parsed, mentions, roles, events, quotes, gaz)
    roles += found
    ann = assemble(
        article, parsed, mentions, roles, events, quotes, reference, EXTRACTOR, unresolved
    )
    return without_stray_persons(ann, gaz)


def index_mentions(parsed: ParsedArticle, gaz: GazetteerLike) -> MentionIndex:
    """The article's mentions, which every rule after reads: gazetteer names first, then
    person names with the titles around them, then who each name refers to."""
    geo = find_geo(parsed, gaz)
    person_mentions, titles = find_persons(parsed, gaz, geo)
    # a geo match inside a name ("Jordan" in a surname) is not a place
    persons = cluster_persons(person_mentions, gaz)
    add_surname_mentions(parsed, persons, person_mentions)
    geo = [
        g for g in geo if not any(m.start <= g.start and g.end <= m.end for m in person_mentions)
    ]
    return MentionIndex(geo, titles, persons, person_mentions)


def _whose_office(parsed: ParsedArticle, resolver: Resolver, roles: list[RoleFact]) -> None:
    """ "Martin Griffiths, his relief coordinator": the office is that of the person "his"
    refers to, whose party it shares (decided with the article's other evidence)."""
    for r in roles:
        if r.pronoun_at is None or r.party is not None or r.via is not None:
            continue
        if parsed.in_quote(r.pronoun_at):
            continue
        owner = resolver.subject_before(r.pronoun_at)
        if owner is None or owner == r.person:
            # "X, his adviser": "his" is never X; the person named before
            others = [p for p in resolver.persons_before(r.pronoun_at) if p != r.person]
            owner = others[0] if others else None
        if owner is not None:
            r.via = owner


def _learn_roles(resolver: Resolver, roles: list[RoleFact]) -> None:
    resolver.titles.clear()
    resolver.parties.clear()
    for r in roles:
        if r.title:
            resolver.titles.setdefault(r.person, []).append(r.title)
        if r.party is not None:
            resolver.parties.setdefault(r.person, []).append(r.party.label)


def _definite_parties(
    parsed: ParsedArticle,
    mentions: MentionIndex,
    resolver: Resolver,
    roles: list[RoleFact],
    gaz: GazetteerLike,
    reference: dt.date | None,
) -> None:
    """ "the Turkish leader" gives a party to the person it refers to."""
    from graphbuild.extract.coref import _DEFINITE

    for m in _DEFINITE.finditer(parsed.text):
        if parsed.in_quote(m.start()):
            continue
        # not a pre-title of a name ("the Austrian Foreign Minister Lena Hofer", "the
        # Argentine Secretary for Strategic Affairs, Gustavo Béliz")
        if mentions.person_at(m.end(), m.end() + 3) is not None:
            continue
        if any(
            t.start < m.end() <= t.end and mentions.person_at(t.end, t.end + 3) is not None
            for t in mentions.titles
        ):
            continue
        entry = None
        for word in (m.group("mods") + " " + m.group("noun")).split():
            e = resolver.gaz.demonym(word) or resolver.gaz.lookup(word)
            if e is not None and e.type in ("Country", "Organization"):
                entry = e
        if entry is None:
            continue
        person = resolver.resolve_definite(m.group(0), m.start())
        rule, title = "role.definite-description", None
        if person is None:
            # "Viktor Orbán must not …, Macron said, after the Hungarian prime minister
            # blocked …": an untitled person the office-holder table has in that office
            found = untitled_holder(
                parsed, mentions, roles, m.group("noun"), entry, m.start(), gaz, reference
            )
            if found is None:
                continue
            person, term = found
            rule = f"role.definite-description+{table_rule(term)}"
            title = " ".join(
                w
                for w in m.group("noun").split()
                if gaz.demonym(w) is None and gaz.lookup(w) is None
            )
        if resolver.parties.get(person):
            continue
        roles.append(RoleFact(person, title, entry, m.start(), m.end(), rule, 0.7))
        resolver.parties.setdefault(person, []).append(entry.label)

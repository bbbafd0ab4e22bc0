"""Deterministic synthetic corpus: realistic ~400-word diplomatic news articles at any scale.

Each article is a function of (seed, index) alone, so article 17 is the same text in a corpus
of 200 and in one of 100,000, and a 10k corpus contains the 1k one. Articles recombine
templates with real countries (read from the gazetteer), invented office holders, weekday and
explicit dates, quotations and the distractors the extractor must not take for meetings (phone
and video calls, "hopes to meet", "did not meet", "could meet"), so a build does real work.

Every article also carries its plan: the facts it states, with the character span of the
sentence that states each, which ``bench.rdf`` maps to triples without any NLP.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench.world import (
    AGREEMENTS,
    ORGANISATION_EVENTS,
    TOPICS,
    Country,
    Person,
    World,
    make_world,
)

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
ORDINALS = (
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
)
SOURCES = (
    "wire service",
    "regional news site",
    "foreign ministry press release",
    "daily newspaper",
    "news agency",
    "broadcaster",
)
# Office pairs that plausibly meet (guest office, host office).
PAIRS = (
    ("Foreign Minister", "Foreign Minister"),
    ("Foreign Minister", "President"),
    ("Prime Minister", "Prime Minister"),
    ("President", "President"),
    ("Defence Minister", "Defence Minister"),
    ("Trade Minister", "Trade Minister"),
    ("Deputy Foreign Minister", "Foreign Minister"),
)
FIRST_DATE = dt.date(2019, 1, 1)
DAYS_SPAN = 7 * 365
TARGET_WORDS = 400


@dataclass(frozen=True)
class Span:
    """Character offsets into the article text, end exclusive."""

    start: int
    end: int


@dataclass(frozen=True)
class RoleFact:
    person: Person
    span: Span


@dataclass(frozen=True)
class MeetingFact:
    kind: str  # "Meeting" or "ScheduledMeeting"
    participants: tuple[Person, ...]
    date: dt.date
    place: Country | None  # the meeting is in this country's capital
    span: Span


@dataclass(frozen=True)
class SigningFact:
    agreement: str
    parties: tuple[Country, ...]
    date: dt.date
    span: Span


@dataclass(frozen=True)
class AnniversaryFact:
    number: int
    event: MeetingFact
    of: SigningFact
    span: Span


@dataclass(frozen=True)
class QuoteFact:
    speaker: Person
    text: str
    span: Span  # the quoted words, without the quotation marks
    context: MeetingFact | None


@dataclass
class SyntheticArticle:
    """One article's text, metadata and the facts it states (its plan)."""

    id: str
    title: str
    published: dt.date | None
    source: str
    text: str = ""
    persons: list[Person] = field(default_factory=list)
    countries: list[Country] = field(default_factory=list)
    places: list[Country] = field(default_factory=list)
    agreements: list[str] = field(default_factory=list)
    roles: list[RoleFact] = field(default_factory=list)
    meetings: list[MeetingFact] = field(default_factory=list)
    signings: list[SigningFact] = field(default_factory=list)
    anniversaries: list[AnniversaryFact] = field(default_factory=list)
    quotes: list[QuoteFact] = field(default_factory=list)

    @property
    def words(self) -> int:
        return len(self.text.split())

    def sidecar(self) -> dict[str, str | None]:
        """The ``.json`` metadata written beside the ``.txt``, as ingest reads it."""
        return {
            "title": self.title,
            "published": self.published.isoformat() if self.published else None,
            "source": self.source,
        }


class _Text:
    """Accumulates sentences into paragraphs and returns the span of each sentence."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.fresh = True

    def paragraph(self) -> None:
        if self.parts and not self.fresh:
            self._put("\n\n")
        self.fresh = True

    def sentence(self, text: str) -> Span:
        if not self.fresh:
            self._put(" ")
        start = self.length
        self._put(text)
        self.fresh = False
        return Span(start, self.length)

    def _put(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    @property
    def words(self) -> int:
        return sum(len(p.split()) for p in self.parts)

    def value(self) -> str:
        return "".join(self.parts)


def ordinal(n: int) -> str:
    if 1 <= n <= len(ORDINALS):
        return ORDINALS[n - 1]
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def day_month(d: dt.date, rng: random.Random) -> str:
    return (
        f"{d.day} {MONTHS[d.month - 1]}" if rng.random() < 0.7 else f"{MONTHS[d.month - 1]} {d.day}"
    )


def full_date(d: dt.date, rng: random.Random) -> str:
    return (
        f"{day_month(d, rng)} {d.year}"
        if rng.random() < 0.7
        else f"{MONTHS[d.month - 1]} {d.day}, {d.year}"
    )


def when(d: dt.date, anchor: dt.date | None, rng: random.Random) -> str:
    """How the text names a date: a bare weekday near the anchor, weekday (date), or a date."""
    weekday = WEEKDAYS[d.weekday()]
    if anchor is None:
        return f"{weekday}, {full_date(d, rng)}" if rng.random() < 0.4 else full_date(d, rng)
    near = abs((d - anchor).days) <= 6 and d != anchor
    roll = rng.random()
    if near and roll < 0.45:
        return weekday
    if roll < 0.75:
        return f"{weekday} ({day_month(d, rng)})"
    return day_month(d, rng) if d.year == anchor.year else full_date(d, rng)


def _anniversary_date(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 February
        return d.replace(year=d.year - years, day=28)


class _Writer:
    """Writes one article; instance state lives for one article only."""

    def __init__(self, world: World, index: int) -> None:
        self.rng = random.Random(f"article-{world.seed}-{index}")
        self.world = world
        rng = self.rng
        while True:  # four people with distinct surnames, so a surname names one person
            self.host, self.guest, self.third, self.other = rng.sample(world.countries, 4)
            guest_office, host_office = rng.choice(PAIRS)
            self.g = self._holder(self.guest, guest_office)
            self.h = self._holder(self.host, host_office)
            self.t = self._holder(self.third, rng.choice(("Foreign Minister", "President")))
            self.d = self._holder(self.other, rng.choice(("Foreign Minister", "Prime Minister")))
            if len({p.surname for p in (self.g, self.h, self.t, self.d)}) == 4:
                break
        published = FIRST_DATE + dt.timedelta(days=rng.randrange(DAYS_SPAN))
        self.published: dt.date | None = published if rng.random() < 0.88 else None
        self.meeting_date = published - dt.timedelta(days=rng.randrange(0, 6))
        self.anchor = self.published
        self.topics = rng.sample(TOPICS, 4)
        self.out = _Text()
        self.article = SyntheticArticle(
            id=f"syn-{index:06d}",
            title="",
            published=self.published,
            source=rng.choice(SOURCES),
        )
        self.introduced: set[Person] = set()

    def _holder(self, country: Country, office: str) -> Person:
        cabinet = self.world.cabinet(country)
        return next(p for p in cabinet if p.office == office)

    # -- mentions ----------------------------------------------------------------------

    def _country(self, c: Country) -> str:
        if c not in self.article.countries:
            self.article.countries.append(c)
        return c.name

    def _dem(self, c: Country) -> str:
        if c not in self.article.countries:
            self.article.countries.append(c)
        return c.demonym

    def _intro(self, p: Person, style: int | None = None) -> str:
        """First mention with title and party; later mentions by surname."""
        if p in self.introduced:
            return p.surname
        self.introduced.add(p)
        self.article.persons.append(p)
        style = self.rng.randrange(3) if style is None else style
        if style == 0:
            return f"{self._dem(p.country)} {p.office} {p.name}"
        if style == 1:
            return f"{p.office} of {self._country(p.country)} {p.name}"
        return f"{p.name}, {self._country(p.country)}'s {p.office.lower()},"

    def _say(self, text: str, roles: Sequence[Person] = ()) -> Span:
        """Add a sentence; persons introduced by it get their role evidence from it."""
        span = self.out.sentence(text)
        for p in roles:
            if not any(r.person == p for r in self.article.roles):
                self.article.roles.append(RoleFact(p, span))
        return span

    def _mentioned(self, *people: Person) -> list[Person]:
        return [p for p in people if p not in self.introduced]

    # -- paragraphs --------------------------------------------------------------------

    def lead(self) -> MeetingFact:
        rng, g, h = self.rng, self.g, self.h
        new = self._mentioned(g, h)
        place = self.host
        cap = place.capital
        if place not in self.article.places:
            self.article.places.append(place)
        on = when(self.meeting_date, self.anchor, rng)
        form = rng.randrange(5)
        if form == 0:
            text = f"{self._intro(g, 0)} met {self._intro(h, 0)} in {cap} on {on}."
        elif form == 1:
            text = f"{self._intro(h, 1)} received {self._intro(g, 0)} in {cap} on {on}."
        elif form == 2:
            a = self._intro(g, 2).rstrip(",")
            text = f"{a}, held talks with {self._intro(h, 0)} in {cap} on {on}."
        elif form == 3:
            text = f"{self._intro(h, 0)} hosted {self._intro(g, 1)} in {cap} on {on}."
        else:
            text = f"{self._intro(g, 0)} and {self._intro(h, 0)} met in {cap} on {on}."
        span = self._say(text, new)
        meeting = MeetingFact("Meeting", (g, h), self.meeting_date, place, span)
        self.article.meetings.append(meeting)
        t1, t2, t3 = self.topics[:3]
        self._say(
            rng.choice(
                (
                    f"The two sides discussed cooperation in {t1}, {t2} and {t3}, as well as "
                    "regional issues.",
                    f"According to officials, the talks focused on {t1} and {t2}, and on the "
                    "implementation of agreements reached earlier.",
                    f"The agenda included {t1}, {t2} and the situation in the wider region.",
                )
            )
        )
        return meeting

    def quotes(self, meeting: MeetingFact) -> None:
        rng, g, h = self.rng, self.g, self.h
        self.out.paragraph()
        fragments = [
            f"We have agreed to deepen our cooperation in {self.topics[0]} and {self.topics[1]}.",
            "Our countries share a long history of friendship, and today we have opened a new "
            "chapter in it.",
            "There are still difficult questions between us, but we are ready to address them "
            "through dialogue.",
            "I am confident that the decisions taken today will benefit both our peoples.",
            f"{self.guest.name} is a reliable partner, and we value this partnership highly.",
            "Security in our region depends on trust between neighbours.",
            f"We will continue to work together on {self.topics[2]} in the months ahead.",
            "Nobody gains from confrontation, and everybody gains from predictable relations.",
        ]
        rng.shuffle(fragments)
        lead_in = rng.choice(
            (
                "Speaking at a joint press conference after the talks, {s} said:",
                "{s} told reporters after the meeting:",
                "Addressing journalists, {s} said:",
            )
        )
        self._quote(h, lead_in.format(s=h.surname), " ".join(fragments[:2]), meeting)
        self._say(
            f"{h.pronoun.capitalize()} added that {self.host.name} was ready to expand "
            f"{self.topics[3]} links with {self.guest.name}."
        )
        lead_in = rng.choice(("For {p} part, {s} said:", "{s} replied:", "{s} said in turn:"))
        self._quote(
            g, lead_in.format(p=g.possessive, s=g.surname), " ".join(fragments[2:4]), meeting
        )

    def _quote(self, speaker: Person, lead_in: str, words: str, context: MeetingFact) -> None:
        span = self._say(f'{lead_in} "{words}"')
        start = span.start + len(lead_in) + 2
        self.article.quotes.append(
            QuoteFact(speaker, words, Span(start, start + len(words)), context)
        )

    def scheduled(self) -> None:
        rng, t = self.rng, self.t
        self.out.paragraph()
        base = self.published or self.meeting_date
        date = base + dt.timedelta(days=rng.randrange(1, 10))
        on = when(date, self.anchor, rng)
        who = rng.choice((self.g, self.h))
        new = self._mentioned(t)
        form = rng.randrange(3)
        if form == 0:
            text = (
                f"{who.surname} is scheduled to meet {self._intro(t, 0)} in "
                f"{t.country.capital} on {on}."
            )
            place: Country | None = t.country
        elif form == 1:
            text = (
                f"{who.surname} will travel to {t.country.capital} on {on}, where "
                f"{who.pronoun} is expected to meet {self._intro(t, 1)}."
            )
            place = t.country
        else:
            text = f"{who.surname} is due to hold talks with {self._intro(t, 0)} on {on}."
            place = None
        if place is not None and place not in self.article.places:
            self.article.places.append(place)
        span = self._say(text, new)
        self.article.meetings.append(MeetingFact("ScheduledMeeting", (who, t), date, place, span))

    def anniversary(self, meeting: MeetingFact) -> None:
        rng = self.rng
        number = rng.choice((1, 1, 2, 3, 5, 10, 15, 20, 25, 30))
        signed = _anniversary_date(meeting.date - dt.timedelta(days=rng.randrange(0, 4)), number)
        agreement = rng.choice(AGREEMENTS)
        self.article.agreements.append(agreement)
        text = (
            f"The visit was timed to coincide with the {ordinal(number)} anniversary of the "
            f"signing of the {agreement} between {self._country(self.guest)} and "
            f"{self._country(self.host)} on {full_date(signed, rng)}."
        )
        span = self._say(text)
        signing = SigningFact(agreement, (self.guest, self.host), signed, span)
        self.article.signings.append(signing)
        self.article.anniversaries.append(AnniversaryFact(number, meeting, signing, span))

    def distractors(self) -> None:
        rng, d, g, h = self.rng, self.d, self.g, self.h
        self.out.paragraph()
        new = self._mentioned(d)
        choices = [
            lambda: (
                f"Earlier in the week, {h.surname} spoke by phone with {self._intro(d, 0)} "
                f"about {self.topics[1]}."
            ),
            lambda: (
                f"{g.surname} said {g.pronoun} hoped to meet {self._intro(d, 0)} before the "
                "end of the year."
            ),
            lambda: (
                f"{g.surname} did not meet {self._intro(d, 0)}, who was in "
                f"{self.host.capital} at the same time, a spokesperson said."
            ),
            lambda: (
                f"{self._intro(d, 1)} held a video call with {h.surname} on the eve of the visit."
            ),
            lambda: (
                f"Officials said {h.surname} and {self._intro(d, 0)} could meet on the "
                f"sidelines of the {rng.choice(ORGANISATION_EVENTS)} later this year."
            ),
            lambda: (
                f"{h.surname} also sent a letter to {self._intro(d, 0)} inviting "
                f"{'him' if d.pronoun == 'he' else 'her'} to visit {self.host.name}."
            ),
        ]
        first, second = rng.sample(range(len(choices)), 2)
        self._say(choices[first](), new)
        if rng.random() < 0.5:
            self._say(choices[second]())

    def background(self) -> None:
        rng = self.rng
        g, h, t = self.guest, self.host, self.third
        t1, t2, t3, _ = self.topics
        year = rng.randrange(1992, 2018)
        n = rng.choice((3, 5, 7, 12, 40, 150, 300))
        pool = [
            f"Trade between {g.name} and {h.name} reached {n} billion dollars last year, "
            "according to official figures, and both governments have said they want to "
            "double it within five years.",
            f"Diplomatic relations between the two countries were established in {year}, and "
            f"embassies were opened in {g.capital} and {h.capital} soon afterwards.",
            f"The {g.demonym} delegation also included officials responsible for {t1} and "
            f"{t2}, who held separate consultations with their counterparts.",
            f"Analysts in {h.capital} said the visit reflected a wider effort to diversify the "
            "country's partnerships at a time of economic uncertainty.",
            f"The talks covered plans for a new {t1} corridor that would link the two "
            f"countries through {t.name}.",
            "Both sides expressed concern about the humanitarian situation in the region and "
            "called for a negotiated settlement of existing disputes.",
            f"According to the {h.demonym} side, more than {n * 100:,} students from {g.name} "
            f"are currently studying at universities in {h.name}.",
            "A joint commission on economic cooperation is expected to convene later this year "
            "to review the implementation of earlier agreements.",
            f"The ministers also exchanged views on the situation in {t.name} and on "
            f"preparations for the {rng.choice(ORGANISATION_EVENTS)}.",
            f"Business forums held in parallel with the visit brought together more than {n} "
            "companies from both countries.",
            f"Opposition politicians in {g.name} criticised the timing of the trip, arguing that "
            "domestic problems required the government's attention.",
            f"Direct flights between {g.capital} and {h.capital} resumed in {year + 4} after a "
            "pause of several years.",
            "Observers noted that the two governments have taken different positions on "
            f"several international issues, including {t3}.",
            "Officials did not disclose the value of the contracts discussed, but said they "
            f"covered {t1}, {t2} and {t3}.",
            f"In a statement issued after the talks, the {h.demonym} foreign ministry described "
            "the meeting as constructive and forward-looking.",
            f"The two countries are also negotiating a new arrangement on {t2}, which "
            "negotiators hope to finalise next year.",
            f"Earlier this year, {h.name} hosted a regional conference on {t3} attended by "
            f"delegations from more than {n % 40 + 10} countries.",
            "The visit took place amid heightened attention to the region, where several "
            "long-running disputes remain unresolved.",
        ]
        rng.shuffle(pool)
        self.out.paragraph()
        in_paragraph = 0
        for sentence in pool:
            if self.out.words >= TARGET_WORDS - 15:
                break
            if in_paragraph == 3:
                self.out.paragraph()
                in_paragraph = 0
            self._say(sentence)
            in_paragraph += 1

    def title(self) -> str:
        g, h, rng = self.g, self.h, self.rng
        return rng.choice(
            (
                f"{g.surname} and {h.surname} meet in {self.host.capital}",
                f"{g.country.demonym} {g.office.lower()} holds talks in {self.host.capital}",
                f"{g.country.name} and {h.country.name} discuss {self.topics[0]} cooperation",
                f"{g.name} visits {h.country.name}",
            )
        )

    def write(self) -> SyntheticArticle:
        meeting = self.lead()
        if self.rng.random() < 0.35:
            self.anniversary(meeting)
        self.quotes(meeting)
        if self.rng.random() < 0.7:
            self.scheduled()
        self.distractors()
        self.background()
        self.article.title = self.title()
        self.article.text = text = self.out.value() + "\n"
        # every country the text names, in order of appearance
        named = [
            c
            for c in (self.host, self.guest, self.third, self.other)
            if c.name in text or c.demonym in text
        ]
        self.article.countries = sorted(
            named, key=lambda c: min(text.find(w) for w in (c.name, c.demonym) if w in text)
        )
        return self.article


def generate_article(world: World, index: int) -> SyntheticArticle:
    """Article ``index`` of the corpus of ``world``; depends on nothing else."""
    return _Writer(world, index).write()


def generate(count: int, seed: int = 7, world: World | None = None) -> Iterator[SyntheticArticle]:
    """Articles 0..count-1 (streamed: memory does not grow with the count)."""
    world = world or make_world(seed)
    for index in range(count):
        yield generate_article(world, index)


def write_corpus(folder: Path, count: int, seed: int = 7) -> list[Path]:
    """Write ``count`` articles as ``syn-NNNNNN.txt`` + ``.json`` sidecars; returns the .txt paths.

    Files that already hold the same bytes are left untouched, so regenerating a corpus keeps
    file times (and an incremental build sees nothing changed).
    """
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for article in generate(count, seed):
        txt = folder / f"{article.id}.txt"
        _write_if_changed(txt, article.text)
        _write_if_changed(
            folder / f"{article.id}.json", json.dumps(article.sidecar(), indent=2) + "\n"
        )
        paths.append(txt)
    return paths


def _write_if_changed(path: Path, text: str) -> None:
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return
    path.write_text(text, encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m bench.corpus FOLDER COUNT [--seed N]``: write a corpus to a folder."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m bench.corpus", description=main.__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("count", type=int)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    paths = write_corpus(args.folder, args.count, args.seed)
    print(f"{len(paths)} articles in {args.folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

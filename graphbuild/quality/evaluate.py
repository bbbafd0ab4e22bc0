"""Scoring extracted facts against gold annotations (the format of GUIDELINES.md).

A fact matches a gold fact when its entities match by label or alias (case- and
diacritics-insensitive) and its dates are equal; a meeting matches when the participant sets
are equal. Quotes match when the speaker matches and the extracted text contains the gold
``contains`` string. Precision and recall are per relation; every false positive and false
negative is listed with its evidence so a researcher can see what went wrong.
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from graphbuild.annotations import Annotations
from graphbuild.errors import DiplographError

RELATIONS = ("represents", "meetings", "met_with", "scheduled", "anniversaries", "quotes")


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace("’", "'"))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold().strip()
    return text[4:] if text.startswith("the ") else text


Names = frozenset[str]


@dataclass(frozen=True)
class Fact:
    """One relation instance, with entity name sets instead of ids."""

    relation: str
    entities: tuple[Names, ...]
    dates: tuple[dt.date | None, ...] = ()
    number: int | None = None
    text: str = ""
    evidence: str = ""
    unordered: bool = False

    def describe(self) -> str:
        names = [sorted(n)[0] if n else "?" for n in self.entities]
        parts = [", ".join(names)]
        if self.dates:
            parts.append(" / ".join(str(d) for d in self.dates))
        if self.number is not None:
            parts.append(f"#{self.number}")
        if self.text:
            parts.append(repr(self.text[:60]))
        return "; ".join(parts)


def _names(label: str, aliases: Iterable[str] = ()) -> Names:
    return frozenset(_fold(n) for n in (label, *aliases) if n)


def _entity_match(a: Names, b: Names) -> bool:
    return bool(a & b)


def _match(ex: Fact, gold: Fact) -> bool:
    if ex.relation != gold.relation or ex.dates != gold.dates:
        return False
    if ex.number is not None and gold.number is not None and ex.number != gold.number:
        return False
    if ex.relation == "quotes":
        return _entity_match(ex.entities[0], gold.entities[0]) and _fold(gold.text) in _fold(
            ex.text
        )
    if len(ex.entities) != len(gold.entities):
        return False
    if ex.unordered:
        remaining = list(gold.entities)
        for names in ex.entities:
            hit = next((g for g in remaining if _entity_match(names, g)), None)
            if hit is None:
                return False
            remaining.remove(hit)
        return True
    return all(_entity_match(a, b) for a, b in zip(ex.entities, gold.entities, strict=True))


def _pairs(people: list[Names]) -> list[tuple[Names, Names]]:
    return [(a, b) for i, a in enumerate(people) for b in people[i + 1 :]]


def facts_from_gold(gold: dict) -> list[Fact]:  # type: ignore[type-arg]
    ents = {
        k: _names(v["label"], v.get("aliases", [])) for k, v in gold.get("entities", {}).items()
    }

    def d(value: str | None) -> dt.date | None:
        return dt.date.fromisoformat(value) if value else None

    facts: list[Fact] = []
    for r in gold.get("represents", []):
        facts.append(Fact("represents", (ents[r["person"]], ents[r["party"]])))
    seen_pairs: set[frozenset[Names]] = set()
    for m in gold.get("meetings", []):
        people = [ents[p] for p in m["participants"]]
        facts.append(Fact("meetings", tuple(people), (d(m["date"]),), unordered=True))
        for a, b in _pairs(people):
            key = frozenset((a, b))
            if key not in seen_pairs:
                seen_pairs.add(key)
                facts.append(Fact("met_with", (a, b), unordered=True))
    for m in gold.get("scheduled", []):
        people = [ents[p] for p in m["participants"]]
        facts.append(Fact("scheduled", tuple(people), (d(m["date"]),), unordered=True))
    for a in gold.get("anniversaries", []):
        facts.append(
            Fact("anniversaries", (), (d(a["event_date"]), d(a["of_date"])), number=a["number"])
        )
    for q in gold.get("quotes", []):
        facts.append(Fact("quotes", (ents[q["speaker"]],), text=q["contains"]))
    return facts


def facts_from_annotations(ann: Annotations) -> list[Fact]:
    ents = {e.id: _names(e.label, e.aliases) for e in ann.entities}
    events = {e.id: e for e in ann.events}
    text = ann.article.text
    facts: list[Fact] = []
    for r in ann.roles:
        ev = r.evidence[0] if r.evidence else None
        facts.append(
            Fact(
                "represents",
                (ents[r.holder], ents[r.party]),
                evidence=text[ev.start : ev.end] if ev else "",
            )
        )
    seen_pairs: set[frozenset[Names]] = set()
    for e in ann.events:
        if e.kind not in ("Meeting", "ScheduledMeeting"):
            continue
        people = [ents[p] for p in e.participants]
        ev_text = e.evidence[0].exact if e.evidence else ""
        rel = "meetings" if e.kind == "Meeting" else "scheduled"
        facts.append(Fact(rel, tuple(people), (e.date,), evidence=ev_text, unordered=True))
        if e.kind == "Meeting":
            for a, b in _pairs(people):
                key = frozenset((a, b))
                if key not in seen_pairs:
                    seen_pairs.add(key)
                    facts.append(Fact("met_with", (a, b), evidence=ev_text, unordered=True))
    for anniv in ann.anniversaries:
        ev_text = anniv.evidence[0].exact if anniv.evidence else ""
        facts.append(
            Fact(
                "anniversaries",
                (),
                (events[anniv.event].date, events[anniv.of].date),
                number=anniv.number,
                evidence=ev_text,
            )
        )
    for q in ann.quotations:
        facts.append(Fact("quotes", (ents[q.speaker],), text=q.text, evidence=q.text[:80]))
    return facts


@dataclass
class RelationScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    false_positives: list[tuple[str, Fact]] = field(default_factory=list)
    false_negatives: list[tuple[str, Fact]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Scorecard:
    relations: dict[str, RelationScore] = field(
        default_factory=lambda: {r: RelationScore() for r in RELATIONS}
    )
    articles: int = 0

    @property
    def macro_f1(self) -> float:
        return sum(s.f1 for s in self.relations.values()) / len(self.relations)

    def add(self, article_id: str, extracted: list[Fact], gold: list[Fact]) -> None:
        self.articles += 1
        for rel in RELATIONS:
            ex = [f for f in extracted if f.relation == rel]
            gd = [f for f in gold if f.relation == rel]
            score = self.relations[rel]
            if rel == "quotes":
                # one quote span may contain several gold fragments
                matched_gold = {i for i, g in enumerate(gd) if any(_match(e, g) for e in ex)}
                for e in ex:
                    if any(_match(e, g) for g in gd):
                        score.tp += 0
                    else:
                        score.fp += 1
                        score.false_positives.append((article_id, e))
                score.tp += len(matched_gold)
                for i, g in enumerate(gd):
                    if i not in matched_gold:
                        score.fn += 1
                        score.false_negatives.append((article_id, g))
                continue
            remaining = list(gd)
            for e in ex:
                hit = next((g for g in remaining if _match(e, g)), None)
                if hit is None:
                    score.fp += 1
                    score.false_positives.append((article_id, e))
                else:
                    remaining.remove(hit)
                    score.tp += 1
            for g in remaining:
                score.fn += 1
                score.false_negatives.append((article_id, g))

    def as_dict(self) -> dict[str, object]:
        return {
            "articles": self.articles,
            "macro_f1": round(self.macro_f1, 4),
            "relations": {
                rel: {
                    "precision": round(s.precision, 4),
                    "recall": round(s.recall, 4),
                    "f1": round(s.f1, 4),
                    "tp": s.tp,
                    "fp": s.fp,
                    "fn": s.fn,
                }
                for rel, s in self.relations.items()
            },
        }

    def table(self) -> str:
        lines = [f"{'relation':<14} {'P':>6} {'R':>6} {'F1':>6} {'TP':>4} {'FP':>4} {'FN':>4}"]
        for rel, s in self.relations.items():
            lines.append(
                f"{rel:<14} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} "
                f"{s.tp:4d} {s.fp:4d} {s.fn:4d}"
            )
        lines.append(f"{'macro-F1':<14} {'':>6} {'':>6} {self.macro_f1:6.3f}")
        return "\n".join(lines)

    def errors(self) -> str:
        lines = []
        for rel, s in self.relations.items():
            for art, f in s.false_positives:
                lines.append(f"FP {rel:<13} {art}: {f.describe()}  <- {f.evidence[:120]!r}")
            for art, f in s.false_negatives:
                lines.append(f"FN {rel:<13} {art}: {f.describe()}")
        return "\n".join(lines)


def load_gold(gold_dir: Path) -> dict[str, dict]:  # type: ignore[type-arg]
    """``{article_id: gold}`` for every ``*.gold.json`` in the folder."""
    files = sorted(Path(gold_dir).glob("*.gold.json"))
    if not files:
        raise DiplographError(
            "no *.gold.json files found",
            where=str(gold_dir),
            hint="point at a folder of gold files",
        )
    out = {}
    for f in files:
        try:
            out[f.name[: -len(".gold.json")]] = json.loads(f.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise DiplographError(
                f"not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}",
                where=str(f),
            ) from exc
    return out

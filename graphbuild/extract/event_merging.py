"""One event per meeting, however many sentences report it.

Run once the whole article has been read: an undated report of a dated meeting's people is
that meeting, a lead that sums up meetings told one by one later is split into them, and
a same-day meeting of a subset of another's people is the same one unless it is told as a
further step of the day. Anniversaries point at events by index, so they are renumbered too.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from graphbuild.extract.dates import find_dates, resolve_relative_date
from graphbuild.extract.document import ParsedArticle
from graphbuild.extract.event_facts import AnniversaryFact, EventFact

_LATER_REFERENCE_SENTENCES = 8
_LATER_DAY = re.compile(
    r"\b(?:at|during|in)\s+(?:the|this|their)\s+(?:meeting|talks)\s+"
    r"(?P<day>today|yesterday|on\s+(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)\b",
    re.IGNORECASE,
)


class EventMerging:
    """The merging of :class:`graphbuild.extract.events.EventExtractor`, which it is mixed
    into; the attributes are the extractor's fields, named here for the type checker."""

    events: list[EventFact]
    anniversaries: list[AnniversaryFact]
    parsed: ParsedArticle
    reference: dt.date | None

    def _split_summaries(self) -> None:
        """ "X held talks with A, B and C" followed by "X later met B" and "X also received
        C": the lead sums up separate meetings, one per guest."""
        out: list[EventFact] = []
        moved: dict[int, int] = {}
        for ev in self.events:
            subjects, objects = ev.sides
            if (
                ev.kind in ("Meeting", "ScheduledMeeting")
                and len(subjects) == 1
                and len(objects) >= 2
                and subjects[0] not in objects
            ):
                host = subjects[0]
                # "will hold meetings with A and B. On Monday, X and A will … Later on
                # Monday, B will receive X": an undated plan told apart with days
                plan = ev.kind == "ScheduledMeeting" and ev.date is None
                told_apart: dict[int, dt.date | None] = {}
                for o in objects:
                    for other in self.events:
                        if (
                            other is not ev
                            and other.kind == ev.kind
                            and other.sentence > ev.sentence
                            and (other.sequel or (plan and other.date is not None))
                            and set(other.participants) == {host, o}
                            and (other.date is None or ev.date is None or other.date == ev.date)
                            and told_apart.get(o) is None  # a day told wins over none
                        ):
                            told_apart[o] = other.date
                if len(told_apart) >= 2:
                    moved[id(ev)] = len(out)
                    for o in objects:
                        date = told_apart.get(o) if plan else ev.date
                        out.append(replace(ev, participants=[host, o], sides=([], []), date=date))
                    continue
            moved[id(ev)] = len(out)
            out.append(ev)
        if len(out) != len(self.events):
            # anniversaries index events: keep them pointing at the same facts
            old = list(self.events)
            self.events = out
            for a in self.anniversaries:
                a.event = moved[id(old[a.event])]
                a.of = moved[id(old[a.of])]

    def _dated_by_a_later_reference(self) -> None:
        """ "X held a meeting with Y on the margins of the forum. … The issues discussed at
        the meeting today": a meeting told without a day, dated where the story comes back
        to it, unless another meeting was told in between (then "the meeting" is that one)."""
        told = sorted({e.sentence for e in self.events})
        for ev in self.events:
            if ev.kind != "Meeting" or ev.date is not None or self.reference is None:
                continue
            nxt = next((si for si in told if si > ev.sentence), len(self.parsed.sentences))
            last = min(
                nxt, ev.sentence + _LATER_REFERENCE_SENTENCES + 1, len(self.parsed.sentences)
            )
            for si in range(ev.sentence + 1, last):
                found = _LATER_DAY.search(self.parsed.sentences[si].text)
                if found is None:
                    continue
                days = find_dates(found.group("day"))
                if days:
                    ev.date = resolve_relative_date(days[0], self.reference, "past")
                break

    def _merge(self) -> None:
        """One event per (kind, participants, date): several sentences can report it; an
        undated report of the people of a dated meeting is that meeting."""
        self._dated_by_a_later_reference()
        for ev in self.events:
            if ev.kind not in ("Meeting", "ScheduledMeeting") or ev.date is not None:
                continue
            # "X and Y will also sign …": a further plan of the same people without a day of
            # its own is part of theirs (a further meeting held is told apart: "also met")
            if ev.sequel and ev.kind != "ScheduledMeeting":
                continue
            for other in self.events:
                if (
                    other is not ev
                    and other.kind == ev.kind
                    and other.date is not None
                    and (
                        set(ev.participants) == set(other.participants)
                        if ev.sequel
                        else set(ev.participants) <= set(other.participants)
                    )
                ):
                    ev.date = other.date
                    ev.participants = list(other.participants)
                    break
        self._split_summaries()
        keep: list[EventFact] = []
        remap: dict[int, int] = {}
        for i, ev in enumerate(self.events):
            key = (ev.kind, frozenset(ev.participants), ev.date)
            found = None
            if ev.participants:
                for j, k in enumerate(keep):
                    if (k.kind, frozenset(k.participants), k.date) == key:
                        found = j
                        break
            if found is None:
                remap[i] = len(keep)
                keep.append(ev)
            else:
                remap[i] = found
                if keep[found].place is None:
                    keep[found].place = ev.place
        # a meeting whose participants are a strict subset of a same-day meeting is the same,
        # unless it is told as a further step of the day ("later", "then", "also")
        final: list[EventFact] = []
        remap2: dict[int, int] = {}
        for j, ev in enumerate(keep):
            sup = None
            if ev.kind in ("Meeting", "ScheduledMeeting"):
                for k2, other in enumerate(keep):
                    if (
                        other is not ev
                        and other.kind == ev.kind
                        and other.date == ev.date
                        and set(ev.participants) < set(other.participants)
                        and (not (ev.sequel or other.sequel) or other.sentence == ev.sentence)
                    ):
                        sup = k2
                        break
            if sup is None:
                remap2[j] = len(final)
                final.append(ev)
            else:
                remap2[j] = -1 - sup
        for j, v in list(remap2.items()):
            if v < 0:
                remap2[j] = remap2[-1 - v] if remap2[-1 - v] >= 0 else 0
        self.events = final
        for a in self.anniversaries:
            a.event = remap2[remap[a.event]]
            a.of = remap2[remap[a.of]]

"""Who else took part in a meeting than its verb names: attendees and companions.

"accompanied by W", "in the presence of W", "Also present were W and Z", "The talks brought
together A and B": people a meeting's own sentence, or one after it, adds to the meeting
just reported. The rules need the events found so far and the story's sentences, so they
are mixed into :class:`graphbuild.extract.events.EventExtractor` as well.
"""

from __future__ import annotations

import re

from spacy.tokens import Span

from graphbuild.extract.document import subtree_range
from graphbuild.extract.event_dating import REFERS_TO_MEETING, EventDating
from graphbuild.extract.participant_references import is_name

# Cues after which the people named also took part in the meeting just reported.
_COMPANION_AFTER = re.compile(
    r"\b(?:in the presence of|with the participation of|"
    r"(?:was|were) (?:also )?attended (?:from the [\w\s'’-]{1,40}? side )?by|"
    r", (?:also )?attended by|"
    r"(?:accompanied|joined|flanked|assisted) (?:(?:at|in|during) the \w+ )?by|"
    r"also (?:present|attending|in attendance|taking part)(?: (?:at|in) the (?:meeting|talks|"
    r"audience|session|discussions?|gathering))? (?:was|were|will be)|"
    r"(?:present|in attendance) (?:at the \w+ )?(?:was|were|will be)|"
    r"(?:also )?attending (?:the \w+ )?(?:was|were|will be)|"
    r"delegation\b[^.;]{0,120}?\b(?:included|comprised|consisted of)|"
    r"(?:meeting|talks|audience|session) (?:also )?(?:included|involved|brought together))\s",
    re.I,
)
# "X, along with A and B, met Y": A and B took part with X.
_ALONG_WITH = re.compile(r",\s*along with\s", re.I)
# Cues before which the people named also took part: "W and Z were also present".
_COMPANION_BEFORE = re.compile(
    r"\b(?:was|were|will (?:also )?be) (?:also )?(?:present|in attendance)\b|"
    r"\b(?:also )?(?:attended|joined|took part in) (?:the (?:first|second|last|opening) part "
    r"of )?(?:the|this|that) (?:meeting|talks|audience|"
    r"session|discussions?|exchanges?|hearing|lunch|dinner)\b|\bjoined (?:the two|them)\b|"
    # a plan's attendees: "A and B will also attend the meeting"
    r"\bwill (?:also )?(?:attend|join|take part in) (?:the|this|that) (?:meeting|talks|audience|"
    r"session|discussions?|lunch|dinner)\b|"
    # "X, Minister of …, was part of the Sri Lankan delegation at the talks"
    r"\b(?:was|were) (?:also )?(?:part|members?) of the (?:[\w-]+ ){0,2}delegation (?:at|in|for|"
    r"during) the (?:meeting|talks|discussions?)\b",
    re.I,
)
# An attendance list that can only go back to the meeting just reported: "Also in attendance
# were …", "… were also present at the meeting".
_ATTENDANCE_BACK = re.compile(
    r"^\s*(?:Also )?(?:present|attending|in attendance)\b|\b(?:was|were) (?:also )?(?:present|in "
    r"attendance) (?:at|in|during) (?:the|this) (?:meeting|talks|audience|session|discussions?)\b",
)


_PLANNED_ATTENDANCE = re.compile(
    r"\bwill (?:also )?(?:be (?:also )?(?:present|in attendance)|attend|join|take part)\b|"
    r"\b(?:present|in attendance|attending)\b[^.;]{0,40}\bwill be\b",
    re.I,
)


class EventCompanions(EventDating):
    """The attendance rules of :class:`graphbuild.extract.events.EventExtractor`, which they
    are mixed into; ``_lone_host`` is the extractor's field, named here for the type
    checker."""

    _lone_host: tuple[int, int] | None

    def _gathering_told_again(self, sent: Span, si: int, first_new: int) -> None:
        """ "X hosted Y in Paris. The talks at the ministry brought together A and B": the
        talks are the meeting just told, and A and B took part in it."""
        new = self.events[first_new:]
        if len(new) != 1 or not new[0].rule.endswith(".bring"):
            return
        ev = new[0]
        verb = self.parsed.token_at(ev.trigger)
        subjects = [c for c in verb.children if c.dep_ == "nsubj"] if verb is not None else []
        if not any(any(d.lower_ in ("the", "this", "these") for d in c.children) for c in subjects):
            return
        told = [
            e for e in self.events[:first_new] if e.kind == "Meeting" and 0 < si - e.sentence <= 2
        ]
        if not told and self._lone_host is not None and 0 < si - self._lone_host[1] <= 1:
            # "X hosted a meeting in Lima. The talks brought together A and B": X hosted them
            if self._lone_host[0] not in ev.participants:
                ev.participants.insert(0, self._lone_host[0])
            return
        if not told or (ev.date is not None and told[-1].date not in (None, ev.date)):
            return
        target = told[-1]
        target.participants.extend(p for p in ev.participants if p not in target.participants)
        del self.events[first_new:]

    def _companions(self, sent: Span, si: int, first_new: int) -> None:
        """People a meeting's report adds: "accompanied by W", "in the presence of W", "Also
        present were W and Z", "The meeting was attended by W", "W attended the talks"."""
        new = [ev for ev in self.events[first_new:] if ev.kind in ("Meeting", "ScheduledMeeting")]
        if new:
            target = new[0]
        else:
            # "The meeting was attended by …" names what it goes back to, further back
            window = (
                8
                if REFERS_TO_MEETING.match(sent.text)
                or _ATTENDANCE_BACK.search(sent.text)
                or _COMPANION_BEFORE.search(sent.text)
                else 2
            )
            # "Also present will be W": a plan's attendees, not those of a meeting looked back on
            planned = _PLANNED_ATTENDANCE.search(sent.text) is not None
            recent = [
                ev
                for ev in self.events
                if ev.kind
                in (("ScheduledMeeting",) if planned else ("Meeting", "ScheduledMeeting"))
                and ev.sentence < si
                # quoted reactions between do not move the story on
                and self._distance(ev.sentence, si) <= window
            ]
            if not recent:
                return
            target = recent[-1]
        text = self.parsed.text[sent.start_char : sent.end_char]
        spans: list[tuple[int, int]] = []
        for m in _ALONG_WITH.finditer(text):
            _CREDENTIAL_LETTER = re.compile(r"\bletters? of (?:credence|introduction)\b", re.I)
            # "X, along with A and B, met Y"; a sentence on: "X, along with A and B, went to
            # Y's house" when X is one of the meeting's people
            start = sent.start_char + m.end()
            before = self.mentions.persons_in(max(sent.start_char, start - 60), start)
            if not new and not any(pm.person in target.participants for pm in before[-1:]):
                continue
            last = self.parsed.token_at(start - 2)
            if last is not None and last.lower_ == "with":
                spans.append((start, subtree_range(last)[1]))
        for m in _COMPANION_AFTER.finditer(text):
            start = sent.start_char + m.end()
            if new:
                # inside the meeting's own sentence: only the phrase the cue heads
                last = self.parsed.token_at(start - 2)
                if last is None:
                    continue
                head = last if last.dep_ in ("prep", "agent") else last.head
                # "attended by A and by B": the second 'by' is the first one's conjunct
                end = max(
                    subtree_range(head)[1],
                    subtree_range(last)[1],
                    *(subtree_range(c)[1] for c in last.conjuncts),
                )
                cue_verb = last.head
                if cue_verb.dep_ in ("advcl", "acl") and cue_verb.lemma_.lower() in (
                    "attend",
                    "accompany",
                    "join",
                    "flank",
                    "assist",
                ):
                    # ", attended by A and by B": the whole participle clause
                    end = max(end, subtree_range(cue_verb)[1])
            else:
                end = sent.end_char
            spans.append((start, end))
        if not new:
            for m in _COMPANION_BEFORE.finditer(text):
                spans.append((sent.start_char, sent.start_char + m.start()))
        added = False
        for s, e in spans:
            # an attendance list counts also when a quoted statement gives it
            for pm in self.mentions.persons_in(s, e):
                if self.parsed.text[pm.end : pm.end + 2] in ("'s", "’s"):
                    continue
                if not is_name(self.mentions.persons[pm.person].name):
                    continue
                if pm.person not in target.participants:
                    target.participants.append(pm.person)
                    added = True
        if added and not new:
            target.end = max(target.end, sent.end_char)

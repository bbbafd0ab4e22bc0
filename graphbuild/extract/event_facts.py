"""What the event rules find, before it becomes ``Annotations``: events (held or scheduled
meetings, signings, dated events), their places, and anniversaries linking two of them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass
class PlaceRef:
    start: int
    end: int
    text: str
    qid_entry: object | None = None


@dataclass
class EventFact:
    kind: str  # Meeting | ScheduledMeeting | Signing | Event
    participants: list[int]
    date: dt.date | None
    place: PlaceRef | None
    start: int
    end: int
    rule: str
    confidence: float
    sentence: int = -1
    label: str | None = None
    agreement: tuple[int, int, str] | None = None  # span and name of the agreement
    signatories: list[str] = field(default_factory=list)  # party labels
    host: int | None = None  # who received or hosted the others
    trigger: int = -1  # offset of the word that reported it
    # the people of the verb's subject and of its objects ("X received A and B")
    sides: tuple[list[int], list[int]] = field(default_factory=lambda: ([], []))
    # told as a further, separate step of the day ("later", "then", "also", "separately")
    sequel: bool = False


@dataclass
class AnniversaryFact:
    event: int  # index into events
    of: int  # index into events
    number: int
    start: int
    end: int
    rule: str


@dataclass
class DroppedEvent:
    """A meeting the rules saw but did not keep, and why (``DroppedFact`` in Annotations)."""

    kind: str  # Meeting | ScheduledMeeting | Anniversary
    reason: str  # a graphbuild.annotations.DropReason
    detail: str
    start: int
    end: int

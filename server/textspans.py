"""Evidence spans in article text: the sentence around a span, and text cut into highlights.

Pure functions over a string and character offsets (``dg:start``/``dg:end``, 0-based, end
exclusive), so the pages can show a span in its sentence with ``<mark>`` and the article
page can mark every span, overlapping ones included, without any HTML being built here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

SENTENCE_ENDS = ".!?\n"
MAX_CONTEXT_CHARS = 400
"""Most characters of context shown on either side of a span (long paragraphs are cut)."""


@dataclass(frozen=True)
class Snippet:
    """A span with the rest of its sentence; ``exact`` is what the span covers in the text."""

    before: str
    exact: str
    after: str
    matches: bool
    """Whether ``text[start:end]`` is the span's recorded ``dg:exact`` (else the text changed)."""


def _sentence_start(text: str, start: int) -> int:
    left = max(text.rfind(c, 0, start) for c in SENTENCE_ENDS) + 1
    left = max(left, start - MAX_CONTEXT_CHARS)
    while left < start and text[left].isspace():
        left += 1
    return left


def _sentence_end(text: str, end: int, exact: str) -> int:
    if exact.rstrip().endswith(tuple(SENTENCE_ENDS)):
        return end
    found = [i for i in (text.find(c, end) for c in SENTENCE_ENDS) if i >= 0]
    right = min(found) + 1 if found else len(text)
    if right < len(text) and text[right - 1] != "\n":
        # keep a closing quotation mark that follows the full stop
        while right < len(text) and text[right] in "\"'”’»":
            right += 1
    right = min(right, end + MAX_CONTEXT_CHARS)
    return len(text[:right].rstrip()) if right > end else end


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` without the whitespace at its ends (as is when it is all whitespace),
    so a highlight never carries a trailing newline."""
    s, e = start, end
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return (s, e) if s < e else (start, end)


def snippet(text: str | None, start: int, end: int, exact: str) -> Snippet:
    """The span ``[start, end)`` of ``text`` within its sentence.

    When the offsets do not fit the text (or the text is unknown), the recorded ``exact``
    is shown on its own and ``matches`` is false, so a page never highlights the wrong words.
    """
    if text is None or not (0 <= start <= end <= len(text)) or text[start:end] != exact:
        return Snippet("", exact.strip() or exact, "", False)
    start, end = _trim(text, start, end)  # spans of stores built before spans were trimmed
    left = _sentence_start(text, start)
    right = _sentence_end(text, end, exact)
    return Snippet(text[left:start], text[start:end], text[end:right], True)


@dataclass(frozen=True)
class Segment:
    """A run of text covered by the same spans (``spans`` are indexes into the span list)."""

    text: str
    spans: tuple[int, ...]
    opens: tuple[int, ...]
    """Spans that start at this segment (where their anchors go)."""


def segments(text: str, spans: Sequence[tuple[int, int]]) -> list[Segment]:
    """Cut ``text`` at every span boundary; overlapping and nested spans are kept apart.

    Spans outside the text or empty are ignored. Concatenating the segments' text gives
    ``text`` back.
    """
    valid = [(i, *_trim(text, s, e)) for i, (s, e) in enumerate(spans) if 0 <= s < e <= len(text)]
    cuts = sorted({0, len(text), *(s for _, s, _ in valid), *(e for _, _, e in valid)})
    out: list[Segment] = []
    for a, b in pairwise(cuts):
        covering = tuple(i for i, s, e in valid if s <= a and b <= e)
        opens = tuple(i for i, s, _ in valid if s == a)
        out.append(Segment(text[a:b], covering, opens))
    return out


def anchor(start: int, end: int) -> str:
    """The fragment id of a span on its article's page."""
    return f"ev-{start}-{end}"


def distinct_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans once each, in text order (longer first where two start together)."""
    return sorted(set(spans), key=lambda se: (se[0], -se[1]))

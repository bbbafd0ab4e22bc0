"""Web text normalisation, run at ingest before anything counts an offset (issue 14).

What news text picks up on its way through CMSs, scrapers and feeds, and what becomes of it:

- HTML entities left in the text (``&amp;``, ``&#8217;``, also escaped twice) are decoded;
  unknown names (``&unknown;``) and bare ampersands (``R&D``) stay; the quotation-mark, space
  and dash entities whose ampersand a CMS stripped (``ldquo;We agreed,rdquo;``,
  ``welcomenbsp;ceremony``) get it back first: no English word ends in those names;
- mojibake (``â€™`` for ``’``), C1 controls, terminal escapes, other control characters,
  Latin ligatures (``ﬁ``), full-width Latin letters and old line endings (``\\r\\n``, ``\\r``,
  U+2028) are repaired by ftfy; text is composed to Unicode NFC;
- non-breaking and other typographic spaces become a plain space; invisible characters (zero
  width space, soft hyphen, word joiner, byte-order mark, direction marks) are removed, and
  zero-width (non-)joiners too unless they join two non-ASCII letters (emoji, Persian);
- two apostrophes or two backticks standing for a double quote become ``"``;
- a full stop, question or exclamation mark glued to the next sentence (``Seoul.According``)
  gets its space.

What is left as written, and tested: abbreviations and initials (``U.S.``, ``e.g.``, ``a.m.``,
``S.Kumar``, ``B.Bold``, ``Mr.Smith``: an initial or a capitalised abbreviation
before the stop is not taken for a sentence end), numbers (``3.5``, ``No.1``, ``2.0.Beta``),
domain names, URLs and e-mail addresses (``gov.uk``, ``www.Example.Com``), curly quotes,
dashes and accents. A lower-case word glued to a capitalised one (``java.Lang``) is taken for
a sentence break: news text has many more of those than dotted names.

The result is deterministic, idempotent (``normalise_text(normalise_text(x)) ==
normalise_text(x)``), never raises, and is at most :data:`MAX_GROWTH` times as long as its
input. :data:`NORMALISER` names this normalisation and is recorded with every article.
"""

from __future__ import annotations

import bisect
import html.entities
import logging
import re
import unicodedata
from collections.abc import Callable

import ftfy

VERSION = "v2"
NORMALISER = f"diplograph.text.normalise.{VERSION}+ftfy-{ftfy.__version__}"
"""What normalised an article's text: recorded in its graph (``dg:textNormaliser``) and in
its digest, so a change of the rules (or of ftfy) rebuilds the articles."""

MAX_GROWTH = 3
"""Output length is at most this times the input's: a ligature or an NFC composition
exclusion grows one character to at most three, and a restored sentence space adds one
character to at least four (``ab.C``)."""

_FTFY = ftfy.TextFixerConfig(
    unescape_html=False,  # done here, also for entities escaped twice
    uncurl_quotes=False,  # curly quotes are legitimate text
    normalization="NFC",
    explain=False,
)

# ---- HTML entities --------------------------------------------------------------------------

_ENTITY = re.compile(
    # any chain of escaped ampersands (&amp;amp;…, &#38;…), then one reference
    r"&(?P<chain>(?:(?:amp|AMP|#0*38|#[xX]0*26);)*)(?P<ref>#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,8}"
    r"|[A-Za-z][A-Za-z0-9]{0,31});"
)
_NAMED = html.entities.html5
_UNSAFE = re.compile(r"[A-Za-z0-9#;\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
"""Decoded characters that could form a new reference with the text around them, or that are
not text: such a reference is kept as written, so one pass decodes all there is to decode."""


def _reference(ref: str) -> str | None:
    if ref.startswith("#"):
        try:
            code = int(ref[2:], 16) if ref[1:2] in "xX" else int(ref[1:])
            return chr(code) if 0 < code <= 0x10FFFF else None
        except ValueError:
            return None
    return _NAMED.get(ref + ";")


def _decode_entity(match: re.Match[str]) -> str:
    ref = match["ref"]
    decoded = _reference(ref)
    if decoded is None or _UNSAFE.search(decoded):
        # keep the reference; an escaped-ampersand chain before it still collapses to one "&"
        return f"&{ref};"
    return decoded


_LOST_AMPERSAND = re.compile(
    r"(?<!&)(?:ldquo|rdquo|lsquo|rsquo|bdquo|sbquo|laquo|raquo|quot|nbsp|mdash|ndash|hellip);"
)


def restore_lost_ampersands(text: str) -> str:
    """``ldquo;`` -> ``&ldquo;``: entity names that lost their ampersand, so they decode."""
    return _LOST_AMPERSAND.sub(lambda m: "&" + m.group(), text) if ";" in text else text


def decode_entities(text: str) -> str:
    """HTML character references decoded, however many times the ampersand was escaped."""
    return _ENTITY.sub(_decode_entity, text) if "&" in text else text


# ---- spaces and invisible characters ------------------------------------------------------

_SPACES = dict.fromkeys(map(ord, "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
                                  "\u2007\u2008\u2009\u200a\u202f\u205f\u3000"), " ")  # fmt: skip
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u180e\u200b\u200e\u200f\u2060\ufeff"))
_JOINERS = re.compile("[\u200c\u200d]+")


def _joiner(match: re.Match[str]) -> str:
    text, start, end = match.string, match.start(), match.end()
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    keep = not (before.isascii() or after.isascii() or before.isspace() or after.isspace())
    return match.group() if keep else ""


def _spaces(text: str) -> str:
    text = text.translate(_SPACES).translate(_INVISIBLE)
    return _JOINERS.sub(_joiner, text) if "\u200c" in text or "\u200d" in text else text


# ---- quotes ---------------------------------------------------------------------------------

_DOUBLED = {"''": '"', "``": '"', "\u2019\u2019": "\u201d", "\u2018\u2018": "\u201c"}
_DOUBLED_RE = re.compile("|".join(map(re.escape, _DOUBLED)))


def _quotes(text: str) -> str:
    return _DOUBLED_RE.sub(lambda m: _DOUBLED[m.group()], text)


# ---- sentences glued together ---------------------------------------------------------------

_STOP = re.compile(r"[.!?](?=[^\W\d_][^\W\d_])")
_LINKISH = re.compile(r"\S*(?:://|www\.|@)\S*", re.IGNORECASE)
_GLUE_BEFORE = frozenset(".!?:/@&#=_~%+\\")
"""A word right after one of these is part of a name, path or number, not a sentence (unless
it is a mark this pass gave a space)."""


def _ends_sentence(word: str) -> bool:
    return (len(word) >= 2 and word[-1].islower() and word[-2].islower()) or (
        word.isascii() and word.isdigit()
    )


def space_sentences(text: str) -> str:
    """A space after a sentence's last mark when the next sentence is glued on."""
    if not _STOP.search(text):
        return text
    links = [(m.start(), m.end()) for m in _LINKISH.finditer(text)]
    starts = [s for s, _ in links]
    fixed: set[int] = set()
    out: list[str] = []
    last = 0
    for match in _STOP.finditer(text):
        mark = match.start()
        if not (text[mark + 1].isupper() and text[mark + 2].islower()):
            continue
        begin = mark
        while begin > 0 and text[begin - 1].isalnum():
            begin -= 1
        if not _ends_sentence(text[begin:mark]):
            continue
        before = text[begin - 1] if begin else " "
        if before in _GLUE_BEFORE and begin - 1 not in fixed:
            continue
        at = bisect.bisect_right(starts, mark) - 1
        if at >= 0 and links[at][0] <= mark < links[at][1]:
            continue
        fixed.add(mark)
        out.append(text[last : mark + 1])
        out.append(" ")
        last = mark + 1
    out.append(text[last:])
    return "".join(out)


# ---- the whole ------------------------------------------------------------------------------

_STEPS: tuple[Callable[[str], str], ...] = (
    restore_lost_ampersands,
    decode_entities,
    lambda text: ftfy.fix_text(text, _FTFY),
    _spaces,
    lambda text: unicodedata.normalize("NFC", text),
    _quotes,
    space_sentences,
)
_PASSES = 3
_log = logging.getLogger(__name__)


def normalise_text(text: str) -> str:
    """Web text repaired as the module says; deterministic and idempotent, never raises.

    The steps are run again while a pass still changes something (a repair can reveal
    another: an entity that decodes to mojibake), at most three passes; any failure of a
    step leaves the text as that step received it.
    """
    for _ in range(_PASSES):
        before = text
        for step in _STEPS:
            try:
                text = step(text)
            except Exception as exc:  # a library's bug must not cost the article
                _log.warning("text normalisation step failed, skipped: %r", exc)
        if text == before:
            break
    return text

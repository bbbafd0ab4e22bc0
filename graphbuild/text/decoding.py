"""Bytes -> text: UTF-8, UTF-16 or UTF-32 with a byte-order mark, or a page's declared charset.

Nothing is guessed into the text: a file is read in an encoding only when the file itself says
which (a byte-order mark, an HTML ``<meta charset>``). Anything else that is not UTF-8 is
rejected with what it looks like (UTF-16 without a byte-order mark, or the encoding
charset-normalizer finds most likely) and how to convert it.
"""

from __future__ import annotations

import codecs
import re

from graphbuild.errors import ArticleError

_BOMS = (  # UTF-32 first: its little-endian mark begins with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)
_GUESS_SAMPLE = 64 * 1024
_MIN_COHERENCE = 0.2
"""charset-normalizer's language coherence below which its guess is not worth showing."""

_META_CHARSET = re.compile(
    rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]{1,40})", re.IGNORECASE
)
_WHATWG_ALIASES = {  # labels a browser reads as windows-1252 (WHATWG Encoding Standard)
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "windows-1252": "cp1252",
}


def byte_order_mark(data: bytes) -> tuple[str, str] | None:
    """The codec and name of the Unicode encoding whose byte-order mark ``data`` starts with."""
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            return codec, name
    return None


def utf16_without_bom(data: bytes) -> str | None:
    """``"UTF-16-LE"`` or ``"UTF-16-BE"`` when ``data`` looks like BOM-less UTF-16 text.

    In UTF-16 text, spaces, digits, punctuation and Latin letters have a zero high byte, so
    zero bytes are frequent and all on one parity; in binary data they fall anywhere. The
    decoded text must also be printable.
    """
    sample = data[:4096]
    sample = sample[: len(sample) // 2 * 2]
    units = len(sample) // 2
    if units < 8:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    for zeros, others, name, codec in ((odd, even, "UTF-16-LE", "utf-16-le"),
                                       (even, odd, "UTF-16-BE", "utf-16-be")):  # fmt: skip
        if zeros < units * 0.1 or others > zeros * 0.05:
            continue
        try:
            text = sample.decode(codec)
        except UnicodeDecodeError:
            continue
        printable = sum(c.isprintable() or c.isspace() for c in text)
        if printable >= len(text) * 0.95:
            return name
    return None


def declared_charset(html: bytes) -> str | None:
    """The codec an HTML page declares in its first ``<meta … charset=…>``, if Python has it."""
    match = _META_CHARSET.search(html[:4096])
    if match is None:
        return None
    label = match.group(1).decode("ascii").lower()
    label = _WHATWG_ALIASES.get(label, label)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    # a page that says UTF-16 in its own bytes cannot be UTF-16 (WHATWG: read it as UTF-8)
    return None if name.startswith(("utf-16", "utf-32")) else name


def decode_text(data: bytes, where: str, *, base: int = 0, declared: str | None = None) -> str:
    """The text of ``data``, or an ``ArticleError`` naming what is wrong and at which offset.

    ``base`` is added to the offsets reported (a line's place in its file); ``declared`` is
    the encoding the content declares for itself (an HTML page's charset), used when the bytes
    are not UTF-8.
    """
    marked = byte_order_mark(data)
    if marked is not None and marked[1] != "UTF-8":
        codec, name = marked
        text = _strict(data, codec, name, where, base)
        _no_nul(text, where)
        return text.removeprefix("\ufeff")
    nul = data.find(b"\x00")
    if nul >= 0:
        wide = utf16_without_bom(data)
        if wide is not None:
            raise ArticleError(
                f"the file is {wide} text without a byte-order mark",
                where=where,
                hint="save it as UTF-8 (or as UTF-16 with a byte-order mark)",
            )
        raise ArticleError(f"binary file: NUL byte at offset {base + nul}", where=where)
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        if declared is not None and declared != "utf-8":
            return _strict(data, declared, declared, where, base)
        bad = data[exc.start : exc.start + 1].hex()
        guess = likely_encoding(data)
        looks = f" (it looks like {guess} text)" if guess else ""
        convert = f"iconv -f {guess or 'ENCODING'} -t UTF-8"
        raise ArticleError(
            f"not valid UTF-8: byte 0x{bad} at offset {base + exc.start}{looks}",
            where=where,
            hint=f"save the file as UTF-8 text (e.g. `{convert} FILE`)",
        ) from None


def likely_encoding(data: bytes) -> str | None:
    """charset-normalizer's most likely encoding of ``data``, when it finds a language in it."""
    from charset_normalizer import from_bytes

    best = from_bytes(data[:_GUESS_SAMPLE]).best()
    if best is None or best.coherence < _MIN_COHERENCE or best.encoding.startswith("utf"):
        return None
    return str(best.encoding)


def _strict(data: bytes, codec: str, name: str, where: str, base: int) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise ArticleError(
            f"not valid {name}: bytes {data[exc.start : exc.end].hex()} at offset "
            f"{base + exc.start}",
            where=where,
            hint="save the file as UTF-8 text",
        ) from None


def _no_nul(text: str, where: str) -> None:
    nul = text.find("\x00")
    if nul >= 0:
        raise ArticleError(f"binary content: NUL character at character {nul}", where=where)


def as_utf8(data: bytes) -> bytes:
    """A UTF-16 or UTF-32 file with a byte-order mark as UTF-8 bytes; anything else unchanged.

    For files read line by line (JSON Lines), which must be split after decoding.
    """
    marked = byte_order_mark(data)
    if marked is None or marked[0] == "utf-8-sig":
        return data
    try:
        return data.decode(marked[0]).removeprefix("\ufeff").encode("utf-8")
    except UnicodeDecodeError:
        return data  # each line is then rejected with the offset of its bad bytes

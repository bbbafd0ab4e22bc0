"""Ingest: files and folders -> articles (``ArticleInfo``) or the reason each was rejected.

A folder or a list of files; every ``.txt`` or ``.html`` file is one article whose id is the
file stem, with optional metadata in ``<stem>.json`` beside it; a ``.jsonl`` file holds one
article per line. Other files (gold and curated annotation files, notes, sidecars) are
skipped. A file that cannot become an article is yielded as an ``ArticleError`` naming the
file (and line) and the reason, never raised, so one bad file never stops a corpus.

Bytes become text in :mod:`graphbuild.text.decoding` (UTF-8, or UTF-16/32 with a byte-order
mark, or an HTML page's declared charset), an HTML page's main text is taken by
:mod:`graphbuild.text.html`, and every text is then normalised by
:mod:`graphbuild.text.normalise` (mojibake, glued sentences, odd spaces, entities, line
endings) before anything counts an offset into it: the stored ``schema:text`` and every
evidence offset refer to the normalised text, and ``ArticleInfo.normaliser`` says which
normalisation ran.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphbuild.annotations import ArticleInfo
from graphbuild.errors import ArticleError
from graphbuild.text.decoding import as_utf8, declared_charset, decode_text
from graphbuild.text.html import html_to_text
from graphbuild.text.normalise import NORMALISER, normalise_text

Article = ArticleInfo
"""The article type of the pipeline: the ``ArticleInfo`` of the Annotations IR."""

ARTICLE_SUFFIXES = (".txt", ".html", ".htm")
JSONL_SUFFIX = ".jsonl"
METADATA_KEYS = ("title", "published", "url", "source", "language")
JSONL_KEYS = ("id", "text", *METADATA_KEYS)
SAFE_ID = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._-]*$")
_IGNORED_SUFFIXES = (".gold.json", ".annotations.json")

Item = Path | tuple[Path, int]


@dataclass(frozen=True)
class SourcedArticle:
    """An article and where it came from: ``source`` is ``path`` or ``path:line``."""

    info: ArticleInfo
    source: str
    curated_path: Path | None = None


def curated_annotations_path(article_path: Path) -> Path:
    """Where a researcher's corrections for this article live: ``<stem>.annotations.json``."""
    return article_path.with_name(f"{article_path.stem}.annotations.json")


def _is_article_file(path: Path) -> bool:
    name = path.name.lower()
    if name.startswith(".") or any(name.endswith(s) for s in _IGNORED_SUFFIXES):
        return False
    return path.suffix.lower() in (*ARTICLE_SUFFIXES, JSONL_SUFFIX)


def _walk(paths: Sequence[Path]) -> Iterator[Item | ArticleError]:
    """Article files and jsonl lines in a stable order, or an error for a missing path."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            candidates = sorted(
                p
                for p in path.rglob("*")
                if not any(part.startswith(".") for part in p.relative_to(path).parts)
                and not p.is_dir()
            )
        elif path.exists() or path.is_symlink():
            candidates = [path]
        else:
            yield ArticleError(
                "no such file or folder",
                where=str(path),
                hint="give article files (.txt, .html, .jsonl) or folders holding them",
            )
            continue
        for candidate in candidates:
            if not _is_article_file(candidate):
                continue
            if candidate.suffix.lower() != JSONL_SUFFIX:
                yield candidate
                continue
            try:
                data = as_utf8(candidate.read_bytes())
            except OSError as exc:
                yield ArticleError(f"cannot read: {exc.strerror}", where=str(candidate))
                continue
            for number, line in enumerate(data.split(b"\n"), start=1):
                if line.strip():
                    yield (candidate, number)


def not_articles(paths: Sequence[Path]) -> list[Path]:
    """Files under ``paths`` that no build reads: neither an article nor one's companion.

    Companions (an article's ``.json`` sidecar, ``.annotations.json`` and ``.gold.json``
    files) and hidden files are not listed; everything else that is not ``.txt``, ``.html``,
    ``.htm`` or ``.jsonl`` is, so a build can warn about a file it was given but skips.
    """
    out: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            files = sorted(
                p
                for p in path.rglob("*")
                if not any(part.startswith(".") for part in p.relative_to(path).parts)
                and p.is_file()
            )
        elif path.is_file():
            files = [path]
        else:
            continue
        stems = {f.with_suffix("") for f in files if f.suffix.lower() in ARTICLE_SUFFIXES}
        for f in files:
            name = f.name.lower()
            if _is_article_file(f) or any(name.endswith(s) for s in _IGNORED_SUFFIXES):
                continue
            if f.suffix.lower() == ".json" and (f.with_suffix("") in stems or path.is_dir()):
                continue  # a sidecar, or metadata beside articles
            out.append(f)
    return out


def discover(paths: Sequence[Path]) -> list[Item]:
    """The article files (and ``(jsonl file, line)`` pairs) under the given paths, in order."""
    return [item for item in _walk(paths) if not isinstance(item, ArticleError)]


def read_articles(paths: Sequence[Path]) -> Iterator[SourcedArticle | ArticleError]:
    """Every article under ``paths``, or an ``ArticleError`` saying why one was rejected."""
    seen: dict[str, tuple[str, tuple[Path, int]]] = {}
    jsonl_lines: dict[Path, tuple[list[bytes], list[int]]] = {}
    for item in _walk(paths):
        if isinstance(item, ArticleError):
            yield item
            continue
        try:
            if isinstance(item, tuple):
                path, number = item
                if path not in jsonl_lines:
                    lines = as_utf8(path.read_bytes()).split(b"\n")
                    starts = [0]
                    for line in lines:
                        starts.append(starts[-1] + len(line) + 1)
                    jsonl_lines[path] = (lines, starts)
                lines, starts = jsonl_lines[path]
                article = _from_jsonl_line(path, number, lines[number - 1], starts[number - 1])
            else:
                article = _from_file(item)
        except ArticleError as exc:
            yield exc
            continue
        except OSError as exc:
            where = f"{item[0]}:{item[1]}" if isinstance(item, tuple) else str(item)
            yield ArticleError(f"cannot read: {exc.strerror or exc}", where=where)
            continue
        origin = _origin(item)
        first = seen.get(article.info.id)
        if first is not None:
            if first[1] != origin:  # the same file named twice is read once, silently
                yield ArticleError(
                    f"duplicate article id '{article.info.id}' (already read from {first[0]})",
                    where=article.source,
                    hint="article ids must be unique; rename one of the files or jsonl ids",
                )
            continue
        seen[article.info.id] = (article.source, origin)
        yield article


def _origin(item: Item) -> tuple[Path, int]:
    path, line = item if isinstance(item, tuple) else (item, 0)
    return path.resolve(), line


# ---- single files ---------------------------------------------------------------------------


def _from_file(path: Path) -> SourcedArticle:
    where = str(path)
    article_id = _checked_id(path.stem, where)
    data = path.read_bytes()
    title = None
    if path.suffix.lower() in (".html", ".htm"):
        html = _decode(data, where, declared=declared_charset(data))
        text, title = html_to_text(html, where)
    else:
        text = _decode(data, where)
    text = normalise_text(text)
    if not text.strip():
        raise ArticleError("empty article (no text)", where=where)
    metadata = _sidecar(path)
    if title and not metadata.get("title"):
        metadata["title"] = title
    info = _info(article_id, text, metadata, str(path.with_suffix(".json")))
    return SourcedArticle(info, where, curated_annotations_path(path))


def _sidecar(path: Path) -> dict[str, Any]:
    meta_path = path.with_suffix(".json")
    if not meta_path.exists():
        return {}
    where = str(meta_path)
    raw = _decode(meta_path.read_bytes(), where)
    data = _parse_json(raw, where)
    if not isinstance(data, dict):
        raise ArticleError("metadata must be a JSON object", where=where)
    _check_keys(data, METADATA_KEYS, where)
    return data


def _from_jsonl_line(path: Path, number: int, line: bytes, offset: int) -> SourcedArticle:
    where = f"{path}:{number}"
    raw = _decode(line, where, base=offset)
    data = _parse_json(raw, where, one_line=True)
    if not isinstance(data, dict):
        raise ArticleError("each line must be a JSON object with 'id' and 'text'", where=where)
    _check_keys(data, JSONL_KEYS, where)
    for key in ("id", "text"):
        if not isinstance(data.get(key), str):
            raise ArticleError(f"'{key}' must be a string", where=where)
    article_id = _checked_id(data["id"], where)
    text = data["text"]
    if "\x00" in text:
        raise ArticleError(
            f"binary content: 'text' has a NUL character at offset {text.index(chr(0))}",
            where=where,
        )
    text = normalise_text(text)
    if not text.strip():
        raise ArticleError("empty article (no text)", where=where)
    metadata = {k: v for k, v in data.items() if k in METADATA_KEYS}
    info = _info(article_id, text, metadata, where)
    return SourcedArticle(info, where, path.with_name(f"{article_id}.annotations.json"))


# ---- checks ---------------------------------------------------------------------------------


def _decode(data: bytes, where: str, base: int = 0, declared: str | None = None) -> str:
    """The text without a byte-order mark, or a rejection naming what is wrong and where."""
    return decode_text(data, where, base=base, declared=declared)


def _parse_json(text: str, where: str, *, one_line: bool = False) -> Any:
    """The JSON value; an error names line and column (only the column for a .jsonl line,
    whose ``where`` already names the line)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        at = f"column {exc.colno}" if one_line else f"line {exc.lineno}, column {exc.colno}"
        raise ArticleError(f"not valid JSON at {at}: {exc.msg}", where=where) from None


def _check_keys(data: Mapping[str, Any], allowed: Sequence[str], where: str) -> None:
    for key in data:
        if key not in allowed:
            close = difflib.get_close_matches(str(key), list(allowed), n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"known keys: {', '.join(allowed)}"
            raise ArticleError(f"unknown metadata key '{key}'", where=where, hint=hint)


def _checked_id(article_id: str, where: str) -> str:
    if not SAFE_ID.match(article_id):
        safe = re.sub(r"[^A-Za-z0-9._-]+", "-", article_id).strip("-.") or "article"
        raise ArticleError(
            f"article id '{article_id}' is not safe in an IRI",
            where=where,
            hint=f"use only letters, digits, '-', '_' and '.', e.g. '{safe}'",
        )
    return article_id


def _info(article_id: str, text: str, meta: Mapping[str, Any], where: str) -> ArticleInfo:
    for key in ("title", "url", "source", "language"):
        value = meta.get(key)
        if value is not None and not isinstance(value, str):
            raise ArticleError(f"metadata '{key}' must be a string or null", where=where)
    published = meta.get("published")
    date = None
    if published is not None:
        if not isinstance(published, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", published):
            raise ArticleError(
                f"metadata 'published' must be a date YYYY-MM-DD or null, got {published!r}",
                where=where,
            )
        try:
            date = dt.date.fromisoformat(published)
        except ValueError as exc:
            raise ArticleError(
                f"metadata 'published' is not a calendar date: {published!r} ({exc})",
                where=where,
            ) from None
    title = meta.get("title")
    return ArticleInfo(
        id=article_id,
        text=text,
        title=normalise_text(title) if title else title,
        url=meta.get("url"),
        published=date,
        source=meta.get("source"),
        language=meta.get("language") or "en",
        normaliser=NORMALISER,
    )

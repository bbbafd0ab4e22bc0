"""Ingest: every accepted input form, and every rejection reason named with its file."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from graphbuild.errors import ArticleError
from graphbuild.ingest import (
    SourcedArticle,
    curated_annotations_path,
    discover,
    html_to_text,
    read_articles,
)

TEXT = "The two ministers met in Lisbon on Friday.\nThey signed a fisheries accord.\n"


def read(*paths: Path) -> tuple[list[SourcedArticle], list[ArticleError]]:
    good: list[SourcedArticle] = []
    bad: list[ArticleError] = []
    for item in read_articles(list(paths)):
        if isinstance(item, ArticleError):
            bad.append(item)
        else:
            good.append(item)
    return good, bad


def only_error(*paths: Path) -> ArticleError:
    good, bad = read(*paths)
    assert good == []
    assert len(bad) == 1, [str(b) for b in bad]
    return bad[0]


def test_txt_with_sidecar_metadata(tmp_path: Path) -> None:
    (tmp_path / "a-1.txt").write_text(TEXT, encoding="utf-8")
    meta = {
        "title": "Fisheries",
        "published": "2024-06-07",
        "url": "https://x.test/a",
        "source": "wire",
    }
    (tmp_path / "a-1.json").write_text(json.dumps(meta), encoding="utf-8")
    good, bad = read(tmp_path)
    assert bad == []
    (article,) = good
    assert article.info.id == "a-1"
    assert article.info.text == TEXT
    assert article.info.published == dt.date(2024, 6, 7)
    assert (article.info.title, article.info.url, article.info.source) == (
        "Fisheries",
        "https://x.test/a",
        "wire",
    )
    assert article.source == str(tmp_path / "a-1.txt")
    assert article.curated_path == tmp_path / "a-1.annotations.json"


def test_null_published_and_missing_sidecar(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "c.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "c.json").write_text('{"published": null}', encoding="utf-8")
    good, bad = read(tmp_path)
    assert bad == []
    assert [(a.info.id, a.info.published, a.info.title) for a in good] == [
        ("b", None, None),
        ("c", None, None),
    ]


def test_line_endings_normalised_text_otherwise_exact(tmp_path: Path) -> None:
    raw = "  Indented first line, \u201cquoted\u201d \u2013 dash.\r\nSecond\rThird  \n\n"
    (tmp_path / "crlf.txt").write_bytes(raw.encode("utf-8"))
    (article,), _ = read(tmp_path / "crlf.txt")
    assert (
        article.info.text
        == "  Indented first line, \u201cquoted\u201d \u2013 dash.\nSecond\nThird  \n\n"
    )


def test_byte_order_mark_is_not_text(tmp_path: Path) -> None:
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + TEXT.encode("utf-8"))
    (article,), _ = read(tmp_path / "bom.txt")
    assert article.info.text == TEXT


def test_other_files_are_ignored(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "x.gold.json").write_text("{}", encoding="utf-8")
    (tmp_path / "x.annotations.json").write_text("{}", encoding="utf-8")
    (tmp_path / "notes.md").write_text("# notes", encoding="utf-8")
    (tmp_path / "lonely.json").write_text("not json at all", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text(TEXT, encoding="utf-8")
    assert discover([tmp_path]) == [tmp_path / "x.txt"]
    good, bad = read(tmp_path)
    assert [a.info.id for a in good] == ["x"]
    assert bad == []


def test_folder_is_walked_in_sorted_order_including_subfolders(tmp_path: Path) -> None:
    (tmp_path / "2024").mkdir()
    for name in ("b.txt", "a.txt", "2024/c.txt"):
        (tmp_path / name).write_text(TEXT, encoding="utf-8")
    good, _ = read(tmp_path)
    assert [a.info.id for a in good] == ["c", "a", "b"]  # "2024/c.txt" sorts first


def test_jsonl_articles_with_metadata(tmp_path: Path) -> None:
    lines = [
        {"id": "j-1", "text": "First article.\r\nSecond line.", "published": "2023-01-31"},
        {"id": "j-2", "text": "Another one.", "title": "T", "url": None},
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n\n", encoding="utf-8")
    assert discover([path]) == [(path, 1), (path, 2)]
    good, bad = read(path)
    assert bad == []
    assert [(a.info.id, a.info.text, a.info.published, a.info.title) for a in good] == [
        ("j-1", "First article.\nSecond line.", dt.date(2023, 1, 31), None),
        ("j-2", "Another one.", None, "T"),
    ]
    assert [a.source for a in good] == [f"{path}:1", f"{path}:2"]
    assert good[1].curated_path == tmp_path / "j-2.annotations.json"


def test_jsonl_errors_name_the_line_and_spare_the_others(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(
        b'{"id": "ok-1", "text": "Fine."}\n'
        b'{"id": "broken", "text": \n'
        b'{"id": "x", "body": "wrong key"}\n'
        b'{"id": "e", "text": "   "}\n'
        b'{"id": "bad id!", "text": "Fine."}\n'
        b'{"id": "bin", "text": "\xff"}\n'
        b'{"id": "ok-2", "text": "Also fine."}\n'
    )
    good, bad = read(path)
    assert [a.info.id for a in good] == ["ok-1", "ok-2"]
    assert [b.where for b in bad] == [f"{path}:{n}" for n in (2, 3, 4, 5, 6)]
    # one line number only: the line of the file (in where), then the column in it
    assert bad[0].message.startswith("not valid JSON at column ")
    assert "line" not in bad[0].message
    assert "unknown metadata key 'body'" in bad[1].message
    assert "empty" in bad[2].message
    assert "not safe in an IRI" in bad[3].message
    # the offset of the bad byte is counted from the start of the file
    bad_byte = path.read_bytes().index(b"\xff")
    assert f"offset {bad_byte}" in bad[4].message


def test_jsonl_requires_id_and_text_strings(tmp_path: Path) -> None:
    path = tmp_path / "short.jsonl"
    path.write_text('{"id": "only-id"}\n[1, 2]\n', encoding="utf-8")
    good, bad = read(path)
    assert good == []
    assert "'text' must be a string" in bad[0].message
    assert "JSON object" in bad[1].message


def test_html_text_keeps_paragraphs_and_drops_scripts(tmp_path: Path) -> None:
    html = (
        "<html><head><title>Talks  in\nRiga</title><style>p {color: red}</style></head>"
        "<body><script>var x = 'not text';</script><h1>Ministers meet</h1>"
        "<p>The   ministers &amp; their aides\nmet in <b>Riga</b>.</p>"
        "<p>They spoke<br>at length.</p>"
        "</body></html>"
    )
    (tmp_path / "page.html").write_text(html, encoding="utf-8")
    (article,), bad = read(tmp_path)
    assert bad == []
    assert article.info.text == (
        "Ministers meet\nThe ministers & their aides met in Riga.\nThey spoke\nat length."
    )
    assert article.info.title == "Talks in Riga"


def test_html_sidecar_title_wins_over_page_title(tmp_path: Path) -> None:
    (tmp_path / "p.html").write_text("<title>Page</title><p>Body text.</p>", encoding="utf-8")
    (tmp_path / "p.json").write_text('{"title": "Sidecar"}', encoding="utf-8")
    (article,), _ = read(tmp_path)
    assert article.info.title == "Sidecar"
    assert html_to_text("<p>a</p><p>b</p>") == ("a\nb", None)


@pytest.mark.parametrize("content", [b"", b"  \n\t\r\n"])
def test_empty_article_rejected(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "empty.txt").write_bytes(content)
    error = only_error(tmp_path)
    assert error.where == str(tmp_path / "empty.txt")
    assert "empty" in error.message


def test_html_without_visible_text_is_empty(tmp_path: Path) -> None:
    (tmp_path / "blank.html").write_text("<script>only()</script>", encoding="utf-8")
    assert "empty" in only_error(tmp_path).message


def test_binary_nul_byte_rejected_with_offset(tmp_path: Path) -> None:
    (tmp_path / "bin.txt").write_bytes(b"abc\x00def")
    error = only_error(tmp_path)
    assert "NUL byte at offset 3" in error.message


def test_invalid_utf8_rejected_with_offset(tmp_path: Path) -> None:
    (tmp_path / "latin1.txt").write_bytes("Caf\u00e9 talks".encode("latin-1"))
    error = only_error(tmp_path)
    assert "not valid UTF-8: byte 0xe9 at offset 3" in error.message
    assert error.hint is not None


def test_unreadable_file_rejected(tmp_path: Path) -> None:
    (tmp_path / "gone.txt").symlink_to(tmp_path / "missing-target.txt")
    error = only_error(tmp_path)
    assert error.where == str(tmp_path / "gone.txt")
    assert error.message.startswith("cannot read")


def test_permission_error_rejected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "locked.txt"
    path.write_text(TEXT, encoding="utf-8")
    real = Path.read_bytes

    def refuse(self: Path) -> bytes:
        if self == path:
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    assert only_error(path).message == "cannot read: Permission denied"


def test_missing_path_rejected(tmp_path: Path) -> None:
    error = only_error(tmp_path / "nope")
    assert error.message == "no such file or folder"


def test_bad_metadata_json_names_line_and_column(tmp_path: Path) -> None:
    (tmp_path / "m.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "m.json").write_text('{\n  "title": "x",\n  "published": \n}', encoding="utf-8")
    error = only_error(tmp_path)
    assert error.where == str(tmp_path / "m.json")
    assert "not valid JSON at line 4, column 1" in error.message


def test_unknown_metadata_key_is_named(tmp_path: Path) -> None:
    (tmp_path / "k.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "k.json").write_text('{"titel": "typo"}', encoding="utf-8")
    error = only_error(tmp_path)
    assert "unknown metadata key 'titel'" in error.message
    assert error.hint == "did you mean 'title'?"


def test_metadata_must_be_an_object(tmp_path: Path) -> None:
    (tmp_path / "o.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "o.json").write_text('["title"]', encoding="utf-8")
    assert "JSON object" in only_error(tmp_path).message


@pytest.mark.parametrize("value", ["27/02/2023", "2023-02-30", "2023-2-3", 20230227])
def test_bad_date_rejected(tmp_path: Path, value: object) -> None:
    (tmp_path / "d.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "d.json").write_text(json.dumps({"published": value}), encoding="utf-8")
    error = only_error(tmp_path)
    assert "'published'" in error.message
    assert repr(value) in error.message


def test_non_string_metadata_rejected(tmp_path: Path) -> None:
    (tmp_path / "n.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "n.json").write_text('{"title": 42}', encoding="utf-8")
    assert "'title' must be a string" in only_error(tmp_path).message


def test_unsafe_id_rejected_with_a_suggestion(tmp_path: Path) -> None:
    (tmp_path / "talks in riga.txt").write_text(TEXT, encoding="utf-8")
    error = only_error(tmp_path)
    assert "not safe in an IRI" in error.message
    assert error.hint is not None and "'talks-in-riga'" in error.hint


def test_duplicate_ids_rejected_but_same_file_twice_is_read_once(tmp_path: Path) -> None:
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    (tmp_path / "one" / "same.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "two" / "same.txt").write_text(TEXT, encoding="utf-8")
    good, bad = read(tmp_path / "one", tmp_path / "one" / "same.txt", tmp_path / "two")
    assert [a.source for a in good] == [str(tmp_path / "one" / "same.txt")]
    assert len(bad) == 1 and "duplicate article id 'same'" in bad[0].message


def test_one_bad_file_does_not_stop_the_others(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"\x00\x01")
    (tmp_path / "c.txt").write_text(TEXT, encoding="utf-8")
    good, bad = read(tmp_path)
    assert [a.info.id for a in good] == ["a", "c"]
    assert [b.where for b in bad] == [str(tmp_path / "b.txt")]


def test_curated_annotations_path() -> None:
    assert curated_annotations_path(Path("/x/art-1.html")) == Path("/x/art-1.annotations.json")


# ---- issue 17, finding 9: what web pages and editors really produce --------------------------


def test_html_unclosed_title_does_not_swallow_the_article(tmp_path: Path) -> None:
    html = (
        "<html><head><title>Talks in Riga\n<meta charset='utf-8'></head>"
        "<body><p>The two ministers met in Riga on Friday.</p>"
        "<p>They signed a fisheries accord.</p></body></html>"
    )
    (tmp_path / "open-title.html").write_text(html, encoding="utf-8")
    (article,), bad = read(tmp_path)
    assert bad == []
    assert article.info.text == (
        "The two ministers met in Riga on Friday.\nThey signed a fisheries accord."
    )
    assert article.info.title == "Talks in Riga"


NEWS_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Lavrov meets Wang | Daily Planet</title>
<script>window.dataLayer = [];</script></head>
<body>
<header><a href="/">Daily Planet</a>
<nav><ul><li><a href="/world">World</a></li><li><a href="/sport">Sport</a></li>
<li><a href="/culture">Culture</a></li></ul></nav></header>
<main><article>
<h1>Lavrov meets Wang in Beijing</h1>
<p>Russian Foreign Minister Sergey Lavrov met Chinese Foreign Minister Wang Yi in
<a href="/tag/beijing">Beijing</a> on Monday, the ministry said in a statement.</p>
<p>&ldquo;We discussed the situation in the region,&rdquo; Lavrov told reporters after the
talks, which lasted more than three hours and covered trade, energy and security.</p>
<p>The two ministers also agreed to meet again in Moscow in the autumn, when a new round of
consultations between the foreign ministries is due to begin.</p>
</article></main>
<aside><h3>Most read</h3><ul><li><a href="/x">Celebrity chef opens a restaurant</a></li>
<li><a href="/y">Late goal settles the derby</a></li></ul></aside>
<footer><p>Copyright 2024 Daily Planet. All rights reserved.</p>
<p><a href="/cookies">Cookie policy</a> | <a href="/privacy">Privacy</a></p></footer>
</body></html>
"""


def test_html_news_page_keeps_the_article_and_drops_the_page_furniture(tmp_path: Path) -> None:
    (tmp_path / "planet.html").write_text(NEWS_PAGE, encoding="utf-8")
    (article,), bad = read(tmp_path)
    assert bad == []
    text = article.info.text
    assert "Sergey Lavrov met Chinese Foreign Minister Wang Yi in Beijing on Monday" in text
    assert "\u201cWe discussed the situation in the region,\u201d Lavrov told" in text
    assert "agreed to meet again in Moscow" in text
    for furniture in ("Most read", "Celebrity chef", "Cookie policy", "All rights", "Sport"):
        assert furniture not in text
    assert article.info.title == "Lavrov meets Wang | Daily Planet"


def test_html_declared_charset_is_honoured(tmp_path: Path) -> None:
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
        "<title>Caf\u00e9</title></head><body><p>The minister said \u201cwe agreed\u201d in "
        "Z\u00fcrich.</p></body></html>"
    )
    (tmp_path / "w1252.html").write_bytes(html.encode("cp1252"))
    (article,), bad = read(tmp_path)
    assert bad == []
    assert article.info.text == "The minister said \u201cwe agreed\u201d in Z\u00fcrich."
    assert article.info.title == "Caf\u00e9"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_text_with_a_utf16_or_utf32_byte_order_mark_is_read(tmp_path: Path, codec: str) -> None:
    bom = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}.get(codec, b"")
    (tmp_path / "wide.txt").write_bytes(bom + TEXT.encode(codec))
    (article,), bad = read(tmp_path)
    assert bad == []
    assert article.info.text == TEXT


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_byte_order_mark_is_named(tmp_path: Path, codec: str) -> None:
    (tmp_path / "wide.txt").write_bytes(TEXT.encode(codec))
    error = only_error(tmp_path)
    assert error.where == str(tmp_path / "wide.txt")
    assert "UTF-16" in error.message and "NUL" not in error.message
    assert error.hint is not None and "UTF-8" in error.hint


def test_jsonl_with_a_utf16_byte_order_mark_is_read(tmp_path: Path) -> None:
    lines = '{"id": "w-1", "text": "First."}\n{"id": "w-2", "text": "Second."}\n'
    path = tmp_path / "wide.jsonl"
    path.write_bytes(lines.encode("utf-16"))
    good, bad = read(path)
    assert bad == []
    assert [(a.info.id, a.info.text, a.source) for a in good] == [
        ("w-1", "First.", f"{path}:1"),
        ("w-2", "Second.", f"{path}:2"),
    ]


def test_non_utf8_text_names_a_likely_encoding(tmp_path: Path) -> None:
    text = (
        "\u041c\u0438\u043d\u0438\u0441\u0442\u0440 \u0438\u043d\u043e\u0441\u0442\u0440"
        "\u0430\u043d\u043d\u044b\u0445 \u0434\u0435\u043b \u0420\u043e\u0441\u0441\u0438"
        "\u0438 \u0432\u0441\u0442\u0440\u0435\u0442\u0438\u043b\u0441\u044f \u0441 "
        "\u043a\u043e\u043b\u043b\u0435\u0433\u043e\u0439 \u0432 \u041c\u043e\u0441\u043a"
        "\u0432\u0435."
    )
    (tmp_path / "ru.txt").write_bytes(text.encode("cp1251"))
    error = only_error(tmp_path)
    assert "not valid UTF-8" in error.message
    assert "cp1251" in error.message
    assert error.hint is not None and "iconv" in error.hint


def test_html_nested_past_the_parsers_depth_is_rejected_not_cut(tmp_path: Path) -> None:
    html = "<div>" * 3000 + "<p>The text at the bottom.</p>" + "</div>" * 3000
    (tmp_path / "deep.html").write_text(html, encoding="utf-8")
    error = only_error(tmp_path)
    assert error.where == str(tmp_path / "deep.html")
    assert "HTML parser stops" in error.message

"""HTML page -> its article's text (one paragraph a line) and its ``<title>``.

The page is parsed by lxml's HTML parser (libxml2, which recovers from broken markup the way
browsers do) and its main text is found by trafilatura, which drops navigation, headers,
footers, "most read" boxes and cookie notices. Pages whose visible text is too short for that
to be worth doing, or where trafilatura finds nothing, keep all their visible text.

One repair comes first: a ``<title>`` that is never closed makes a browser (and libxml2)
read the rest of the page as the title, so the title is closed where the first tag follows it.
"""

from __future__ import annotations

import copy
import logging
import re

import lxml.html
from lxml import etree

from graphbuild.errors import ArticleError

MIN_MAIN_TEXT = 250
"""Visible characters below which a page is kept whole (trafilatura's MIN_EXTRACTED_SIZE:
below it trafilatura falls back to a crude whole-page dump that splits sentences)."""

_BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "caption", "dd", "details",
        "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
        "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "html", "legend", "li", "main",
        "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th",
        "thead", "tr", "ul",
        # trafilatura's XML output
        "doc", "head", "item", "list", "quote", "row", "cell", "code",
    }
)  # fmt: skip
_BREAKS = frozenset({"br", "lb"})
_DROPPED = frozenset(
    {"script", "style", "noscript", "template", "svg", "head", "title", "iframe", "object"}
)
_TITLE_OPEN = re.compile(r"<title\b[^>]*>", re.IGNORECASE)
_TITLE_CLOSE = re.compile(r"</title\s*>", re.IGNORECASE)
_TAG_START = re.compile(r"<[A-Za-z!/]")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>")


def close_open_title(html: str) -> str:
    """The page with a ``</title>`` before the first tag inside an unclosed title."""
    opened = _TITLE_OPEN.search(html)
    if opened is None:
        return html
    closed = _TITLE_CLOSE.search(html, opened.end())
    inner_end = closed.start() if closed else len(html)
    tag = _TAG_START.search(html, opened.end(), inner_end)
    if tag is None:
        return html if closed else html + "</title>"
    return html[: tag.start()] + "</title>" + html[tag.start() :]


def html_to_text(html: str, where: str | None = None) -> tuple[str, str | None]:
    """The page's main text, a paragraph a line, and its ``<title>`` if it has one.

    A page nested deeper than libxml2 reads (2048 elements) is rejected rather than cut.
    """
    html = _XML_DECL.sub("", close_open_title(html), count=1)
    if not html.strip():
        return "", None
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, huge_tree=True)
    try:
        root = lxml.html.document_fromstring(html.encode("utf-8", "replace"), parser=parser)
    except (etree.ParserError, ValueError):  # nothing an HTML parser can read as a document
        return "", None
    for entry in parser.error_log:
        if entry.type_name == "ERR_RESOURCE_LIMIT":
            reason = entry.message.split(",")[0].strip()
            raise ArticleError(
                f"the HTML parser stops at line {entry.line} ({reason}): the rest of the page "
                "would be lost",
                where=where,
                hint="nesting that deep is not an article page; save its text as .txt",
            )
    title = _title(root)
    visible = _render(root)
    if len(visible) < MIN_MAIN_TEXT:
        return visible, title
    try:
        main = _main_text(root)
    except RecursionError:  # a page nested deeper than trafilatura walks: keep it whole
        main = ""
    return (main or visible), title


def _title(root: lxml.html.HtmlElement) -> str | None:
    found = root.find(".//title")
    if found is None:
        return None
    return " ".join(found.text_content().split()) or None


def _main_text(root: lxml.html.HtmlElement) -> str:
    """trafilatura's main text of the page, rendered a paragraph a line ("" if none)."""
    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.ERROR)  # its notes go to the root logger
    xml = trafilatura.extract(
        copy.deepcopy(root),  # trafilatura prunes the tree it is given
        output_format="xml",
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        include_formatting=False,
        deduplicate=False,
        with_metadata=False,
    )
    if not xml:
        return ""
    try:
        doc = etree.fromstring(xml.encode("utf-8"))
    except etree.XMLSyntaxError:
        return ""
    main = doc.find("main")
    return _render(main if main is not None else doc)


def _render(root: etree._Element) -> str:
    """Visible text: a line per block, inline elements joined, whitespace runs one space.

    Iterative, so a page nested thousands of elements deep costs no recursion.
    """
    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        line = " ".join("".join(current).split())
        if line:
            lines.append(line)
        current.clear()

    # ("open", element) renders the element; ("close", element) ends it and adds its tail
    todo: list[tuple[bool, etree._Element]] = [(True, root)]
    while todo:
        opening, element = todo.pop()
        tag = element.tag.rpartition("}")[2].lower() if isinstance(element.tag, str) else ""
        if not opening:
            if tag in _BLOCKS:
                flush()
            if element is not root and element.tail:
                current.append(element.tail)
            continue
        if tag in _DROPPED or not tag:  # comments and processing instructions too
            if element is not root and element.tail:
                current.append(element.tail)
            continue
        if tag in _BLOCKS or tag in _BREAKS:
            flush()
        if element.text:
            current.append(element.text)
        todo.append((False, element))
        todo.extend((True, child) for child in reversed(element))
    flush()
    return "\n".join(lines)

"""Pages for people: the YASGUI query UI, the who-met-whom network and the meetings timeline.

``register(app)`` mounts these; the linked-data blueprint (``server.linked_data``) uses
their helpers and is mounted beside them by the app factory. The query UI is at ``/``
(``GET /sparql`` without a query sends browsers there); it is pre-loaded with the example queries
shipped in ``data/queries`` and talks only to this server's ``/sparql``. The network and
timeline pages show the SPARQL they run (the filters in the page's URL are written into it),
and their scripts send exactly that text to ``/sparql``.

Every HTML page is served with a Content-Security-Policy that lets the browser load
scripts, styles, images and data from this server only: the front-end libraries are
vendored under ``server/static/vendor`` (see ``tools/vendor-assets.mjs``), never fetched
from a CDN, and YASGUI's third-party lookups (prefix.cc, Linked Open Vocabularies) are off.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox
from flask import Blueprint, Flask, Response, current_app, json, render_template, request, url_for

from graphbuild.rdf.formats import negotiate
from graphbuild.resources import queries_dir
from server.errors import ApiError, error_body, error_response
from server.pictures import (
    Filters,
    affiliations_query,
    network_query,
    parse_filters,
    timeline_query,
)
from server.state import get_state

bp = Blueprint("pages", __name__)

EXTENSION = "diplograph.pages"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'self'; frame-ancestors 'self'"
)

T = TypeVar("T")


@dataclass(frozen=True)
class ExampleQuery:
    """One shipped example: file name, the title from its first comment line, the text."""

    name: str
    title: str
    query: str

    @property
    def tab_name(self) -> str:
        """A short tab label from the file name (``01-who-met-whom`` -> ``Who met whom``)."""
        words = self.name.split("-")
        if words and words[0].isdigit():
            words = words[1:]
        text = " ".join(words) or self.name
        return text[:1].upper() + text[1:]


def load_examples(directory: Path) -> list[ExampleQuery]:
    """The ``*.rq`` files of ``directory`` in name order; none when it is missing."""
    if not directory.is_dir():
        return []
    out = []
    for path in sorted(directory.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        first = text.lstrip().splitlines()[0] if text.strip() else ""
        title = first.lstrip("#").strip() if first.startswith("#") else path.stem
        out.append(ExampleQuery(path.stem, title, text))
    return out


@dataclass
class PagesState:
    """What the pages keep for the app's lifetime: the examples and computed-once values."""

    examples: tuple[ExampleQuery, ...]
    lock: threading.Lock = field(default_factory=threading.Lock)
    cache: dict[tuple[str, str], object] = field(default_factory=dict)

    def cached(self, kind: str, key: str, compute: Callable[[], T]) -> T:
        """``compute()`` once per ``(kind, key)``; a new key (store version) replaces the old."""
        with self.lock:
            found = self.cache.get((kind, key))
            if found is None:
                for old in [k for k in self.cache if k[0] == kind]:
                    del self.cache[old]
                found = compute()
                self.cache[(kind, key)] = found
            return found  # type: ignore[return-value]


def register(app: Flask, examples_dir: Path | None = None) -> None:
    """Mount the pages on ``app`` (the linked-data blueprint, which uses their helpers, is
    registered beside them by the app factory)."""
    app.extensions[EXTENSION] = PagesState(
        tuple(load_examples(examples_dir if examples_dir is not None else queries_dir()))
    )
    app.register_blueprint(bp)
    app.context_processor(lambda: {"synthetic": synthetic_articles()})


SYNTHETIC_OUTLET = "synthetic"
"""How generated articles say what they are: their outlet (metadata ``source``) starts so
(``bench/demo.py`` writes them); every page of a store holding any says so."""
SYNTHETIC_QUERY = f"""PREFIX dg: <https://w3id.org/diplograph/ontology#>
SELECT (COUNT(DISTINCT ?a) AS ?synthetic) (SAMPLE(?all) AS ?articles) WHERE {{
  {{ SELECT (COUNT(DISTINCT ?x) AS ?all) WHERE {{ ?x a dg:Article }} }}
  OPTIONAL {{ ?a a dg:Article ; dg:outlet ?o . FILTER(STRSTARTS(STR(?o), "{SYNTHETIC_OUTLET}")) }}
}}"""


@dataclass(frozen=True)
class SyntheticNotice:
    synthetic: int
    articles: int


def synthetic_articles() -> SyntheticNotice | None:
    """How many of the store's articles are generated ones (``None`` when there are none)."""
    try:
        store = get_state().store

        def count() -> SyntheticNotice:
            found = store.raw.query(SYNTHETIC_QUERY)
            row = next(iter(found), None) if isinstance(found, ox.QuerySolutions) else None
            values = [row[k] if row is not None else None for k in ("synthetic", "articles")]
            numbers = [int(v.value) if isinstance(v, ox.Literal) else 0 for v in values]
            return SyntheticNotice(*numbers)

        notice = pages_state().cached("synthetic", store.version().etag, count)
    except Exception:  # a notice must never break a page (an error page above all)
        return None
    return notice if notice.synthetic else None


def pages_state() -> PagesState:
    state: PagesState = current_app.extensions[EXTENSION]
    return state


# ---- shared by the page blueprints --------------------------------------------------------


def prefers_html() -> bool:
    """Whether the client would rather read HTML than JSON (a browser, not a script)."""
    choice = negotiate(request.headers.get("Accept"), ["application/json", "text/html"])
    return choice == "text/html"


def html_response(body: str, status: int = 200) -> Response:
    response = Response(body, status=status, mimetype="text/html")
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def page_error(error: ApiError) -> Response:
    """The project's error body: as JSON for programs, as a page (same fields) for people."""
    if not prefers_html():
        response = error_response(error)
    else:
        body = error_body(error.status, error.title, error.detail)
        response = html_response(
            render_template("error.html", error=error, payload=body, body=json.dumps(body)),
            error.status,
        )
        for name, value in error.headers.items():
            response.headers[name] = value
    response.vary.add("Accept")
    return response


bp.register_error_handler(ApiError, page_error)


def resource_root() -> str:
    """This server's path for ``{base}resource/`` (links to resource pages start with it)."""
    return f"{request.script_root}/resource/"


def _filters() -> Filters:
    try:
        return parse_filters(request.args, get_state().store.base)
    except ValueError as exc:
        raise ApiError(400, str(exc)) from None


def _page_config() -> dict[str, str]:
    """What every page script needs to know about this server, as data attributes."""
    return {
        "endpoint": url_for("sparql.sparql"),
        "base": get_state().store.base,
        "resource-root": resource_root(),
    }


# ---- the pages ------------------------------------------------------------------------


@bp.get("/")
def query_ui() -> Response:
    examples = pages_state().examples
    payload = [
        {"name": e.name, "title": e.title, "tab": e.tab_name, "query": e.query} for e in examples
    ]
    return html_response(
        render_template("query.html", examples=examples, payload=payload, config=_page_config())
    )


@bp.get("/network")
def network() -> Response:
    filters = _filters()
    return html_response(
        render_template(
            "network.html",
            filters=filters,
            edges_query=network_query(filters),
            affiliations_query=affiliations_query(),
            config=_page_config(),
        )
    )


@bp.get("/timeline")
def timeline() -> Response:
    filters = _filters()
    return html_response(
        render_template(
            "timeline.html",
            filters=filters,
            query=timeline_query(filters),
            config=_page_config(),
        )
    )

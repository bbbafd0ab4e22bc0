"""The pages in a real headless Chromium (Debian's ``/usr/bin/chromium``, driven by Playwright).

The seed article is built into a store with the real pipeline, served on a free port, and
each page is opened the way a researcher would; the network's layout is also checked on the
demo corpus (40 synthetic articles, 40+ invented people). Every request the browser makes is
recorded (and anything not aimed at the test server is aborted): no page may reach the
network. Screenshots go to ``test-output/screenshots/``.

Skipped, saying why, when Chromium or Playwright is missing; ``DIPLOGRAPH_CHROMIUM`` points
the tests at a Chromium other than ``/usr/bin/chromium``. Playwright never downloads one.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast
from urllib.parse import quote

import pytest
import requests
from rdflib.query import Result, ResultRow
from server_samples import LiveServer, running_server

from graphbuild.annotations import Entity, Role
from graphbuild.rdf.mapping import to_rdf
from graphbuild.rdf.reason import materialise, rules_from_ontology
from graphbuild.rdf.validate import load_ontology
from graphbuild.resources import default_articles_dir
from graphbuild.run.build import build_corpus
from graphbuild.settings import Settings
from graphbuild.store.embedded import GraphStore
from graphbuild.store.records import ArticleRecord

CHROMIUM = Path(os.environ.get("DIPLOGRAPH_CHROMIUM") or "/usr/bin/chromium")
"""The browser the tests drive; DIPLOGRAPH_CHROMIUM points them at one elsewhere."""
CROWD_ARTICLES = 80  # 68 people; five pairs of them meet twice
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-output" / "screenshots"
BASE = "https://w3id.org/diplograph/"

if not CHROMIUM.exists():
    pytest.skip(
        f"no Chromium at {CHROMIUM} (apt-get install chromium, or set DIPLOGRAPH_CHROMIUM to "
        "the chromium executable)",
        allow_module_level=True,
    )
sync_api = pytest.importorskip("playwright.sync_api")

HELD_MEETINGS = """
PREFIX dg: <https://w3id.org/diplograph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?meeting ?date ?person ?name WHERE {
  ?meeting a dg:Meeting ; dg:date ?date ; dg:participant ?person .
  MINUS { ?meeting a dg:ScheduledMeeting }
  ?person rdfs:label ?name .
}
"""
EVIDENCE = """
PREFIX dg: <https://w3id.org/diplograph/ontology#>
SELECT ?exact ?start ?end WHERE {
  ?m a dg:Meeting ; dg:evidence ?e .
  ?e dg:exact ?exact ; dg:start ?start ; dg:end ?end .
}
"""


def select(live: LiveServer, query: str) -> list[dict[str, str]]:
    r = requests.post(
        live.sparql,
        data={"query": query},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    assert r.status_code == 200, r.text
    result = Result.parse(io.BytesIO(r.content), format="json")
    return [
        {k: str(v) for k, v in cast(ResultRow, row).asdict().items() if v is not None}
        for row in result
    ]


@pytest.fixture(scope="session")
def seed_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The seed article built by the real pipeline, served on a free port."""
    store = tmp_path_factory.mktemp("browser") / "store"
    settings = Settings().replace(store=str(store), jobs=1)
    report = build_corpus([default_articles_dir() / "seed.txt"], settings, quiet=True)
    assert report.built == ["seed"], report.rejected
    with running_server(store, threads=4) as live:
        yield live


@pytest.fixture(scope="session")
def crowd_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The demo corpus (synthetic articles, 40+ invented people of a dozen states), mapped
    from what a perfect extractor reads in them (no NLP), served on a free port."""
    from bench.demo import demo_annotations

    store = tmp_path_factory.mktemp("crowd") / "store"
    ontology = load_ontology()
    rules = rules_from_ontology(ontology)
    with GraphStore.open(store) as gs:
        gs.load_ontology(ontology)
        for ann in demo_annotations(CROWD_ARTICLES):
            gs.replace_article(
                ann.article.id,
                materialise(to_rdf(ann), rules),
                ArticleRecord(ann.article.id, "digest", ann.extractor, f"{ann.article.id}.txt"),
            )
            first = ann
        # someone an article says acts for a second state (named by nobody else): drawn once
        person = next(e for e in first.entities if e.type == "Person")
        first.entities.append(Entity(id="x", type="Country", label="Aaland Second State"))
        first.roles.append(Role(holder=person.id, party="x", title="Envoy"))
        gs.replace_article(
            first.article.id,
            materialise(to_rdf(first), rules),
            ArticleRecord(first.article.id, "digest2", first.extractor, "x.txt"),
        )
    with running_server(store, threads=4) as live:
        yield live


@pytest.fixture(scope="session")
def seed_meeting(seed_site: LiveServer) -> tuple[str, dict[str, str]]:
    """A held meeting of the seed, found by query: its IRI and its participants (IRI: name)."""
    rows = select(seed_site, HELD_MEETINGS)
    assert rows, "the seed article yields at least one held meeting"
    meeting = sorted(rows, key=lambda r: (r["date"], r["meeting"]))[0]["meeting"]
    people = {r["person"]: r["name"] for r in rows if r["meeting"] == meeting}
    assert len(people) >= 2
    return meeting, people


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Visit:
    """A browser tab on the test server that records what the page asked for."""

    page: Any
    origin: str
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def goto(self, path: str) -> None:
        response = self.page.goto(self.origin + path, wait_until="networkidle")
        assert response is not None and response.status == 200, path

    def shot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def assert_stayed_home(self) -> None:
        assert self.requests, "the page made no requests at all"
        outside = [u for u in self.requests if not u.startswith(self.origin + "/")]
        assert outside == [] and self.blocked == []
        assert self.page.evaluate("window.__cspViolations") == []
        assert self.console_errors == []


@pytest.fixture
def visit(browser: Any, seed_site: LiveServer) -> Iterator[Visit]:
    with opened(browser, seed_site) as v:
        yield v


@pytest.fixture
def crowd_visit(browser: Any, crowd_site: LiveServer) -> Iterator[Visit]:
    with opened(browser, crowd_site) as v:
        yield v


@contextlib.contextmanager
def opened(browser: Any, site: LiveServer) -> Iterator[Visit]:
    """A fresh browser context on ``site`` that records (and keeps home) every request."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    v = Visit(page, site.url)

    def route(r: Any) -> None:
        url = r.request.url
        if url.startswith(("data:", "blob:", v.origin + "/")):
            r.continue_()
        else:
            v.blocked.append(url)
            r.abort()

    def on_request(request: Any) -> None:
        if not request.url.startswith(("data:", "blob:")):
            v.requests.append(request.url)

    def on_console(message: Any) -> None:
        if message.type == "error":
            v.console_errors.append(message.text)

    # what the page's Content-Security-Policy stopped never becomes a request: record it too
    context.add_init_script(
        "window.__cspViolations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " e => window.__cspViolations.push(e.blockedURI + ' ' + e.violatedDirective));"
    )
    context.route("**/*", route)
    page.on("request", on_request)
    page.on("console", on_console)
    page.on("pageerror", lambda exc: v.console_errors.append(str(exc)))
    try:
        yield v
    finally:
        context.close()


def local_path(iri: str) -> str:
    assert iri.startswith(BASE + "resource/")
    return "/resource/" + iri[len(BASE + "resource/") :]


# ---- the query UI -----------------------------------------------------------------------


def test_query_ui_runs_an_example_and_shows_rows(
    visit: Visit, seed_meeting: tuple[str, dict[str, str]]
) -> None:
    _, people = seed_meeting
    visit.goto("/")
    page = visit.page
    page.wait_for_selector(".yasgui .tabPanel.active .CodeMirror")
    page.click("a.example[data-name='01-who-met-whom']")
    active = ".yasgui .tabPanel.active"
    assert page.locator(".yasgui .tab.active").inner_text().strip().startswith("Who met whom")
    editor_text = page.evaluate("window.diplographYasgui.getTab().getQuery()")
    assert editor_text.startswith("# Who met whom")
    page.click(f"{active} .yasqe_queryButton")
    rows = page.locator(f"{active} .yasr table tbody tr")
    rows.first.wait_for(timeout=20_000)
    assert rows.count() >= 1
    table = page.locator(f"{active} .yasr table").inner_text()
    assert sum(name in table for name in people.values()) >= 2
    assert "1 result" in page.locator(f"{active} .yasr_response_chip").inner_text()
    visit.shot("query-ui")
    sparql = [u for u in visit.requests if u.startswith(visit.origin + "/sparql")]
    assert sparql, "the query went to this server's /sparql"
    visit.assert_stayed_home()


def test_query_ui_opens_a_shared_query_link(visit: Visit) -> None:
    query = "SELECT (COUNT(*) AS ?triples) WHERE { ?s ?p ?o }"
    visit.goto("/?query=" + quote(query))
    visit.page.wait_for_selector(".yasgui .tabPanel.active .CodeMirror")
    assert visit.page.evaluate("window.diplographYasgui.getTab().getQuery()") == query
    endpoint = visit.page.evaluate("window.diplographYasgui.getTab().getEndpoint()")
    assert endpoint == visit.origin + "/sparql"
    visit.assert_stayed_home()


def test_typing_with_autocompletion_asks_no_third_party(visit: Visit) -> None:
    """YASGUI's class and property completers would ask Linked Open Vocabularies."""
    visit.goto("/")
    page = visit.page
    page.wait_for_selector(".yasgui .tabPanel.active .CodeMirror")
    page.evaluate(
        "window.diplographYasgui.getTab().getYasqe()"
        ".setValue('PREFIX foaf: <http://xmlns.com/foaf/0.1/>\\n')"
    )
    page.click(".yasgui .tabPanel.active .CodeMirror-code")
    page.keyboard.press("Control+End")
    page.keyboard.type("SELECT * WHERE { ?s a foaf:Pers")
    page.keyboard.press("Control+Space")
    page.keyboard.type("on ; foaf:nam")
    page.keyboard.press("Control+Space")
    page.wait_for_timeout(1500)
    assert "foaf:Person ; foaf:nam" in page.evaluate("window.diplographYasgui.getTab().getQuery()")
    visit.assert_stayed_home()


# ---- resource pages ---------------------------------------------------------------------


def test_person_page_highlights_the_evidence(
    visit: Visit, seed_site: LiveServer, seed_meeting: tuple[str, dict[str, str]]
) -> None:
    _, people = seed_meeting
    person = sorted(people)[0]
    visit.goto(local_path(person))
    page = visit.page
    assert page.locator("h1").inner_text() == people[person]
    marks = page.locator(".events mark")
    assert marks.count() >= 1
    exact = {r["exact"] for r in select(seed_site, EVIDENCE)}
    assert marks.first.inner_text() in exact
    colour = marks.first.evaluate("m => getComputedStyle(m).backgroundColor")
    assert colour not in ("rgba(0, 0, 0, 0)", "transparent")
    assert marks.first.is_visible()
    visit.shot("person")
    # the evidence links to its span on the article page, which highlights the whole text
    link = page.locator(".events .source a").first
    href = link.get_attribute("href")
    assert href is not None and re.search(r"#ev-\d+-\d+$", href)
    link.click()
    page.wait_for_load_state("networkidle")
    anchor = href.rsplit("#", 1)[1]
    assert page.locator(f"#{anchor}").count() == 1
    assert page.locator(".article-text mark").count() >= 1
    visit.shot("article")
    visit.assert_stayed_home()


def test_ontology_page_renders(visit: Visit) -> None:
    visit.goto("/ontology")
    assert visit.page.locator("section.term").count() > 20
    assert visit.page.locator("#Meeting h3").inner_text().startswith("dg:Meeting")
    visit.shot("ontology")
    visit.assert_stayed_home()


def test_void_and_shapes_are_pages_for_browsers(visit: Visit) -> None:
    visit.goto("/.well-known/void")
    assert int(visit.page.locator("#void-documents").inner_text()) == 1
    visit.shot("void")
    visit.goto("/shapes")
    assert "sh:NodeShape" in visit.page.locator("#turtle").inner_text()
    visit.assert_stayed_home()


# ---- pictures ---------------------------------------------------------------------------


def test_network_page_draws_the_seed_meeting(
    visit: Visit, seed_meeting: tuple[str, dict[str, str]]
) -> None:
    _, people = seed_meeting
    visit.goto("/network")
    page = visit.page
    page.wait_for_selector("#network[data-ready='true']", timeout=20_000)
    nodes = page.evaluate("window.diplographNetwork.nodes('[kind = \"person\"]').map(n => n.id())")
    assert set(people) <= set(nodes)
    a, b = sorted(people)[:2]
    edge = page.evaluate(
        "([a, b]) => window.diplographNetwork.edges('[kind = \"met\"]')"
        ".filter(e => (e.source().id() === a && e.target().id() === b) ||"
        " (e.source().id() === b && e.target().id() === a)).length",
        [a, b],
    )
    assert edge == 1
    # the nodes are drawn inside the visible canvas
    box = page.locator("#network").bounding_box()
    assert box is not None
    positions = page.evaluate(
        "ids => ids.map(id => window.diplographNetwork.getElementById(id).renderedPosition())",
        sorted(people),
    )
    for pos in positions:
        assert 0 <= pos["x"] <= box["width"] and 0 <= pos["y"] <= box["height"]
    assert page.locator("#network canvas").count() >= 1
    table = page.locator("#network-table tbody").inner_text()
    assert all(name in table for name in people.values())
    shown = page.locator("#edges-query").inner_text()
    assert "?meeting a dg:Meeting" in shown and "ScheduledMeeting }" not in shown
    visit.shot("network")
    visit.assert_stayed_home()


def test_network_country_filter_narrows_the_picture(
    visit: Visit, seed_meeting: tuple[str, dict[str, str]]
) -> None:
    visit.goto("/network")
    page = visit.page
    page.wait_for_selector("#network[data-ready='true']", timeout=20_000)
    options = page.locator("#country-filter option:not([value=''])")
    assert options.count() >= 1
    country = options.first.get_attribute("value")
    page.select_option("#country-filter", country)
    page.click("form.filters button[type=submit]")
    page.wait_for_selector("#network[data-ready='true']", timeout=20_000)
    assert country is not None and country in page.locator("#edges-query").inner_text()
    assert page.locator("#country-filter").input_value() == country
    visit.assert_stayed_home()


def test_timeline_page_draws_every_meeting(
    visit: Visit, seed_site: LiveServer, seed_meeting: tuple[str, dict[str, str]]
) -> None:
    meeting, _ = seed_meeting
    visit.goto("/timeline")
    page = visit.page
    page.wait_for_selector("#timeline[data-ready='true']", timeout=20_000)
    expected = select(
        seed_site,
        "PREFIX dg: <https://w3id.org/diplograph/ontology#> SELECT DISTINCT ?m ?kind WHERE {"
        " VALUES ?kind { dg:Meeting dg:ScheduledMeeting } ?m a ?kind ; dg:date ?d }",
    )
    assert page.locator("circle.dot").count() == len(expected)
    held = [r for r in expected if r["kind"].endswith("#Meeting")]
    assert page.locator("circle.dot.held").count() == len(held) >= 1
    assert page.locator("circle.dot.scheduled").count() == len(expected) - len(held) >= 1
    hrefs = page.locator("#timeline-list a.when").evaluate_all("links => links.map(a => a.href)")
    assert any(h.endswith(local_path(meeting)) for h in hrefs)
    visit.shot("timeline")
    visit.assert_stayed_home()


# ---- the network on 40+ people ------------------------------------------------------------

NETWORK_BOXES = """() => {
  const cy = window.diplographNetwork;
  const box = (b) => ({x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2});
  const labels = cy.nodes().map(n => ({
    id: n.id(), kind: n.data("kind"),
    box: box(n.boundingBox({includeNodes: false, includeEdges: false, includeLabels: true,
                            includeOverlays: false})),
  }));
  const bodies = cy.nodes('[kind = "person"]').map(n => ({
    id: n.id(),
    box: box(n.boundingBox({includeLabels: false, includeEdges: false, includeOverlays: false})),
  }));
  return {labels, bodies};
}"""


def overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return a["x1"] < b["x2"] and b["x1"] < a["x2"] and a["y1"] < b["y2"] and b["y1"] < a["y2"]


def network_ready(visit: Visit, path: str = "/network") -> Any:
    visit.goto(path)
    visit.page.wait_for_selector("#network[data-ready='true']", timeout=30_000)
    return visit.page


def test_network_labels_overlap_no_label_and_no_node(crowd_visit: Visit) -> None:
    page = network_ready(crowd_visit)
    people = page.evaluate("window.diplographNetwork.nodes('[kind = \"person\"]').length")
    assert people >= 40
    boxes = page.evaluate(NETWORK_BOXES)
    labels, bodies = boxes["labels"], boxes["bodies"]
    assert len(labels) > people  # the people and the states they are grouped by
    clashes = [
        (a["id"], b["id"])
        for i, a in enumerate(labels)
        for b in labels[i + 1 :]
        if overlap(a["box"], b["box"])
    ]
    assert clashes == []
    covered = [
        (label["id"], body["id"])
        for label in labels
        for body in bodies
        if label["id"] != body["id"] and overlap(label["box"], body["box"])
    ]
    assert covered == []
    # labels are drawn at a readable size: the picture is not zoomed out to fit, the page
    # grows instead
    assert page.evaluate("window.diplographNetwork.zoom()") == 1
    assert page.locator("#network").bounding_box()["height"] > 900  # type: ignore[index]
    # every state box holds someone: a person's second state is not drawn empty
    empty = page.evaluate(
        "window.diplographNetwork.nodes('[kind = \"country\"]')"
        ".filter(n => n.children().length === 0).map(n => n.data('label'))"
    )
    assert empty == []
    crowd_visit.shot("network-demo")
    crowd_visit.assert_stayed_home()


def test_network_layout_is_the_same_on_every_load(crowd_visit: Visit) -> None:
    positions = "window.diplographNetwork.nodes().map(n => [n.id(), n.position()])"
    page = network_ready(crowd_visit)
    first = page.evaluate(positions)
    page = network_ready(crowd_visit)
    assert page.evaluate(positions) == first
    page.reload(wait_until="networkidle")
    page.wait_for_selector("#network[data-ready='true']", timeout=30_000)
    assert page.evaluate(positions) == first


def test_network_sizes_by_meetings_groups_by_state_and_dates_on_hover(
    crowd_visit: Visit,
) -> None:
    page = network_ready(crowd_visit)
    people = page.evaluate(
        "window.diplographNetwork.nodes('[kind = \"person\"]')"
        ".map(n => [n.data('count'), n.width(), n.parent().data('kind')])"
    )
    ordered = sorted((count, width) for count, width, _ in people)
    assert [w for _, w in ordered] == sorted(w for _, w in ordered)  # more meetings, larger
    assert ordered[0][1] < ordered[-1][1]
    assert {kind for _, _, kind in people} <= {"country", "nostate"}
    edges = page.evaluate(
        "window.diplographNetwork.edges().map(e => [e.data('count'), e.numericStyle('width'),"
        " e.style('label'), e.renderedMidpoint()])"
    )
    by_count = sorted((count, width) for count, width, _, _ in edges)
    assert [w for _, w in by_count] == sorted(w for _, w in by_count)
    assert by_count[0][0] < by_count[-1][0], "the demo has pairs that met more than once"
    assert by_count[0][1] < by_count[-1][1]
    assert all(not label for _, _, label, _ in edges)  # no dates drawn on the canvas
    assert page.locator("#network-tip").is_hidden()
    # point at the line of the pair that met most often (scrolled into the window first:
    # the picture is taller than the window)
    _, _, _, middle = max(edges, key=lambda e: e[0])
    top = page.evaluate("() => document.getElementById('network').getBoundingClientRect().top")
    page.evaluate(
        "y => window.scrollTo({top: y, behavior: 'instant'})",
        top + page.evaluate("scrollY") + middle["y"] - 400,
    )
    page.wait_for_function("() => Math.abs(window.scrollY - Math.round(window.scrollY)) < 1")
    page.wait_for_timeout(300)  # cytoscape reads the container's new place on scroll
    box = page.locator("#network").bounding_box()
    assert box is not None
    page.mouse.move(0, 0)
    page.mouse.move(box["x"] + middle["x"], box["y"] + middle["y"], steps=8)
    tip = page.locator("#network-tip")
    tip.wait_for(state="visible", timeout=5_000)
    hovered = page.evaluate(
        "window.diplographNetwork.edges('.hover').map(e => e.data('dates'))"
        ".concat(window.diplographNetwork.nodes('.hover').map(n => [n.data('label')]))"
    )
    assert hovered, "something under the pointer is highlighted"
    text = tip.inner_text()
    assert any(all(d in text for d in values) for values in hovered)
    assert re.search(r"\d{4}-\d\d-\d\d|meeting", text)
    crowd_visit.assert_stayed_home()


# ---- the query UI: row numbers, literals, errors --------------------------------------------


def run_in_query_ui(visit: Visit, query: str) -> Any:
    visit.goto("/")
    page = visit.page
    page.wait_for_selector(".yasgui .tabPanel.active .CodeMirror")
    page.evaluate("q => window.diplographYasgui.getTab().getYasqe().setValue(q)", query)
    page.click(".yasgui .tabPanel.active .yasqe_queryButton")
    return page


def test_query_ui_numbers_rows_apart_and_shows_literals_as_values(visit: Visit) -> None:
    page = run_in_query_ui(
        visit,
        "PREFIX dg: <https://w3id.org/diplograph/ontology#>\n"
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "SELECT ?date ?name WHERE { ?m a dg:Meeting ; dg:date ?date ; dg:participant/rdfs:label"
        " ?name } ORDER BY ?date ?name",
    )
    active = ".yasgui .tabPanel.active .yasr table tbody tr"
    page.locator(active).first.wait_for(timeout=20_000)
    first = page.locator(active).first.locator("td")
    number, date = first.nth(0), first.nth(1)
    assert number.inner_text().strip() == "1"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", date.locator(".literal").inner_text())
    assert date.locator(".literal-tag").inner_text() == "xsd:date"
    number_box, date_box = number.bounding_box(), date.locator(".literal").bounding_box()
    assert number_box is not None and date_box is not None
    assert number_box["x"] + number_box["width"] <= date_box["x"]  # a column of its own
    table = page.locator(".yasgui .tabPanel.active .yasr table").inner_text()
    assert "^^" not in table and '"' not in table
    visit.shot("query-ui-literals")
    visit.assert_stayed_home()


def test_query_ui_shows_a_malformed_query_as_a_message_with_line_and_column(visit: Visit) -> None:
    page = run_in_query_ui(visit, "SELECT ?s WHERE {\n  ?s ?p ?o .\n  FILTER(?s = )\n}")
    box = page.locator(".yasgui .tabPanel.active .query-error")
    box.wait_for(timeout=20_000)
    text = box.inner_text()
    assert re.search(r"Line \d+, column \d+", text)
    assert "{" not in text.split("\n")[0] and '"error"' not in text
    fits = box.evaluate("b => b.scrollWidth <= b.clientWidth + 1")
    assert fits, "the message wraps inside the page instead of running off it"
    assert page.locator(".CodeMirror .query-error-line").count() == 1
    visit.shot("query-ui-error")
    # the browser logs the 400 answer itself; nothing else may go wrong
    visit.console_errors = [e for e in visit.console_errors if "status of 400" not in e]
    visit.assert_stayed_home()


# ---- the demo -----------------------------------------------------------------------------


def test_every_page_of_the_demo_says_it_is_synthetic(
    crowd_visit: Visit, crowd_site: LiveServer
) -> None:
    person = select(
        crowd_site,
        "PREFIX dg: <https://w3id.org/diplograph/ontology#> "
        "SELECT ?p WHERE { ?p a dg:Person } ORDER BY ?p LIMIT 1",
    )[0]["p"]
    for path in ("/", "/network", "/timeline", "/ontology", local_path(person)):
        crowd_visit.goto(path)
        notice = crowd_visit.page.locator(".synthetic-notice")
        assert notice.is_visible(), path
        assert f"{CROWD_ARTICLES} of the {CROWD_ARTICLES}" in notice.inner_text()
    crowd_visit.goto("/timeline")
    crowd_visit.page.wait_for_selector("#timeline[data-ready='true']", timeout=20_000)
    assert crowd_visit.page.locator("circle.dot.held").count() >= CROWD_ARTICLES
    assert crowd_visit.page.locator("circle.dot.scheduled").count() >= 1
    crowd_visit.shot("timeline-demo")
    crowd_visit.assert_stayed_home()


def test_the_seed_alone_is_not_called_synthetic(visit: Visit) -> None:
    visit.goto("/network")
    assert visit.page.locator(".synthetic-notice").count() == 0

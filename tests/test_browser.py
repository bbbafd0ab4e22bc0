"""The pages in a real headless Chromium (Debian's ``/usr/bin/chromium``, driven by Playwright).

The seed article is built into a store with the real pipeline, served on a free port, and
each page is opened the way a researcher would. Every request the browser makes is
recorded (and anything not aimed at the test server is aborted): no page may reach the
network. Screenshots go to ``test-output/screenshots/``.

Skipped when Chromium or Playwright is missing; Playwright never downloads a browser here.
"""

from __future__ import annotations

import io
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

from graphbuild.resources import default_articles_dir
from graphbuild.run.build import build_corpus
from graphbuild.settings import Settings

CHROMIUM = Path("/usr/bin/chromium")
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
    pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)
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
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    v = Visit(page, seed_site.url)

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
    yield v
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

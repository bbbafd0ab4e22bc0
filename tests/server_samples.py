"""Hand-made graphs and a live-server runner for the server tests (no NLP needed)."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
from flask import Flask
from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef

from graphbuild.settings import Settings
from graphbuild.store.embedded import GraphStore
from graphbuild.store.records import ArticleRecord
from server.app import close_app, create_app
from server.state import AppState, get_state
from server.wsgi import Server, make_server

DG = Namespace("https://w3id.org/diplograph/ontology#")
RES = Namespace("https://w3id.org/diplograph/resource/")


def sample_graphs() -> dict[str, Graph]:
    """Two tiny article graphs: each a meeting of two people, one person shared."""
    graphs: dict[str, Graph] = {}
    people = {
        "ana": "Ana Example",
        "ben": "Ben Sample",
        "cleo": "Cleo Placeholder",
    }
    meetings = {
        "first": ("2021-03-04", "ana", "ben"),
        "second": ("2022-05-06", "ben", "cleo"),
    }
    for article, (date, a, b) in meetings.items():
        g = Graph()
        meeting = RES[f"meeting/{article}"]
        g.add((meeting, RDF.type, DG.Meeting))
        g.add((meeting, DG.date, Literal(date, datatype=XSD.date)))
        for key in (a, b):
            person = RES[f"person/{key}"]
            g.add((person, RDF.type, DG.Person))
            g.add((person, RDFS.label, Literal(people[key], lang="en")))
            g.add((meeting, DG.participant, person))
        g.add((RES[f"person/{a}"], DG.metWith, RES[f"person/{b}"]))
        g.add((RES[f"person/{b}"], DG.metWith, RES[f"person/{a}"]))
        g.add((URIRef(RES[f"article/{article}"]), RDF.type, DG.Article))
        graphs[article] = g
    return graphs


def fill_store(store: GraphStore) -> None:
    for article, graph in sample_graphs().items():
        store.replace_article(
            article, graph, ArticleRecord(article, f"digest-{article}", "test@1", f"{article}.txt")
        )


@dataclass
class LiveServer:
    url: str
    app: Flask
    server: Server

    @property
    def sparql(self) -> str:
        return f"{self.url}/sparql"

    @property
    def state(self) -> AppState:
        with self.app.app_context():
            return get_state()


@contextlib.contextmanager
def running_server(
    store_path: Path, *, writable: bool = False, **overrides: Any
) -> Iterator[LiveServer]:
    """The app over the store at ``store_path``, under waitress in a thread on a free port."""
    settings = Settings().replace(store=str(store_path), host="127.0.0.1", **overrides)
    store = GraphStore.open(store_path) if writable else None
    app = create_app(settings, store)
    server = make_server(app, settings, port=0)
    thread = threading.Thread(target=server.run, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(server.url, app, server)
    finally:
        server.shutdown()
        thread.join(10)
        close_app(app)
        if store is not None:
            store.close()


def post_update(url: str, update: str, token: str | None) -> requests.Response:
    """A SPARQL Update sent the protocol's direct way, with the bearer token if any."""
    headers = {"Content-Type": "application/sparql-update"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return requests.post(url, data=update.encode(), headers=headers, timeout=60)

"""``diplograph``: build, serve, query, export, validate and evaluate the knowledge graph.

Errors of our own are printed as one readable message (no traceback unless ``--debug``)
and the exit status is non-zero; a build reports every rejected article by file and reason.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from graphbuild import __version__
from graphbuild.errors import ConfigError, DiplographError, QueryError
from graphbuild.settings import SETTINGS, Settings, load_settings

F = TypeVar("F", bound=Callable[..., Any])


class Context:
    def __init__(self, settings: Settings, debug: bool, quiet: bool):
        self.settings = settings
        self.debug = debug
        self.quiet = quiet

    def say(self, message: str) -> None:
        """A result line on stdout (a summary, what was written), unless ``--quiet``."""
        if not self.quiet:
            click.echo(message)


def store_option(func: F) -> F:
    return click.option(
        "--store",
        "store",
        default=None,
        metavar="DIR|URL",
        help="Store directory, or sparql+http(s)://host/path of an external SPARQL 1.1 store "
        "(default: setting 'store', var/store).",
    )(func)


def _settings(ctx: click.Context, **overrides: Any) -> Settings:
    obj: Context = ctx.obj
    return obj.settings.replace(**{k: v for k, v in overrides.items() if v is not None})


class DiplographGroup(click.Group):
    """Turns our exceptions into one line on stderr and an exit status."""

    def invoke(self, ctx: click.Context) -> Any:
        debug = "--debug" in sys.argv
        try:
            return super().invoke(ctx)
        except DiplographError as exc:
            if debug:
                raise
            click.secho(f"error: {exc}", err=True, fg="red")
            ctx.exit(exc.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            if debug:
                raise
            click.secho("interrupted", err=True, fg="red")
            ctx.exit(130)
        except Exception as exc:  # a bug or an unforeseen failure: still one line
            if debug:
                raise
            click.secho(f"error: {type(exc).__name__}: {exc}", err=True, fg="red")
            click.secho(
                "  hint: this looks like a bug in Diplograph; run the command again with "
                "--debug for the traceback and report it",
                err=True,
            )
            ctx.exit(1)


@click.group(cls=DiplographGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="diplograph")
@click.option(
    "--settings",
    "settings_file",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="DIPLOGRAPH_SETTINGS",
    help="TOML settings file (overridden by DIPLOGRAPH_* variables and flags).",
)
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@click.option("-q", "--quiet", is_flag=True, help="Print only results and errors.")
@click.pass_context
def main(ctx: click.Context, settings_file: Path | None, debug: bool, quiet: bool) -> None:
    """Diplomatic news articles -> validated, Wikidata-linked RDF -> SPARQL 1.1."""
    try:
        settings = load_settings(settings_file)
    except DiplographError as exc:
        if debug:
            raise
        click.secho(f"error: {exc}", err=True, fg="red")
        ctx.exit(exc.exit_code)
    ctx.obj = Context(settings, debug, quiet)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@store_option
@click.option("-j", "--jobs", type=int, default=None, help="Worker processes (0 = all cores).")
@click.option("--force", is_flag=True, help="Rebuild articles even when unchanged.")
@click.option(
    "--scheduler",
    default=None,
    metavar="tcp://HOST:PORT|local:N",
    help="Process the articles on a Dask cluster: a running scheduler, or N local workers.",
)
@click.option(
    "--reference-date",
    default=None,
    metavar="YYYY-MM-DD",
    help="Resolve relative dates ('on Monday') against this date in articles whose metadata "
    "has no publication date (default: setting 'reference_date').",
)
@click.pass_context
def build(
    ctx: click.Context,
    paths: tuple[Path, ...],
    store: str | None,
    jobs: int | None,
    force: bool,
    scheduler: str | None,
    reference_date: str | None,
) -> None:
    """Build (or replace) the graphs of the articles in PATHS.

    Prints, per article that lost something, how many facts went into the graph, how many
    meetings were kept without a date and which facts were dropped and why; then the totals.
    """
    from graphbuild.ingest import discover, not_articles
    from graphbuild.run.build import build_corpus

    settings = _settings(
        ctx, store=store, jobs=jobs, scheduler=scheduler, reference_date=reference_date
    )
    ignored = not_articles(list(paths))
    for path in ignored[:10]:
        click.secho(
            f"warning: {path}: not an article, skipped (articles are .txt, .html, .htm or "
            ".jsonl files; metadata goes in a .json beside its article)",
            err=True,
            fg="yellow",
        )
    if len(ignored) > 10:
        click.secho(f"warning: {len(ignored) - 10} more files skipped", err=True, fg="yellow")
    if not discover(list(paths)) and all(Path(p).exists() for p in paths):
        raise DiplographError(
            "no articles to build",
            where=", ".join(str(p) for p in paths),
            hint="give .txt, .html or .jsonl files, or folders holding them",
        )
    report = build_corpus(list(paths), settings, force=force, quiet=ctx.obj.quiet)
    if report.migrated:
        ctx.obj.say(
            f"migrated {len(report.migrated)} graph(s) built by an earlier Diplograph: scheduled "
            "meetings are no longer also dg:Meeting"
        )
    for where, reason in report.rejected:
        click.secho(f"rejected {where}: {reason}", err=True, fg="yellow")
    lost = [(aid, f) for aid, f in sorted(report.facts.items()) if f.noteworthy]
    # every article of a small build; of a corpus, those that lost something
    listed = sorted(report.facts.items()) if len(report.facts) <= 20 else lost
    for aid, facts in listed:
        ctx.obj.say(facts.line(aid))
    undated = sum(f.undated for f in report.facts.values())
    dropped = sum(len(f.dropped) for f in report.facts.values())
    facts_total = sum(f.total for f in report.facts.values())
    ctx.obj.say(
        f"built {len(report.built)}, unchanged {len(report.skipped)}, "
        f"rejected {len(report.rejected)} article(s) into {settings.store}"
        + (
            f"; in those built: {facts_total} fact(s), {undated} meeting(s) kept without a "
            f"date, {dropped} fact(s) dropped"
            if report.facts
            else ""
        )
        + (" (listed above; `diplograph explain FILE` shows each)" if lost else "")
    )
    if report.rejected:
        ctx.exit(1)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@store_option
@click.option(
    "--format",
    "fmt",
    default=None,
    metavar="FORMAT",
    help="nt, nq, ttl, trig, jsonld or rdf (default: from each file's extension; .gz is read).",
)
@click.option(
    "--graph",
    default=None,
    metavar="IRI",
    help="Named graph for triples (default: {base}graph/import/FILENAME).",
)
@click.pass_context
def load(
    ctx: click.Context,
    files: tuple[Path, ...],
    store: str | None,
    fmt: str | None,
    graph: str | None,
) -> None:
    """Bulk-import existing RDF files (e.g. a Wikidata subset) next to the article graphs.

    Each file is checked for syntax before anything is written; the graphs it fills are
    replaced.
    """
    from graphbuild.rdf.formats import GraphFormat
    from graphbuild.store.bulk_load import import_rdf
    from graphbuild.store.embedded import GraphStore
    from graphbuild.store.sparql_client import is_remote_store

    settings = _settings(ctx, store=store)
    if is_remote_store(str(settings.store)):
        raise ConfigError(
            "`diplograph load` imports into the embedded store",
            where=str(settings.store),
            hint="use the external store's own bulk loader (Virtuoso: ld_dir + rdf_loader_run)",
        )
    try:
        chosen = GraphFormat.lookup(fmt) if fmt else None
    except ValueError as exc:
        raise ConfigError(str(exc), where="--format") from exc
    with GraphStore.open(Path(settings.store), base=settings.base_iri) as gs:
        for path in files:
            report = import_rdf(gs, path, fmt=chosen, graph=graph)
            ctx.obj.say(
                f"loaded {report.quads} quads from {path} into {len(report.graphs)} graph(s)"
            )


@main.command()
@click.argument("article_ids", nargs=-1, required=True)
@store_option
@click.pass_context
def remove(ctx: click.Context, article_ids: tuple[str, ...], store: str | None) -> None:
    """Drop the graphs of the given articles from the store."""
    from graphbuild.store.external import open_store

    settings = _settings(ctx, store=store)
    with open_store(settings) as gs:
        for aid in article_ids:
            gs.remove_article(aid)
            ctx.obj.say(f"removed {aid}")


@main.command()
@store_option
@click.option("--host", default=None, help="Interface to listen on (default 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port (default 5000).")
@click.option("--query-timeout", "query_timeout_s", type=float, default=None, help="Seconds.")
@click.pass_context
def serve(
    ctx: click.Context,
    store: str | None,
    host: str | None,
    port: int | None,
    query_timeout_s: float | None,
) -> None:
    """Serve the store over SPARQL 1.1 with a production WSGI server.

    An external store (sparql+http(s)://...) is served read-only through the same endpoint,
    checks and limits; it is never copied.
    """
    from server.wsgi import serve as run_server

    settings = _settings(
        ctx,
        store=store,
        host=host,
        port=port,
        query_timeout_s=query_timeout_s,
    )
    run_server(settings)


@main.command()
@click.argument("query")
@store_option
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json", "csv", "tsv"]), default="table"
)
@click.pass_context
def query(ctx: click.Context, query: str, store: str | None, fmt: str) -> None:
    """Run a SPARQL QUERY (text, or @file.rq) against the store."""
    from graphbuild.rdf.query_output import print_results
    from graphbuild.store.external import open_store
    from graphbuild.store.model import refuse_stale

    settings = _settings(ctx, store=store)
    if query.startswith("@"):
        name = query[1:]
        try:
            query = Path(name).read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"cannot read the query file: {exc.strerror}", where=name) from exc
    with open_store(settings, read_only=True) as gs:
        refuse_stale(gs, str(settings.store))
        try:
            print_results(gs.query(query), fmt, sys.stdout)
        except OSError as exc:  # raised while the results are read, e.g. by a SERVICE call
            federated = "SERVICE" in query.upper()
            raise QueryError(
                f"the query failed while it ran: {exc}",
                hint="a SERVICE endpoint could not be reached or refused the query; check its "
                "address and your network, or run the query without the SERVICE part"
                if federated
                else None,
            ) from exc


@main.command()
@store_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["trig", "nquads", "turtle", "ntriples", "jsonld"]),
    default="trig",
)
@click.option("--article", "article_id", default=None, help="Only this article's graph.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.pass_context
def export(
    ctx: click.Context, store: str | None, fmt: str, article_id: str | None, output: Path | None
) -> None:
    """Export the whole graph or one article's graph."""
    from graphbuild.store.external import open_store

    settings = _settings(ctx, store=store)
    with open_store(settings, read_only=True) as gs:
        if output is None:
            gs.export(fmt, article_id, sys.stdout.buffer)
        else:
            with output.open("wb") as fh:
                gs.export(fmt, article_id, fh)
            ctx.obj.say(f"wrote {output}")


@main.command("validate")
@store_option
@click.pass_context
def validate_cmd(ctx: click.Context, store: str | None) -> None:
    """Validate every article graph in the store against the SHACL shapes."""
    from graphbuild.rdf.validate import load_ontology, load_shapes, validation_report
    from graphbuild.store.external import open_store

    settings = _settings(ctx, store=store)
    shapes, ontology = load_shapes(), load_ontology()
    failures = 0
    with open_store(settings, read_only=True) as gs:
        ids = gs.article_ids()
        for aid in ids:
            conforms, _report, text = validation_report(gs.article_graph(aid), shapes, ontology)
            if not conforms:
                failures += 1
                click.echo(f"{aid}: does not conform\n{text}")
    click.echo(f"{len(ids) - failures} of {len(ids)} article graph(s) conform")
    if failures:
        ctx.exit(1)


@main.command()
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@store_option
@click.option("--errors/--no-errors", default=True, help="List false positives and negatives.")
@click.option("--min-macro-f1", type=float, default=None, help="Exit 1 below this macro-F1.")
@click.option("--min-f1", type=float, default=None, help="Exit 1 if any relation is below this F1.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.pass_context
def evaluate(
    ctx: click.Context,
    gold_dir: Path,
    store: str | None,
    errors: bool,
    min_macro_f1: float | None,
    min_f1: float | None,
    as_json: bool,
) -> None:
    """Score the store's facts against GOLD_DIR/*.gold.json (P/R/F1 per relation)."""
    from graphbuild.quality.evaluate import Scorecard, facts_from_gold, load_gold
    from graphbuild.quality.store_facts import facts_from_store
    from graphbuild.store.external import open_store

    settings = _settings(ctx, store=store)
    gold = load_gold(gold_dir)
    card = Scorecard()
    with open_store(settings, read_only=True) as gs:
        present = set(gs.article_ids())
        for aid, g in gold.items():
            if aid not in present:
                click.secho(f"warning: {aid} is not in the store; build it first", err=True)
            card.add(aid, facts_from_store(gs, aid, settings.base_iri), facts_from_gold(g))
    if as_json:
        click.echo(json.dumps(card.as_dict(), indent=2))
    else:
        click.echo(card.table())
        if errors:
            click.echo(card.errors())
    failed = False
    if min_macro_f1 is not None and card.macro_f1 < min_macro_f1:
        click.secho(f"macro-F1 {card.macro_f1:.3f} is below {min_macro_f1}", err=True, fg="red")
        failed = True
    if min_f1 is not None:
        for rel, score in card.relations.items():
            if score.f1 < min_f1:
                click.secho(f"{rel} F1 {score.f1:.3f} is below {min_f1}", err=True, fg="red")
                failed = True
    if failed:
        ctx.exit(1)


@main.command("settings")
def settings_cmd() -> None:
    """List every setting with its default and meaning."""
    for s in SETTINGS:
        click.echo(f"{s.name:<28} {s.default!r:<40} {s.help}")


@main.command("explain")
@click.argument("article", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the Annotations as JSON instead.")
@click.option(
    "--reference-date",
    default=None,
    metavar="YYYY-MM-DD",
    help="As for build: the date relative dates are resolved against when the article's "
    "metadata has no publication date.",
)
@click.pass_context
def explain_cmd(
    ctx: click.Context, article: Path, as_json: bool, reference_date: str | None
) -> None:
    """Show each fact extracted from ARTICLE with its evidence sentence and rule.

    `--json` prints the Annotations; save it as <stem>.annotations.json next to the article,
    correct it, and the next build uses it instead of extraction.
    """
    from graphbuild.quality.explain import explain
    from graphbuild.run.build import BuildReport, collect
    from graphbuild.run.pipeline import Toolkit, annotate

    report = BuildReport()
    articles = collect([article], report)
    if report.rejected:
        where, reason = report.rejected[0]
        raise DiplographError(reason, where=where)
    kit = Toolkit.load(_settings(ctx, reference_date=reference_date))
    ann = annotate(articles[0], kit)
    click.echo(ann.to_json() if as_json else explain(ann))


UNLINKED = """PREFIX dg: <https://w3id.org/diplograph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT DISTINCT ?label ?type WHERE {
  VALUES ?type { dg:Person dg:Country dg:Organization dg:Place }
  ?e a ?type ; rdfs:label ?label .
  FILTER NOT EXISTS { ?e owl:sameAs ?any }
} ORDER BY ?type ?label"""


@main.command("link")
@store_option
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Decisions file (default: data/gazetteer/reconciled.tsv).",
)
@click.option("--api-url", default=None, help="Wikidata API endpoint (for mirrors and tests).")
@click.option("--dry-run", is_flag=True, help="Print the decisions without writing them.")
@click.pass_context
def link_cmd(
    ctx: click.Context,
    store: str | None,
    output: Path | None,
    api_url: str | None,
    dry_run: bool,
) -> None:
    """Reconcile unlinked entities against Wikidata's public API (needs network).

    Each decision is recorded with its source, date and score in a reviewable TSV that later
    builds read offline; curated links are never overwritten.
    """
    import datetime as dt

    import pyoxigraph as ox

    from graphbuild.link.gazetteer_files import load_gazetteer
    from graphbuild.link.reconcile import (
        DEFAULT_API_URL,
        WikidataClient,
        reconcile,
        write_decisions,
    )
    from graphbuild.resources import gazetteer_dir
    from graphbuild.store.external import open_store

    settings = _settings(ctx, store=store)
    gaz = load_gazetteer()
    with open_store(settings, read_only=True) as gs:
        results = gs.query(UNLINKED)
        if not isinstance(results, ox.QuerySolutions):
            raise DiplographError("unexpected result kind for the unlinked-entities query")
        rows = [(sol["label"].value, sol["type"].value.rsplit("#", 1)[-1]) for sol in results]

    def known(label: str, entity_type: str) -> bool:
        entry = gaz.lookup(label)
        return entry is not None and entry.type == entity_type and entry.qid is not None

    client = WikidataClient(api_url=api_url or DEFAULT_API_URL)
    decisions = reconcile(rows, client, known=known, today=dt.date.today())
    for d in decisions:
        click.echo(f"{d.decision:<14} {d.type:<12} {d.label:<40} {d.qid or '-'}  {d.score:.2f}")
    if not dry_run:
        target = output or gazetteer_dir() / "reconciled.tsv"
        write_decisions(target, decisions)
        ctx.obj.say(f"wrote {len(decisions)} decision(s) to {target}")


@main.group("gazetteer")
def gazetteer_group() -> None:
    """Keep the offline gazetteer current: office holders from Wikidata."""


@gazetteer_group.command("update")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write (default: office-holders.tsv in setting 'gazetteer_update_dir').",
)
@click.option(
    "--full",
    is_flag=True,
    help="Write every term found, also those the shipped table has (to regenerate it).",
)
@click.option("--restart", is_flag=True, help="Ask every batch again instead of resuming.")
@click.option("--endpoint", default=None, help="SPARQL endpoint (default: Wikidata's; for tests).")
@click.pass_context
def gazetteer_update_cmd(
    ctx: click.Context, output: Path | None, full: bool, restart: bool, endpoint: str | None
) -> None:
    """Refresh office holders from the Wikidata Query Service (needs network).

    Asks for the terms of office of every state and the heads of international organisations
    and writes them, each row with its query, service and date, beside the shipped table;
    builds merge both, the newer term winning. Offline it says so and changes nothing; an
    interrupted run resumes where it stopped.
    """
    from rich.console import Console
    from rich.progress import Progress

    from graphbuild.link.office_holders import update_file
    from graphbuild.link.office_update import (
        DEFAULT_ENDPOINT,
        QueryService,
        update_office_holders,
    )

    obj: Context = ctx.obj
    target = output or update_file(_settings(ctx))
    service = QueryService(endpoint or DEFAULT_ENDPOINT)
    console = Console(stderr=True)
    with Progress(console=console, disable=obj.quiet, transient=True) as progress:
        task = progress.add_task("Wikidata", total=None)

        def step(done: int, total: int, batch: str) -> None:
            progress.update(task, completed=done, total=total, description=batch)

        summary = update_office_holders(target, service, full=full, restart=restart, on_batch=step)
    obj.say(
        f"wrote {summary.terms} terms of office of {summary.people} people to {summary.path} "
        f"({summary.asked} batches asked in {summary.requests} requests, {summary.resumed} "
        f"resumed; {summary.as_shipped} terms as shipped left out)"
    )


if __name__ == "__main__":
    main()

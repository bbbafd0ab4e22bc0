"""One settings table, loaded once: defaults < settings file (TOML) < ``DIPLOGRAPH_*`` env < CLI.

Every setting has a name with its unit, a default and a help line (as Datasette's ``SETTINGS``);
unknown keys stop start-up with a hint instead of silently doing nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graphbuild.errors import ConfigError


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "store",
        "var/store",
        "Directory of the embedded pyoxigraph store, or sparql+http(s)://host/… of an external "
        "SPARQL 1.1 store (its query endpoint).",
    ),
    Setting(
        "store_gsp_url",
        "",
        "Graph Store Protocol endpoint of an external store; empty = derived from 'store'.",
    ),
    Setting(
        "store_update_url",
        "",
        "SPARQL Update endpoint of an external store; empty = derived from 'store'.",
    ),
    Setting(
        "store_write",
        "update",
        "How an external store replaces an article graph: 'update' (one SPARQL Update "
        "request with its build record) or 'gsp' (Graph Store PUT).",
    ),
    Setting("store_auth_user", "", "User for an external store's writes; empty = no auth."),
    Setting("store_auth_password", "", "Password of store_auth_user (prefer the env variable)."),
    Setting("store_auth_scheme", "digest", "HTTP auth of an external store: digest or basic."),
    Setting("store_timeout_s", 60.0, "Limit of one HTTP request to an external store, in seconds."),
    Setting(
        "store_page_rows", 5000, "Rows per page when listing an external store's graphs, in rows."
    ),
    Setting(
        "base_iri", "https://w3id.org/diplograph/", "Instance base IRI for resources and graphs."
    ),
    Setting("host", "127.0.0.1", "Interface the server listens on."),
    Setting("port", 5000, "TCP port the server listens on."),
    Setting("threads", 8, "Worker threads of the WSGI server."),
    Setting("query_timeout_s", 30.0, "Wall-clock limit of one SPARQL query, in seconds."),
    Setting("max_result_rows", 10000, "Most rows a SELECT answers; more are cut and flagged."),
    Setting(
        "max_result_bytes",
        50_000_000,
        "Most bytes an answer may have, in bytes; it is cut at the last whole row before and "
        "flagged, like max_result_rows; 0 = no limit.",
    ),
    Setting(
        "max_query_memory_mb",
        1024,
        "Private memory of one query worker process, in MB; a query that needs more is "
        "stopped (503) and the worker replaced; 0 = no limit.",
    ),
    Setting(
        "slow_query_s",
        1.0,
        "A query still running after this many seconds is long-running: it runs at the "
        "lowest CPU priority and must fit in the slow lane; 0 = no slow lane.",
    ),
    Setting(
        "max_slow_queries",
        0,
        "Long-running queries at once, in queries (then the next is stopped with 503); "
        "0 = half of 'threads'.",
    ),
    Setting(
        "max_slow_per_client",
        1,
        "Long-running queries one client may have at once, in queries; a client past it is "
        "refused (429) until its long query ends; 0 = no per-client limit.",
    ),
    Setting("max_request_bytes", 1_000_000, "Largest accepted request body, in bytes."),
    Setting(
        "max_query_nesting",
        64,
        "Deepest nesting of brackets, groups and '!' a query may have before the engine sees "
        "it (then 400), in levels; 0 = no limit.",
    ),
    Setting(
        "in_thread_rows",
        1000,
        "Most rows a one-scan query (DESCRIBE of one IRI, ASK or SELECT of one triple "
        "pattern about a given node) may have to be answered in the request thread, without "
        "a query worker's round trip; one with more is answered by a worker; 0 = every query "
        "in a worker.",
    ),
    Setting(
        "precomputed_answers",
        True,
        "Answer the views' questions (data/views) from answers computed per store version.",
    ),
    Setting("max_concurrent_per_client", 4, "Queries one client may run at once (then 429)."),
    Setting(
        "trusted_proxies",
        (),
        "Addresses or CIDR ranges of reverse proxies whose X-Forwarded-For names the client "
        "(for the per-client limits and the log); empty = the connecting address is the client.",
    ),
    Setting("update_token", "", "Bearer token allowing SPARQL Update; empty = read-only."),
    Setting(
        "update_token_tries",
        5,
        "Wrong update tokens one client may send within update_lockout_s, in tries, before it "
        "is refused (429); 0 = no limit.",
    ),
    Setting(
        "update_lockout_s",
        60.0,
        "How long wrong update tokens count, and the lockout after the last one, in seconds.",
    ),
    Setting(
        "service_allowlist",
        ("https://query.wikidata.org/sparql",),
        "SERVICE endpoints a query may call; empty = no federation.",
    ),
    Setting(
        "query_network_sandbox",
        True,
        "Query workers (and updates) may connect only to service_allowlist endpoints, "
        "enforced by the kernel (seccomp, Linux); false = rely on the query check alone.",
    ),
    Setting("jobs", 0, "Build processes; 0 = all cores."),
    Setting(
        "scheduler",
        "",
        "Dask scheduler for builds: tcp://HOST:PORT, or local:N for N local worker "
        "processes; empty = this machine's process pool.",
    ),
    Setting("dask_retries", 2, "Extra attempts of an article whose Dask task failed, in tries."),
    Setting(
        "dask_in_flight",
        0,
        "Articles submitted to Dask at once, in tasks; 0 = 4 per worker thread, at least 8.",
    ),
    Setting(
        "gazetteer_update_dir",
        "",
        "Folder of the office-holder update that `diplograph gazetteer update` writes and builds "
        "merge with the shipped table; empty = the user data folder "
        "(~/.local/share/diplograph/gazetteer on Linux).",
    ),
    Setting(
        "reference_date",
        "",
        "Date (YYYY-MM-DD) relative dates are resolved against in articles whose metadata has "
        "no publication date; empty = the text's own dateline or anchors only.",
    ),
    Setting("reason", True, "Materialise OWL 2 RL entailments per article."),
    Setting("validate", True, "Validate each article graph against the SHACL shapes."),
)

_BY_NAME = {s.name: s for s in SETTINGS}
ENV_PREFIX = "DIPLOGRAPH_"


@dataclass(frozen=True)
class Settings:
    """The merged settings; pass this object down instead of reading globals."""

    values: Mapping[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        if name in _BY_NAME:
            return self.values.get(name, _BY_NAME[name].default)
        raise AttributeError(name)

    def replace(self, **changes: Any) -> Settings:
        merged = dict(self.values)
        for key, value in changes.items():
            if value is not None:
                merged[key] = _coerce(key, value, "argument")
        return dataclasses.replace(self, values=merged)

    def as_dict(self) -> dict[str, Any]:
        return {s.name: getattr(self, s.name) for s in SETTINGS}


def _unknown(key: str, where: str) -> ConfigError:
    close = difflib.get_close_matches(key, list(_BY_NAME), n=1)
    hint = f"did you mean '{close[0]}'?" if close else "see `diplograph settings` for the list"
    return ConfigError(f"unknown setting '{key}'", where=where, hint=hint)


def _coerce(key: str, value: Any, where: str) -> Any:
    if key not in _BY_NAME:
        raise _unknown(key, where)
    default = _BY_NAME[key].default
    try:
        if isinstance(default, bool):
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in ("1", "true", "yes", "on"):
                return True
            if text in ("0", "false", "no", "off"):
                return False
            raise ValueError(value)
        if isinstance(default, int):
            return int(value)
        if isinstance(default, float):
            return float(value)
        if isinstance(default, tuple):
            if isinstance(value, str):
                return tuple(v.strip() for v in value.split(",") if v.strip())
            return tuple(str(v) for v in value)
        if key == "reference_date" and str(value).strip():
            return dt.date.fromisoformat(str(value).strip()).isoformat()
        return str(value)
    except (TypeError, ValueError):
        if key == "reference_date":
            raise ConfigError(
                f"setting '{key}' must be a date as YYYY-MM-DD, got {value!r}", where=where
            ) from None
        kind = type(default).__name__
        raise ConfigError(f"setting '{key}' must be {kind}, got {value!r}", where=where) from None


def load_settings(
    file: Path | None = None,
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Settings:
    """Merge defaults < file < environment < overrides (CLI flags; ``None`` means unset)."""
    values: dict[str, Any] = {}
    if file is not None:
        try:
            data = tomllib.loads(Path(file).read_text(encoding="utf-8"))
        except OSError as exc:
            raise ConfigError(
                f"cannot read settings file: {exc.strerror}", where=str(file)
            ) from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"not valid TOML: {exc}", where=str(file)) from exc
        section = data.get("diplograph", data)
        for key, value in section.items():
            values[key] = _coerce(key, value, str(file))
    env = os.environ if environ is None else environ
    for name, value in env.items():
        if name.startswith(ENV_PREFIX) and name != ENV_PREFIX + "SETTINGS":
            key = name[len(ENV_PREFIX) :].lower()
            values[key] = _coerce(key, value, f"environment variable {name}")
    for key, value in (overrides or {}).items():
        if value is not None:
            values[key] = _coerce(key, value, f"option --{key.replace('_', '-')}")
    return Settings(values)


def reference_date(settings: Settings) -> dt.date | None:
    """The ``reference_date`` setting as a date (checked when it was set), or ``None``."""
    text = str(settings.reference_date).strip()
    return dt.date.fromisoformat(text) if text else None

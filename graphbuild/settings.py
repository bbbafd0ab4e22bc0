"""One settings table, loaded once: defaults < settings file (TOML) < ``DIPLOGRAPH_*`` env < CLI.

Every setting has a name with its unit, a default and a help line (as Datasette's ``SETTINGS``);
unknown keys stop start-up with a hint instead of silently doing nothing.
"""

from __future__ import annotations

import dataclasses
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
    Setting("max_request_bytes", 1_000_000, "Largest accepted request body, in bytes."),
    Setting(
        "precomputed_answers",
        True,
        "Answer the views' questions (data/views) from answers computed per store version.",
    ),
    Setting("max_concurrent_per_client", 4, "Queries one client may run at once (then 429)."),
    Setting("update_token", "", "Bearer token allowing SPARQL Update; empty = read-only."),
    Setting(
        "service_allowlist",
        ("https://query.wikidata.org/sparql",),
        "SERVICE endpoints a query may call; empty = no federation.",
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
        return str(value)
    except (TypeError, ValueError):
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

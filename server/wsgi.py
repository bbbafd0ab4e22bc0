"""Production serving: waitress (not Flask's development server), one log line per query.

``serve(settings)`` opens the store read-only while holding its writer lock (so no build can
change the data under the running query workers), builds the app and serves until
interrupted. With ``update_token`` set it opens the store writable instead, applies token
holders' updates itself and restarts the read-only query workers after each one.
``make_server`` gives tests and embedders a server they can run in a thread and stop again.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import signal
import socket
import threading
from pathlib import Path
from types import FrameType
from typing import Any

from flask import Flask
from waitress.server import create_server

from graphbuild.errors import ConfigError
from graphbuild.settings import Settings
from graphbuild.store.embedded import GraphStore
from graphbuild.store.sparql_client import is_remote_store
from server.app import close_app, create_app
from server.state import EXTENSION, AppState

log = logging.getLogger("diplograph.server")


class Server:
    """A waitress server bound to a port; ``run()`` blocks, ``shutdown()`` stops it."""

    def __init__(self, app: Flask, host: str, port: int, threads: int) -> None:
        self._server: Any = create_server(
            app, host=host, port=port, threads=threads, ident="diplograph"
        )
        self.host = host
        self.port: int = int(self._server.effective_port)
        self._stopped = threading.Event()

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def run(self) -> None:
        try:
            self._server.run()
        finally:
            self._server.task_dispatcher.shutdown()
            self._stopped.set()

    def shutdown(self, timeout_s: float = 10.0) -> None:
        """Close every socket from inside the server loop, so ``run()`` returns."""

        def close_all() -> None:
            for channel in list(self._server._map.values()):
                channel.close()

        if self._stopped.is_set():
            return
        with contextlib.suppress(OSError):  # the loop closed its trigger: it is stopping
            self._server.trigger.pull_trigger(close_all)
        self._stopped.wait(timeout_s)


def make_server(app: Flask, settings: Settings, *, port: int | None = None) -> Server:
    """A waitress server for ``app`` on ``settings.host`` (``port`` 0 picks a free one)."""
    return Server(
        app,
        str(settings.host),
        int(settings.port if port is None else port),
        int(settings.threads),
    )


def _check_port(host: str, port: int) -> None:
    """``ConfigError`` at once when the address is taken, before the store is opened."""
    try:
        probe = socket.create_server((host, port), family=_family(host))
    except OSError as exc:
        raise _listen_error(host, port, exc) from exc
    probe.close()


def _family(host: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def _listen_error(host: str, port: int, exc: OSError) -> ConfigError:
    reason = exc.strerror or str(exc)
    if exc.errno == errno.EADDRINUSE:
        hint = (
            "another program (perhaps another `diplograph serve`) listens there: stop it, or "
            "choose another port with --port (PORT=… for make run)"
        )
    else:
        hint = "check --host (an address of this machine, e.g. 127.0.0.1) and --port"
    return ConfigError(f"cannot listen on {host}:{port}: {reason}", where="serve", hint=hint)


def serve(settings: Settings) -> None:
    """Serve the store at ``settings.store`` until Ctrl-C or SIGTERM."""
    _check_port(str(settings.host), int(settings.port))
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    log.setLevel(logging.INFO)
    if is_remote_store(str(settings.store)):
        _serve_app(create_app(settings), settings)  # opened read-only, never copied
        return
    writable = bool(settings.update_token)  # only token holders' updates write
    with GraphStore.open(
        Path(settings.store),
        read_only=not writable,
        base=settings.base_iri,
        exclusive=True,
        create=False,
    ) as store:
        _serve_app(create_app(settings, store), settings)


def _serve_app(app: Flask, settings: Settings) -> None:
    """Run ``app`` under waitress until Ctrl-C or SIGTERM, then close it."""
    try:
        server = make_server(app, settings)
    except OSError as exc:  # taken between the check and now
        close_app(app)
        raise _listen_error(str(settings.host), int(settings.port), exc) from exc

    def stop(signum: int, frame: FrameType | None) -> None:
        threading.Thread(target=server.shutdown, daemon=True).start()

    previous = signal.signal(signal.SIGTERM, stop)
    state: AppState = app.extensions[EXTENSION]
    try:
        state.pool.warm_up()
        log.info("serving %s", state.description)
        log.info("query UI:        %s/", server.url)
        log.info("SPARQL endpoint: %s/sparql", server.url)
        log.info("network, timeline: %s/network, %s/timeline (Ctrl-C stops)", *[server.url] * 2)
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        close_app(app)
        log.info("stopped")

"""Production serving: waitress (not Flask's development server), one log line per query.

``serve(settings)`` opens the store read-only while holding its writer lock (so no build can
change the data under the running query workers), builds the app and serves until
interrupted. With ``update_token`` set it opens the store writable instead, applies token
holders' updates itself and restarts the read-only query workers after each one.
``make_server`` gives tests and embedders a server they can run in a thread and stop again.

Waitress gets ``threads`` threads for requests plus :data:`RESERVED_THREADS` that serve only
``/health`` and ``/version``, so a load balancer's probe is answered however many long queries
hold the others; and waitress's own errors (431, 413, …) carry the API's JSON error body.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import signal
import socket
import threading
from collections import deque
from pathlib import Path
from types import FrameType
from typing import Any

from flask import Flask
from waitress.channel import HTTPChannel
from waitress.server import create_server
from waitress.task import ErrorTask, ThreadedTaskDispatcher

from graphbuild.errors import ConfigError, StoreError
from graphbuild.settings import Settings
from graphbuild.store.embedded import GraphStore, compaction_pending, has_derived_facts
from graphbuild.store.sparql_client import is_remote_store
from server.app import close_app, create_app
from server.errors import error_body
from server.state import EXTENSION, AppState

log = logging.getLogger("diplograph.server")


RESERVED_THREADS = 2
LIGHT_PATHS = frozenset({"/health", "/version"})


class ReservedDispatcher(ThreadedTaskDispatcher):  # type: ignore[misc]
    """Waitress's thread pool, plus threads of its own for requests that are quick to answer
    (``LIGHT_PATHS``): those never queue behind queries that hold every other thread."""

    def __init__(self, reserved: int) -> None:
        super().__init__()
        self._light: deque[Any] = deque()
        self._light_cv = threading.Condition()
        self._stopping = False
        for n in range(reserved):
            threading.Thread(
                target=self._light_thread, name=f"diplograph-light-{n}", daemon=True
            ).start()

    def add_task(self, task: Any) -> None:
        requests: list[Any] = list(getattr(task, "requests", None) or [])
        light = bool(requests) and all(
            getattr(r, "path", None) in LIGHT_PATHS and getattr(r, "error", None) is None
            for r in requests
        )
        if not light:
            super().add_task(task)
            return
        with self._light_cv:
            self._light.append(task)
            self._light_cv.notify()

    def _light_thread(self) -> None:
        while True:
            with self._light_cv:
                while not self._light and not self._stopping:
                    self._light_cv.wait()
                if self._stopping:
                    return
                task = self._light.popleft()
            try:
                task.service()
            except BaseException:
                self.logger.exception("Exception when servicing %r", task)

    def shutdown(self, cancel_pending: bool = True, timeout: float = 5) -> bool:
        with self._light_cv:
            self._stopping = True
            while self._light:
                self._light.popleft().cancel()
            self._light_cv.notify_all()
        done: bool = super().shutdown(cancel_pending, timeout)
        return done


class JsonErrorTask(ErrorTask):  # type: ignore[misc]
    """Waitress's own error answers (431 header too large, 400 malformed request, …) in the
    API's one JSON error body instead of plain text."""

    def execute(self) -> None:
        error = self.request.error
        body = json.dumps(error_body(error.code, error.reason, str(error.body))).encode()
        self.status = f"{error.code} {error.reason}"
        self.response_headers.append(("Content-Type", "application/json"))
        self.set_close_on_finish()
        self.content_length = len(body)
        self.write(body)


class JsonErrorChannel(HTTPChannel):  # type: ignore[misc]
    error_task_class = JsonErrorTask


class Server:
    """A waitress server bound to a port; ``run()`` blocks, ``shutdown()`` stops it."""

    def __init__(self, app: Flask, host: str, port: int, threads: int) -> None:
        dispatcher = ReservedDispatcher(RESERVED_THREADS)
        dispatcher.set_thread_count(threads)
        self._server: Any = create_server(
            app,
            host=host,
            port=port,
            threads=threads,
            ident="diplograph",
            # X-Forwarded-For reaches the app, which reads it only from trusted_proxies
            clear_untrusted_proxy_headers=False,
            _dispatcher=dispatcher,
        )
        self._server.channel_class = JsonErrorChannel
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
    path = Path(settings.store)
    exclusive = True
    if path.is_dir() and not _can_write(path):
        if writable:
            raise StoreError(
                "the store's directory cannot be written (a read-only file system or no "
                "write permission), so SPARQL Update (update_token) could not apply there",
                where=str(path),
                hint="unset update_token to serve it read-only, or serve a writable copy",
            )
        # no build can change a store nobody can write, so there is no writer's lock to take
        log.info("the store cannot be written here: serving it read-only without its lock")
        exclusive = False
    if exclusive and not writable and path.is_dir() and not has_derived_facts(path):
        # a store written by an earlier version: derive what queries expect (one update)
        log.info("deriving the derived facts (graph/derived) this store does not keep yet")
        GraphStore.open(path, base=settings.base_iri, create=False).close()
    if exclusive and path.is_dir() and compaction_pending(path):
        # overlapping files from a bulk import: every scan would merge them (25-30 % slower)
        log.info("compacting the store after its bulk import (once, before serving it)")
        with GraphStore.open(path, base=settings.base_iri, create=False) as loaded:
            loaded.compact()
    with GraphStore.open(
        path, read_only=not writable, base=settings.base_iri, exclusive=exclusive, create=False
    ) as store:
        if not store.derived_current:
            log.warning(
                "this store keeps no derived facts (dg:participantState): queries over them "
                "answer nothing; open it once writable (`diplograph build`) to derive them"
            )
        _serve_app(create_app(settings, store), settings)


def _can_write(path: Path) -> bool:
    """Whether this process may write in the store directory (its lock file included)."""
    try:
        if os.statvfs(path).f_flag & os.ST_RDONLY:
            return False
    except OSError:
        return False
    lock = path / "LOCK"
    return os.access(lock if lock.exists() else path, os.W_OK)


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

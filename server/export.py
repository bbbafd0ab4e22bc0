"""``/export``: the whole dataset or one article's graph as a streamed download.

``?format=turtle|ntriples|trig|nquads|jsonld|rdfxml`` (or ``Accept``), ``&article=ID``.
The body is written by pyoxigraph in a background thread into a bounded queue and streamed
from there, so a large export never sits whole in memory. ``ETag``/``Last-Modified`` come
from the store's build records, so a conditional re-download is a cheap 304; gzip when the
client accepts it.
"""

from __future__ import annotations

import io
import logging
import queue
import re
import threading
import zlib
from collections.abc import Iterator

from flask import Blueprint, Response, request
from werkzeug.http import is_resource_modified

from graphbuild.errors import StoreError
from graphbuild.rdf.formats import GraphFormat, negotiate_format, parse_accept, quality
from server.errors import ApiError
from server.state import get_state
from server.stores import ServedStore

bp = Blueprint("export", __name__)
log = logging.getLogger("diplograph.server")

QUEUE_CHUNKS = 16
_DONE = object()


class _QueueWriter(io.RawIOBase):
    """A binary file whose writes go to a bounded queue; closing the reader aborts writes."""

    def __init__(self, chunks: queue.Queue[object], cancelled: threading.Event) -> None:
        self._chunks = chunks
        self._cancelled = cancelled

    def writable(self) -> bool:
        return True

    def write(self, data: object) -> int:
        raw = bytes(data)  # type: ignore[call-overload]
        while True:
            if self._cancelled.is_set():
                raise BrokenPipeError("the client went away")
            try:
                self._chunks.put(raw, timeout=0.5)
                return len(raw)
            except queue.Full:
                continue


class ExportStream:
    """Iterates the serialised export as it is written; ``close()`` stops the writer."""

    def __init__(self, store: ServedStore, fmt: GraphFormat, article: str | None, gzip: bool):
        self._chunks: queue.Queue[object] = queue.Queue(maxsize=QUEUE_CHUNKS)
        self._cancelled = threading.Event()
        self._compressor = zlib.compressobj(6, zlib.DEFLATED, 31) if gzip else None
        self._thread = threading.Thread(
            target=self._write, args=(store, fmt, article), name="diplograph-export", daemon=True
        )
        self._thread.start()

    def _write(self, store: ServedStore, fmt: GraphFormat, article: str | None) -> None:
        writer = _QueueWriter(self._chunks, self._cancelled)
        try:
            store.export(fmt, article, writer)  # type: ignore[arg-type]
        except (BrokenPipeError, StoreError) as exc:
            if not self._cancelled.is_set():
                log.error("export failed: %s", exc)
        finally:
            self._put(_DONE)

    def _put(self, item: object) -> None:
        while not self._cancelled.is_set():
            try:
                self._chunks.put(item, timeout=0.5)
                return
            except queue.Full:
                continue

    def __iter__(self) -> Iterator[bytes]:
        while True:
            item = self._chunks.get()
            if item is _DONE:
                break
            assert isinstance(item, bytes)
            if self._compressor is None:
                yield item
            else:
                packed = self._compressor.compress(item)
                if packed:
                    yield packed
        if self._compressor is not None:
            yield self._compressor.flush()

    def close(self) -> None:
        self._cancelled.set()
        self._thread.join(5)


def _filename(article: str | None, fmt: GraphFormat) -> str:
    stem = "diplograph" if article is None else "diplograph-" + re.sub(r"[^\w.-]+", "_", article)
    return f"{stem}.{fmt.extension}"


def _wants_gzip() -> bool:
    header = request.headers.get("Accept-Encoding", "")
    ranges = parse_accept(",".join(f"x/{p.strip()}" for p in header.split(",") if p.strip()))
    return quality(ranges, "x/gzip") > 0


def _format() -> GraphFormat:
    wanted = request.args.get("format")
    if wanted:
        try:
            return GraphFormat.lookup(wanted)
        except ValueError as exc:
            raise ApiError(400, str(exc)) from None
    fmt = negotiate_format(GraphFormat, request.headers.get("Accept"), GraphFormat.TURTLE)
    if fmt is None:
        offered = ", ".join(m for f in GraphFormat for m in f.media_types)
        raise ApiError(406, f"this endpoint offers: {offered}")
    return fmt


@bp.get("/export")
def export() -> Response:
    state = get_state()
    store = state.store
    fmt = _format()
    article = request.args.get("article") or None
    if article is not None and not store.has_article(article):
        raise ApiError(404, f"no article '{article}' in the store")

    gzip = _wants_gzip()
    version = store.version()
    etag = f"{version.etag}-{fmt.key}-{zlib.crc32((article or '').encode()):08x}"
    etag += "-gz" if gzip else ""
    unchanged = not is_resource_modified(request.environ, etag=etag, last_modified=version.modified)
    if unchanged:
        response = Response(status=304)
    else:
        client = request.remote_addr or "unknown"
        if not state.limiter.acquire(client):
            raise ApiError(
                429,
                f"at most {state.limiter.max_per_client} requests per client may run at once",
                headers={"Retry-After": "1"},
            )
        stream = ExportStream(store, fmt, article, gzip)
        response = Response(stream, status=200, content_type=fmt.content_type)
        response.call_on_close(lambda: state.limiter.release(client))
        response.headers["Content-Disposition"] = (
            f'attachment; filename="{_filename(article, fmt)}"'
        )
        if gzip:
            response.headers["Content-Encoding"] = "gzip"
    response.set_etag(etag)
    if version.modified is not None:
        response.last_modified = version.modified
    response.vary.update(("Accept", "Accept-Encoding"))
    response.headers["Cache-Control"] = "no-cache"
    return response

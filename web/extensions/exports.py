"""Exports get their own bounded capacity, so a few slow readers cannot take the API down.

- At most ``THIDUA_EXPORT_LIMIT`` exports at once per process and ``THIDUA_EXPORT_USER_LIMIT``
  per user (429 with Retry-After beyond), counted until the last byte is sent: an export
  holds a server thread for as long as its client takes to read it.
- Their own small pool (``Services.exports``), never the one other reads wait on.
- The rows are spooled to a temporary file before the first byte, so the database
  connection (and its snapshot) is released at the database's speed, not the client's, and
  the answer carries a Content-Length (a cut-off download is seen as one).
- A client that takes nothing for ``THIDUA_EXPORT_WRITE_TIMEOUT`` seconds is cut off: the
  server socket gets a send timeout, so the worker thread, the slot and the file are freed.
"""

from __future__ import annotations

import contextlib
import logging
import tempfile
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

from flask import Response

from web.extensions.errors import respond

log = logging.getLogger(__name__)
CHUNK = 16 * 1024  # small writes: the send timeout then measures a lack of progress
RETRY_AFTER = "5"


class ExportSlots:
    """Concurrent exports in this process, in all and per user."""

    def __init__(self, limit: int, per_user: int) -> None:
        self.limit = limit
        self.per_user = per_user
        self._lock = threading.Lock()
        self._users: Counter[str] = Counter()

    @property
    def taken(self) -> int:
        return sum(self._users.values())

    def take(self, user: str) -> Callable[[], None] | None:
        """A slot for ``user``, as the function that gives it back (once); None when full."""
        with self._lock:
            if self.taken >= self.limit or self._users[user] >= self.per_user:
                return None
            self._users[user] += 1
        given_back = threading.Event()

        def release() -> None:
            with self._lock:
                if not given_back.is_set():
                    given_back.set()
                    self._users[user] -= 1
                    if self._users[user] <= 0:
                        del self._users[user]

        return release


def too_many(slots: ExportSlots) -> Response:
    return respond(429, f"Too many exports at once (at most {slots.limit} at a time on this "
                   f"server, {slots.per_user} per user); retry after a few seconds.",
                   headers={"Retry-After": RETRY_AFTER}, rule="export_capacity")


def spool(chunks: Iterable[bytes]) -> tuple[IO[bytes], int]:
    """Write ``chunks`` to a temporary file; return it, rewound, and its size."""
    file = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, closed there
    try:
        for chunk in chunks:
            file.write(chunk)
        size = file.tell()
        file.seek(0)
    except BaseException:
        file.close()
        raise
    return file, size


def spooled_response(file: IO[bytes], size: int, release: Callable[[], None],
                     environ: dict[str, Any], write_timeout: float, **kwargs: Any) -> Response:
    """Stream ``file`` (``size`` bytes); the file is closed and the slot given back when the
    response ends, whether it was read to the end, cut off, or never started."""

    def done() -> None:
        file.close()
        release()

    def body() -> Iterator[bytes]:
        sent = 0
        try:
            while data := file.read(CHUNK):
                yield data
                sent += len(data)
        finally:
            done()
            if sent < size:
                log.warning("export cut off after %d of %d bytes: the client stopped reading "
                            "or went away", sent, size)

    set_write_timeout(environ, write_timeout)
    response = Response(body(), **kwargs)
    response.headers["Content-Length"] = str(size)
    response.call_on_close(done)
    return response


def set_write_timeout(environ: dict[str, Any], seconds: float) -> None:
    """Give the client's socket (gunicorn's, or the development server's) a send timeout:
    a send that makes no progress for ``seconds`` fails, and the server ends the response."""
    sock = environ.get("gunicorn.socket") or environ.get("werkzeug.socket")
    if sock is not None:
        with contextlib.suppress(OSError, AttributeError):
            sock.settimeout(seconds)

"""Keeps every view current: catches up in batches, then follows the log live.

The library's ProjectionRunner commits one event per transaction and tracks only the
events a projection subscribes to; this runner batches while catching up and advances the
tracking position over events a projection ignores, so 'events behind' and read-your-writes
waits are exact. Inserts into the event table are serialised by the library's table lock,
so every id up to the head read before a select has committed: no late id is skipped.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

import psycopg
from eventsourcing.persistence import Tracking
from psycopg.sql import SQL, Identifier

from projections.base import BatchProjection

log = logging.getLogger(__name__)


class Runner:
    """Runs projections for one application, in this thread or a background one."""

    def __init__(self, app: Any, projections: Sequence[BatchProjection], *,
                 batch_size: int = 1000, listen_url: str | None = None) -> None:
        self.app = app
        self.projections = list(projections)
        self.batch_size = batch_size
        self.listen_url = listen_url
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.error: BaseException | None = None

    # -- catching up ---------------------------------------------------------------------
    def head(self) -> int:
        return int(self.app.recorder.max_notification_id() or 0)

    def catch_up(self, progress: Callable[[int], None] | None = None,
                 interrupt: threading.Event | None = None) -> int:
        """Bring every view to the current head; return how many events were applied."""
        applied = 0
        head = self.head()
        for projection in self.projections:
            applied += self._catch_up_one(projection, head, progress, interrupt)
        return applied

    def _catch_up_one(self, projection: BatchProjection, head: int,
                      progress: Callable[[int], None] | None,
                      interrupt: threading.Event | None) -> int:
        recorder, mapper, name = self.app.recorder, self.app.mapper, self.app.name
        position = projection.view.position(name)
        applied = 0
        while position < head and not (interrupt and interrupt.is_set()):
            rows = recorder.select_notifications(start=position + 1, limit=self.batch_size,
                                                 stop=head, topics=list(projection.topics))
            full = len(rows) == self.batch_size
            new_position = rows[-1].id if full else head
            events = [(mapper.to_domain_event(n), n.id) for n in rows]
            projection.apply_batch(events, Tracking(name, new_position))
            applied += len(events)
            if progress:
                progress(new_position - position)
            position = new_position
        return applied

    def lag(self) -> dict[str, int]:
        head = self.head()
        return {p.name: head - p.view.position(self.app.name) for p in self.projections}

    # -- following live -------------------------------------------------------------------
    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self.run_forever, name="projections",
                                        daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def run_forever(self) -> None:
        """Catch up, then wait for NOTIFY (or a short poll) and catch up again; survive
        database outages by retrying."""
        pause = 0.2
        while not self._stop.is_set():
            try:
                with self._listener() as conn:
                    pause = 0.2
                    while not self._stop.is_set():
                        self.catch_up(interrupt=self._stop)
                        if conn is not None:
                            for _ in conn.notifies(timeout=0.5, stop_after=1):
                                pass
                        else:
                            self._stop.wait(0.2)
            except Exception as e:  # database gone, tracking raced by another runner...
                self.error = e
                log.warning("projections: %r; retrying in %.1fs", e, pause, exc_info=True)
                self._stop.wait(pause)
                pause = min(pause * 2, 5.0)

    def _listener(self) -> Any:
        if not self.listen_url:
            return _Null()
        conn = psycopg.connect(self.listen_url, autocommit=True, connect_timeout=5)
        conn.execute(SQL("LISTEN {}").format(Identifier(self.app.recorder.channel_name)))
        return conn


class _Null:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def wait_until(predicate: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True

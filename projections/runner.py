"""Keeps every view current: catches up in batches, then follows the log live.

The library's ProjectionRunner commits one event per transaction and tracks only the
events a projection subscribes to; this runner batches while catching up and advances the
tracking position over events a projection ignores, so 'events behind' and read-your-writes
waits are exact. Inserts into the event table are serialised by the library's table lock,
so every id up to the head read before a select has committed: no late id is skipped.

A view that cannot apply an event is stalled, never skipped past it: the failing batch is
retried one event at a time so the stall names the exact event, the stall is recorded
(``projections.status``) for /health in every process, the view is retried with a capped
back-off, and the other views go on.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
from eventsourcing.persistence import Tracking
from psycopg.sql import SQL, Identifier

from projections import status
from projections.base import BatchProjection
from projections.status import Stall

log = logging.getLogger(__name__)


class ProjectionStalled(Exception):
    """One or more views could not apply an event (the others were brought up to date)."""

    def __init__(self, stalls: Sequence[Stall]) -> None:
        self.stalls = list(stalls)
        super().__init__("; ".join(
            f"view '{s.projection}' is stalled at position {s.position} ({s.topic}): "
            f"{s.error_type}: {s.error}" for s in self.stalls))


class _Stuck(Exception):
    """Applying ``notification`` (None: no single event to blame) raised ``error``."""

    def __init__(self, notification: Any, error: BaseException) -> None:
        super().__init__(str(error))
        self.notification = notification
        self.error = error


class Runner:
    """Runs projections for one application, in this thread or a background one."""

    def __init__(self, app: Any, projections: Sequence[BatchProjection], *,
                 batch_size: int = 1000, listen_url: str | None = None,
                 retry_min: float = 0.5, retry_max: float = 30.0) -> None:
        self.app = app
        self.projections = list(projections)
        self.batch_size = batch_size
        self.listen_url = listen_url
        self.retry_min = retry_min
        self.retry_max = max(retry_min, retry_max)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.error: BaseException | None = None
        self.stalls: dict[str, Stall] = {}  # read by /health from other threads
        self._due: dict[str, float] = {}  # monotonic time of a stalled view's next attempt
        self._logged: dict[str, tuple[Any, ...]] = {}  # the stall last logged with a traceback
        self._loaded = False
        self._status_failing = False

    # -- catching up ---------------------------------------------------------------------
    def head(self) -> int:
        return int(self.app.recorder.max_notification_id() or 0)

    def catch_up(self, progress: Callable[[int], None] | None = None,
                 interrupt: threading.Event | None = None) -> int:
        """Bring every view to the current head; return how many events were applied.
        Raises ProjectionStalled, after the others are done, if a view cannot apply one."""
        applied = self._cycle(progress, interrupt, only_due=False)
        if self.stalls:
            raise ProjectionStalled(list(self.stalls.values()))
        return applied

    def _cycle(self, progress: Callable[[int], None] | None,
               interrupt: threading.Event | None, *, only_due: bool) -> int:
        """One pass over the views; a view that fails is recorded as stalled, not raised.
        With ``only_due`` a stalled view is tried only when its back-off has passed."""
        self._load_stalls()
        head = self.head()
        due = [p for p in self.projections
               if not (only_due and p.name in self.stalls
                       and self._due.get(p.name, 0) > time.monotonic())]
        applied = 0
        if len(due) > 1:
            applied, due = self._together(due, head, progress, interrupt)
        for projection in due:
            name = projection.name
            if interrupt is not None and interrupt.is_set():
                break
            try:
                count, position = self._catch_up_one(projection, head, progress, interrupt)
            except _Stuck as stuck:
                self._stalled(projection, stuck.notification, stuck.error)
                continue
            except Exception as e:  # not while applying: its tracking, its datastore...
                self._stalled(projection, None, e)
                continue
            applied += count
            if name in self.stalls and position >= head:
                self._recovered(projection, position)
        return applied

    def _together(self, due: list[BatchProjection], head: int,
                  progress: Callable[[int], None] | None,
                  interrupt: threading.Event | None) -> tuple[int, list[BatchProjection]]:
        """Catch the views ``due`` up to ``head`` reading and decoding each event once for all
        of them (one query per batch for the union of their topics), each view applying its
        own events of the batch in its own transaction, as :meth:`_catch_up_one` does. A view
        with none in a batch is not written to until it has some or the batch is the last.

        Returns how many events were applied, and the views left to catch up one by one: none,
        unless reading or decoding a batch failed (each view then meets the failure on its own
        and is stalled by it, or not, as before)."""
        recorder, mapper, name = self.app.recorder, self.app.mapper, self.app.name
        at: dict[str, int] = {}  # where each view is, its batches without events included
        written: dict[str, int] = {}  # where its tracking says it is
        going: list[BatchProjection] = []
        for projection in due:
            try:
                at[projection.name] = written[projection.name] = projection.view.position(name)
            except Exception as e:  # its tracking, its datastore...
                self._stalled(projection, None, e)
                continue
            going.append(projection)
        wants = {p.name: frozenset(p.topics) for p in going}
        applied = 0
        while not (interrupt is not None and interrupt.is_set()):
            behind = [p for p in going if at[p.name] < head]
            if not behind:
                break
            start = min(at[p.name] for p in behind)
            topics = ([] if any(not wants[p.name] for p in behind)
                      else sorted(set().union(*(wants[p.name] for p in behind))))
            try:
                rows = recorder.select_notifications(start=start + 1, limit=self.batch_size,
                                                     stop=head, topics=topics)
                events = [mapper.to_domain_event(n) for n in rows]
            except Exception:  # each view reads and decodes its own events, and fails alone
                return applied, going
            end = rows[-1].id if len(rows) == self.batch_size else head
            for projection in behind:
                view, was = projection.name, at[projection.name]
                if was >= end:
                    continue
                wanted = wants[view]
                batch = [(e, n) for e, n in zip(events, rows, strict=True)
                         if n.id > was and (not wanted or n.topic in wanted)]
                if not batch and end < head:
                    at[view] = end
                    if progress:
                        progress(end - was)
                    continue
                done = self._apply_or_stall(projection, batch, end, written[view])
                if done is None:
                    going.remove(projection)
                    continue
                reached, count = done
                if count is not None:  # None: another runner had moved it (no progress told)
                    applied += count
                    if progress:
                        progress(reached - was)
                at[view] = written[view] = reached
        for projection in list(going):  # tracking for the batches without events
            view = projection.name
            if at[view] > written[view] and self._apply_or_stall(
                    projection, [], at[view], written[view]) is None:
                going.remove(projection)
                continue
            if view in self.stalls and at[view] >= head:
                self._recovered(projection, at[view])
        return applied, []

    def _apply_or_stall(self, projection: BatchProjection, batch: list[tuple[Any, Any]],
                        end: int, written: int) -> tuple[int, int | None] | None:
        """:meth:`_apply`, or None when the view is stalled by what it met."""
        try:
            return self._apply(projection, batch, end, written)
        except _Stuck as stuck:
            self._stalled(projection, stuck.notification, stuck.error)
        except Exception as e:  # not while applying: its tracking...
            self._stalled(projection, None, e)
        return None

    def _apply(self, projection: BatchProjection, batch: list[tuple[Any, Any]], end: int,
               written: int) -> tuple[int, int | None]:
        """Apply ``batch`` (events and their notifications) with tracking ``end``; return the
        position reached and how many events were applied. As in :meth:`_catch_up_one`: if
        the view has moved past ``written`` meanwhile (another runner), its position and None
        are returned; otherwise a failure is retried one event at a time."""
        name = self.app.name
        try:
            projection.apply_batch([(e, n.id) for e, n in batch], Tracking(name, end))
        except Exception as e:
            moved = projection.view.position(name)
            if moved > written:  # another runner applied them meanwhile: go on from there
                return moved, None
            return self._one_by_one(projection, batch, end, e), len(batch)
        return end, len(batch)

    def _catch_up_one(self, projection: BatchProjection, head: int,
                      progress: Callable[[int], None] | None,
                      interrupt: threading.Event | None) -> tuple[int, int]:
        recorder, mapper, name = self.app.recorder, self.app.mapper, self.app.name
        position = projection.view.position(name)
        applied = 0
        while position < head and not (interrupt and interrupt.is_set()):
            rows = recorder.select_notifications(start=position + 1, limit=self.batch_size,
                                                 stop=head, topics=list(projection.topics))
            end = rows[-1].id if len(rows) == self.batch_size else head
            batch = [(mapper.to_domain_event(n), n) for n in rows]
            reached, count = self._apply(projection, batch, end, position)
            if count is not None:  # None: another runner had moved it (no progress told)
                applied += count
                if progress:
                    progress(reached - position)
            position = reached
        return applied, position

    def _one_by_one(self, projection: BatchProjection, batch: list[tuple[Any, Any]],
                    new_position: int, error: BaseException) -> int:
        """A batch failed: apply it again one event at a time (each committed with its own
        tracking), so the events before the culprit are kept and the culprit is named.
        Returns the position reached."""
        name = self.app.name
        if len(batch) == 1:
            raise _Stuck(batch[0][1], error) from error
        for event, notification in batch:
            try:
                projection.apply_batch([(event, notification.id)],
                                       Tracking(name, notification.id))
            except Exception as e:
                moved = projection.view.position(name)
                if moved >= notification.id:  # another runner got there first
                    return moved
                raise _Stuck(notification, e) from e
        if new_position > (batch[-1][1].id if batch else 0):
            try:
                projection.apply_batch([], Tracking(name, new_position))
            except Exception as e:
                moved = projection.view.position(name)
                if moved >= new_position:
                    return moved
                raise _Stuck(None, e) from e
        return new_position

    def lag(self) -> dict[str, int]:
        head = self.head()
        return {p.name: head - p.view.position(self.app.name) for p in self.projections}

    def positions(self, conn: psycopg.Connection[Any]) -> tuple[int, dict[str, int | None]]:
        """The head and each view's position (None: its tracking cannot be read), read on
        ``conn`` (autocommit) with the library's statements, so a caller with its own
        connection does not wait on the runner's pools."""
        with conn.cursor() as cur:
            cur.execute(self.app.recorder.max_notification_id_statement)
            row = cur.fetchone()
            head = int(row[0] or 0) if row else 0
            found: dict[str, int | None] = {}
            for p in self.projections:
                try:
                    cur.execute(p.view.max_tracking_id_statement, (self.app.name,))
                except psycopg.DatabaseError:  # its tracking table is gone: that view only
                    found[p.name] = None
                    continue
                row = cur.fetchone()
                found[p.name] = int(row[0] or 0) if row else 0
        return head, found

    # -- stalls --------------------------------------------------------------------------
    def _load_stalls(self) -> None:
        """Once: the stalls a previous runner recorded, so their recovery is noticed."""
        if self._loaded or not self.projections:
            return
        names = {p.name for p in self.projections}
        try:
            with self.projections[0].view.datastore.transaction(commit=False) as curs:
                found = status.load(curs)
        except Exception as e:  # a schema without the table (older, or a scratch one)
            log.warning("projections: cannot read the recorded stalls: %s", e)
            found = {}
        self._loaded = True
        for name, stall in found.items():
            if name in names and name not in self.stalls:
                self.stalls[name] = stall
                self._due[name] = 0.0

    def _stalled(self, projection: BatchProjection, notification: Any,
                 error: BaseException) -> None:
        name, now = projection.name, datetime.now(UTC)
        kind, message = status.describe(error)
        previous = self.stalls.get(name)
        attempts = previous.attempts + 1 if previous else 1
        delay = min(self.retry_min * 2 ** min(attempts - 1, 30), self.retry_max)
        stall = Stall(
            projection=name, position=notification.id if notification is not None else None,
            topic=notification.topic if notification is not None else None,
            originator_id=str(notification.originator_id) if notification is not None else None,
            error_type=kind, error=message, since=previous.since if previous else now,
            attempts=attempts, last_attempt=now, next_attempt=now + timedelta(seconds=delay))
        self.stalls[name] = stall
        self._due[name] = time.monotonic() + delay
        key = (stall.position, kind, message)
        if self._logged.get(name) != key:  # the first time, and whenever the error changes
            self._logged[name] = key
            log.warning("projection '%s' is stalled at position %s (%s, %s): %s: %s; "
                        "retrying in %.1fs", name, stall.position, stall.topic,
                        stall.originator_id, kind, message, delay,
                        exc_info=(type(error), error, error.__traceback__))
        else:
            log.warning("projection '%s' still stalled at position %s after %d attempts "
                        "(since %s): %s: %s; retrying in %.1fs", name, stall.position,
                        attempts, stall.since.isoformat(timespec="seconds"), kind, message,
                        delay)
        self._write_status(projection, lambda curs: status.save(curs, stall))

    def _recovered(self, projection: BatchProjection, position: int) -> None:
        name = projection.name
        stall = self.stalls.pop(name)
        self._due.pop(name, None)
        self._logged.pop(name, None)
        log.warning("projection '%s' recovered: past position %s (stalled since %s, %d "
                    "attempts), now at %d", name, stall.position,
                    stall.since.isoformat(timespec="seconds"), stall.attempts, position)
        self._write_status(projection, lambda curs: status.clear(curs, name))

    def _write_status(self, projection: BatchProjection, write: Callable[[Any], None]) -> None:
        try:
            with projection.view.datastore.transaction(commit=True) as curs:
                write(curs)
        except Exception as e:  # the stall is still in memory and in the log
            if not self._status_failing:
                log.warning("projections: cannot record the views' state: %s", e)
            self._status_failing = True
        else:
            self._status_failing = False

    # -- following live -------------------------------------------------------------------
    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self.run_forever, name="projections",
                                        daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._wake()
            self._thread.join(timeout=10)
            self._thread = None

    def _wake(self) -> None:
        """End the listener's wait now rather than at its next poll (up to half a second:
        every stop, Ctrl-C included, paid it)."""
        if not self.listen_url or self._thread is None or not self._thread.is_alive():
            return
        try:
            with psycopg.connect(self.listen_url, autocommit=True, connect_timeout=2) as conn:
                conn.execute(SQL("NOTIFY {}").format(
                    Identifier(self.app.recorder.channel_name)))
        except psycopg.Error:  # the database is away: the poll ends the wait anyway
            pass

    def run_forever(self) -> None:
        """Catch up, then wait for NOTIFY (or a short poll) and catch up again. A stalled
        view is retried on its back-off while the others follow the log; a database outage
        is retried with a back-off too, logged once per step."""
        pause, failing = self.retry_min, None
        while not self._stop.is_set():
            try:
                with self._listener() as conn:
                    while not self._stop.is_set():
                        self._cycle(None, self._stop, only_due=True)
                        if failing is not None:
                            log.warning("projections: running again after %s", failing[0])
                        pause, failing = self.retry_min, None
                        self._wait(conn)
            except Exception as e:  # database gone, the LISTEN connection lost...
                self.error = e
                key = status.describe(e)
                log.warning("projections: %s: %s; retrying in %.1fs", *key, pause,
                            exc_info=(type(e), e, e.__traceback__) if key != failing else None)
                failing = key
                self._stop.wait(pause)
                pause = min(pause * 2, self.retry_max)

    def _wait(self, conn: Any) -> None:
        """Until a NOTIFY, a short poll, or the next stalled view's attempt."""
        timeout = 0.5
        if self._due:
            timeout = max(0.05, min(timeout, min(self._due.values()) - time.monotonic()))
        if conn is not None:
            for _ in conn.notifies(timeout=timeout, stop_after=1):
                pass
        else:
            self._stop.wait(min(timeout, 0.2))

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

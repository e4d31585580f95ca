"""The repository of thidua: the library's, with an aggregate cache that stays correct when
several processes write to one store, and a load of several aggregates in one query.

A cached aggregate is brought up to date by one query for newer events every time it is
loaded (fast-forward), so a write by another worker counts at once. Unlike the library's
own fast-forward, a cached aggregate is never changed in place: newer events are applied to
a copy, which replaces it. So a cached aggregate can be handed out without a copy to code
that only reads it (``deepcopy_from_cache=False``), while any other load gets a private
deep copy, which a use case may change and then drop on failure without touching the cache.
Only aggregates rebuilt from stored events are cached, never one a use case changed (after a
save, the events are decoded from the bytes recorded and applied to the cached version).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from copy import deepcopy
from itertools import chain
from typing import Any
from uuid import UUID

import psycopg
from eventsourcing.application import AggregateNotFoundError, Repository, project_aggregate
from eventsourcing.domain import CanInitAggregate
from eventsourcing.persistence import (
    InterfaceError,
    OperationalError,
    PersistenceError,
    StoredEvent,
)
from eventsourcing.postgres import PostgresAggregateRecorder
from eventsourcing.utils import retry
from psycopg.rows import tuple_row
from psycopg.sql import SQL, Identifier

from domain.kernel.errors import DomainError, UnreadableRecord

log = logging.getLogger(__name__)

# One aggregate's part of a load of several in one query: for a cached one, the events after
# its cached version; for another, its newest snapshot and the events after that. The parts
# are joined with UNION ALL (one prepared statement per mix of the two kinds).
AFTER_VERSION = ("SELECT 0, originator_id, originator_version, topic, state FROM {events} "
                 "WHERE originator_id = %s AND originator_version > %s")
FROM_SNAPSHOT = (
    "SELECT * FROM (SELECT 1, originator_id, originator_version, topic, state "
    "FROM {snapshots} WHERE originator_id = %s ORDER BY originator_version DESC LIMIT 1) s "
    "UNION ALL SELECT 0, originator_id, originator_version, topic, state FROM {events} "
    "WHERE originator_id = %s AND originator_version > COALESCE((SELECT "
    "max(originator_version) FROM {snapshots} WHERE originator_id = %s), -1)")


# Aggregates to read with the next load of several in this context, and what to hand them to
# (see ``ride_with_next_load``).
_rider: ContextVar[tuple[tuple[Any, ...], Callable[[dict[Any, Any]], None]] | None] = \
    ContextVar("rider", default=None)


def ride_with_next_load(ids: Sequence[Any], then: Callable[[dict[Any, Any]], None]) -> None:
    """Read the aggregates ``ids`` in the same query as the next load of several
    (:meth:`CachingRepository.get_many`) in this context, and hand their current state to
    ``then`` (id -> aggregate or None) before that load returns; once. Replaces any rider
    set before."""
    _rider.set((tuple(ids), then))


def drop_rider() -> None:
    """Forget the rider set in this context, if any (it is not read)."""
    _rider.set(None)


# Failures of the database or of the request, not of a record's stored events.
PASSED_ON = (AggregateNotFoundError, DomainError, PersistenceError, psycopg.Error)


@contextmanager
def rebuilding(aggregate_id: Any) -> Iterator[None]:
    """Turn a failure to decode or apply the stored events of ``aggregate_id`` (an event
    changed in the database: a topic, a state that no longer fits) into UnreadableRecord."""
    try:
        yield
    except PASSED_ON:
        raise
    except Exception as e:
        log.error("the stored events of %s cannot be rebuilt", aggregate_id, exc_info=True)
        raise UnreadableRecord(aggregate_id, e) from e


class CachingRepository(Repository[UUID]):
    """See the module's docstring."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._put_lock = threading.Lock()
        self._select_many: Any = None
        self._statements: dict[str, str] = {}
        events = getattr(self.event_store, "recorder", None)
        snapshots = getattr(self.snapshot_store, "recorder", None)
        if isinstance(events, PostgresAggregateRecorder) and \
                isinstance(snapshots, PostgresAggregateRecorder):
            store = events.datastore
            tables = {
                "events": SQL("{}.{}").format(Identifier(store.schema),
                                              Identifier(events.events_table_name)),
                "snapshots": SQL("{}.{}").format(Identifier(store.schema),
                                                 Identifier(snapshots.events_table_name))}
            self._select_many = (
                store, SQL(AFTER_VERSION).format(**tables).as_string(None),
                SQL(FROM_SNAPSHOT).format(**tables).as_string(None))

    def cached(self, aggregate_id: Any) -> Any | None:
        """The cached aggregate as it is (maybe out of date; never change it), or None."""
        if self.cache is None:
            return None
        try:
            return self.cache.get(aggregate_id)
        except KeyError:
            return None

    def get(self, aggregate_id: Any, *, version: int | None = None,
            projector_func: Any = project_aggregate, fastforward_skipping: bool = False,
            deepcopy_from_cache: bool = True) -> Any:
        with rebuilding(aggregate_id):
            return self._get(aggregate_id, version, projector_func, fastforward_skipping,
                             deepcopy_from_cache)

    def _get(self, aggregate_id: Any, version: int | None, projector_func: Any,
             fastforward_skipping: bool, deepcopy_from_cache: bool) -> Any:
        cache = self.cache
        if cache is None or version is not None:
            return super().get(aggregate_id, version=version, projector_func=projector_func,
                               fastforward_skipping=fastforward_skipping,
                               deepcopy_from_cache=deepcopy_from_cache)
        if self._select_many is not None and projector_func is project_aggregate:
            aggregate: Any = self.get_many([aggregate_id])[aggregate_id]
            if aggregate is None:
                raise AggregateNotFoundError(f"Aggregate {aggregate_id!r} not found.")
        else:
            try:
                aggregate = cache.get(aggregate_id)
            except KeyError:
                aggregate = self._reconstruct_aggregate(aggregate_id, None, projector_func)
                self._keep(aggregate_id, aggregate)
            else:
                newer = list(self.event_store.get(originator_id=aggregate_id,
                                                  gt=aggregate.version))
                if newer:
                    aggregate = self._forward(aggregate_id, aggregate, newer, projector_func)
        if deepcopy_from_cache and self.deepcopy_from_cache:
            return deepcopy(aggregate)
        return aggregate

    def get_many(self, aggregate_ids: Sequence[Any]) -> dict[Any, Any]:
        """The current state of each of these aggregates (None for one with no events), as
        shared objects that must not be changed (copy one to change it). With the cache
        and PostgreSQL it takes one query, whether they are cached or not."""
        ids = list(dict.fromkeys(aggregate_ids))
        if self.cache is None or self._select_many is None:
            return {i: self._get_or_none(i) for i in ids}
        rider = _rider.get()
        if rider is not None:
            _rider.set(None)
            asked, ids = ids, list(dict.fromkeys([*ids, *rider[0]]))
        cached: dict[Any, Any] = {i: self.cached(i) for i in ids}
        by_text = {str(i): i for i in ids}
        events: dict[Any, list[Any]] = {i: [] for i in ids}
        snapshots: dict[Any, Any] = {}
        snapshot_mapper = self.snapshot_store.mapper  # type: ignore[union-attr]
        for is_snapshot, oid, version, topic, state in self._select_rows(
                ids, [None if cached[i] is None else cached[i].version for i in ids]):
            stored = StoredEvent(originator_id=oid, originator_version=version, topic=topic,
                                 state=bytes(state))
            with rebuilding(oid):
                if is_snapshot:
                    snapshots[by_text[str(oid)]] = snapshot_mapper.to_domain_event(stored)
                else:
                    events[by_text[str(oid)]].append(
                        self.event_store.mapper.to_domain_event(stored))
        found: dict[Any, Any] = {}
        for i in ids:
            current = cached[i]
            if current is not None:
                with rebuilding(i):
                    found[i] = self._forward(i, current, events[i]) if events[i] else current
                continue
            start = [snapshots[i]] if i in snapshots else []
            with rebuilding(i):
                aggregate = project_aggregate(None, chain(start, events[i]))
            if aggregate is not None:
                self._keep(i, aggregate)
            found[i] = aggregate
        if rider is not None:
            rider[1]({i: found[i] for i in rider[0]})
            return {i: found[i] for i in asked}
        return found

    def remember(self, recordings: Iterable[Any]) -> None:
        """Bring the cache up to date with events this process has just recorded: decoded
        from the very bytes stored, and applied to the cached version just before them (or
        from nothing, for an aggregate they create), just as a later load would apply them
        from the store. Anything else (no cached version right before them) is left to the
        next load."""
        if self.cache is None:
            return
        recorded: dict[Any, list[Any]] = {}
        for recording in recordings:
            stored = recording.notification
            recorded.setdefault(stored.originator_id, []).append(
                self.event_store.mapper.to_domain_event(stored))
        for aggregate_id, events in recorded.items():
            events.sort(key=lambda e: e.originator_version)
            current = self.cached(aggregate_id)
            if current is not None and current.version == events[0].originator_version - 1:
                self._forward(aggregate_id, current, events)
            elif current is None and isinstance(events[0], CanInitAggregate):
                created = project_aggregate(None, events)
                if created is not None:
                    self._keep(aggregate_id, created)

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def _select_rows(self, ids: list[Any], after: list[int | None]) -> list[Any]:
        """(is snapshot, originator id, version, topic, state) rows, by id and version."""
        store, after_version, from_snapshot = self._select_many
        kinds = "".join("s" if v is None else "v" for v in after)
        statement = self._statements.get(kinds)
        if statement is None:
            statement = " UNION ALL ".join(
                f"({from_snapshot if k == 's' else after_version})" for k in kinds) + \
                " ORDER BY 2, 3"
            if len(self._statements) < 100:
                self._statements[kinds] = statement
        params: list[Any] = []
        for i, v in zip(ids, after, strict=True):
            params += [i, i, i] if v is None else [i, v]
        with store.get_connection() as conn, conn.cursor(row_factory=tuple_row) as cursor:
            cursor.execute(statement, params, prepare=True)
            return list(cursor.fetchall())

    def _get_or_none(self, aggregate_id: Any) -> Any:
        try:
            return self.get(aggregate_id, deepcopy_from_cache=False)
        except AggregateNotFoundError:
            return None

    def _forward(self, aggregate_id: Any, aggregate: Any, newer: Iterable[Any],
                 projector_func: Any = project_aggregate) -> Any:
        """The cached ``aggregate`` brought up to date with ``newer`` events, on a copy."""
        forwarded = projector_func(deepcopy(aggregate), newer)
        if forwarded is None:
            raise AggregateNotFoundError(aggregate_id)
        self._keep(aggregate_id, forwarded)
        return forwarded

    def _keep(self, aggregate_id: Any, aggregate: Any) -> None:
        """Cache ``aggregate`` unless a later version of it is cached already (two threads
        may bring the same aggregate up to date at once)."""
        assert self.cache is not None
        with self._put_lock:
            current = self.cached(aggregate_id)
            if current is None or current.version <= aggregate.version:
                self.cache.put(aggregate_id, aggregate)

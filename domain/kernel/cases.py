"""The plumbing every use case shares: load, authorise, act with the actor bound, save."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from copy import deepcopy
from datetime import UTC, date, datetime
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, Repository
from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import Environment, EnvType

from domain.kernel.actor import Actor, acting
from domain.kernel.base import ThiduaAggregate
from domain.kernel.dates import vietnam_day
from domain.kernel.errors import Conflict, NotAuthorised, NotFound
from domain.kernel.idempotency import IdempotencyKey, idempotency_id
from domain.kernel.result import Done
from domain.kernel.rights import UNITLESS_ROLES, authorise
from domain.organisation.units import Unit, check_code, unit_id
from domain.store.repository import CachingRepository, drop_rider, ride_with_next_load

A = TypeVar("A", bound=ThiduaAggregate)
log = logging.getLogger(__name__)

# Aggregates loaded up front for the use case in progress (see UseCases.prefetched).
_prefetched: ContextVar[dict[Any, Any] | None] = ContextVar("prefetched", default=None)


class AssumptionFailed(Exception):
    """An aggregate the caller assumed at a version (:meth:`UseCases.assume`) has moved on:
    nothing was saved; the caller starts again from the store."""


class Assumed:
    """Aggregates assumed to be at these versions, and whether they were, once read."""

    def __init__(self, versions: dict[Any, int]) -> None:
        self.versions = versions
        self.holds: bool | None = None  # None: not read yet

    def settle(self, found: dict[Any, Any]) -> None:
        self.holds = all(getattr(found.get(i), "version", None) == v
                         for i, v in self.versions.items())


# What the use cases in progress assume (see UseCases.assume).
_assumed: ContextVar[Assumed | None] = ContextVar("assumed", default=None)


class UseCases(Application[UUID]):
    """Base of every area's mixin of use cases (and so of the one Application)."""

    name = "thidua"
    # The clock that deadlines are judged by; tests replace it on the instance.
    clock: Callable[[], datetime] = staticmethod(lambda: datetime.now(UTC))

    def now(self) -> datetime:
        return self.clock()

    def construct_env(self, name: str, env: EnvType | None = None) -> Environment:
        """Only the configuration given, never ``os.environ``: the library would prefer any
        ``THIDUA_``-prefixed variable it finds there over what the composition root passed
        (``THIDUA_POSTGRES_DBNAME`` over DATABASE_URL). web/settings.py reads the environment,
        once. With nothing given, the store is the library's in-memory one."""
        given = dict(type(self).env)
        if type(self).is_snapshotting_enabled or type(self).snapshotting_intervals:
            given["IS_SNAPSHOTTING_ENABLED"] = "y"
        given.update(env or {})
        return Environment(name, given)

    def construct_repository(self) -> Repository[UUID]:
        """The repository, with an LRU cache of AGGREGATE_CACHE_MAXSIZE aggregates (none
        when unset or 0). A cached aggregate is always brought up to date from the store
        before use (fast-forward), whatever AGGREGATE_CACHE_FASTFORWARD says: several
        processes write to one store; and a load for a change always gets a copy, whatever
        DEEPCOPY_FROM_AGGREGATE_CACHE says."""
        size = int(self.env.get(self.AGGREGATE_CACHE_MAXSIZE) or 0)
        return CachingRepository(
            event_store=self.events,
            snapshot_store=self.snapshots,
            cache_maxsize=size if size > 0 else None,
            fastforward=True,
            deepcopy_from_cache=True,  # a use case changes its own copy, never the cache
        )

    @contextmanager
    def prefetched(self, *aggregate_ids: Any) -> Iterator[None]:
        """Load these aggregates in one query now; in the block, a load of one of them
        (:meth:`fetch`, :meth:`load`) takes it from there instead of asking the store again,
        until something is saved. Only a saving on round trips: the use case loads and
        checks in the same order as without it."""
        repository = self.repository
        found = None
        if aggregate_ids and isinstance(repository, CachingRepository) and repository.cache:
            found = repository.get_many(aggregate_ids)
        token = _prefetched.set(found)
        try:
            yield
        finally:
            _prefetched.reset(token)

    def assume(self, versions: dict[Any, int]) -> None:
        """Go on, in this context, as if these aggregates were still at these versions (the
        cached ones an answer was derived from, say): they are read with the first load of
        several that follows, in the same query (or at :meth:`commit` or
        :meth:`assumption_holds`, whichever comes first). Should one have moved on,
        :meth:`commit` saves nothing and raises :class:`AssumptionFailed`, and
        :meth:`assumption_holds` says False: what was derived from them must be derived
        again from the store."""
        state = Assumed(dict(versions))
        _assumed.set(state)
        ride_with_next_load(list(versions), state.settle)

    def assumption_holds(self) -> bool:
        """Whether what :meth:`assume` assumed holds (True when nothing is assumed); it is
        read from the store now unless a load has read it already."""
        state = _assumed.get()
        if state is None:
            return True
        if state.holds is None:
            drop_rider()
            repository = self.repository
            if isinstance(repository, CachingRepository):
                state.settle(repository.get_many(list(state.versions)))
            else:
                state.settle({i: self._current_or_none(i) for i in state.versions})
        return bool(state.holds)

    def forget_assumption(self) -> None:
        """Assume nothing more in this context."""
        _assumed.set(None)
        drop_rider()

    def _current_or_none(self, aggregate_id: Any) -> Any:
        try:
            return self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None

    @staticmethod
    def unit_of(actor: Actor) -> list[Any]:
        """The actor's unit, which :meth:`act` reads (:meth:`check_unit_in_life`), for a use
        case to prefetch with what it loads itself; nothing when the actor has none."""
        try:
            return [UUID(str(actor.unit_id))] if actor.unit_id is not None else []
        except ValueError:
            return []

    def cached(self, aggregate_id: Any) -> Any | None:
        """The cached aggregate as it is, maybe out of date (never change it), or None."""
        repository = self.repository
        return repository.cached(aggregate_id) if isinstance(repository, CachingRepository) \
            else None

    def fetch(self, aggregate_id: Any, *, readonly: bool = False) -> Any:
        """The repository's current aggregate, or AggregateNotFoundError. With ``readonly``
        it may be the cached object itself, shared with other requests: the caller must not
        change it (nor save it); otherwise it is the caller's own copy."""
        found = _prefetched.get()
        if found is not None and aggregate_id in found:
            agg = found[aggregate_id]
            if agg is None:
                raise AggregateNotFoundError(f"Aggregate {aggregate_id!r} not found.")
            return agg if readonly else deepcopy(agg)
        return self.repository.get(aggregate_id, deepcopy_from_cache=not readonly)

    def load(self, cls: type[A], aggregate_id: Any, what: str, field: str,
             version: int | None = None, *, readonly: bool = False) -> A:
        """The aggregate, or NotFound. ``readonly``: see :meth:`fetch`."""
        try:
            agg: Any = self.fetch(aggregate_id, readonly=readonly) if version is None else \
                self.repository.get(aggregate_id, version=version)
        except AggregateNotFoundError:
            raise NotFound(f"There is no {what}.", field=field, rule="exists") from None
        if not isinstance(agg, cls):
            raise NotFound(f"There is no {what}.", field=field, rule="exists")
        return agg

    def exists(self, aggregate_id: Any) -> bool:
        return bool(self.recorder.select_events(aggregate_id, limit=1))

    def unit(self, code: str, field: str = "code", *, readonly: bool = False) -> Unit:
        """The unit with this code (đơn vị), or NotFound naming the field. ``readonly``:
        see :meth:`load`."""
        check_code(code, field)
        return self.load(Unit, unit_id(code), what=f"unit with code '{code}'", field=field,
                         readonly=readonly)

    def commit(self, *aggregates: ThiduaAggregate) -> int:
        """Save atomically; return the position of the last event (0 if nothing changed)."""
        found = _prefetched.get()
        if found:
            found.clear()  # loads after a save ask the store again
        if not self.assumption_holds():
            raise AssumptionFailed("an aggregate assumed at a version has changed")
        try:
            recordings = self.save(*aggregates)
        except IntegrityError:
            first = aggregates[0] if aggregates else None
            current = None
            if first is not None:
                events = self.recorder.select_events(first.id, desc=True, limit=1)
                current = events[0].originator_version if events else None
            raise Conflict("Someone else changed this record at the same moment; read it "
                           "again and retry.", current_version=current,
                           rule="concurrent_change") from None
        if not recordings:
            return 0
        if isinstance(self.repository, CachingRepository):
            try:
                self.repository.remember(recordings)
            except Exception:  # the write stands; the next load reads the store
                log.exception("could not bring the aggregate cache up to date after a save")
        return int(recordings[-1].notification.id)

    def act(self, actor: Actor, act: str,
            work: Callable[[], tuple[dict[str, Any], list[ThiduaAggregate]]],
            *, unit_id: str | None = None, group_head_units: tuple[str, ...] = (),
            reason: str | None = None) -> Done:
        """Authorise ``actor`` for ``act``, run ``work`` with the actor bound so every event
        records it, and save what ``work`` changed in one transaction.

        ``work()`` returns ``(view, changed)``: the view a caller is answered with, and the
        aggregates it changed, THE RECORD FIRST: the answer's version is the first changed
        aggregate's version after the act (the one a client sends back to change it again),
        read from what was saved, never from a load after the commit."""
        bound = authorise(actor, act, unit_id=unit_id,
                          group_head_units=group_head_units).with_reason(reason)
        self.check_unit_in_life(bound)
        key = bound.idempotency_key
        if key and self.exists(idempotency_id(bound.user_id, key)):
            raise self._already_applied()
        with acting(bound):
            view, changed = work()
            if key and changed:
                guard = IdempotencyKey(user_id=bound.user_id, key=key,
                                       fingerprint=bound.fingerprint or "")
                try:
                    position = self.commit(*changed, guard)
                except Conflict:
                    if self.exists(guard.id):
                        raise self._already_applied() from None
                    raise
            else:
                position = self.commit(*changed)
        return Done(view=view, version=changed[0].version if changed else None,
                    position=position)

    def check_unit_in_life(self, actor: Actor) -> None:
        """A user's acts for its unit stop on the day the unit ends (merged, dissolved):
        refused from that day in Vietnam, whatever the role allows, until the user is
        transferred. The roles that act for no unit (admin, auditor, inspector) go on; reads
        are not acts and go on too."""
        if actor.unit_id is None or actor.role in UNITLESS_ROLES:
            return
        try:
            unit: Any = self.fetch(UUID(str(actor.unit_id)), readonly=True)
        except (AggregateNotFoundError, ValueError):
            return
        if not isinstance(unit, Unit) or unit.ended is None:
            return
        if date.fromisoformat(unit.ended) > vietnam_day(self.now()):
            return
        successor = ""
        if unit.merged_into:
            try:
                target: Any = self.fetch(UUID(str(unit.merged_into)), readonly=True)
                successor = f" into {target.code}" if isinstance(target, Unit) else ""
            except (AggregateNotFoundError, ValueError):
                pass
        raise NotAuthorised(
            f"Your unit {unit.code} ended on {unit.ended} ({unit.end_status}{successor}); its "
            "users act for it no more from that day, though they still read what their role "
            "lets them. An administrator transfers you to the unit you now work for.",
            field="unit", rule="unit_ended")

    @staticmethod
    def _already_applied() -> Conflict:
        return Conflict("This request (its Idempotency-Key) was already applied; nothing was "
                        "recorded twice.", rule="idempotency_key_used")

    @staticmethod
    def check_version(agg: ThiduaAggregate, expected: int | None, what: str) -> None:
        if expected is not None and agg.version != expected:
            raise Conflict(f"The {what} is at version {agg.version}, not {expected}: it changed "
                           "since you read it.", current_version=agg.version,
                           field="version", rule="stale_version")

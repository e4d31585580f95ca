"""The plumbing every use case shares: load, authorise, act with the actor bound, save."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError

from domain.actor import Actor, acting
from domain.base import ThiduaAggregate
from domain.errors import Conflict, NotFound
from domain.idempotency import IdempotencyKey, idempotency_id
from domain.rights import authorise
from domain.units import Unit, check_code, unit_id

A = TypeVar("A", bound=ThiduaAggregate)


class UseCases(Application[UUID]):
    """Base of every area's mixin of use cases (and so of the one Application)."""

    name = "thidua"
    # The clock that deadlines are judged by; tests replace it on the instance.
    clock: Callable[[], datetime] = staticmethod(lambda: datetime.now(UTC))

    def now(self) -> datetime:
        return self.clock()

    def load(self, cls: type[A], aggregate_id: Any, what: str, field: str,
             version: int | None = None) -> A:
        try:
            agg: Any = self.repository.get(aggregate_id, version=version)
        except AggregateNotFoundError:
            raise NotFound(f"There is no {what}.", field=field, rule="exists") from None
        if not isinstance(agg, cls):
            raise NotFound(f"There is no {what}.", field=field, rule="exists")
        return agg

    def exists(self, aggregate_id: Any) -> bool:
        return bool(self.recorder.select_events(aggregate_id, limit=1))

    def unit(self, code: str, field: str = "code") -> Unit:
        """The unit with this code (đơn vị), or NotFound naming the field."""
        check_code(code, field)
        return self.load(Unit, unit_id(code), what=f"unit with code '{code}'", field=field)

    def commit(self, *aggregates: ThiduaAggregate) -> int:
        """Save atomically; return the position of the last event (0 if nothing changed)."""
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
        return int(recordings[-1].notification.id)

    def act(self, actor: Actor, act: str, work: Callable[[], tuple[Any, list[Any]]],
            *, unit_id: str | None = None, group_head_units: tuple[str, ...] = (),
            reason: str | None = None) -> tuple[Any, int]:
        """Authorise ``actor`` for ``act``, run ``work`` with the actor bound so every event
        records it, and save what ``work`` changed in one transaction."""
        bound = authorise(actor, act, unit_id=unit_id,
                          group_head_units=group_head_units).with_reason(reason)
        key = bound.idempotency_key
        if key and self.exists(idempotency_id(bound.user_id, key)):
            raise self._already_applied()
        with acting(bound):
            result, changed = work()
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
        return result, position

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

"""A client's Idempotency-Key, recorded in the same atomic save as the act it guards, so a
retried request can never record its events twice, whatever happens to the response."""

from __future__ import annotations

from typing import Any

from eventsourcing.domain import event

from domain.kernel.base import ThiduaAggregate, stable_id


def idempotency_id(user_id: str, key: str) -> Any:
    return stable_id("idempotency", user_id, key)


class IdempotencyKey(ThiduaAggregate):
    """One per (user, key): exists once the request it names has been applied."""

    TOPIC = "thidua:IdempotencyKey"

    class Event(ThiduaAggregate.Event):
        TOPIC = "thidua:IdempotencyKey.Event"

    @staticmethod
    def create_id(user_id: str, key: str) -> Any:
        return idempotency_id(user_id, key)

    @event("Used", topic="thidua:IdempotencyKey.Used")
    def __init__(self, user_id: str, key: str, fingerprint: str) -> None:
        self.user_id = user_id
        self.key = key
        self.fingerprint = fingerprint

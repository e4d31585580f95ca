"""Who acts: the principal behind every event, carried as event metadata.

The web layer (or the CLI) builds an :class:`Actor` from the token and binds it for the
duration of one use case; every event triggered meanwhile records it.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from typing import Any

ROLES = (
    "officer",
    "unit_head",
    "group_secretariat",
    "leader",
    "standing_office",
    "auditor",
    "inspector",
    "admin",
)


@dataclass(frozen=True)
class Actor:
    """The acting principal: a user, the roles it holds, the unit it acts for."""

    user_id: str
    user_name: str
    roles: tuple[str, ...]
    unit_id: str | None
    unit_code: str | None = None
    request_id: str | None = None
    source: str | None = None
    reason: str | None = None
    assigned_units: tuple[str, ...] = field(default=())
    role: str | None = None  # the role that authorised the current act
    idempotency_key: str | None = None  # the client's Idempotency-Key, if it sent one
    fingerprint: str | None = None  # hash of the request that key belongs to

    def has(self, role: str) -> bool:
        return role in self.roles

    def acting_as(self, role: str) -> Actor:
        return replace(self, role=role)

    def with_reason(self, reason: str | None) -> Actor:
        return replace(self, reason=reason) if reason else self

    def metadata(self) -> dict[str, Any]:
        """The actor metadata every event carries (architecture.md, 'One request')."""
        data = asdict(self)
        data["roles"] = list(self.roles)
        data.pop("assigned_units")
        data.pop("fingerprint")
        if data["idempotency_key"] is None:
            data.pop("idempotency_key")
        return data


SYSTEM = Actor(user_id="system", user_name="thidua", roles=("admin",), unit_id=None,
               role="admin", source="cli")

_current: contextvars.ContextVar[Actor | None] = contextvars.ContextVar("actor", default=None)


def current_actor() -> Actor:
    """The actor bound for the act in progress; the system actor outside any act."""
    return _current.get() or SYSTEM


@contextmanager
def acting(actor: Actor) -> Iterator[Actor]:
    """Bind ``actor`` for the events triggered inside the block."""
    token = _current.set(actor)
    try:
        yield actor
    finally:
        _current.reset(token)

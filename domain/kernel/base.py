"""The aggregate base: explicit stable topics and actor metadata on every event."""

from __future__ import annotations

from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from domain.kernel.actor import current_actor
from domain.kernel.text import storable

NAMESPACE = uuid5(NAMESPACE_URL, "https://thidua.baohiemxahoi.gov.vn/")


def stable_id(*parts: object) -> UUID:
    """A deterministic aggregate id from natural keys (a unit code, a year...)."""
    return uuid5(NAMESPACE, "/".join(str(p) for p in parts))


class ThiduaAggregate(Aggregate):
    """Base of every aggregate. Events carry ``actor``: who did it, for which unit, from where.

    Subclasses set ``TOPIC`` and give every event an explicit ``topic=`` so the stored events
    stay readable when classes move (eventsourcing-notes.md, trap 2). Every event's arguments
    pass :func:`domain.kernel.text.storable` first: its texts are NFC, and one that no field
    may keep (a NUL, a lone surrogate...) refuses the event, whatever path the act came by.
    """

    class Event(Aggregate.Event):
        actor: dict[str, Any]

    @classmethod
    def _create(cls, event_class: Any, *, id: Any = None, **kwargs: Any) -> Any:  # noqa: A002
        if kwargs.get("actor") is None:  # None too: as trigger_event, below
            kwargs["actor"] = current_actor().metadata()
        return super()._create(event_class, id=id, **storable(kwargs))

    def trigger_event(self, event_class: Any, **kwargs: Any) -> None:
        # None too: a mutator that reads its event's actor declares ``actor=None``, and the
        # library passes that default along when the command does not name it.
        if kwargs.get("actor") is None:
            kwargs["actor"] = current_actor().metadata()
        super().trigger_event(event_class, **storable(kwargs))

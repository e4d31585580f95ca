"""What is secret: the one statement the audit trail and the as-of reads both use.

A field named in :data:`SECRET_FIELDS`, or in an event class's ``AUDIT_REDACT`` tuple, never
leaves the store: not in an audit line (projections/audit_record.py), not in a record rebuilt as of
a moment (domain/store/history.py). An aggregate's state is redacted by the names its event classes
declare, since an event's fields become its aggregate's attributes.
"""

from __future__ import annotations

import functools
from typing import Any

from eventsourcing.domain import CanMutateAggregate

SECRET_FIELDS = frozenset({"token_hash", "secret", "password", "password_hash"})


@functools.cache
def secret_fields(cls: Any) -> frozenset[str]:
    """The secret fields of an event class, or of an aggregate class (its own
    ``AUDIT_REDACT`` and that of every event class it defines or inherits)."""
    if cls is None:
        return SECRET_FIELDS
    names = set(getattr(cls, "AUDIT_REDACT", ()))
    if not (isinstance(cls, type) and issubclass(cls, CanMutateAggregate)):
        for klass in getattr(cls, "__mro__", ()):
            for value in vars(klass).values():
                if isinstance(value, type) and issubclass(value, CanMutateAggregate):
                    names.update(getattr(value, "AUDIT_REDACT", ()))
    return SECRET_FIELDS | frozenset(names)

"""Ids given by clients: UUIDs, parsed once, with the field named when malformed."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.kernel.errors import InvalidInput


def parse_uuid(value: Any, field: str) -> UUID:
    """``value`` as a UUID, or InvalidInput naming ``field``."""
    try:
        return UUID(str(value))
    except ValueError:
        raise InvalidInput(f"'{value}' is not an id (a UUID).", field=field,
                           rule="uuid_format") from None

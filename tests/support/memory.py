"""The domain on the in-memory event store (eventsourcing's POPO persistence): use cases
and their rules tested end to end in milliseconds, with no database. What needs PostgreSQL
(the views, as-of reads through SQL, the audit trail) is tested in tests/api and beyond."""

from __future__ import annotations

from typing import Any

import pytest

from domain.application import Thidua
from domain.kernel.actor import Actor


def memory_thidua() -> Thidua:
    return Thidua(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})


def officer_of(app: Thidua, code: str, roles: tuple[str, ...] = ("officer",)) -> Actor:
    """An actor acting for unit ``code`` (as a token of that unit's user would)."""
    return Actor(user_id=f"mem:{code}", user_name=f"officer-{code}", roles=roles,
                 unit_id=str(app.unit(code).id), unit_code=code)


@pytest.fixture
def memory_app() -> Any:
    app = memory_thidua()
    yield app
    app.close()

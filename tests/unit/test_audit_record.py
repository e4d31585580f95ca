"""The audit line's fast paths give exactly what the general forms give: a chain built
before them must verify after them."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta, timezone

from domain.kernel.base import NAMESPACE
from projections.audit_record import event_id, iso_time, jsonable


def test_event_id_is_uuid5_of_the_namespace():
    rnd = random.Random(5)
    for _ in range(500):
        oid = uuid.UUID(int=rnd.getrandbits(128))
        version = rnd.randint(1, 10**6)
        assert event_id(oid, version) == str(uuid.uuid5(NAMESPACE, f"{oid}/{version}"))
    assert event_id("not-a-uuid", 3) == str(uuid.uuid5(NAMESPACE, "not-a-uuid/3"))


def test_iso_time_is_the_strftime_form_in_utc():
    rnd = random.Random(6)
    zones = [UTC, timezone(timedelta(hours=7)), timezone(timedelta(hours=-5, minutes=-30))]
    for _ in range(500):
        when = datetime(2000, 1, 1, tzinfo=UTC) + timedelta(
            seconds=rnd.randint(0, 40 * 365 * 86400), microseconds=rnd.randint(0, 999_999))
        local = when.astimezone(rnd.choice(zones))
        assert iso_time(local) == when.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    naive = datetime(2024, 12, 31, 17, 0)
    assert iso_time(naive) == "2024-12-31T17:00:00.000000Z"


def test_jsonable_keeps_scalars_and_converts_the_rest():
    class Name(str):
        pass

    when = datetime(2025, 1, 2, 3, 4, 5, 6, tzinfo=UTC)
    value = {"a": [1, True, None, "x", Name("y")], 2: {"t": when, "s": {3, 1}, "f": 1.5}}
    assert jsonable(value) == {"a": [1, True, None, "x", "y"],
                               "2": {"t": "2025-01-02T03:04:05.000006Z", "s": [1, 3],
                                     "f": "1.5"}}
    assert type(jsonable(Name("y"))) is Name  # a str subclass is still a str

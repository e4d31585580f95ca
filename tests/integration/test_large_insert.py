"""A large act is one insert of thousands of events (a national reorganisation decision):
it commits, on the embedded server's Unix socket too, where the library's pipelined insert
could deadlock (psycopg #685), and the event store used is ours (inserts without pipeline)."""

from __future__ import annotations

import pytest

from domain.kernel.actor import acting
from domain.organisation.units import Unit
from domain.store.postgres import ApplicationRecorder
from tests.support.core import ROOT

pytestmark = pytest.mark.timeout(240)  # a deadlock fails here instead of hanging the suite


def test_thousands_of_events_in_one_save_commit(app):
    assert isinstance(app.recorder, ApplicationRecorder)
    long_name = "Bảo hiểm xã hội cơ sở liên huyện — " + "khu vực " * 30
    units = [Unit(code=f"L{i:05d}", name=f"{long_name}{i}", level="central", parent_id=None,
                  effective="2020-01-01") for i in range(3000)]
    for u in units[:1500]:
        u.rename(f"{long_name}{u.code} (đổi tên)", "2025-07-01")
    head = app.recorder.max_notification_id() or 0
    with acting(ROOT):
        app.save(*units)
    assert (app.recorder.max_notification_id() or 0) - head == 4500
    assert app.repository.get(units[10].id).name.endswith("(đổi tên)")

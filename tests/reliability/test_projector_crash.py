"""The projection worker killed (SIGKILL) at random points while catching up, many times:
afterwards every view equals a clean rebuild, the audit chain verifies, and the audit trail
has one row per event."""

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from domain.sample.loader import load_sample
from projections.audit_verify import verify_store
from projections.replay import rebuild_and_compare
from tests.support.core import ROOT
from web.bootstrap import build_projections
from web.database import migrate, with_search_path

pytestmark = [pytest.mark.reliability, pytest.mark.timeout(300)]
ROOT_DIR = Path(__file__).resolve().parents[2]


def positions(services):
    return {name: p.view.position(services.app.name) for name, p in services.projections.items()}


def test_killed_projector_loses_nothing(services, settings, db_url, tmp_path):
    services.runner.stop()
    app = services.app
    load_sample(app, ROOT)
    for i in range(40):
        app.rename_unit(ROOT, "P01", name=f"BHXH thành phố Hà Nội ({i})",
                        effective=f"2021-{1 + i // 28:02d}-{1 + i % 28:02d}")
    head = services.runner.head()
    assert head > 1000
    env = {**os.environ, "DATABASE_URL": db_url, "THIDUA_DATA_DIR": str(tmp_path),
           "THIDUA_SIGNING_KEY": str(settings.signing_key), "THIDUA_PROJECTION_BATCH": "7",
           "PYTHONUNBUFFERED": "1"}
    flask = str(Path(sys.executable).parent / "flask")
    rng = random.Random(20241231)
    seen = []
    log = (tmp_path / "worker.log").open("ab")
    total = head * len(services.projections)
    for _ in range(8):
        # Kill at a random point of the remaining work, judged by the views' progress rather
        # than by the clock: a fast machine finishes a catch-up before a fixed sleep ends.
        # Progress is the audit view's, which takes every event: a view with no event in a
        # batch records its position only once it has one, or at the end.
        done = positions(services)["audit"]
        target = done + rng.uniform(0.1, 0.6) * (head - done)
        worker = subprocess.Popen([flask, "--app", "web:create_app", "projections", "run"],
                                  cwd=ROOT_DIR, env=env, stdout=log, stderr=log)
        deadline = time.monotonic() + 120
        while (positions(services)["audit"] < target and worker.poll() is None
               and time.monotonic() < deadline):
            time.sleep(0.005)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
        seen.append(positions(services))
        if min(seen[-1].values()) >= head:
            break
    log.close()
    interrupted = [p for p in seen if 0 < sum(p.values()) < total]
    assert interrupted, f"no kill landed mid catch-up: {seen}"

    services.runner.catch_up()  # the last restart finishes the work
    assert all(v == head for v in positions(services).values())
    report = rebuild_and_compare(app, db_url, services.projections, "views",
                                 migrate=migrate, build=build_projections)
    assert report.equal, str(report)
    with psycopg.connect(with_search_path(db_url, "views")) as conn:
        report = verify_store(app, conn, services.extra["audit_signer"].key.public_key())
        assert not report.broken, str(report)
        audit_rows = conn.execute("SELECT count(*) FROM audit_entries").fetchone()[0]
        events = conn.execute("SELECT count(*) FROM public.thidua_events").fetchone()[0]
    assert audit_rows == events

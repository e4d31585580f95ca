"""Database outage under steady load on a real server process: 503 with Retry-After while the
database is down, recovery without a restart, and every write answered 2xx stored exactly once."""

import threading
import time

import pytest
import requests

from tests.support.database import terminate_connections

pytestmark = [pytest.mark.reliability, pytest.mark.timeout(240)]


def test_outage_then_recovery_loses_nothing(live_server):
    answers: list[tuple[str, int, str | None]] = []
    started_at: dict[str, float] = {}
    stop = threading.Event()

    def load(worker: int) -> None:
        i = 0
        while not stop.is_set() and i < 2000:
            i += 1
            code = f"W{worker}N{i:04d}"
            started_at[code] = time.monotonic()
            try:
                r = live_server.post("/units", json={"code": code, "name": f"Đơn vị {code}",
                                                     "level": "central",
                                                     "effective": "2020-01-01"})
                answers.append((code, r.status_code, r.headers.get("Retry-After")))
            except requests.RequestException:
                answers.append((code, 0, None))
            time.sleep(0.02)

    threads = [threading.Thread(target=load, args=(w,)) for w in range(3)]
    for t in threads:
        t.start()
    time.sleep(2)
    assert terminate_connections(live_server.url) > 0
    time.sleep(1)
    live_server.server.stop()  # the database goes down
    down_from = len(answers)
    time.sleep(8)
    down_answers = answers[down_from:]
    live_server.server.start()  # and comes back; the API is not restarted
    back_at = time.monotonic()
    recovered = False
    while time.monotonic() - back_at < 60 and not recovered:
        time.sleep(0.2)
        after = [status for code, status, _ in answers if started_at[code] > back_at]
        recovered = len(after) >= 20 and set(after[-20:]) == {201}
    stop.set()
    for t in threads:
        t.join(timeout=30)

    assert live_server.process.poll() is None, "the API process kept running"
    assert down_answers, "requests were answered while the database was down"
    unavailable = [a for a in down_answers if a[1] == 503]
    assert unavailable and all(a[2] for a in unavailable), "503 with Retry-After while down"
    assert {a[1] for a in down_answers} <= {201, 503}, {a[1] for a in down_answers}
    assert recovered, "20 writes in a row succeed again after the database is back"

    ok = [code for code, status, _ in answers if status == 201]
    app = live_server.services.app
    counts: dict[str, int] = {}
    for n in app.recorder.select_notifications(start=1, limit=1_000_000,
                                               topics=["thidua:Unit.Registered"]):
        code = app.mapper.to_domain_event(n).code
        counts[code] = counts.get(code, 0) + 1
    assert all(counts.get(code) == 1 for code in ok), "every 2xx write stored exactly once"
    assert max(counts.values()) == 1

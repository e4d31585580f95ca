"""Retries with an Idempotency-Key return the first result and record one event, not two."""

import threading

import pytest

pytestmark = pytest.mark.reliability

BODY = {"code": "P01", "name": "BHXH thành phố Hà Nội", "level": "province",
        "effective": "2020-01-01"}


def registered(app):
    return [n for n in app.recorder.select_notifications(start=1, limit=100_000)
            if n.topic == "thidua:Unit.Registered" and n.originator_id == app.unit("P01").id]


def test_retry_returns_the_first_answer(api):
    first = api.post("/units", json=BODY, headers={"Idempotency-Key": "k-1"})
    assert first.status_code == 201
    head = api.services.runner.head()
    again = api.post("/units", json=BODY, headers={"Idempotency-Key": "k-1"})
    assert again.status_code == 201
    assert again.get_json() == first.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert api.services.runner.head() == head
    assert len(registered(api.services.app)) == 1


def test_same_key_other_body_is_422(api):
    assert api.post("/units", json=BODY, headers={"Idempotency-Key": "k-2"}).status_code == 201
    other = api.post("/units", json={**BODY, "code": "P02"}, headers={"Idempotency-Key": "k-2"})
    assert other.status_code == 422
    assert other.get_json()["rule"] == "idempotency_key_reused"
    bad = api.post("/units", json=BODY, headers={"Idempotency-Key": "có dấu"})
    assert bad.status_code == 422 and bad.get_json()["rule"] == "idempotency_key_format"


def test_lost_answer_still_never_doubles(api):
    """The answer was lost before it was stored (a crash): the event store refuses twice."""
    assert api.post("/units", json=BODY, headers={"Idempotency-Key": "k-3"}).status_code == 201
    with api.services.reads.connection() as conn:
        conn.execute("DELETE FROM public.thidua_idempotency WHERE key = 'k-3'")
    retry = api.post("/units", json=BODY, headers={"Idempotency-Key": "k-3"})
    assert retry.status_code == 409
    assert retry.get_json()["rule"] == "idempotency_key_used"
    assert len(registered(api.services.app)) == 1


def test_concurrent_retries_record_once(api):
    barrier = threading.Barrier(5)
    statuses = []

    def send():
        client = api.client.application.test_client()
        barrier.wait()
        r = client.post("/units", json=BODY, headers={**api.headers("admin"),
                                                      "Idempotency-Key": "k-4"})
        statuses.append(r.status_code)

    threads = [threading.Thread(target=send) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses.count(201) >= 1
    assert set(statuses) <= {201, 409}
    assert len(registered(api.services.app)) == 1

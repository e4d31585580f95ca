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


def test_a_token_secret_is_never_stored_nor_replayed(api):
    api.user("can.bo", ["auditor"])
    key = {"Idempotency-Key": "tok-1"}
    first = api.post("/users/can.bo/tokens", json={"days": 30}, headers=key)
    assert first.status_code == 201
    assert first.headers["Cache-Control"] == "no-store"
    secret = first.get_json()["token"]
    assert secret.startswith("thd_")
    with api.services.reads.connection() as conn:
        rows = conn.execute("SELECT body::text, fingerprint FROM public.thidua_idempotency "
                            "WHERE key = 'tok-1'").fetchall()
    assert len(rows) == 1 and secret not in rows[0][0] and secret not in rows[0][1]
    head = api.services.runner.head()
    again = api.post("/users/can.bo/tokens", json={"days": 30}, headers=key)
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    body = again.get_json()
    assert "token" not in body and secret not in again.get_data(as_text=True)
    assert body["id"] == first.get_json()["id"] and "shown once" in body["note"]
    assert api.services.runner.head() == head, "no second token"
    # the secret issued works; without a key the answer is not cached either
    assert api.get("/units", who=None, headers={"Authorization": f"Bearer {secret}"}
                   ).status_code == 200
    plain = api.post("/users/can.bo/tokens", json={"days": 1})
    assert plain.status_code == 201 and plain.headers["Cache-Control"] == "no-store"
    assert "Cache-Control" not in api.post("/units", json=BODY).headers


def test_old_keys_are_pruned(api, settings):
    from web.app import create_app

    assert api.post("/units", json=BODY, headers={"Idempotency-Key": "old"}).status_code == 201
    assert api.post("/units", json={**BODY, "code": "P02"},
                    headers={"Idempotency-Key": "recent"}).status_code == 201
    with api.services.reads.connection() as conn:
        conn.execute("UPDATE public.thidua_idempotency SET created_at = now() - "
                     "interval '3 days' WHERE key = 'old'")
        conn.execute("UPDATE public.thidua_idempotency SET created_at = now() - "
                     "interval '47 hours' WHERE key = 'recent'")
    # a fresh process (its first claim prunes), keeping keys for 2 days
    object.__setattr__(api.services.settings, "idempotency_days", 2)
    fresh = create_app(settings, api.services)
    fresh.config["TESTING"] = True
    r = fresh.test_client().post("/units", json={**BODY, "code": "P03"}, headers={
        **api.headers("admin"), "Idempotency-Key": "new"})
    assert r.status_code == 201
    with api.services.reads.connection() as conn:
        keys = {k for (k,) in conn.execute("SELECT key FROM public.thidua_idempotency")}
    assert keys == {"recent", "new"}
    # the forgotten key is still never applied twice: the event store refuses it
    retry = api.post("/units", json=BODY, headers={"Idempotency-Key": "old"})
    assert retry.status_code == 409 and retry.get_json()["rule"] == "idempotency_key_used"

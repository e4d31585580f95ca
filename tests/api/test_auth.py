"""Users and tokens: events too; tokens random, hashed, shown once, revocable, expiring."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.support.core import ROOT


@pytest.fixture
def still(api):
    """The application's clock stopped mid-minute: failures are counted per minute by it, so
    a test's requests all fall in one minute however long they take."""
    now = datetime.now(UTC).replace(second=30, microsecond=0)
    api.services.app.clock = lambda: now
    return now


def test_token_checks(api):
    api.services.app.register_unit(ROOT, code="P01", name="BHXH tỉnh A", level="province",
                                   parent_code=None, effective="2020-01-01")
    created = api.post("/users", json={"username": "can.bo", "full_name": "Cán bộ",
                                       "roles": ["officer"], "unit_code": "P01"})
    assert created.status_code == 201, created.get_json()
    issued = api.post("/users/can.bo/tokens", json={"label": "máy 1", "days": 30})
    assert issued.status_code == 201
    secret = issued.get_json()["token"]
    assert secret.startswith("thd_") and len(secret) >= 40
    ok = api.client.get("/units", headers={"Authorization": f"Bearer {secret}"})
    assert ok.status_code == 200

    for header, rule in [({}, "token_present"),
                         ({"Authorization": "Basic abc"}, "token_present"),
                         ({"Authorization": "Bearer nonsense"}, "token_format"),
                         ({"Authorization": "Bearer thd_" + "A" * 43}, "token_known")]:
        r = api.client.get("/units", headers=header)
        assert r.status_code == 401, header
        assert r.get_json()["rule"] == rule
        assert r.headers["WWW-Authenticate"].startswith("Bearer")

    listed = api.get("/tokens?username=can.bo").get_json()["items"]
    assert len(listed) == 1 and "token" not in listed[0] and listed[0]["label"] == "máy 1"
    revoked = api.delete(f"/tokens/{issued.get_json()['id']}?reason=mất máy")
    assert revoked.status_code == 200
    r = api.client.get("/units", headers={"Authorization": f"Bearer {secret}"})
    assert r.status_code == 401 and r.get_json()["rule"] == "token_not_revoked"

    stored = b"".join(n.state for n in api.services.app.recorder.select_notifications(
        start=1, limit=10_000))
    assert secret.encode() not in stored, "only the hash is stored"


def test_expired_token_fails(api):
    app = api.services.app
    app.register_user(ROOT, username="auditor1", full_name="Kiểm toán", roles=["auditor"],
                      unit_code=None)
    secret = app.issue_token(ROOT, "auditor1", days=1).view["secret"]
    headers = {"Authorization": f"Bearer {secret}"}
    assert api.client.get("/units", headers=headers).status_code == 200
    later = app.now() + timedelta(days=2)
    app.clock = lambda: later
    r = api.client.get("/units", headers=headers)
    assert r.status_code == 401 and r.get_json()["rule"] == "token_not_expired"


def test_user_management_is_for_admins(api):
    api.services.app.register_unit(ROOT, code="P02", name="BHXH tỉnh B", level="province",
                                   parent_code=None, effective="2020-01-01")
    api.user("head2", ["unit_head"], "P02")
    r = api.post("/users", "head2", json={"username": "x.y", "full_name": "X",
                                          "roles": ["admin"]})
    assert r.status_code == 403 and r.get_json()["rule"] == "user.manage"
    r = api.get("/users", "head2")
    assert r.status_code == 403
    r = api.post("/users/head2/roles", json={"role": "officer"})
    assert r.status_code == 200 and r.get_json()["roles"] == ["unit_head", "officer"]
    r = api.post("/users/head2/roles", json={"role": "officer"})
    assert r.status_code == 422 and r.get_json()["rule"] == "role_already_held"
    r = api.delete("/users/head2/roles/unit_head?reason=nghỉ hưu")
    assert r.status_code == 200 and r.get_json()["roles"] == ["officer"]
    user = api.get("/users/head2").get_json()
    assert user["roles"] == ["officer"] and user["unit_code"] == "P02"
    r = api.post("/users", json={"username": "x.y", "full_name": "X", "roles": ["wizard"]})
    assert r.status_code == 422 and "roles" in r.get_json()["errors"]
    r = api.post("/users", json={"username": "o.p", "full_name": "O", "roles": ["officer"]})
    assert r.status_code == 422 and r.get_json()["rule"] == "role_needs_unit"


def test_the_body_never_decides_who_acts(api):
    api.services.app.register_unit(ROOT, code="P03", name="BHXH tỉnh C", level="province",
                                   parent_code=None, effective="2020-01-01")
    r = api.post("/units", json={"code": "P04", "name": "x", "level": "province",
                                 "effective": "2020-01-01", "actor": "someone",
                                 "unit_id": "P03"})
    assert r.status_code == 422
    assert set(r.get_json()["errors"]) == {"actor", "unit_id"}


def test_events_carry_the_actor(api):
    r = api.post("/units", json={"code": "P05", "name": "BHXH tỉnh E", "level": "province",
                                 "effective": "2020-01-01"},
                 headers={"X-Request-ID": "req-123"})
    assert r.status_code == 201
    app = api.services.app
    event = app.repository.get(app.unit("P05").id)
    notification = app.recorder.select_notifications(start=r.get_json()["position"], limit=1)[0]
    actor = app.mapper.to_domain_event(notification).actor
    assert event.code == "P05"
    assert actor["user_name"] == "admin" and actor["role"] == "standing_office"
    assert actor["request_id"] == "req-123" and actor["source"] == "127.0.0.1"
    assert actor["unit_code"] == "VTDKT"


def test_failed_logins_are_rate_limited(api, still):
    object.__setattr__(api.services.settings, "auth_failure_limit", 5)
    bad = {"Authorization": "Bearer thd_" + "B" * 43}
    statuses = [api.client.get("/units", headers=bad).status_code for _ in range(7)]
    assert statuses[:5] == [401] * 5 and statuses[5:] == [429, 429]
    limited = api.client.get("/units", headers=bad)
    assert limited.get_json()["rule"] == "failed_login_limit"
    assert int(limited.headers["Retry-After"]) == 30
    # a failing request from the same address is limited whatever its token, a valid token
    # is not, nor is the health check
    other = {"Authorization": "Bearer thd_" + "C" * 43}
    assert api.client.get("/units", headers=other).status_code == 429
    assert api.client.get("/units").status_code == 429
    assert api.client.get("/units", headers=api.headers("admin")).status_code == 200
    assert api.client.get("/health").status_code == 200


def test_a_valid_token_is_never_refused_by_the_failure_limit(api, still):
    statuses = [api.client.get("/units", headers={"Authorization": f"Bearer thd_{i:043d}"})
                .status_code for i in range(25)]
    assert statuses == [401] * 20 + [429] * 5
    # the 429 says nothing of why the token failed; the refusal is still recorded
    limited = api.client.get("/units", headers={"Authorization": "Bearer thd_" + "D" * 43})
    assert limited.status_code == 429 and "Unknown" not in limited.get_json()["message"]
    for _ in range(3):
        assert api.get("/units", who="admin").status_code == 200
    assert api.post("/units", who="admin", json={
        "code": "P01", "name": "BHXH thành phố Hà Nội", "level": "province",
        "effective": "2024-01-01"}).status_code == 201
    denied = api.get("/audit/denied?page_size=1").get_json()["items"]
    assert denied[0]["status"] == 429 and denied[0]["rule"] == "token_known"


def _proxied(api, settings, hops):
    from dataclasses import replace

    from web.app import create_app

    app = create_app(replace(settings, trusted_proxies=hops), api.services)
    app.config["TESTING"] = True
    return app.test_client()


def test_x_forwarded_for_counts_only_from_a_trusted_proxy(api, settings, still):
    # without a trusted proxy (the default) the header is ignored: one address, one limit
    def direct(addr, i):
        return api.client.get("/units", headers={
            "Authorization": f"Bearer thd_{i:043d}", "X-Forwarded-For": addr}).status_code

    assert [direct(f"198.51.100.{i}", i) for i in range(21)] == [401] * 20 + [429]
    denied = api.get("/audit/denied?page_size=50").get_json()["items"]
    assert {d["source_address"] for d in denied} == {"127.0.0.1"}

    # behind one trusted proxy, each client has its own limit
    client = _proxied(api, settings, 1)
    proxy = {"REMOTE_ADDR": "10.0.0.2"}

    def bad(addr, i):
        return client.get("/units", environ_base=proxy, headers={
            "Authorization": f"Bearer thd_{i:043d}", "X-Forwarded-For": addr}).status_code

    assert [bad("198.51.100.7", i) for i in range(100, 121)] == [401] * 20 + [429]
    assert bad("198.51.100.8", 199) == 401, "another client behind the same proxy"
    # only the last hop is trusted: what the client itself put in front is not believed
    assert bad("198.51.100.8, 198.51.100.7", 198) == 429
    ok = client.get("/units", environ_base=proxy, headers={
        **api.headers("admin"), "X-Forwarded-For": "198.51.100.7"})
    assert ok.status_code == 200
    denied = api.get("/audit/denied?page_size=100").get_json()["items"]
    assert {d["source_address"] for d in denied} == {"127.0.0.1", "198.51.100.7",
                                                      "198.51.100.8"}

"""User accounts: nobody administers their own (roles, units, disabling); a disabled user's
tokens stop at once, in every process, and stay stopped; the users `make run` makes."""

from __future__ import annotations

from typing import Any

import pytest

from domain.application import Thidua
from tests.support.core import ROOT
from web.cli.sample import SAMPLE_ADMIN, SAMPLE_STANDING_OFFICE, demo_tokens, ensure_sample
from web.database import eventsourcing_env
from web.settings import Settings

UNIT = {"code": "P77", "name": "BHXH tỉnh Mẫu", "level": "province", "effective": "2024-01-01"}


def last_actor(app: Any) -> dict[str, Any]:
    head = app.recorder.max_notification_id()
    return dict(app.mapper.to_domain_event(
        app.recorder.select_notifications(start=head, limit=1)[0]).actor)


@pytest.fixture
def officer(api):
    api.services.app.register_unit(ROOT, code="P01", name="BHXH tỉnh A", level="province",
                                   parent_code=None, effective="2020-01-01")
    api.user("o.p01", ["officer"], "P01")
    return "o.p01"


def refused_own(api: Any, response: Any) -> None:
    body = response.get_json()
    assert response.status_code == 403, body
    assert body["rule"] == "not_own_account" and "username" in body["errors"], body


# -- nobody administers themselves ---------------------------------------------------------------
def test_an_admin_grants_itself_nothing(api, flask_app):
    api.user("adm", ["admin"])
    head = api.services.runner.head()
    refused_own(api, api.post("/users/adm/roles", "adm", json={"role": "standing_office"}))
    refused_own(api, api.delete("/users/adm/roles/admin?reason=x", "adm"))
    refused_own(api, api.put("/users/adm/assigned-units", "adm", json={"unit_codes": []}))
    refused_own(api, api.post("/users/adm/disable", "adm", json={"reason": "Thử."}))
    assert api.services.runner.head() == head, "a refused self-administration wrote an event"
    assert api.get("/users/adm").get_json()["roles"] == ["admin"]
    # so the admin still acts in no area
    r = api.post("/units", "adm", json=UNIT)
    assert r.status_code == 403 and r.get_json()["rule"] == "unit.manage", r.get_json()
    # another admin may, and so may the console operator (who is no user)
    r = api.post("/users/adm/roles", "admin", json={"role": "auditor"})
    assert r.status_code == 200 and r.get_json()["roles"] == ["admin", "auditor"]
    out = flask_app.test_cli_runner().invoke(args=["users", "revoke", "adm", "auditor",
                                                   "--reason", "Không cần."])
    assert out.exit_code == 0, out.output
    assert api.services.app.user("adm").roles == ["admin"]


def test_the_console_operator_is_no_user_and_may_grant(api, flask_app):
    api.user("adm", ["admin"])
    out = flask_app.test_cli_runner().invoke(args=["users", "grant", "adm", "standing_office"])
    assert out.exit_code == 0, out.output
    assert last_actor(api.services.app)["user_id"].startswith("cli:")
    assert api.post("/units", "adm", json=UNIT).status_code == 201


# -- disabling a user ----------------------------------------------------------------------------
def test_a_disabled_users_token_stops_at_once_in_another_process(api, officer, db_url):
    """The API process has the user and the token in its aggregate cache; another process
    (a second application on the same store) disables the user; the very next request with
    the token is a 401."""
    headers = api.headers(officer)
    assert api.client.get("/units", headers=headers).status_code == 200
    other = Thidua(env=eventsourcing_env(db_url, pool_size=1, pool_overflow=1,
                                         cache_size=Settings().aggregate_cache_size))
    try:
        user = other.disable_user(ROOT, officer, reason="Nghỉ việc.").view
        assert user["disabled"]
    finally:
        other.close()
    r = api.client.get("/units", headers=headers)
    assert r.status_code == 401 and r.get_json()["rule"] == "user_enabled", r.get_json()


def test_disable_and_enable_through_the_api(api, officer):
    old = api.headers(officer)
    head = api.services.runner.head()
    r = api.post(f"/users/{officer}/disable", json={})
    assert r.status_code == 422 and "reason" in r.get_json()["errors"], r.get_json()
    assert api.services.runner.head() == head
    r = api.post(f"/users/{officer}/disable", json={"reason": "Chuyển công tác."})
    assert r.status_code == 200 and r.get_json()["disabled"] is True, r.get_json()
    assert last_actor(api.services.app)["reason"] == "Chuyển công tác."
    assert api.get(f"/users/{officer}").get_json()["disabled"] is True
    r = api.client.get("/units", headers=old)
    assert r.status_code == 401 and r.get_json()["rule"] == "user_enabled"
    r = api.post(f"/users/{officer}/disable", json={"reason": "Lần nữa."})
    assert r.status_code == 422 and r.get_json()["rule"] == "user_already_disabled"
    # no token for a disabled user
    head = api.services.runner.head()
    r = api.post(f"/users/{officer}/tokens", json={})
    assert r.status_code == 422 and r.get_json()["rule"] == "user_enabled", r.get_json()
    assert api.services.runner.head() == head
    # enabled again, the old token stays refused; a new one works
    r = api.post(f"/users/{officer}/enable", json={"reason": "Trở lại đơn vị."})
    assert r.status_code == 200 and r.get_json()["disabled"] is False, r.get_json()
    assert api.get(f"/users/{officer}").get_json()["disabled"] is False
    r = api.client.get("/units", headers=old)
    assert r.status_code == 401 and r.get_json()["rule"] == "token_after_disable", r.get_json()
    issued = api.post(f"/users/{officer}/tokens", json={"days": 1})
    assert issued.status_code == 201, issued.get_json()
    api.tokens[officer] = issued.get_json()["token"]
    assert api.client.get("/units", headers=api.headers(officer)).status_code == 200
    r = api.post(f"/users/{officer}/enable", json={"reason": "Lần nữa."})
    assert r.status_code == 422 and r.get_json()["rule"] == "user_already_enabled"
    # only an admin disables; nobody disables themselves
    r = api.post("/users/admin/disable", officer, json={"reason": "x"})
    assert r.status_code == 403 and r.get_json()["rule"] == "user.manage"
    refused_own(api, api.post("/users/admin/disable", "admin", json={"reason": "x"}))


def test_disable_and_enable_on_the_command_line(api, officer, flask_app):
    cli = flask_app.test_cli_runner()
    headers = api.headers(officer)
    out = cli.invoke(args=["users", "disable", officer])
    assert out.exit_code != 0 and "--reason" in out.output
    out = cli.invoke(args=["users", "disable", officer, "--reason", "Nghỉ phép dài hạn."])
    assert out.exit_code == 0, out.output
    assert api.client.get("/units", headers=headers).status_code == 401
    out = cli.invoke(args=["tokens", "issue", officer])
    assert out.exit_code != 0 and "disabled" in out.output
    out = cli.invoke(args=["users", "enable", officer, "--reason", "Đi làm lại."])
    assert out.exit_code == 0, out.output
    out = cli.invoke(args=["tokens", "issue", officer])
    assert out.exit_code == 0, out.output
    secret = out.output.strip().splitlines()[-1]
    assert api.client.get("/units", headers={"Authorization": f"Bearer {secret}"}
                          ).status_code == 200


# -- the users `make run` makes ------------------------------------------------------------------
def test_make_runs_admin_manages_users_and_acts_in_no_area(services, client):
    assert ensure_sample(services, provinces=2) == SAMPLE_ADMIN
    tokens, notes = demo_tokens(services)
    assert set(tokens) == {SAMPLE_ADMIN, SAMPLE_STANDING_OFFICE} and notes == [], notes
    admin = {"Authorization": f"Bearer {tokens[SAMPLE_ADMIN]}"}
    office = {"Authorization": f"Bearer {tokens[SAMPLE_STANDING_OFFICE]}"}
    assert services.app.user(SAMPLE_ADMIN).roles == ["admin"]
    # users, tokens and reads
    assert client.get("/users", headers=admin).status_code == 200
    assert client.get("/units?level=central", headers=admin).status_code == 200
    r = client.post("/users", headers=admin, json={"username": "can.bo.p01",
                                                   "full_name": "Nguyễn Văn A",
                                                   "roles": ["officer"], "unit_code": "P01"})
    assert r.status_code == 201, r.get_json()
    # no domain act, and no role for itself
    for path, body in (("/units", UNIT),
                       ("/users/admin/roles", {"role": "standing_office"})):
        r = client.post(path, headers=admin, json=body)
        assert r.status_code == 403, (path, r.get_json())
    # the standing office acts
    r = client.post("/units", headers=office, json=UNIT)
    assert r.status_code == 201, r.get_json()

"""A sheet write checks its token in the same query as its first load (deferred
authentication, web/extensions/auth.py `deferred`): the API process goes on from the token
and user it has cached, and keeps the answer only if the store still has them at those
versions. So a revoked token, a disabled user or a changed role, recorded by another
process, counts on the very next write, and nothing is recorded for a refused one."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import pytest

from domain.application import Thidua
from domain.users.accounts import token_hash, token_id
from tests.support.core import ROOT
from tests.support.evaluation import YEAR, build_organisation, officer, open_cycle, scores_for
from web.database import eventsourcing_env
from web.settings import Settings

SCORER = "P01"


@pytest.fixture
def year(api):
    api.services.app.clock = lambda: datetime(2024, 12, 20, 3, tzinfo=UTC)
    build_organisation(api)
    open_cycle(api)
    return api


@pytest.fixture
def assumed(api, monkeypatch) -> list[dict[Any, int]]:
    """What the API process assumed from its cache, request by request: each test checks
    that its write took the deferred way (else it would prove nothing)."""
    app = api.services.app
    calls: list[dict[Any, int]] = []
    real = app.assume

    def assume(versions: dict[Any, int]) -> None:
        calls.append(dict(versions))
        real(versions)

    monkeypatch.setattr(app, "assume", assume)
    return calls


@contextmanager
def another_process(db_url: str) -> Iterator[Thidua]:
    other = Thidua(env=eventsourcing_env(db_url, pool_size=1, pool_overflow=1,
                                         cache_size=Settings().aggregate_cache_size))
    try:
        yield other
    finally:
        other.close()


def write(api: Any, who: str, salt: str = "", **extra: Any) -> Any:
    return api.put("/evaluation/sheets", who, json={
        "year": YEAR, "kind": "self", "subject_code": SCORER,
        "scores": scores_for("self", SCORER, SCORER, salt=salt), **extra})


def head(api: Any) -> int:
    return int(api.services.app.recorder.max_notification_id() or 0)


def refused(response: Any, status: int, rule: str) -> None:
    body = response.get_json()
    assert response.status_code == status, body
    assert body["rule"] == rule, body


def test_a_token_revoked_elsewhere_stops_the_next_write(year, assumed, db_url):
    api, who = year, officer(SCORER)
    first = write(api, who)
    assert first.status_code == 200, first.get_json()
    assert assumed, "the write went on from the cached token"
    tid = token_id(token_hash(api.tokens[who]))
    with another_process(db_url) as other:
        other.revoke_token(ROOT, str(tid), reason="Mất máy.")
    before = head(api)
    del assumed[:]
    refused(write(api, who, salt="again"), 401, "token_not_revoked")
    assert assumed, "the refused write had gone on from the cache"
    refused(api.post(f"/evaluation/sheets/{first.get_json()['id']}/submit", who, json={}),
            401, "token_not_revoked")
    # refused before anything of the body is judged, as without the deferral
    refused(write(api, who, kind="nonsense"), 401, "token_not_revoked")
    assert head(api) == before, "nothing recorded for a refused token"


def test_a_user_disabled_elsewhere_stops_the_next_submit(year, assumed, db_url):
    api, who = year, officer(SCORER)
    sid = write(api, who).get_json()["id"]
    with another_process(db_url) as other:
        other.disable_user(ROOT, who, reason="Nghỉ việc.")
    before = head(api)
    del assumed[:]
    refused(api.post(f"/evaluation/sheets/{sid}/submit", who, json={}), 401, "user_enabled")
    assert assumed
    assert head(api) == before
    assert api.get(f"/evaluation/sheets/{sid}").get_json()["state"] == "draft"


def test_a_role_revoked_elsewhere_counts_on_the_next_write(year, assumed, db_url):
    api, who = year, officer(SCORER)
    with another_process(db_url) as other:
        other.grant_role(ROOT, who, "inspector")
    assert write(api, who).status_code == 200
    with another_process(db_url) as other:
        other.revoke_role(ROOT, who, "officer", reason="Chuyển việc.")
    before = head(api)
    del assumed[:]
    refused(write(api, who, salt="again"), 403, "sheet.write")
    assert assumed
    assert head(api) == before


def test_a_role_granted_elsewhere_counts_on_the_next_write(year, assumed, db_url):
    api, who = year, "late.p01"
    api.user(who, ["inspector"], SCORER)
    refused(write(api, who), 403, "sheet.write")
    with another_process(db_url) as other:
        other.grant_role(ROOT, who, "officer")
    del assumed[:]
    done = write(api, who)
    assert done.status_code == 200, done.get_json()
    assert assumed, "the cached user (without the role) was assumed first"
    actor = api.services.app.mapper.to_domain_event(
        api.services.app.recorder.select_notifications(start=head(api), limit=1)[0]).actor
    assert "officer" in actor["roles"] and actor["user_name"] == who

"""An event a store holds from before the domain refused such text (a NUL, a lone surrogate)
no longer stalls the views: every view applies it and moves on, the audit line of every other
event is unchanged, and replay, verification and the exports still work."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
import pytest

from domain.kernel import base
from domain.kernel.actor import Actor, acting
from domain.organisation.units import Unit
from domain.users.accounts import User
from projections.audit_verify import verify_store
from projections.base import wait_for
from projections.replay import rebuild_and_compare
from tests.support.core import ROOT
from web.bootstrap import build_projections
from web.cli.audit import views
from web.database import migrate, with_search_path

YEAR = 2024
# The console operator's name comes from the environment: NUL and all, before the guard.
OLD_OPERATOR = Actor(user_id="cli:op\x00", user_name="op\x00erator", roles=("admin",),
                     unit_id=None, source="cli")


@contextmanager
def guard_off(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The aggregate base as it was before it refused unkept text."""
    with monkeypatch.context() as patch:
        patch.setattr(base, "storable", lambda value, path="": value, raising=False)
        yield


def write_legacy_events(app: Any, monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """A unit and a user with a NUL in a name, by an actor with one in theirs; scale figures
    with NULs (a jsonb column); and a user whose name holds a lone surrogate (the library
    cannot encode one, so its JSON escape is written into the stored event by hand).
    Returns each one's position."""
    app.register_unit(ROOT, code="P70", name="BHXH tỉnh Bảy Mươi", level="province",
                      parent_code=None, effective="2020-01-01")
    app.register_unit(ROOT, code="P70D1", name="BHXH huyện Một", level="district",
                      parent_code="P70", effective="2020-01-01")
    with guard_off(monkeypatch), acting(OLD_OPERATOR):
        unit = Unit(code="P71", name="BHXH\x00tỉnh", level="province", parent_id=None,
                    effective="2020-01-01")
        user = User(username="legacy.nul", full_name="Nguyễn\x00Văn", roles=["officer"],
                    unit_id=str(unit.id), unit_code="P71", assigned_units=[])
        nul = app.save(unit, user)[-1].notification.id
        scale = app.publish_partition(
            ROOT, year=YEAR, province_code="P70", scale={"thu\x00": "1\x00", "chi": 2},
            clusters=[{"code": "C1", "name": "Cụm một", "members": ["P70D1"]}]).position
    placeholder = User(username="legacy.surrogate", full_name="SURROGATE", roles=["auditor"],
                       unit_id=None, unit_code=None, assigned_units=[])
    stored = app.mapper.to_stored_event(placeholder.collect_events()[0])
    stored = dataclasses.replace(stored, state=stored.state.replace(b"SURROGATE",
                                                                    b"Tr\\udfff\\u0000n"))
    surrogate = app.recorder.insert_events([stored])[-1]
    return {"nul": nul, "scale": scale, "surrogate": surrogate}


def all_views_reach(services: Any, position: int) -> None:
    for projection in services.projections.values():
        assert wait_for(projection.view, services.app.name, position, 30), \
            f"the view '{projection.name}' is stalled before {position}"


def view_rows(services: Any, sql: str, *args: Any) -> list[Any]:
    with psycopg.connect(with_search_path(services.url, "views")) as conn:
        return conn.execute(sql, args).fetchall()


def test_every_view_applies_an_old_unstorable_event_and_moves_on(api, monkeypatch, tmp_path):
    services = api.services
    app = services.app
    at = write_legacy_events(app, monkeypatch)
    after = app.issue_token(ROOT, "admin", label="an ordinary event after them").position
    all_views_reach(services, after)

    assert view_rows(services, "SELECT full_name FROM users WHERE username = ANY(%s) "
                     "ORDER BY username", ["legacy.nul", "legacy.surrogate"]) == [
        ("Nguyễn\ufffdVăn",), ("Tr\ufffd\ufffdn",)]
    assert view_rows(services, "SELECT name FROM unit_periods WHERE unit_id = "
                     "(SELECT id FROM units WHERE code = 'P71')") == [("BHXH\ufffdtỉnh",)]
    assert view_rows(services, "SELECT scale FROM district_partitions") == [
        ({"thu\ufffd": "1\ufffd", "chi": 2},)]

    lines = {pos: bytes(line) for pos, line in view_rows(
        services, "SELECT position, line FROM audit_entries ORDER BY seq")}
    assert len(lines) == after
    assert view_rows(services, "SELECT actor_id, actor_name FROM audit_entries WHERE "
                     "position = %s", at["nul"]) == [("cli:op\ufffd", "op\ufffderator")]
    assert b'"Nguy\xe1\xbb\x85n\\u0000V\xc4\x83n"' in lines[at["nul"]]  # as the event holds it
    assert '"Tr\ufffd\\u0000n"'.encode() in lines[at["surrogate"]]  # U+FFFD: UTF-8 has none

    signer = services.extra["audit_signer"]
    with views(services) as conn:  # every line, recomputed from the stored events, is equal
        report = verify_store(app, conn, signer.key.public_key())
    assert report.ok and report.entries == after, str(report)
    replay = rebuild_and_compare(app, services.url, services.projections, "views",
                                 migrate=migrate, build=build_projections, year=YEAR)
    assert replay.equal, str(replay)

    for kind in ("jsonl", "csv", "xlsx"):
        r = api.get(f"/audit/events?format={kind}")
        assert r.status_code == 200, (kind, r.get_data()[:300])
        r.get_data()
    r = api.get("/users/legacy.nul")
    assert r.status_code == 200 and r.get_json()["full_name"] == "Nguyễn\ufffdVăn"
    listed = api.get(f"/district-partitions?year={YEAR}").get_json()["items"]
    assert listed[0]["scale"] == {"thu\ufffd": "1\ufffd", "chi": 2}

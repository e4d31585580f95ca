"""A provincial cluster of six and the calls of an election, shared by the election and
covenant tests."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.core import ROOT

YEAR = 2024
CODES = ["P01", "P02", "P03", "P04", "P05", "P06"]


def provinces(app: Any, codes: list[str]) -> None:
    for c in codes:
        app.register_unit(ROOT, code=c, name=f"BHXH tỉnh {c}", level="province",
                          parent_code=None, effective="2020-01-01")


@pytest.fixture
def cluster(api: Any) -> dict[str, Any]:
    """A provincial cluster of six provinces, an officer per province, a secretariat for
    P01 and P02, and an outsider province with its own officer."""
    app = api.services.app
    provinces(app, [*CODES, "P99"])
    formed = app.form_group(ROOT, year=YEAR, kind="provincial_cluster", code="C1",
                            name="Cụm thi đua số 1", members=CODES)
    group, position = formed.view, formed.position
    api.last_position = max(api.last_position, position)
    for c in [*CODES, "P99"]:
        api.user(f"o{c.lower()}", ["officer"], c)
    api.user("sec01", ["group_secretariat"], "P01")
    api.user("sec02", ["group_secretariat"], "P02")
    return group


def open_round(api: Any, gid: str, present: list[str] | None = None, who: str = "admin",
               **extra: Any) -> Any:
    return api.post("/elections", who, json={
        "group_id": gid, "year": YEAR, "meeting_date": "2024-12-20",
        "place": "BHXH tỉnh P01", "present": CODES if present is None else present, **extra})


def candidate(api: Any, eid: str, code: str, seat: str, who: str = "admin") -> Any:
    return api.post(f"/elections/{eid}/candidates", who, json={"unit_code": code, "seat": seat})


def vote(api: Any, eid: str, voter: str, seat: str, code: str) -> Any:
    return api.post(f"/elections/{eid}/ballots", f"o{voter.lower()}",
                    json={"seat": seat, "candidate_code": code})


def declare(api: Any, eid: str, who: str = "admin") -> Any:
    return api.post(f"/elections/{eid}/result", who, json={})


def ok(r: Any, status: int = 201) -> dict[str, Any]:
    assert r.status_code == status, r.get_json()
    return r.get_json()  # type: ignore[no-any-return]


def refused(r: Any, status: int, rule: str, field: str | None = None) -> dict[str, Any]:
    body = r.get_json()
    assert r.status_code == status, body
    assert body["code"] == status and body["message"]
    assert body.get("rule") == rule, body
    if field:
        assert field in body["errors"], body
    return body  # type: ignore[no-any-return]


def elect(api: Any, gid: str, head_votes: dict[str, str], deputy_votes: dict[str, str],
          heads: list[str], deputies: list[str], who: str = "admin",
          **extra: Any) -> tuple[str, dict[str, Any]]:
    eid = ok(open_round(api, gid, who=who, **extra))["id"]
    for c in heads:
        ok(candidate(api, eid, c, "head", who))
    for c in deputies:
        ok(candidate(api, eid, c, "deputy", who))
    for voter, choice in head_votes.items():
        ok(vote(api, eid, voter, "head", choice))
    for voter, choice in deputy_votes.items():
        ok(vote(api, eid, voter, "deputy", choice))
    return eid, ok(declare(api, eid, who))


def votes_of(seat: dict[str, Any]) -> dict[str, int]:
    return {v["unit_code"]: v["votes"] for v in seat["votes"]}


# -- a full election -----------------------------------------------------------------------------

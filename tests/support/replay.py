"""A small generated year and a replay of it, shared by the replay and audit tests."""

from __future__ import annotations

from typing import Any

from domain.kernel.actor import Actor
from domain.organisation.units import unit_id
from domain.sample.loader import load_sample
from projections.base import wait_for
from projections.replay import rebuild_and_compare
from tests.support.core import ROOT
from web.bootstrap import build_projections
from web.database import migrate

YEAR = 2024


def member(code: str) -> Actor:
    return Actor(user_id=f"test:{code.lower()}", user_name=f"officer-{code.lower()}",
                 roles=("officer",), unit_id=str(unit_id(code)), unit_code=code,
                 source="10.0.0.9", request_id=f"req-{code}")


def generate_year(services: Any, year: int = YEAR) -> int:
    """A small year through the real use cases: units, groups, district partitions, users and
    tokens, a rename, a member removed with a reason, and an election if the area exists.
    Returns the head position once every view has reached it."""
    app = services.app
    load_sample(app, ROOT, year=year, provinces=2)
    app.register_user(ROOT, username="thanh.tra", full_name="Trần Thị Thanh Tra",
                      roles=["inspector"], unit_code=None)
    token = app.issue_token(ROOT, "thanh.tra", label="kiểm tra 2024").view
    app.revoke_token(ROOT, token["id"], reason="Hết nhiệm vụ kiểm tra")
    app.rename_unit(ROOT, "P02", name="BHXH tỉnh Tuyên Quang (sáp nhập)",
                    effective=f"{year}-07-01")
    groups = app.group_year(year).groups
    block = next(g for g in groups.values() if g["kind"] == "block")
    if hasattr(app, "open_election"):
        codes = [app.repository.get(uid).code for uid in block["members"]]
        election = app.open_election(ROOT, group_id=block["id"], year=year,
                                     meeting_date=f"{year}-12-15",
                                     place="Hội trường BHXH Việt Nam", present=codes).view
        app.put_forward(ROOT, election["id"], unit_code=codes[0], seat="head")
        for code in codes:
            app.cast_ballot(member(code), election["id"], seat="head", candidate_code=codes[0])
        app.declare_result(ROOT, election["id"])
    last = sorted(block["members"])[-1]
    app.remove_member(ROOT, year=year, group=block["id"],
                      member=app.repository.get(last).code, reason="Đơn vị giải thể")
    return wait_all(services)


def wait_all(services: Any) -> int:
    head = services.runner.head()
    for projection in services.projections.values():
        assert wait_for(projection.view, services.app.name, head, 30), projection.name
    return head


def replay(services: Any, year: int | None = YEAR) -> Any:
    return rebuild_and_compare(services.app, services.url, services.projections, "views",
                               migrate=migrate, build=build_projections, year=year)

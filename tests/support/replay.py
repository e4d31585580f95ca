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


def judge_and_document(services: Any, year: int = YEAR) -> int:
    """On a generated year: the first block's judging (two rounds, the second annulled),
    its rules drafted and adopted, its plan with an inspection and a finding from it, and the
    council's decision awarding a title on a proposal. Returns the head position once every
    view has reached it."""
    from domain.evaluation.ruleset import sample_ruleset

    app = services.app
    groups = app.group_year(year).groups
    block = next(g for g in groups.values() if g["kind"] == "block")
    codes = sorted(app.repository.get(uid).code for uid in block["members"])
    gid = block["id"]
    head = app.unit_code_of(app.sitting_head(gid, year))
    sec = Actor(user_id="test:sec", user_name="secretariat", roles=("group_secretariat",),
                unit_id=str(unit_id(head)), unit_code=head, source="10.0.0.9")
    app.set_judging_rules(ROOT, year=year, rules={"majority_of": "members"},
                          reason="Quá bán tổng số thành viên")
    jid = app.open_judging(sec, group_id=gid, year=year, meeting_date=f"{year}-12-16",
                           place="Hội trường", present=codes).view["id"]
    app.judging_candidate(sec, jid, unit_code=codes[1], title="flag")
    app.judging_candidate(sec, jid, unit_code=codes[2], title="certificate")
    for code in codes:
        app.cast_judging_ballot(member(code), jid, title="flag", marks=[codes[1]])
        app.cast_judging_ballot(member(code), jid, title="certificate", marks=[])
    app.declare_judging(sec, jid)
    app.open_judging(sec, group_id=gid, year=year, meeting_date=f"{year}-12-17",
                     place="Hội trường", present=codes, reason="Bình xét thêm Bằng khen")
    app.annul_judging(sec, jid, reason="Hoãn sang phiên sau")
    app.draft_group_rules(sec, group_id=gid, year=year, kind="rules", title="Quy chế hoạt động",
                          drafted_on=f"{year}-01-05", text="Điều 1.\nĐiều 2.")
    app.adopt_group_rules(sec, group_id=gid, year=year, version=1,
                          meeting_date=f"{year}-01-10", place="Hội trường", present=codes,
                          adopters=codes)
    cov = app.launch_covenant(sec, group_id=gid, year=year, title="Giao ước",
                              launched_on=f"{year}-01-15", targets=[{
                                  "code": "T1", "name": "Thu", "unit_of_measure": "%",
                                  "target": "100", "direction": "at_least"}]).view
    app.issue_group_plan(sec, group_id=gid, year=year, title="Kế hoạch",
                         issued_on=f"{year}-01-20", text="Kế hoạch năm",
                         milestones=[{"target": "T1", "due": f"{year}-06-30", "value": "50"}],
                         inspections=[{"code": "KT1", "members": codes[1:], "inspectors": [head],
                                       "from": f"{year}-09-01", "until": f"{year}-09-30"}])
    app.record_finding(sec, cov["id"], member_code=codes[1], inspected_on=f"{year}-09-10",
                       summary="Đạt", assessment="kept", inspection="KT1")
    rules = sample_ruleset()
    app.publish_ruleset(ROOT, content=rules, note="Mặc định")
    app.open_cycle(ROOT, year=year, ruleset_code=rules["code"], units=codes, monitoring=[],
                   organisation_scoring=[])
    app.close_cycle(ROOT, year=year)
    app.begin_review(ROOT, year=year, meeting_date=f"{year + 1}-01-20")
    app.record_decision(ROOT, year=year, number="9/QĐ-BHXH", signed_on=f"{year + 1}-02-01",
                        signer="Tổng Giám đốc", outstanding=[], levels={codes[1]: "excellent"},
                        reason="Hội đồng xét", titles=[{"unit_code": codes[1], "title": "flag"}])
    return wait_all(services)

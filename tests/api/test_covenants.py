"""Covenants (giao ước thi đua) through the API, on PostgreSQL: launched by the head,
signed once by each member, members' own targets, inspection findings, amendments."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.elections import CODES, YEAR, elect, ok, refused  # noqa: F401

TARGETS = [
    {"code": "THU_BHXH", "name": "Tỷ lệ thu BHXH so với kế hoạch", "unit_of_measure": "%",
     "target": "100", "direction": "at_least"},
    {"code": "NO_DONG", "name": "Tỷ lệ nợ đóng BHXH, BHYT", "unit_of_measure": "%",
     "target": "2.5", "direction": "at_most"},
]


@pytest.fixture
def headed(api: Any, cluster: dict[str, Any]) -> dict[str, Any]:  # noqa: F811
    """The cluster with P01 elected head and P02 deputy."""
    elect(api, cluster["id"], {c: "P01" for c in CODES}, {c: "P02" for c in CODES},
          heads=["P01"], deputies=["P02"])
    return cluster


def launch(api: Any, gid: str, who: str = "sec01", **changes: Any) -> Any:
    body = {"group_id": gid, "year": YEAR, "title": "Giao ước thi đua năm 2024",
            "launched_on": "2024-01-15", "targets": TARGETS, **changes}
    return api.post("/covenants", who, json=body)


def sign(api: Any, cid: str, code: str, day: str = "2024-01-20") -> Any:
    return api.post(f"/covenants/{cid}/signatures", f"o{code.lower()}", json={"signed_on": day})


def test_covenant_signed_by_all_members_and_one_missing(api, headed):
    gid = headed["id"]
    cov = ok(launch(api, gid))
    cid = cov["id"]
    assert cov["revision"] == 1 and [t["code"] for t in cov["targets"]] == ["THU_BHXH",
                                                                            "NO_DONG"]
    for code in CODES[:-1]:
        out = ok(sign(api, cid, code))
        assert out["unit_code"] == code and out["revision"] == 1
    sigs = ok(api.get(f"/covenants/{cid}/signatures"), 200)
    assert [s["unit_code"] for s in sigs["signed"]] == CODES[:-1]
    assert [s["unit_code"] for s in sigs["not_signed"]] == ["P06"]
    assert sigs["all_signed"] is False and sigs["members"] == 6
    state = ok(api.get(f"/groups/{gid}/state"), 200)
    assert state["covenant"]["signed"] == 5 and state["covenant"]["not_signed"] == ["P06"]
    assert state["head"]["unit_code"] == "P01"

    ok(sign(api, cid, "P06"))
    sigs = ok(api.get(f"/covenants/{cid}/signatures"), 200)
    assert sigs["all_signed"] is True and sigs["not_signed"] == []
    listed = ok(api.get(f"/covenants?group_id={gid}"), 200)
    assert listed["total"] == 1 and listed["items"][0]["signed"] == 6
    assert listed["items"][0]["members"] == 6

    # once each; members only
    refused(sign(api, cid, "P03"), 409, "sign_once")
    refused(sign(api, cid, "P99"), 403, "signer_is_member")
    refused(api.post(f"/covenants/{cid}/signatures", "sec01", json={}), 403, "covenant.sign")


def test_targets_findings_and_amendments(api, headed):
    gid = headed["id"]
    cid = ok(launch(api, gid))["id"]
    # each member registers its own targets; a change is an amendment with a reason
    ok(api.post(f"/covenants/{cid}/targets", "op03", json={"targets": [
        {"target": "THU_BHXH", "value": "101.50"},
        {"target": "NO_DONG", "value": "2", "note": "Giảm nợ đọng"}]}))
    refused(api.post(f"/covenants/{cid}/targets", "op03", json={"targets": [
        {"target": "THU_BHXH", "value": "102"}]}), 422, "amendment_needs_reason", "reason")
    out = ok(api.post(f"/covenants/{cid}/targets", "op03", json={"targets": [
        {"target": "THU_BHXH", "value": "102"}], "reason": "Nghị quyết HĐND tỉnh"}))
    assert out["revision"] == 2
    ok(api.post(f"/covenants/{cid}/targets", "op04", json={"targets": [
        {"target": "THU_BHXH", "value": "100"}]}))
    current = ok(api.get(f"/covenants/{cid}/targets"), 200)["items"]
    assert [(r["unit_code"], r["revision"]) for r in current] == [("P03", 2), ("P04", 1)]
    assert current[0]["targets"] == [{"target": "THU_BHXH", "value": "102"}]
    history = ok(api.get(f"/covenants/{cid}/targets?unit=P03&history=true"), 200)["items"]
    assert [r["revision"] for r in history] == [1, 2]
    assert history[0]["targets"][0]["value"] == "101.5"
    assert history[1]["reason"] == "Nghị quyết HĐND tỉnh"

    # the head records inspection findings against a member, and amends them with a reason
    f = ok(api.post(f"/covenants/{cid}/findings", "sec01", json={
        "member_code": "P04", "inspected_on": "2024-06-10", "target": "THU_BHXH",
        "assessment": "partly_kept", "summary": "Thu đạt 96% kế hoạch 6 tháng."}))
    assert f["finding_no"] == 1 and f["member_code"] == "P04"
    # the deputy's secretariat acts for the head too; a member's officer may not
    ok(api.post(f"/covenants/{cid}/findings", "sec02", json={
        "member_code": "P05", "inspected_on": "2024-07-01", "assessment": "kept",
        "summary": "Thực hiện đầy đủ."}))
    refused(api.post(f"/covenants/{cid}/findings", "op03", json={
        "member_code": "P05", "inspected_on": "2024-07-01", "assessment": "kept",
        "summary": "x"}), 403, "finding.record")
    a = ok(api.post(f"/covenants/{cid}/findings/1/amendments", "sec01", json={
        "assessment": "kept", "reason": "Số liệu bổ sung quý III"}))
    assert a["revision"] == 2 and a["assessment"] == "kept"
    findings = ok(api.get(f"/covenants/{cid}/findings?member=P04"), 200)["items"]
    assert len(findings) == 1 and findings[0]["reason"] == "Số liệu bổ sung quý III"
    assert findings[0]["summary"] == "Thu đạt 96% kế hoạch 6 tháng."

    # amending the covenant: a new revision with a reason; signatures keep their revision
    ok(api.post(f"/covenants/{cid}/signatures", "op05", json={"signed_on": "2024-01-20"}))
    amended = ok(api.post(f"/covenants/{cid}/amendments", "sec01", json={
        "targets": [*TARGETS, {"code": "VSSID", "name": "Người dùng VssID",
                               "unit_of_measure": "%", "target": "80",
                               "direction": "at_least"}],
        "reason": "Bổ sung chỉ tiêu chuyển đổi số"}))
    assert amended["revision"] == 2
    detail = ok(api.get(f"/covenants/{cid}"), 200)
    assert [r["revision"] for r in detail["revisions"]] == [1, 2]
    assert detail["revisions"][1]["reason"] == "Bổ sung chỉ tiêu chuyển đổi số"
    assert len(detail["targets"]) == 3 and detail["findings"] == 2
    ok(api.post(f"/covenants/{cid}/signatures", "op06", json={"signed_on": "2024-02-01"}))
    sigs = {s["unit_code"]: s["revision"]
            for s in ok(api.get(f"/covenants/{cid}/signatures"), 200)["signed"]}
    assert sigs == {"P05": 1, "P06": 2}


def test_covenant_rules_and_bad_input(api, headed):
    gid = headed["id"]
    # only the head's (or deputy's) secretariat launches; not the standing office, not others
    refused(launch(api, gid, who="admin"), 403, "covenant.launch")
    refused(launch(api, gid, who="op03"), 403, "covenant.launch")
    before = api.services.runner.head()
    bad = [
        ({"launched_on": "2026-01-01"}, 422, "launched_on"),
        ({"title": ""}, 422, "title"),
        ({"targets": []}, 422, "targets"),
        ({"targets": [{**TARGETS[0], "direction": "about"}]}, 422, "targets"),
        ({"targets": [{**TARGETS[0], "target": "1e3"}]}, 422, "targets"),
        ({"targets": [{**TARGETS[0], "target": 100}]}, 422, "targets"),
        ({"targets": [TARGETS[0], TARGETS[0]]}, 422, "targets[1].code"),
        ({"year": YEAR + 1}, 404, "group_id"),
        ({"colour": "red"}, 422, "colour"),
    ]
    for change, status, field in bad:
        r = launch(api, gid, **change)
        assert r.status_code == status, (change, r.get_json())
        body = r.get_json()
        assert body["code"] == status and body["message"] and field in body["errors"], body
    assert api.services.runner.head() == before
    cid = ok(launch(api, gid))["id"]
    refused(launch(api, gid), 422, "one_covenant_per_year", "group_id")
    refused(sign(api, cid, "P03", day="2023-12-31"), 422, "signed_after_launch", "signed_on")
    r = api.post(f"/covenants/{cid}/targets", "op03",
                 json={"targets": [{"target": "NOPE", "value": "1"}]})
    refused(r, 422, "known_target", "targets[0].target")
    r = api.post(f"/covenants/{cid}/targets", "op03",
                 json={"targets": [{"target": "THU_BHXH", "value": "abc"}]})
    assert r.status_code == 422 and "targets" in r.get_json()["errors"]
    r = api.post(f"/covenants/{cid}/targets", "op03",
                 json={"targets": [{"target": "THU_BHXH", "value": "1"},
                                   {"target": "THU_BHXH", "value": "2"}]})
    refused(r, 422, "target_once", "targets[1].target")
    refused(api.post(f"/covenants/{cid}/targets", "op99",
                     json={"targets": [{"target": "THU_BHXH", "value": "1"}]}), 403,
            "registrant_is_member")
    finding = {"member_code": "P99", "inspected_on": "2024-06-10", "assessment": "kept",
               "summary": "x"}
    refused(api.post(f"/covenants/{cid}/findings", "sec01", json=finding), 422,
            "finding_on_member", "member_code")
    refused(api.post(f"/covenants/{cid}/findings", "sec01",
                     json={**finding, "member_code": "P02", "target": "NOPE"}), 422,
            "known_target", "target")
    r = api.post(f"/covenants/{cid}/findings", "sec01",
                 json={**finding, "member_code": "P02", "assessment": "great"})
    assert r.status_code == 422 and "assessment" in r.get_json()["errors"]
    refused(api.post(f"/covenants/{cid}/findings/9/amendments", "sec01",
                     json={"reason": "x", "assessment": "kept"}), 404, "exists", "finding_no")
    refused(api.post(f"/covenants/{cid}/amendments", "sec01", json={"reason": "x"}), 422,
            "amendment_changes_something")
    r = api.post(f"/covenants/{cid}/amendments", "sec01", json={"title": "y"})
    assert r.status_code == 422 and "reason" in r.get_json()["errors"]
    missing = "00000000-0000-0000-0000-000000000000"
    refused(api.get(f"/covenants/{missing}/signatures"), 404, "exists")
    refused(sign(api, missing, "P01"), 404, "exists")

"""The group's own documents through the API, on PostgreSQL: its operating rules drafted by
the head, adopted by the members at a meeting (quorum and majority), amended by a file with
its SHA-256, withdrawn; the year's plan with the progress of the covenant's targets and the
inspection plan; a covenant finding naming the inspection it came from; and bad input,
hostile text and the wrong roles refused with nothing written."""

from __future__ import annotations

import hashlib

from tests.support.core import ROOT
from tests.support.elections import CODES, YEAR, ok, refused
from tests.support.judging import head_p01

SCAN = b"%PDF-1.7 Quy che sua doi"
FILE = {"name": "sua-doi-quy-che.pdf", "reference": "Văn bản số 3/QC-CTĐ1",
        "sha256": hashlib.sha256(SCAN).hexdigest()}
TARGETS = [{"code": "THU", "name": "Tỷ lệ thu BHXH", "unit_of_measure": "%",
            "target": "100", "direction": "at_least"}]
INSPECTION = {"code": "KT1", "members": ["P02", "P03"], "from": "2024-09-01",
              "until": "2024-09-30", "inspectors": ["P01", "P02"],
              "note": "Đoàn kiểm tra của Cụm trưởng"}


def rules_url(gid: str, tail: str = "") -> str:
    return f"/groups/{gid}/regulation{tail}"


def test_the_groups_rules_are_drafted_adopted_and_amended(api, cluster):
    gid = cluster["id"]
    head_p01(api, gid)
    drafted = ok(api.post(rules_url(gid, "/drafts"), "sec01", json={
        "year": YEAR, "kind": "rules", "title": "Quy chế hoạt động Cụm thi đua số 1",
        "drafted_on": "2024-01-10",
        "text": "Điều 1. Phạm vi\r\nQuy chế này quy định hoạt động của Cụm.\n\tĐiều 2. ..."}))
    assert [v["status"] for v in drafted["versions"]] == ["draft"]
    # three of six present: no quorum (2/3 of the members, the year's election rules)
    refused(api.post(rules_url(gid, "/adoptions"), "sec01", json={
        "year": YEAR, "version": 1, "meeting_date": "2024-01-20", "place": "BHXH tỉnh P01",
        "present": CODES[:3], "adopters": CODES[:3]}), 422, "adoption_quorum", "present")
    # four present, two in favour: not more than half of them
    refused(api.post(rules_url(gid, "/adoptions"), "sec01", json={
        "year": YEAR, "version": 1, "meeting_date": "2024-01-20", "place": "BHXH tỉnh P01",
        "present": CODES[:4], "adopters": CODES[:2]}), 422, "adoption_majority", "adopters")
    adopted = ok(api.post(rules_url(gid, "/adoptions"), "sec01", json={
        "year": YEAR, "version": 1, "meeting_date": "2024-01-20", "place": "BHXH tỉnh P01",
        "present": CODES[:4], "adopters": CODES[:3]}))
    assert adopted["versions"][0]["adopted"] == {"meeting_date": "2024-01-20",
                                                 "effective": "2024-01-20", "present": 4,
                                                 "adopters": 3, "members": 6}
    # an amendment as a file with its SHA-256; a first draft withdrawn, a second adopted
    refused(api.post(rules_url(gid, "/drafts"), "sec01", json={
        "year": YEAR, "kind": "amendment", "title": "Sửa đổi Điều 5",
        "drafted_on": "2024-06-01", "file": FILE}), 422, "reason_required", "reason")
    ok(api.post(rules_url(gid, "/drafts"), "sec01", json={
        "year": YEAR, "kind": "amendment", "title": "Sửa đổi Điều 5",
        "drafted_on": "2024-06-01", "file": FILE, "reason": "Theo Luật Thi đua 2022"}))
    refused(api.post(rules_url(gid, "/drafts"), "sec01", json={
        "year": YEAR, "kind": "amendment", "title": "Sửa đổi khác",
        "drafted_on": "2024-06-02", "text": "x", "reason": "y"}), 422, "one_pending_draft")
    ok(api.post(rules_url(gid, "/drafts/2/withdrawal"), "sec01",
                json={"year": YEAR, "reason": "Chưa thống nhất"}))
    refused(api.post(rules_url(gid, "/drafts/2/withdrawal"), "sec01",
                     json={"year": YEAR, "reason": "Lại"}), 422, "draft_pending")
    ok(api.post(rules_url(gid, "/drafts"), "sec01", json={
        "year": YEAR, "kind": "amendment", "title": "Sửa đổi Điều 5 (lần 2)",
        "drafted_on": "2024-06-15", "file": FILE, "reason": "Theo góp ý của thành viên"}))
    ok(api.post(rules_url(gid, "/adoptions"), "sec01", json={
        "year": YEAR, "version": 3, "meeting_date": "2024-07-01", "place": "Trực tuyến",
        "present": CODES, "adopters": CODES[:4], "effective": "2024-08-01"}))
    july = ok(api.get(rules_url(gid, "?on=2024-07-15")), 200)
    assert july["in_force"] == [1] and july["group_code"] == "C1"
    august = ok(api.get(rules_url(gid, "?on=2024-08-01")), 200)
    assert august["in_force"] == [1, 3]
    v1, v2, v3 = august["versions"]
    assert v1["text"].startswith("Điều 1. Phạm vi\nQuy chế") and "\n\tĐiều 2" in v1["text"]
    assert v1["adoption"]["adopters"] == ["P01", "P02", "P03"]
    assert v1["adoption"]["rules"] == {"quorum": "2/3", "majority": "1/2", "version": 0}
    assert (v2["status"], v2["withdrawn_reason"]) == ("withdrawn", "Chưa thống nhất")
    assert v3["file"] == FILE and v3["amends"] == 1 and v3["adoption"]["present"] == CODES
    # the audit trail holds the adoptions, naming the units by code
    page = ok(api.get(f"/audit/timeline/{YEAR}?page_size=500&unit=P05"), 200)
    adoptions = [e for e in page["items"] if e["topic"] == "thidua:GroupRegulation.Adopted"]
    assert len(adoptions) == 2, [e["topic"] for e in page["items"]]
    assert {"P01", "P05"} <= {u["code"] for u in adoptions[-1]["units"].values()}

    # the rules stay with the group's line: the 2025 group of the same code reads them
    app = api.services.app
    g25 = app.form_group(ROOT, year=YEAR + 1, kind="provincial_cluster", code="C1",
                         name="Cụm thi đua số 1", members=CODES)
    api.last_position = max(api.last_position, g25.position)
    later = ok(api.get(rules_url(g25.view["id"], "?on=2025-03-01")), 200)
    assert later["id"] == august["id"] and later["in_force"] == [1, 3]


def test_the_years_plan_and_the_findings_of_its_inspections(api, cluster):
    gid = cluster["id"]
    head_p01(api, gid)
    plan = {"group_id": gid, "year": YEAR, "title": "Chương trình, kế hoạch năm 2024",
            "issued_on": "2024-01-25", "file": FILE,
            "activities": [{"code": "HD1", "name": "Sơ kết 6 tháng", "due": "2024-07-15"}],
            "milestones": [{"target": "THU", "due": "2024-06-30", "value": "50.0"}],
            "inspections": [INSPECTION]}
    refused(api.post("/group-plans", "sec01", json=plan), 422, "plan_targets_need_covenant",
            "milestones")
    cov = ok(api.post("/covenants", "sec01", json={
        "group_id": gid, "year": YEAR, "title": "Giao ước thi đua 2024",
        "launched_on": "2024-01-15", "targets": TARGETS}))
    refused(api.post("/group-plans", "sec01", json={
        **plan, "inspections": [{**INSPECTION, "members": ["P02", "P99"]}]}), 422,
        "inspected_is_member", "inspections[0].members[1]")
    issued = ok(api.post("/group-plans", "sec01", json=plan))
    assert issued["revision"] == 1 and issued["inspections"] == ["KT1"]
    refused(api.post("/group-plans", "sec01", json=plan), 422, "one_plan_per_year")
    pid = issued["id"]
    findings = f"/covenants/{cov['id']}/findings"
    base = {"member_code": "P02", "inspected_on": "2024-09-10", "assessment": "kept",
            "summary": "Đạt tiến độ thu.", "inspection": "KT1"}
    refused(api.post(findings, "sec01", json={**base, "inspection": "KT9"}), 422,
            "inspection_in_plan", "inspection")
    refused(api.post(findings, "sec01", json={**base, "member_code": "P04"}), 422,
            "finding_member_inspected", "inspection")
    refused(api.post(findings, "sec01", json={**base, "inspected_on": "2024-10-02"}), 422,
            "inspected_in_window", "inspected_on")
    found = ok(api.post(findings, "sec01", json=base))
    assert found["inspection"] == "KT1"
    ok(api.post(findings, "sec01", json={**base, "inspection": None,
                                         "inspected_on": "2024-05-02"}))
    listed = ok(api.get(findings), 200)["items"]
    assert [(f["finding_no"], f["inspection"]) for f in listed] == [(1, "KT1"), (2, None)]
    detail = ok(api.get(f"/group-plans/{pid}"), 200)
    [kt1] = detail["inspections"]
    assert kt1["members"] == ["P02", "P03"] and kt1["inspectors"] == ["P01", "P02"]
    assert kt1["findings"] == [1] and kt1["from"] == "2024-09-01"
    assert detail["milestones"] == [{"target": "THU", "due": "2024-06-30", "value": "50",
                                     "note": None}]
    assert detail["file"] == FILE and detail["group_code"] == "C1"

    # a revision keeps the inspection its finding came from
    revise = {"reason": "Bổ sung đợt kiểm tra quý IV", "title": plan["title"],
              "issued_on": "2024-01-25", "file": FILE, "activities": plan["activities"],
              "milestones": plan["milestones"]}
    refused(api.post(f"/group-plans/{pid}/revisions", "sec01", json={
        **revise, "inspections": []}), 422, "plan_keeps_findings", "inspections")
    refused(api.post(f"/group-plans/{pid}/revisions", "sec01", json={
        **revise, "inspections": [{**INSPECTION, "members": ["P03"]}]}), 422,
        "plan_keeps_findings")
    refused(api.post(f"/group-plans/{pid}/revisions", "sec01", json={
        **revise, "inspections": [INSPECTION], "reason": "Không đổi"}), 422,
        "revision_changes")
    refused(api.post(f"/group-plans/{pid}/revisions", "sec01", json={
        **revise, "inspections": [INSPECTION], "version": 5}), 409, "stale_version")
    extra = {"code": "KT2", "members": ["P04"], "from": "2024-11-04", "until": "2024-11-08",
             "inspectors": ["P01"]}
    revised = ok(api.post(f"/group-plans/{pid}/revisions", "sec01", json={
        **revise, "inspections": [INSPECTION, extra]}))
    assert revised["revision"] == 2 and revised["inspections"] == ["KT1", "KT2"]
    detail = ok(api.get(f"/group-plans/{pid}"), 200)
    assert [r["reason"] for r in detail["revisions"]] == [None, "Bổ sung đợt kiểm tra quý IV"]
    assert [n["code"] for n in detail["inspections"]] == ["KT1", "KT2"]
    page = ok(api.get(f"/group-plans?year={YEAR}"), 200)
    assert page["total"] == 1 and page["items"][0]["revision"] == 2


def test_bad_input_hostile_text_and_the_wrong_roles_write_nothing(api, cluster):
    gid = cluster["id"]
    head_p01(api, gid)
    api.user("sec03", ["group_secretariat"], "P03")
    before = api.services.runner.head()
    draft = {"year": YEAR, "kind": "rules", "title": "Quy chế", "drafted_on": "2024-01-10",
             "text": "Điều 1"}
    for body, status, field in (
            ({"text": None}, 422, "text"),
            ({"text": "Điều\x001"}, 422, "text"),
            ({"text": "x" * 100_001}, 422, "text"),
            ({"title": "Quy\u202echế"}, 422, "title"),
            ({"title": "Quy\nchế"}, 422, "title"),
            ({"kind": "decree"}, 422, "kind"),
            ({"kind": "amendment", "reason": "x"}, 422, "kind"),
            ({"file": {**FILE, "sha256": "abc"}}, 422, "file"),
            ({"file": {**FILE, "size": 3}}, 422, "file"),
            ({"drafted_on": "2024-02-30"}, 422, "drafted_on"),
            ({"year": 1990}, 422, "year"),
            ({"actor": "sec02"}, 422, "actor")):
        r = api.post(rules_url(gid, "/drafts"), "sec01", json={**draft, **body})
        assert r.status_code == status, (body, r.get_json())
        assert field in r.get_json()["errors"], (body, r.get_json())
    # the same text decomposed (NFD) is kept composed
    for who, rule in (("sec03", "group_rules.write"), ("op01", "group_rules.write"),
                      ("admin", "group_rules.write")):
        refused(api.post(rules_url(gid, "/drafts"), who, json=draft), 403, rule)
    refused(api.post("/group-plans", "sec03", json={
        "group_id": gid, "year": YEAR, "title": "Kế hoạch", "issued_on": "2024-01-25",
        "text": "x"}), 403, "group_plan.write")
    for body, field in (({"inspections": [{**INSPECTION, "until": "2024-08-01"}]},
                         "inspections[0].until"),
                        ({"inspections": [{**INSPECTION, "from": "2023-09-01"}]},
                         "inspections[0].from"),
                        ({"inspections": [{**INSPECTION, "inspectors": []}]}, "inspections"),
                        ({"activities": [{"code": "A", "name": "x", "due": "2024-01-01",
                                          "when": "Q1"}]}, "activities"),
                        ({"milestones": [{"target": "THU", "due": "2024-06-30",
                                          "value": "1e9"}]}, "milestones")):
        r = api.post("/group-plans", "sec01", json={
            "group_id": gid, "year": YEAR, "title": "Kế hoạch", "issued_on": "2024-01-25",
            "text": "x", **body})
        assert r.status_code == 422 and field in r.get_json()["errors"], (body, r.get_json())
    missing = "00000000-0000-0000-0000-000000000000"
    refused(api.get(f"/group-plans/{missing}"), 404, "exists")
    refused(api.get(rules_url(gid)), 404, "exists")
    refused(api.get(rules_url(missing)), 404, "exists")
    assert api.services.runner.head() == before, "a refused request wrote an event"
    nfd = "Quy che\u0302\u0301 hoa\u0323t đo\u0323\u0302ng"
    made = ok(api.post(rules_url(gid, "/drafts"), "sec01", json={**draft, "title": nfd}))
    assert made["versions"][0]["title"] == "Quy chế hoạt động"


def test_the_openapi_document_describes_the_groups_documents(api, cluster):
    spec = api.client.get("/openapi.json").get_json()
    for path in ("/groups/{group_id}/regulation", "/groups/{group_id}/regulation/drafts",
                 "/groups/{group_id}/regulation/drafts/{version}/withdrawal",
                 "/groups/{group_id}/regulation/adoptions", "/group-plans",
                 "/group-plans/{plan_id}", "/group-plans/{plan_id}/revisions"):
        assert path in spec["paths"], path
    schemas = spec["components"]["schemas"]
    assert "SHA-256" in schemas["DocumentFile"]["properties"]["sha256"]["description"]
    for name in ("RulesDraftIn", "RulesAdoptIn", "PlanIn", "PlanInspection"):
        props = schemas[name]["properties"]
        assert all("example" in p or "$ref" in p or "description" in p
                   or p.get("type") == "array" for p in props.values()), name
    assert "from" in schemas["PlanInspection"]["properties"]

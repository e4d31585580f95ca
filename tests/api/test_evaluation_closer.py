"""The evaluation letter read closer, through the API on PostgreSQL: a central unit's
nominations approved by its leader in charge before they count, field information on
central units and beyond the appendix, "trước ngày 10/01" read literally where the rule set
says so, a leader registered without a unit, the letters' legal bases named on a rule set
and cited by the decision, whose each default is, and refusals that name units by code."""

from __future__ import annotations

import re
from typing import Any

from domain.kernel.legal import CITED
from tests.support.core import ROOT
from tests.support.evaluation import (
    FIELD_UNITS,
    RULES,
    YEAR,
    Year,
    at,
    build_organisation,
    officer,
    open_cycle,
)
from web.resources.documents.decision import read_back

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def refused(r: Any, status: int, rule: str) -> dict[str, Any]:
    body = r.get_json()
    assert r.status_code == status and body["rule"] == rule, body
    return body  # type: ignore[no-any-return]


def nominate(api: Any, proposer: str, subject: str) -> dict[str, Any]:
    r = api.post("/evaluation/nominations", officer(proposer), json={
        "year": YEAR, "subject_code": subject, "justification": f"{subject} dẫn đầu."})
    assert r.status_code == 201, r.get_json()
    return r.get_json()  # type: ignore[no-any-return]


def counted(api: Any, code: str) -> dict[str, int]:
    board = api.get(f"/evaluation/cycles/{YEAR}/scoreboard").get_json()
    return next(u["nominations"] for u in board["units"] if u["code"] == code)  # type: ignore


def test_a_central_units_nomination_counts_once_its_leader_in_charge_approves(api):
    app = api.services.app
    app.clock = lambda: at("2024-12-20T03:00:00")
    build_organisation(api)
    open_cycle(api)
    y = Year(api)
    mine = nominate(api, "BTHU", "P01")  # a monitor's nomination of a province it scores
    assert mine["needs_approval"] and mine["state"] == "submitted" and not mine["stands"]
    assert counted(api, "P01")["scorer"] == 0
    progress = y.ok(api.get(f"/evaluation/cycles/{YEAR}/progress"))
    bthu = next(u for u in progress["units"] if u["code"] == "BTHU")
    assert bthu["nominations_awaiting_approval"] == ["P01"]

    path = f"/evaluation/nominations/{mine['id']}"
    refused(api.post(f"{path}/approve", "leader1", json={}), 403, "nomination.approve")
    refused(api.post(f"{path}/approve", officer("BTHU"), json={}), 403, "nomination.approve")
    # a leader who is also the unit's officer and submitted it is refused
    api.user("dual.bthu", ["officer", "leader"], "BTHU", assigned=["BTHU"])
    own = y.ok(api.post("/evaluation/nominations", "dual.bthu", json={
        "year": YEAR, "subject_code": "BTHU", "justification": "Tự đề xuất."}), 201)
    refused(api.post(f"/evaluation/nominations/{own['id']}/approve", "dual.bthu", json={}),
            422, "approver_not_submitter")
    approved = y.ok(api.post(f"{path}/approve", "leader2", json={}))
    assert approved["state"] == "approved" and approved["stands"]
    assert counted(api, "P01") == {"self": 0, "scorer": 1, "province": 0, "total": 1}

    # the standing office returns it with the reason: it counts no more until resubmitted
    back = y.ok(api.post(f"{path}/return", json={"reason": "Chưa nêu thành tích nổi trội."}))
    assert back["state"] == "returned" and not back["stands"]
    assert [x["reason"] for x in back["returns"]] == ["Chưa nêu thành tích nổi trội."]
    assert counted(api, "P01")["total"] == 0
    again = nominate(api, "BTHU", "P01")
    assert again["state"] == "submitted" and not again["stands"]
    y.ok(api.post(f"{path}/approve", "leader2", json={}))

    # a province's nomination needs no approval
    theirs = nominate(api, "P01", "BTHU")
    assert theirs["stands"] and not theirs["needs_approval"]
    refused(api.post(f"/evaluation/nominations/{theirs['id']}/approve", "leader2", json={}),
            403, "nomination.approve")  # a province is nobody's assigned unit
    listed = y.ok(api.get(f"/evaluation/nominations?year={YEAR}&proposer=BTHU&subject=P01"))
    assert [(n["state"], n["stands"], n["approved_by"] is not None)
            for n in listed["items"]] == [("approved", True, True)]

    # what counts reaches the compiled table and the decision's outcomes
    table = {r["code"]: r for r in y.ok(api.get(f"/evaluation/cycles/{YEAR}/table"))["rows"]}
    assert table["P01"]["nominations"]["scorer"] == 1 and table["BTHU"]["nominations"][
        "self"] == 0  # dual.bthu's own nomination waits for another leader


def test_field_information_on_central_units_and_beyond_the_appendix(api):
    app = api.services.app
    app.clock = lambda: at("2024-12-20T03:00:00")
    build_organisation(api)
    units = [{"item": i, "unit_code": c, "topic": t} for i, c, t in FIELD_UNITS]
    units[1]["about"] = ["province", "central"]  # item 4: VTCCB's discipline cases
    open_cycle(api, field_units=units)
    y = Year(api)
    cycle = y.ok(api.get(f"/evaluation/cycles/{YEAR}"))
    assert [f["about"] for f in cycle["field_units"]] == [
        ["province"], ["province", "central"], ["province"]]

    on_central = y.ok(api.post("/evaluation/field-reports", officer("VTCCB"), json={
        "year": YEAR, "subject_code": "BTHU", "assessment": "01 trường hợp kỷ luật.",
        "lists": {"ky_luat": [{"ho_ten": "Nguyễn Văn C", "hinh_thuc": "Khiển trách"}]}}), 201)
    assert (on_central["item"], on_central["subject_level"]) == (4, "central")
    r = api.post("/evaluation/field-reports", officer("BTHU"), json={
        "year": YEAR, "subject_code": "VTCCB", "assessment": "x"})
    assert "item 1 reports on provinces only" in refused(r, 422, "report_on_province")[
        "message"]
    beyond = y.ok(api.post("/evaluation/field-reports", officer("VP"), json={
        "year": YEAR, "subject_code": "P01", "assessment": "Chậm báo cáo tháng.",
        "figures": {"so_bao_cao_cham": "3"}}), 201)
    assert beyond["item"] is None and beyond["subject_level"] == "province"
    r = api.post("/evaluation/field-reports", officer("VP"), json={
        "year": YEAR, "subject_code": "TTTT", "assessment": "x"})
    refused(r, 422, "report_on_province")
    r = api.post("/evaluation/field-reports", officer("VP"), json={
        "year": YEAR, "subject_code": "P01", "province_code": "P02", "assessment": "x"})
    refused(r, 422, "subject_once")
    # the older field name still works for a province
    y.ok(api.post("/evaluation/field-reports", officer("BTHU"), json={
        "year": YEAR, "province_code": "P02", "assessment": "Hoàn thành kế hoạch thu."}), 201)

    listed = y.ok(api.get(f"/evaluation/field-reports?year={YEAR}&subject=BTHU"))["items"]
    assert [(x["reporter_code"], x["item"], x["subject_level"]) for x in listed] == [
        ("VTCCB", 4, "central")]
    progress = y.ok(api.get(f"/evaluation/cycles/{YEAR}/progress"))
    assert progress["field_reports"] == {"expected": 3 * 5, "sent": 1, "beyond": 2}
    table = {r["code"]: r for r in y.ok(api.get(f"/evaluation/cycles/{YEAR}/table"))["rows"]}
    assert [(f["item"], f["reporter_code"]) for f in table["BTHU"]["field_findings"]] == [
        (4, "VTCCB")]
    assert [(f["item"], f["reporter_code"]) for f in table["P01"]["field_findings"]] == [
        (None, "VP")]


def test_read_literally_the_tenth_of_january_is_late(api):
    app = api.services.app
    app.clock = lambda: at("2024-12-20T03:00:00")
    build_organisation(api)
    strict = {**RULES, "code": "QD1779T",
              "deadline": {"month": 1, "day": 10, "included": False}}
    opened = open_cycle(api, strict)
    assert (opened["deadline"], opened["last_day"]) == ("2025-01-10", "2025-01-09")
    cycle = api.get(f"/evaluation/cycles/{YEAR}").get_json()
    assert cycle["deadline_included"] is False and cycle["last_day"] == "2025-01-09"
    y = Year(api)
    app.clock = lambda: at("2025-01-09T16:59:00")  # 23:59 on 9 January in Hanoi
    y.write("self", "P01", "P01")
    assert y.step(("self", "P01", "P01"), "submit")["late"] is False
    app.clock = lambda: at("2025-01-09T17:00:00")  # 10 January has begun in Hanoi
    progress = y.ok(api.get(f"/evaluation/cycles/{YEAR}/progress"))
    assert progress["last_day"] == "2025-01-09" and progress["days_left"] == -1
    y.write("self", "P02", "P02")
    r = api.post(f"/evaluation/sheets/{y.ids[('self', 'P02', 'P02')]}/submit", officer("P02"),
                 json={})
    message = refused(r, 422, "deadline_passed")["message"]
    assert "before 2025-01-10" in message and "P02" in message
    y.ok(api.post(f"/evaluation/cycles/{YEAR}/extensions", json={
        "unit_code": "P02", "until": "2025-01-10", "reason": "Công văn xin gia hạn."}), 201)
    assert y.step(("self", "P02", "P02"), "submit")["late"] is True


def test_a_leader_in_charge_belongs_to_no_unit(api, flask_app):
    app = api.services.app
    app.clock = lambda: at("2024-12-20T03:00:00")
    build_organisation(api)
    open_cycle(api)
    r = api.post("/users", json={"username": "pho.tgd", "full_name": "Phó Tổng Giám đốc",
                                 "roles": ["leader"], "assigned_unit_codes": ["BTHU"]})
    assert r.status_code == 201, r.get_json()
    user = api.get("/users/pho.tgd").get_json()
    assert user["unit_code"] is None and user["assigned_unit_codes"] == ["BTHU"]
    r = api.post("/users", json={"username": "can.bo", "full_name": "Cán bộ",
                                 "roles": ["officer", "leader"]})
    assert "officer" in refused(r, 422, "role_needs_unit")["message"]
    cli = flask_app.test_cli_runner()
    out = cli.invoke(args=["users", "create", "pho.tgd2", "--name", "Phó Tổng Giám đốc 2",
                           "--role", "leader", "--assign", "TTCNTT"])
    assert out.exit_code == 0, out.output
    assert app.user("pho.tgd2").unit_id is None
    # the unitless leader approves the sheets of the unit assigned, and no other's
    secret = app.issue_token(ROOT, "pho.tgd", label="test").view["secret"]
    api.tokens["pho.tgd"] = secret
    y = Year(api)
    y.write("self", "BTHU", "BTHU")
    y.step(("self", "BTHU", "BTHU"), "submit")
    assert y.step(("self", "BTHU", "BTHU"), "approve", "pho.tgd")["state"] == "approved"
    y.write("self", "VP", "VP")
    y.step(("self", "VP", "VP"), "submit")
    r = api.post(f"/evaluation/sheets/{y.ids[('self', 'VP', 'VP')]}/approve", "pho.tgd",
                 json={})
    refused(r, 403, "sheet.approve")


def test_the_letters_legal_bases_are_named_on_a_rule_set_and_cited_by_the_decision(api):
    app = api.services.app
    app.clock = lambda: at("2024-12-20T03:00:00")
    build_organisation(api)
    docs = list(CITED.values())
    rules = {**RULES, "code": "QD1779CC", "legal_basis": docs}
    bad = {**rules, "legal_basis": [{**docs[0], "number": "Chỉ thị 34"}]}
    r = api.post("/evaluation/rulesets", json={"content": bad})
    assert refused(r, 422, "document_number")["errors"].keys() == {"legal_basis[0].number"}
    open_cycle(api, rules, units=["BTHU", "P01"], monitoring=[], organisation_scoring=[],
               field_units=[])
    version = api.get("/evaluation/rulesets/QD1779CC").get_json()
    assert version["legal_basis"] == docs
    assert api.get(f"/evaluation/cycles/{YEAR}").get_json()["legal_basis"] == docs
    app.clock = lambda: at("2025-01-12T03:00:00")
    assert api.post(f"/evaluation/cycles/{YEAR}/close", json={}).status_code == 200
    assert api.post(f"/evaluation/cycles/{YEAR}/review",
                    json={"meeting_date": "2025-01-20"}).status_code == 200
    r = api.post(f"/evaluation/cycles/{YEAR}/decision", json={
        "number": "125/QĐ-BHXH", "signed_on": "2025-02-05", "signer": "Tổng Giám đốc"})
    assert r.status_code == 201, r.get_json()
    text = "\n".join(read_back(api.get(f"/documents/decisions/{YEAR}.docx").data)[
        "paragraphs"])
    for line in ("Căn cứ Chỉ thị số 34-CT/TW ngày 07/04/2014 của Bộ Chính trị",
                 "Căn cứ Hướng dẫn số 1640/HD-BTĐKT ngày 17/08/2016 của Ban Thi đua - Khen "
                 "thưởng Trung ương",
                 "Căn cứ Hướng dẫn số 1595/HD-BTĐKT ngày 17/07/2018",
                 "Căn cứ Quyết định số 2418/QĐ-BHXH ngày 24/12/2020 của Tổng Giám đốc",
                 "Căn cứ Quyết định số 1738/QĐ-BHXH ngày 15/12/2020",
                 "Căn cứ Quyết định số 1779/QĐ-BHXH ngày 31/12/2021",
                 "Căn cứ Quyết định số 1686/QĐ-BHXH ngày 24/11/2023",
                 "Căn cứ văn bản số 4268/BHXH-TĐKT ngày 22/12/2021 của BHXH Việt Nam"):
        assert line in text, line


def test_the_reads_say_whose_each_default_is(api):
    sample = api.call("get", "/evaluation/rulesets/sample", "admin").get_json()
    whose = {s["setting"]: s["source"] for s in sample["sources"]}
    assert whose["quota.share_percent"] == "ours" and whose["levels"] == "ours"
    assert whose["deadline.day"] == "letters" and whose["deadline.included"] == "ours"
    assert [d["number"] for d in sample["legal_basis"]] == ["1779/QĐ-BHXH", "1686/QĐ-BHXH"]
    rules = api.get("/election-rules/2024").get_json()
    whose = {s["setting"]: s["source"] for s in rules["sources"]}
    assert whose["quorum"] == whose["majority"] == "ours" and whose["rotation"] == "letters"


def test_refusals_name_units_by_code_never_by_internal_id(api):
    app = api.services.app
    app.clock = lambda: at("2024-12-20T03:00:00")
    build_organisation(api)
    for code, level in (("XOUT", "central"), ("POUT", "province")):
        app.register_unit(ROOT, code=code, name=f"Đơn vị {code}", level=level,
                          parent_code=None, effective="2020-01-01")
        api.user(officer(code), ["officer"], code)
    open_cycle(api)  # XOUT and POUT are in no block or cluster: not in the cycle
    sheet = {"year": YEAR, "kind": "self", "subject_code": "XOUT", "scores": {}}
    cases = [
        ("XOUT", api.put("/evaluation/sheets", officer("XOUT"), json=sheet), "unit_in_cycle"),
        ("POUT", api.put("/evaluation/sheets", officer("BTHU"), json={
            **sheet, "kind": "central_to_province", "subject_code": "POUT"}), "unit_in_cycle"),
        ("XOUT", api.post("/evaluation/nominations", officer("XOUT"), json={
            "year": YEAR, "subject_code": "XOUT", "justification": "x"}), "unit_in_cycle"),
        ("POUT", api.post("/evaluation/nominations", officer("BTHU"), json={
            "year": YEAR, "subject_code": "POUT", "justification": "x"}), "unit_in_cycle"),
        ("POUT", api.post("/evaluation/field-reports", officer("BTHU"), json={
            "year": YEAR, "subject_code": "POUT", "assessment": "x"}), "unit_in_cycle"),
        ("XOUT", api.post(f"/evaluation/cycles/{YEAR}/extensions", json={
            "unit_code": "XOUT", "until": "2025-01-20", "reason": "x"}), "unit_in_cycle"),
    ]
    app.clock = lambda: at("2025-01-12T03:00:00")
    cases.append(("P01", api.post("/evaluation/nominations", officer("P01"), json={
        "year": YEAR, "subject_code": "P01", "justification": "x"}), "deadline_passed"))
    for code, r, rule in cases:
        body = refused(r, 422, rule)
        said = " ".join([body["message"], *(m for ms in body["errors"].values() for m in ms)])
        assert code in said, body
        assert not UUID.search(said), body

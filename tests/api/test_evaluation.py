"""A whole year's evaluation through the API, on PostgreSQL: rule set, cycle, every kind of
sheet, approvals and returns, a correction, late submissions with and without extension,
nominations, field reports, cluster heads elected and their summaries, the council review
and the decision; the scoreboard and the compiled table are checked against figures
computed here, independently, from the same inputs."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from openpyxl import load_workbook

from domain.organisation.groups import group_id
from tests.support.evaluation import (  # noqa: F401
    CENT,
    CENTRAL,
    CLUSTERS,
    FIELD_UNITS,
    LEADERS,
    MONITORING,
    ORGANISATION,
    PROVINCES,
    RULES,
    YEAR,
    Year,
    at,
    build_organisation,
    elect_head,
    expected_pairs,
    leader_of,
    level,
    mean,
    officer,
    open_cycle,
    s2,
    scores_for,
    total_of,
)


def test_a_whole_year_of_evaluation(api):
    app = api.services.app
    app.clock = lambda: at("2024-12-20T03:00:00")
    build_organisation(api)
    opened = open_cycle(api)
    assert opened["sheets_expected"] == len(expected_pairs()) == 47
    assert opened["deadline"] == "2025-01-10"
    elect_head(api, "C1", "P01")
    elect_head(api, "C2", "P04")
    y = Year(api)

    # -- returns and revision before sending --------------------------------------------------
    pair = ("self", "BTHU", "BTHU")
    first = scores_for(*pair, salt="first")
    y.write(*pair, scores=first)
    y.step(pair, "submit")
    back = y.step(pair, "return", "leader2", reason="Tiêu chí C02 thiếu minh chứng.")
    assert back["state"] == "returned"
    assert y.write(*pair)["state"] == "revised"
    y.step(pair, "submit")
    y.step(pair, "approve")
    y.step(pair, "send")
    y.counted[pair] = scores_for(*pair)

    pair = ("province_to_central", "P02", "BTHU")
    y.write(*pair, scores=scores_for(*pair, salt="first"))
    y.step(pair, "submit")
    y.step(pair, "return", "admin", reason="Phiếu chấm sai mẫu.")
    y.write(*pair)
    y.step(pair, "submit")
    y.step(pair, "send")
    y.counted[pair] = scores_for(*pair)

    # -- everything else on time, except what is kept for later --------------------------------
    later = {("self", "P03", "P03"), ("self", "TTTT", "TTTT"),
             ("province_to_central", "P05", "TTCNTT")}
    for pair in expected_pairs():
        if pair not in y.counted and pair not in later:
            y.through(*pair)

    # -- a correction of a sent sheet: a new revision with a reason, both visible --------------
    pair = ("central_to_province", "VTCCB", "P01")
    y.step(pair, "corrections", reason="Cập nhật kết quả kiểm tra kỷ luật quý IV.")
    corrected = scores_for(*pair, salt="corrected")
    assert y.write(*pair, scores=corrected)["revision"] == 2
    y.step(pair, "submit")
    y.step(pair, "approve")
    y.step(pair, "send")
    y.counted[pair] = corrected
    detail = y.ok(api.get(f"/evaluation/sheets/{y.ids[pair]}"))
    assert [r["state"] for r in detail["revisions"]] == ["sent", "sent"]
    assert detail["revisions"][1]["reason"].startswith("Cập nhật")
    assert detail["sent_revision"] == 2 and detail["sent_total"] == s2(total_of(corrected))

    # -- nominations (on time) and field reports ----------------------------------------------
    for proposer, subject in [("P01", "P01"), ("BTHU", "P01"), ("BTHU", "BTHU"),
                              ("P01", "BTHU"), ("P02", "BTHU"), ("P04", "BTHU"),
                              ("VTCCB", "TTCNTT"), ("P02", "TTCNTT")]:
        y.ok(api.post("/evaluation/nominations", officer(proposer), json={
            "year": YEAR, "subject_code": subject,
            "justification": f"{subject}: kết quả nổi trội trong năm."}), 201)
    r = api.post("/evaluation/nominations", officer("P01"), json={
        "year": YEAR, "subject_code": "P02", "justification": "Đề xuất chéo."})
    assert r.status_code == 422 and r.get_json()["rule"] == "nomination_who"
    # a central unit's nominations count once its leader in charge approves them
    for n in y.ok(api.get(f"/evaluation/nominations?year={YEAR}"))["items"]:
        assert n["needs_approval"] == (n["proposer_code"] in CENTRAL), n
        if n["needs_approval"]:
            assert not n["stands"]
            approved = y.ok(api.post(f"/evaluation/nominations/{n['id']}/approve",
                                     leader_of(n["proposer_code"]), json={}))
            assert approved["state"] == "approved" and approved["stands"]
    nid = next(n["id"] for n in y.ok(api.get(f"/evaluation/nominations?year={YEAR}"
                                             "&proposer=P02&subject=TTCNTT"))["items"])
    y.ok(api.post(f"/evaluation/nominations/{nid}/withdraw", officer("P02"),
                  json={"reason": "Nhầm đơn vị."}))
    y.ok(api.post("/evaluation/field-reports", officer("BTHU"), json={
        "year": YEAR, "province_code": "P01", "assessment": "Hoàn thành vượt kế hoạch thu.",
        "figures": {"ke_hoach_thu_ty_dong": "51234.5", "ty_le_hoan_thanh_pct": "101.20"},
        "lists": {"don_vi_no_dong": [{"ten": "Công ty TNHH A", "so_tien": "1,2 tỷ"}]}}), 201)
    y.ok(api.post("/evaluation/field-reports", officer("VTCCB"), json={
        "year": YEAR, "province_code": "P03", "assessment": "Có 01 trường hợp kỷ luật.",
        "lists": {"ky_luat": [{"ho_ten": "Nguyễn Văn B", "hinh_thuc": "Khiển trách"}]}}), 201)

    # -- after the deadline: refused without an extension, accepted and marked late with one --
    app.clock = lambda: at("2025-01-12T03:00:00")
    for pair in [("self", "P03", "P03"), ("self", "TTTT", "TTTT")]:
        y.write(*pair)
        r = api.post(f"/evaluation/sheets/{y.ids[pair]}/submit", officer(pair[1]), json={})
        assert r.status_code == 422 and r.get_json()["rule"] == "deadline_passed", r.get_json()
        y.ok(api.post(f"/evaluation/cycles/{YEAR}/extensions", json={
            "unit_code": pair[1], "until": "2025-01-15", "reason": "Công văn xin gia hạn."}),
            201)
        y.through(*pair)
        assert y.ok(api.get(f"/evaluation/sheets/{y.ids[pair]}"))["sent_late"] is True
    r = api.post("/evaluation/nominations", officer("P04"), json={
        "year": YEAR, "subject_code": "P04", "justification": "Muộn."})
    assert r.status_code == 422 and r.get_json()["rule"] == "deadline_passed"

    progress = y.ok(api.get(f"/evaluation/cycles/{YEAR}/progress"))
    assert progress["days_left"] == -2
    p05 = next(u for u in progress["units"] if u["code"] == "P05")
    assert p05["not_submitted"] == [{"kind": "province_to_central", "subject_code": "TTCNTT",
                                     "state": "not_started"}]
    assert progress["complete"] == 10
    p03 = next(u for u in progress["units"] if u["code"] == "P03")
    assert p03["extended"] and p03["days_left"] == 3
    assert progress["field_reports"] == {"expected": 3 * 5, "sent": 2, "beyond": 0}
    assert [(s["group_code"], s["sent"]) for s in progress["summaries"]] == [
        ("C1", False), ("C2", False)]

    # -- cluster summaries, by the elected heads' secretariats -------------------------------
    c1, c2 = (group_id(YEAR, "provincial_cluster", c) for c in ("C1", "C2"))
    r = api.post("/evaluation/cluster-summaries", "sec.p02", json={"year": YEAR, "group_id": c1})
    assert r.status_code == 403, r.get_json()
    app.clock = lambda: at("2025-01-10T03:00:00")  # the heads send on the last day
    s1 = y.ok(api.post("/evaluation/cluster-summaries", "sec.p01",
                       json={"year": YEAR, "group_id": c1}), 201)
    s2_ = y.ok(api.post("/evaluation/cluster-summaries", "sec.p04",
                        json={"year": YEAR, "group_id": c2}), 201)
    assert s2_["not_sent"] == [{"member_code": "P05", "subject_code": "TTCNTT",
                                "state": "none"}]
    bthu = next(r for r in s1["rows"] if r["code"] == "BTHU")
    assert bthu["nominations"] == 2 and bthu["count"] == 3
    assert {(s["scorer_code"], s["revision"]) for s in bthu["sheets"]} == {
        ("P01", 1), ("P02", 1), ("P03", 1)}
    assert bthu["average"] == s2(mean([total_of(y.counted[("province_to_central", p, "BTHU")])
                                       for p in CLUSTERS["C1"]]))

    # -- close, compile, decide -------------------------------------------------------------
    app.clock = lambda: at("2025-01-16T03:00:00")
    r = api.post(f"/evaluation/cycles/{YEAR}/review", json={"meeting_date": "2025-01-20"})
    assert r.status_code == 422 and r.get_json()["rule"] == "cycle_order"
    y.ok(api.post(f"/evaluation/cycles/{YEAR}/close", json={}))
    r = api.put("/evaluation/sheets", officer("P05"), json={
        "year": YEAR, "kind": "province_to_central", "subject_code": "TTCNTT",
        "scores": scores_for("province_to_central", "P05", "TTCNTT")})
    assert r.status_code == 422 and r.get_json()["rule"] == "cycle_open"
    y.ok(api.post(f"/evaluation/cycles/{YEAR}/review",
                  json={"meeting_date": "2025-01-20", "note": "Phiên họp Hội đồng"}))

    expected = expected_table(y)
    board = y.ok(api.get(f"/evaluation/cycles/{YEAR}/scoreboard"))
    table = {r["code"]: r for r in y.ok(api.get(f"/evaluation/cycles/{YEAR}/table"))["rows"]}
    for code, exp in expected.items():
        row = table[code]
        assert row["self_score"] == exp["self"], code
        assert {k: v["average"] for k, v in row["received"].items()} == exp["averages"], code
        assert row["score"] == exp["score"], code
        assert row["proposed_level"] == exp["proposed"], code
        assert row["nominations"] == exp["nominations"], code
    outstanding = sorted(c for c, e in expected.items()
                         if e["proposed"] == "excellent" and e["nominations"]["total"])
    assert outstanding == ["BTHU", "P01"]
    cut = [c for c, e in expected.items() if e["implied"] == "excellent"
           and e["proposed"] != "excellent"]
    assert "TTCNTT" in cut and "P02" in cut  # the 20% quota at work

    r = api.post(f"/evaluation/cycles/{YEAR}/decision", json={
        "number": "125/QĐ-BHXH", "signed_on": "2025-02-05", "signer": "Tổng Giám đốc",
        "outstanding": ["TTCNTT"]})
    assert r.status_code == 422 and r.get_json()["rule"] == "outstanding_only_excellent"
    y.ok(api.post(f"/evaluation/cycles/{YEAR}/decision", json={
        "number": "125/QĐ-BHXH", "signed_on": "2025-02-05", "signer": "Tổng Giám đốc",
        "outstanding": outstanding}), 201)

    board = y.ok(api.get(f"/evaluation/cycles/{YEAR}/scoreboard"))
    assert board["state"] == "decided" and board["decision"]["outstanding"] == outstanding
    rows = {u["code"]: u for u in board["units"]}
    assert set(rows) == set(CENTRAL + PROVINCES)
    for code, exp in expected.items():
        row = rows[code]
        assert row["self_score"] == exp["self"], code
        live = {k: v["average"] for k, v in row["received"].items()}
        assert live == exp["averages"], code
        assert row["nominations"] == exp["nominations"], code
        assert row["proposed_level"] == row["decided_level"] == exp["proposed"], code
        assert row["outstanding"] == (code in outstanding)
        assert row["late_count"] == (1 if code in ("P03", "TTTT") else 0), code
    assert rows["TTCNTT"]["received"]["province_to_central"]["sent"] == 4
    noms = y.ok(api.get(f"/evaluation/nominations?year={YEAR}&subject=P01"))["items"]
    assert {n["outcome"] for n in noms} == {"accepted"}

    # -- exports -------------------------------------------------------------------------------
    r = api.get(f"/evaluation/cycles/{YEAR}/table.csv")
    assert r.status_code == 200 and r.data.startswith("\ufeff".encode())
    lines = list(csv.reader(io.StringIO(r.data.decode("utf-8-sig"))))
    assert lines[0][:3] == ["STT", "Mã đơn vị", "Tên đơn vị"]
    assert len(lines) == 1 + len(expected)
    r = api.get(f"/evaluation/cycles/{YEAR}/table.xlsx")
    assert r.status_code == 200
    sheet = load_workbook(io.BytesIO(r.data)).active
    assert sheet.cell(1, 2).value == "Mã đơn vị" and sheet.max_row == 1 + len(expected)

    # -- the views are a pure function of the events: a rebuild gives the same rows ------------
    from projections.replay import rebuild_and_compare
    from web.bootstrap import build_projections
    from web.database import migrate

    s = api.services
    report = rebuild_and_compare(app, s.url, s.projections, s.settings.views_schema,
                                 migrate=migrate, build=build_projections)
    assert report.equal, str(report)


def expected_table(y: Year) -> dict[str, dict[str, Any]]:
    """The compiled figures, computed here from the sheets the test sent."""
    nominations = {c: {"self": 0, "scorer": 0, "province": 0, "total": 0}
                   for c in CENTRAL + PROVINCES}
    for proposer, subject in [("P01", "P01"), ("BTHU", "P01"), ("BTHU", "BTHU"),
                              ("P01", "BTHU"), ("P02", "BTHU"), ("P04", "BTHU"),
                              ("VTCCB", "TTCNTT")]:
        basis = ("self" if proposer == subject else "province"
                 if proposer in PROVINCES and subject in CENTRAL else "scorer")
        nominations[subject][basis] += 1
        nominations[subject]["total"] += 1
    out: dict[str, dict[str, Any]] = {}
    for code in CENTRAL + PROVINCES:
        averages = {}
        for kind in ("central_to_province", "organisation_to_central", "province_to_central"):
            expected = [p for p in expected_pairs() if p[0] == kind and p[2] == code]
            if expected:
                averages[kind] = mean([total_of(y.counted[p]) for p in expected
                                       if p in y.counted])
        basis = ["central_to_province"] if code in PROVINCES else [
            "organisation_to_central", "province_to_central"]
        used = [averages[k] for k in basis if averages.get(k) is not None]
        self_score = total_of(y.counted[("self", code, code)])
        score = mean(used) if used else self_score  # type: ignore[arg-type]
        out[code] = {"self": s2(self_score), "averages": {k: s2(v) for k, v in averages.items()},
                     "score": s2(score), "implied": level(score),
                     "nominations": nominations[code]}
    for group in (CENTRAL, PROVINCES):
        ranked = sorted((c for c in group if out[c]["implied"] == "excellent"),
                        key=lambda c: (-Decimal(out[c]["score"]), c))
        cap = max(len(group) * 20 // 100, 1)
        for c in group:
            out[c]["proposed"] = out[c]["implied"]
        for c in ranked[cap:]:
            out[c]["proposed"] = "good"
    return out

"""A cluster's annual judging (bình xét thi đua) through the API, on PostgreSQL: from the
summary meeting to the council's decision awarding titles on its proposals; quotas,
majority and a tie judged again; the secrecy of ballots in every read, view and stored
event; bad input and the wrong roles refused with nothing written."""

from __future__ import annotations

from typing import Any

from domain.evaluation.ruleset import sample_ruleset
from tests.support.elections import CODES, YEAR, ok, refused
from tests.support.evaluation import at
from tests.support.judging import (
    candidate,
    declare,
    head_p01,
    judge,
    open_judging,
    vote,
    votes,
)
from web.resources.documents.decision import read_back

RULES = sample_ruleset()
FULL = {c["code"]: (c["max"] if c["kind"] == "base" else "0") for c in RULES["criteria"]}


def decided_cycle(api: Any) -> None:
    """The 2024 cycle of the six provinces, P01's self sheet sent (100 points: excellent),
    closed and put before the council."""
    ok(api.post("/evaluation/rulesets", json={"content": RULES, "note": "QĐ 1779"}))
    ok(api.post("/evaluation/cycles", json={"year": YEAR, "ruleset_code": RULES["code"],
                                            "units": CODES, "monitoring": [],
                                            "organisation_scoring": []}))
    sheet = ok(api.put("/evaluation/sheets", "op01", json={
        "year": YEAR, "kind": "self", "subject_code": "P01", "scores": FULL}), 200)
    for step in ("submit", "send"):
        ok(api.post(f"/evaluation/sheets/{sheet['id']}/{step}", "op01", json={}), 200)
    ok(api.post(f"/evaluation/cycles/{YEAR}/close", json={"reason": "Hết hạn."}), 200)
    ok(api.post(f"/evaluation/cycles/{YEAR}/review", json={"meeting_date": "2025-01-20"}),
       200)


def test_a_clusters_judging_from_the_meeting_to_the_councils_decision(api, cluster):
    app = api.services.app
    app.clock = lambda: at("2024-12-20T03:00:00")
    gid = cluster["id"]
    head_p01(api, gid)
    # the year's rules: a flag for one excellent unit, two certificates for excellent or good
    rules = ok(api.put(f"/judging-rules/{YEAR}", json={
        "titles": [{"code": "flag", "name": "Cờ thi đua của BHXH Việt Nam", "quota": 1,
                    "levels": ["excellent"]},
                   {"code": "certificate", "name": "Bằng khen của Tổng Giám đốc", "quota": 2,
                    "levels": ["excellent", "good"]}],
        "reason": "Hướng dẫn bình xét năm 2024"}), 200)
    assert rules["version"] == 1 and rules["rules"]["majority"] == "1/2"

    opened = ok(open_judging(api, gid))
    jid = opened["id"]
    assert opened["round"] == 1 and opened["places"] == {"flag": 1, "certificate": 2}
    assert opened["rules_version"] == 1
    first = judge(api, jid, {"flag": ["P01", "P02"], "certificate": ["P03", "P04", "P05"]}, {
        "P01": {"flag": ["P01"], "certificate": ["P03", "P04"]},
        "P02": {"flag": ["P01"], "certificate": ["P03", "P05"]},
        "P03": {"flag": ["P02"], "certificate": ["P03", "P04"]},
        "P04": {"flag": ["P01"], "certificate": ["P04", "P05"]},
        "P05": {"flag": ["P01"], "certificate": ["P03", "P05"]},
        "P06": {"flag": ["P01"], "certificate": ["P03"]}})
    assert first["outcome"] == "proposed"
    assert first["quorum"] == {"members": 6, "present": 6, "required": "2/3", "met": True}
    flag, cert = first["titles"]["flag"], first["titles"]["certificate"]
    assert flag["status"] == "proposed" and flag["proposed"] == ["P01"]
    assert votes(flag) == {"P01": 5, "P02": 1}
    # P03 5 of 6; P04 and P05 3 of 6 each: not more than half, so no majority for either
    assert cert["status"] == "proposed" and cert["proposed"] == ["P03"]
    assert votes(cert) == {"P03": 5, "P04": 3, "P05": 3}
    assert [(p["title"], p["unit_code"]) for p in first["proposals"]] == [
        ("flag", "P01"), ("certificate", "P03")]

    # the place left is judged again, with the reason: an even split is no majority
    refused(open_judging(api, gid), 422, "reason_required", "reason")
    second = ok(open_judging(api, gid, reason="Bình xét thêm một Bằng khen"))
    assert second["round"] == 2 and second["places"] == {"flag": 0, "certificate": 1}
    refused(candidate(api, jid, "P02", "flag"), 422, "title_has_places")
    refused(candidate(api, jid, "P03", "certificate"), 422, "proposed_once")
    tie = judge(api, jid, {"certificate": ["P04", "P05"]}, {
        c: {"certificate": [m]} for c, m in zip(CODES, ["P04", "P05", "P04", "P05", "P04",
                                                       "P05"], strict=True)})
    assert tie["titles"]["certificate"]["status"] == "no_majority"
    third = ok(open_judging(api, gid, reason="Bỏ phiếu lại vị trí Bằng khen thứ hai"))
    last = judge(api, jid, {"certificate": ["P04", "P05"]}, {
        c: {"certificate": ["P04"] if c != "P06" else ["P05"]} for c in CODES})
    assert third["round"] == 3 and last["outcome"] == "proposed"
    assert [(p["title"], p["unit_code"], p["round"]) for p in last["proposals"]] == [
        ("flag", "P01", 1), ("certificate", "P03", 1), ("certificate", "P04", 3)]
    refused(open_judging(api, gid, reason="Thêm"), 422, "places_left", "group_id")

    detail = ok(api.get(f"/judgings/{jid}"), 200)
    assert detail["group_code"] == "C1" and [r["status"] for r in detail["rounds"]] == [
        "declared", "declared", "declared"]
    assert detail["rounds"][0]["turnout"]["flag"] == {"ballots": 6, "voted": CODES}
    assert [c["unit_code"] for c in detail["rounds"][0]["candidates"]["certificate"]] == [
        "P03", "P04", "P05"]
    listed = ok(api.get(f"/judgings?year={YEAR}"), 200)
    assert listed["total"] == 1 and len(listed["items"][0]["proposals"]) == 3
    pending = ok(api.get(f"/judging-proposals?year={YEAR}"), 200)["items"]
    assert {(p["unit_code"], p["title"], p["outcome"]) for p in pending} == {
        ("P01", "flag", "pending"), ("P03", "certificate", "pending"),
        ("P04", "certificate", "pending")}

    # the council's decision awards titles on the proposals only, to the levels they need
    decided_cycle(api)
    base = {"number": "125/QĐ-BHXH", "signed_on": "2025-02-05", "signer": "Tổng Giám đốc",
            "levels": {"P03": "good", "P04": "complete"},
            "reason": "Hội đồng xét theo kết quả kiểm tra"}
    for titles, rule, field in (
            ([{"unit_code": "P02", "title": "flag"}], "title_proposed", "titles[0]"),
            ([{"unit_code": "P04", "title": "certificate"}], "title_level", "titles[0]"),
            ([{"unit_code": "P03", "title": "flag"}], "title_proposed", "titles[0]"),
            ([{"unit_code": "P01", "title": "flag"}] * 2, "title_once", "titles[1]")):
        refused(api.post(f"/evaluation/cycles/{YEAR}/decision", json={**base,
                                                                       "titles": titles}),
                422, rule, field)
    decision = ok(api.post(f"/evaluation/cycles/{YEAR}/decision", json={**base, "titles": [
        {"unit_code": "P01", "title": "flag"}, {"unit_code": "P03", "title": "certificate"}]}))
    assert decision["titles"] == [{"unit_code": "P01", "title": "flag"},
                                  {"unit_code": "P03", "title": "certificate"}]
    outcome = {(p["unit_code"], p["title"]): (p["outcome"], p["decision_number"])
               for p in ok(api.get(f"/judging-proposals?year={YEAR}"), 200)["items"]}
    assert outcome == {("P01", "flag"): ("awarded", "125/QĐ-BHXH"),
                       ("P03", "certificate"): ("awarded", "125/QĐ-BHXH"),
                       ("P04", "certificate"): ("not_awarded", "125/QĐ-BHXH")}
    awarded = ok(api.get(f"/judging-proposals?year={YEAR}&outcome=awarded"), 200)["items"]
    assert sorted(p["unit_code"] for p in awarded) == ["P01", "P03"]
    table = ok(api.get(f"/evaluation/cycles/{YEAR}/table"), 200)
    assert [(t["code"], t["title"], t["group_code"]) for t in table["decision"]["titles"]] == [
        ("P01", "flag", "C1"), ("P03", "certificate", "C1")]
    # the decision as the office signs it names the titles, article by article
    docx = api.get(f"/documents/decisions/{YEAR}.docx")
    assert docx.status_code == 200, docx.get_data()[:300]
    doc = read_back(docx.get_data())
    text = "\n".join(doc["paragraphs"])
    assert "Điều 3. Tặng Cờ thi đua của BHXH Việt Nam năm 2024 cho 1 đơn vị dẫn đầu phong " \
           "trào thi đua của Khối, Cụm: BHXH tỉnh P01 (C1)." in text
    assert "Điều 4. Tặng Bằng khen của Tổng Giám đốc năm 2024 cho 1 đơn vị" in text
    assert "Điều 5. Quyết định này có hiệu lực" in text
    # once the year is decided, a group's judging proposes nothing more
    refused(open_judging(api, gid, reason="Sau quyết định"), 422, "judging_before_decision")

    # the audit trail holds every judging event, naming the units by code
    page = ok(api.get(f"/audit/timeline/{YEAR}?page_size=500&unit=P04"), 200)
    topics = {e["topic"] for e in page["items"]}
    assert {"thidua:Judging.CandidatePutForward", "thidua:Judging.BallotCast",
            "thidua:Judging.ResultDeclared", "thidua:EvaluationCycle.Decided"} <= topics
    for e in page["items"]:
        if e["topic"].startswith("thidua:Judging."):
            assert "P04" in {u["code"] for u in e["units"].values()}, e


def test_bad_input_and_the_wrong_roles_are_refused_and_write_nothing(api, cluster):
    gid = cluster["id"]
    head_p01(api, gid)
    api.user("sec03", ["group_secretariat"], "P03")
    before = api.services.runner.head()
    refused(open_judging(api, gid, present=["P01", "P99"]), 422, "present_is_member",
            "present[1]")
    assert api.services.runner.head() == before
    jid = ok(open_judging(api, gid))["id"]
    ok(candidate(api, jid, "P02", "flag"))
    before = api.services.runner.head()
    for body, status, field in (
            ({"meeting_date": "2026-01-05"}, 422, "meeting_date"),
            ({"meeting_date": "2024-13-01"}, 422, "meeting_date"),
            ({"place": "Hà Nội\x1b[31m"}, 422, "place"),
            ({"place": "x" * 301}, 422, "place"),
            ({"present": []}, 422, "present"),
            ({"present": ["P01", "P01"]}, 422, "present"),
            ({"present": ["P01", "NOPE"]}, 404, "present[1]"),
            ({"group_id": "not-a-uuid"}, 422, "group_id"),
            ({"secret": False}, 422, "secret"),
            ({"year": 2024.5}, 422, "year")):
        r = open_judging(api, gid, **{"reason": "Vòng thử", **body})
        assert r.status_code == status, (body, r.get_json())
        assert field in r.get_json()["errors"], (body, r.get_json())
    # the second round cannot open over the first
    refused(open_judging(api, gid, reason="Thêm"), 422, "one_open_round", "group_id")
    for body, status, rule, field in (
            ({"title": "medal", "marks": ["P02"]}, 422, "known_title", "title"),
            ({"title": "flag", "marks": ["P03"]}, 422, "candidate_for_title", "marks[0]"),
            ({"title": "flag", "marks": ["P02", "P02"]}, 422, "marks_once", "marks"),
            ({"title": "flag", "marks": ["NOPE"]}, 404, "exists", "marks[0]"),
            ({"title": "flag", "marks": "P02"}, 422, "schema", "marks"),
            ({"title": "flag", "marks": ["P02"], "voter": "P05"}, 422, "schema", "voter")):
        r = api.post(f"/judgings/{jid}/ballots", "op01", json=body)
        assert r.status_code == status and r.get_json()["rule"] == rule, (body, r.get_json())
        assert field in r.get_json()["errors"], (body, r.get_json())
    refused(candidate(api, jid, "P99", "flag"), 422, "candidate_is_member", "unit_code")
    refused(candidate(api, jid, "P02", "certificate"), 422, "one_title_per_unit", "unit_code")
    # the rules: fractions, titles and quotas as data, named in the refusal
    for body, field in (({"quorum": "0/3"}, "quorum"), ({"majority": "0.5"}, "majority"),
                        ({"majority_of": "present"}, "majority_of"),
                        ({"titles": []}, "titles"),
                        ({"titles": [{"code": "flag", "name": "Cờ", "quota": 101}]},
                         "titles"),
                        ({"titles": [{"code": "flag", "name": "Cờ", "quota": 1},
                                     {"code": "flag", "name": "Cờ 2", "quota": 1}]}, "titles"),
                        ({"titles": [{"code": "1x", "name": "Cờ", "quota": 1}]},
                         "titles[0].code"),
                        ({"titles": [{"code": "flag", "name": "Cờ\u202e", "quota": 1}]},
                         "titles[0].name"),
                        ({"quorum": "2/3", "seats": 1}, "seats")):
        r = api.put(f"/judging-rules/{YEAR}", json=body)
        assert r.status_code == 422 and field in r.get_json()["errors"], (body, r.get_json())
    refused(api.put(f"/judging-rules/{YEAR}", json={"quorum": "1/2", "version": 3}), 409,
            "stale_version")
    # the wrong roles: the deputy's secretariat may run it too, a member's may not; the head's
    # secretariat does not vote; an outsider's officer neither votes nor runs it
    refused(candidate(api, jid, "P04", "certificate", who="sec03"), 403, "judging.run")
    refused(candidate(api, jid, "P04", "certificate", who="op01"), 403, "judging.run")
    refused(api.post(f"/judgings/{jid}/ballots", "sec01",
                     json={"title": "flag", "marks": ["P02"]}), 403, "judging.vote")
    refused(vote(api, jid, "P99", "flag", ["P02"]), 403, "voter_is_member")
    refused(declare(api, jid, who="sec03"), 403, "judging.run")
    refused(api.post(f"/judgings/{jid}/annulment", "op02", json={"reason": "x"}), 403,
            "judging.run")
    refused(api.put(f"/judging-rules/{YEAR}", "sec01", json={"quorum": "1/2"}), 403,
            "judging.run")
    missing = "00000000-0000-0000-0000-000000000000"
    refused(api.get(f"/judgings/{missing}"), 404, "exists")
    refused(vote(api, missing, "P01", "flag", ["P02"]), 404, "exists")
    refused(api.get(f"/judgings/{jid}/ballots?round=9"), 404, "exists")
    assert api.services.runner.head() == before, "a refused request wrote an event"
    # the deputy's secretariat (P02) holds the head's powers: it declares
    out = ok(declare(api, jid, who="sec02"))
    assert out["titles"]["flag"]["status"] == "no_ballots" and out["proposals"] == []
    refused(vote(api, jid, "P01", "flag", ["P02"]), 422, "round_open")


def test_the_openapi_document_describes_the_judging(api, cluster):
    spec = api.client.get("/openapi.json").get_json()
    for path in ("/judgings", "/judgings/{judging_id}", "/judgings/{judging_id}/candidates",
                 "/judgings/{judging_id}/ballots", "/judgings/{judging_id}/result",
                 "/judgings/{judging_id}/annulment", "/judging-rules/{year}",
                 "/judging-proposals"):
        assert path in spec["paths"], path
    schemas = spec["components"]["schemas"]
    for name in ("JudgingOpen", "JudgingBallotIn", "JudgingCandidateIn", "JudgingRulesSet",
                 "JudgingTitle", "TitleAwarded"):
        props = schemas[name]["properties"]
        assert all("example" in p or "$ref" in p or "description" in p
                   or p.get("type") == "array" for p in props.values()), name
    decision = schemas["DecisionIn"]["properties"]["titles"]
    assert "judging" in decision["description"]

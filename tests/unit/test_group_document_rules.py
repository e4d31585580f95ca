"""The group's own documents without a database: a document's text or file (with its
SHA-256), the operating rules drafted, adopted at a meeting that meets the quorum and the
majority, amended, withdrawn; the year's plan inspecting members, planning the covenant's
targets, and keeping every inspection a finding came from; a finding within its
inspection."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from domain.covenants.covenant import Covenant
from domain.group_documents.content import check_content
from domain.group_documents.plan import GroupPlan, check_plan
from domain.group_documents.regulation import GroupRegulation
from domain.kernel.errors import InvalidInput, NotFound, RuleViolation

MEMBERS = ["u1", "u2", "u3", "u4", "u5", "u6"]
LABELS = {u: u.upper() for u in MEMBERS}
MEETING = {"quorum": "2/3", "majority": "1/2"}
SHA = "ab" * 32


def rule_of(excinfo: pytest.ExceptionInfo[BaseException]) -> str:
    return str(getattr(excinfo.value, "rule", ""))


def test_a_document_holds_its_text_or_its_file_with_the_files_sha256():
    assert check_content("Điều 1.\r\nPhạm vi", None) == ("Điều 1.\nPhạm vi", None)
    text, file = check_content(None, {"name": "quy-che.pdf", "reference": "12/QC-C1",
                                      "sha256": SHA.upper()})
    assert text is None and file == {"name": "quy-che.pdf", "reference": "12/QC-C1",
                                     "sha256": SHA}
    for text, file, rule, field in (
            (None, None, "document_content", "text"),
            (" ", None, "text_length", "text"),
            ("x" * 100_001, None, "text_length", "text"),
            ("Điều\x001", None, "text_characters", "text"),
            (None, {"name": "a", "reference": "b", "sha256": "12"}, "sha256_format",
             "file.sha256"),
            (None, {"name": "a", "reference": "b", "sha256": "g" * 64}, "sha256_format",
             "file.sha256"),
            (None, {"name": "a\nb", "reference": "b", "sha256": SHA}, "text_characters",
             "file.name"),
            (None, {"name": "a", "reference": "b", "sha256": SHA, "size": 3}, "known_field",
             "file.size"),
            (None, "quy-che.pdf", "file_object", "file")):
        with pytest.raises(InvalidInput) as e:
            check_content(text, file)
        assert rule_of(e) == rule and field in e.value.errors, (text, file)


# -- the operating rules ------------------------------------------------------------------------
def regulation() -> GroupRegulation:
    reg = GroupRegulation(group_id="g", year=2024)
    reg.draft(kind="rules", title="Quy chế hoạt động", text="Điều 1", file=None,
              drafted_on="2024-01-10", group_id="g", year=2024, reason=None)
    return reg


def adopt(reg: GroupRegulation, number: int = 1, **change: Any) -> None:
    args: dict[str, Any] = {"meeting_date": "2024-01-20", "place": "Hà Nội",
                            "effective": "2024-01-20", "group_id": "g", "year": 2024,
                            "members": MEMBERS, "present": MEMBERS[:4],
                            "adopters": MEMBERS[:3], "rules": MEETING, "rules_version": 0,
                            "labels": LABELS}
    reg.adopt(number, **{**args, **change})


def test_adoption_needs_the_quorum_and_the_majority_of_those_present():
    reg = regulation()
    for change, rule, field in (
            ({"present": MEMBERS[:3], "adopters": MEMBERS[:3]}, "adoption_quorum", "present"),
            ({"adopters": MEMBERS[:2]}, "adoption_majority", "adopters"),
            ({"present": ["u1", "x9", "u2", "u3"]}, "present_is_member", "present[1]"),
            ({"adopters": ["u1", "u5"]}, "adopter_present", "adopters[1]"),
            ({"meeting_date": "2024-01-09", "effective": "2024-01-09"}, "adopted_after_draft",
             "meeting_date"),
            ({"effective": "2024-01-19"}, "effective_after_meeting", "effective")):
        with pytest.raises(RuleViolation) as e:
            adopt(reg, **change)
        assert rule_of(e) == rule and field in e.value.errors, change
    assert reg.version == 2, "a refused adoption records nothing"
    adopt(reg)  # 4 of 6 present (2/3), 3 of 4 in favour
    assert reg.versions[0]["status"] == "adopted"
    assert reg.versions[0]["adoption"]["adopters"] == MEMBERS[:3]
    with pytest.raises(RuleViolation) as e:
        adopt(reg)
    assert rule_of(e) == "draft_pending"


def test_drafts_wait_one_at_a_time_and_amend_the_rules_in_force():
    reg = GroupRegulation(group_id="g", year=2024)
    with pytest.raises(RuleViolation) as e:
        reg.draft(kind="amendment", title="Sửa đổi", text="x", file=None,
                  drafted_on="2024-01-10", group_id="g", year=2024, reason=None)
    assert rule_of(e) == "amendment_needs_rules"
    with pytest.raises(InvalidInput) as e:
        reg.draft(kind="decree", title="x", text="x", file=None, drafted_on="2024-01-10",
                  group_id="g", year=2024, reason=None)
    assert rule_of(e) == "known_kind"
    reg.draft(kind="rules", title="Quy chế", text="Điều 1", file=None,
              drafted_on="2024-01-10", group_id="g", year=2024, reason=None)
    with pytest.raises(RuleViolation) as e:
        reg.draft(kind="rules", title="Quy chế 2", text="x", file=None,
                  drafted_on="2024-01-11", group_id="g", year=2024, reason=None)
    assert rule_of(e) == "one_pending_draft"
    adopt(reg)
    with pytest.raises(RuleViolation) as e:
        reg.draft(kind="amendment", title="Sửa đổi Điều 3", text="Điều 3 mới", file=None,
                  drafted_on="2025-02-01", group_id="g2", year=2025, reason=None)
    assert rule_of(e) == "reason_required"
    assert reg.draft(kind="amendment", title="Sửa đổi Điều 3", text=None,
                     file={"name": "sua-doi.pdf", "reference": "3/QC", "sha256": SHA},
                     drafted_on="2025-02-01", group_id="g2", year=2025,
                     reason="Theo hướng dẫn mới") == 2
    assert reg.versions[1]["amends"] == 1
    with pytest.raises(RuleViolation) as e:
        reg.withdraw(1, "x")
    assert rule_of(e) == "draft_pending"
    with pytest.raises(RuleViolation) as e:
        reg.withdraw(9, "x")
    assert rule_of(e) == "version_exists"
    reg.withdraw(2, "Chưa thống nhất")
    assert reg.versions[1]["status"] == "withdrawn" and reg.pending is None
    reg.draft(kind="amendment", title="Sửa đổi Điều 3 (lần 2)", text="Điều 3", file=None,
              drafted_on="2025-03-01", group_id="g2", year=2025, reason="Góp ý thành viên")
    adopt(reg, 3, meeting_date="2025-03-10", effective="2025-04-01", group_id="g2", year=2025)
    assert [v["version"] for v in reg.in_force(date(2025, 3, 31))] == [1]
    assert [v["version"] for v in reg.in_force(date(2025, 4, 1))] == [1, 3]
    assert reg.in_force(date(2024, 1, 19)) == []
    copy = None
    for event in reg.collect_events():
        copy = event.mutate(copy)
    assert copy is not None and vars(copy) == vars(reg)


# -- the year's plan ------------------------------------------------------------------------------
def resolve(code: str, field: str) -> str:
    if code == "NOPE":
        raise NotFound(f"There is no unit with code '{code}'.", field=field, rule="exists")
    return code.lower()


RAW = {"activities": [{"code": "A1", "name": "Sơ kết 6 tháng", "due": "2024-07-15"}],
       "milestones": [{"target": "T1", "due": "2024-06-30", "value": "50.0"}],
       "inspections": [{"code": "KT1", "members": ["U2", "U3"], "from": "2024-09-01",
                        "until": "2024-09-30", "inspectors": ["U1"],
                        "note": "Đoàn của Cụm trưởng"}]}


def test_a_plans_parts_are_checked_naming_the_field():
    parts = check_plan(RAW, year=2024, resolve=resolve)
    assert parts["milestones"] == [{"target": "T1", "due": "2024-06-30", "value": "50",
                                    "note": None}]
    assert parts["inspections"][0]["members"] == ["u2", "u3"]
    bad = [({"activities": [{"code": "A1", "name": "x", "due": "2023-12-01"}]}, "day_in_year",
            "activities[0].due"),
           ({"activities": [{"code": "A1", "name": "x", "due": "2024-01-01"}] * 2}, "code_once",
            "activities[1].code"),
           ({"milestones": [{"target": "T1", "due": "2024-06-30", "value": "nửa"}]},
            "decimal_format", "milestones[0].value"),
           ({"inspections": [{**RAW["inspections"][0], "until": "2024-08-01"}]},
            "until_after_from", "inspections[0].until"),
           ({"inspections": [{**RAW["inspections"][0], "members": []}]}, "units_count",
            "inspections[0].members"),
           ({"inspections": [{**RAW["inspections"][0], "members": ["U2", "U2"]}]}, "unit_once",
            "inspections[0].members"),
           ({"inspections": [{**RAW["inspections"][0], "when": "Q3"}]}, "known_field",
            "inspections[0].when"),
           ({"activities": "A1"}, "activities_count", "activities")]
    for raw, rule, field in bad:
        with pytest.raises(InvalidInput) as e:
            check_plan(raw, year=2024, resolve=resolve)
        assert rule_of(e) == rule and field in e.value.errors, (raw, e.value.errors)
    with pytest.raises(NotFound) as e:
        check_plan({"inspections": [{**RAW["inspections"][0], "inspectors": ["NOPE"]}]},
                   year=2024, resolve=resolve)
    assert "inspections[0].inspectors[0]" in e.value.errors


def plan(**change: Any) -> GroupPlan:
    args: dict[str, Any] = {"group_id": "g", "year": 2024, "title": "Kế hoạch 2024",
                            "issued_on": date(2024, 1, 20), "text": "Kế hoạch", "file": None,
                            "parts": check_plan(RAW, year=2024, resolve=resolve),
                            "members": MEMBERS, "targets": ["T1"], "labels": LABELS}
    return GroupPlan.issue(**{**args, **change})


def test_a_plan_inspects_members_and_plans_the_covenants_targets():
    parts = check_plan(RAW, year=2024, resolve=resolve)
    for change, rule, field in (
            ({"issued_on": date(2022, 12, 1)}, "issued_in_year", "issued_on"),
            ({"members": ["u1", "u3"]}, "inspected_is_member", "inspections[0].members[0]"),
            ({"targets": None}, "plan_targets_need_covenant", "milestones"),
            ({"targets": ["T2"]}, "known_target", "milestones[0].target")):
        with pytest.raises(RuleViolation) as e:
            plan(parts=parts, **change)
        assert rule_of(e) == rule and field in e.value.errors, change
    assert plan(targets=None, parts={**parts, "milestones": []}).revision == 1


def test_a_revision_keeps_the_inspections_findings_came_from():
    p = plan()
    parts = check_plan(RAW, year=2024, resolve=resolve)
    finding = {"finding_no": 1, "inspection": "KT1", "unit_id": "u3",
               "inspected_on": "2024-09-10"}
    common: dict[str, Any] = {"title": p.title, "issued_on": date(2024, 1, 20), "text": p.text,
                              "file": None, "reason": "Điều chỉnh", "members": MEMBERS,
                              "targets": ["T1"], "labels": LABELS, "findings": [finding]}
    with pytest.raises(RuleViolation) as e:
        p.revise(parts=parts, **common)
    assert rule_of(e) == "revision_changes"
    moved = {**RAW["inspections"][0], "from": "2024-10-01", "until": "2024-10-31"}
    dropped_member = {**RAW["inspections"][0], "members": ["U2"]}
    for inspections in ([], [moved], [dropped_member]):
        with pytest.raises(RuleViolation) as e:
            p.revise(parts=check_plan({**RAW, "inspections": inspections}, year=2024,
                                      resolve=resolve), **common)
        assert rule_of(e) == "plan_keeps_findings" and "U3" in e.value.message
    longer = {**RAW["inspections"][0], "until": "2024-10-15"}
    extra = {"code": "KT2", "members": ["U4"], "from": "2024-11-01", "until": "2024-11-05",
             "inspectors": ["U1", "U2"]}
    p.revise(parts=check_plan({**RAW, "inspections": [longer, extra]}, year=2024,
                              resolve=resolve), **common)
    assert p.revision == 2 and [n["code"] for n in p.inspections] == ["KT1", "KT2"]
    copy = None
    for event in p.collect_events():
        copy = event.mutate(copy)
    assert copy is not None and vars(copy) == vars(p)


def test_a_finding_from_an_inspection_is_of_its_members_and_days():
    cov = Covenant(group_id="g", year=2024, title="Giao ước", launched_on="2024-02-01",
                   targets=[{"code": "T1", "name": "Thu", "unit_of_measure": "%",
                             "target": "95", "direction": "at_least"}])
    planned = {"code": "KT1", "members": ["u2", "u3"], "from": "2024-09-01",
               "until": "2024-09-30"}
    for member, day, rule in (("u4", date(2024, 9, 10), "finding_member_inspected"),
                              ("u2", date(2024, 10, 1), "inspected_in_window")):
        with pytest.raises(RuleViolation) as e:
            cov.record_finding(member, member.upper(), day, None, "kept", "x", MEMBERS,
                               planned)
        assert rule_of(e) == rule
    assert cov.record_finding("u2", "U2", date(2024, 9, 10), "T1", "kept", "Đạt", MEMBERS,
                              planned) == 1
    assert cov.findings[0]["inspection"] == "KT1" and cov.inspected() == cov.findings
    cov.record_finding("u5", "U5", date(2024, 5, 2), None, "kept", "Ngoài kế hoạch", MEMBERS)
    assert cov.findings[1]["inspection"] is None and len(cov.inspected()) == 1


def test_a_finding_stored_before_findings_named_their_inspection_reads_none():
    cov = Covenant(group_id="g", year=2024, title="Giao ước", launched_on="2024-02-01",
                   targets=[{"code": "T1", "name": "Thu", "unit_of_measure": "%",
                             "target": "95", "direction": "at_least"}])
    cov.record_finding("u2", "U2", date(2024, 9, 10), None, "kept", "Đạt", MEMBERS)
    events = cov.collect_events()
    del events[-1].__dict__["inspection"]  # as the event was stored before
    copy = None
    for event in events:
        copy = event.mutate(copy)
    assert copy is not None and copy.findings[0]["inspection"] is None
    assert copy.findings[0]["summary"] == "Đạt" and copy.inspected() == []

"""The evaluation's pure rules: the rule set, scores against the scheme, totals, levels,
rounding, the quota, deadlines and extensions, and a sheet's lifecycle."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from domain.evaluation.cycle import EvaluationCycle
from domain.evaluation.rules import (
    apply_quota,
    average,
    check_scores,
    deadline_of,
    level_of,
    quota_cap,
    sheet_total,
)
from domain.evaluation.ruleset import check_ruleset, sample_ruleset
from domain.evaluation.sheets import ScoreSheet
from domain.kernel.errors import InvalidInput, RuleViolation

RULES = check_ruleset(sample_ruleset())


def full(**overrides):
    scores = {c["code"]: c["max"] for c in RULES["criteria"] if c["kind"] == "base"}
    scores.update({"B01": "0", "M01": "0"})
    scores.update(overrides)
    return scores


def test_the_sample_rule_set_holds_the_defaults_of_domain_md():
    assert [(lv["code"], lv["min"]) for lv in RULES["levels"]] == [
        ("excellent", "90"), ("good", "70"), ("complete", "50"), ("incomplete", "0")]
    assert RULES["quota"] == {"level": "excellent", "share_percent": "20", "minimum": 1}
    assert deadline_of(RULES, 2024) == date(2025, 1, 10)
    assert [d["number"] for d in RULES["legal_basis"]] == ["1779/QĐ-BHXH", "1686/QĐ-BHXH"]
    assert sum(Decimal(c["max"]) for c in RULES["criteria"] if c["kind"] == "base") == 100


@pytest.mark.parametrize("n", [1, 7, 20, 100])
def test_the_criterion_count_is_data(n):
    rules = check_ruleset(sample_ruleset(n))
    assert len(rules["criteria"]) == n
    assert sum(Decimal(c["max"]) for c in rules["criteria"]) == 100


@pytest.mark.parametrize("change, rule", [
    (lambda c: c["criteria"][0].update(max="31"), "base_points_total"),
    (lambda c: c["criteria"][1].update(code="C01"), "unique_criterion_code"),
    (lambda c: c["criteria"][0].update(kind="extra"), "known_criterion_kind"),
    (lambda c: c["criteria"][0].update(max=30.5), "score_format"),
    (lambda c: c["levels"].reverse(), "levels_descending"),
    (lambda c: c["levels"][0].update(code="top"), "excellent_level"),
    (lambda c: c["levels"][-1].update(min="10"), "lowest_level_zero"),
    (lambda c: c.update(legal_basis=[]), "legal_basis_required"),
    (lambda c: c.update(deadline={"month": 2, "day": 30}), "deadline_format"),
    (lambda c: c["quota"].update(share_percent="120"), "share_range"),
    (lambda c: c.update(basis={"province": ["self"]}), "known_sheet_kind"),
])
def test_a_bad_rule_set_is_refused_naming_the_rule(change, rule):
    content = sample_ruleset()
    change(content)
    with pytest.raises(InvalidInput) as e:
        check_ruleset(content)
    assert e.value.rule == rule


def test_scores_are_checked_against_the_scheme_all_at_once():
    with pytest.raises(InvalidInput) as e:
        check_scores(RULES, {"C01": "31", "X99": "1", "C02": "abc"}, complete=False)
    assert set(e.value.errors) == {"scores.C01", "scores.X99", "scores.C02"}
    assert "above the maximum of 30" in e.value.errors["scores.C01"][0]
    with pytest.raises(InvalidInput) as e:
        check_scores(RULES, {"C01": "20"}, complete=True)
    assert e.value.rule == "criterion_missing" and "scores.M01" in e.value.errors
    assert check_scores(RULES, {"C01": 20, "C02": "12.25"}, complete=False) == {
        "C01": "20", "C02": "12.25"}
    for bad in (1.5, True, "-1", "1.234", None):
        with pytest.raises(InvalidInput):
            check_scores(RULES, {"C01": bad}, complete=False)


def test_total_adds_bonus_and_takes_off_minus_never_below_zero():
    assert sheet_total(RULES, full()) == 100
    assert sheet_total(RULES, full(B01="2.5", M01="4")) == Decimal("98.5")
    assert sheet_total(RULES, {"M01": "10"}) == 0


@pytest.mark.parametrize("total, level", [
    ("100", "excellent"), ("90", "excellent"), ("89.99", "good"), ("70", "good"),
    ("69.99", "complete"), ("50", "complete"), ("49.99", "incomplete"), ("0", "incomplete")])
def test_levels_at_their_thresholds(total, level):
    assert level_of(RULES, Decimal(total)) == level


def test_averages_round_to_two_decimals_half_up():
    assert average([Decimal("90.01"), Decimal("90.02")]) == Decimal("90.02")  # 90.015
    assert average([Decimal("1"), Decimal("2"), Decimal("2")]) == Decimal("1.67")
    assert average([Decimal("89.995")]) == Decimal("90.00")
    assert average([]) is None


@pytest.mark.parametrize("size, cap", [(1, 1), (4, 1), (5, 1), (9, 1), (10, 2), (63, 12),
                                       (24, 4)])
def test_quota_cap_is_twenty_percent_rounded_down_at_least_one(size, cap):
    assert quota_cap(RULES, size) == cap


def test_quota_keeps_the_best_excellent_and_moves_the_others_down_one_level():
    rows = [(f"P{i}", "province", Decimal(s)) for i, s in
            enumerate(["95", "97", "91", "60", "97"], start=1)]
    levels = apply_quota(RULES, rows)
    assert levels == {"P1": "good", "P2": "excellent", "P3": "good", "P4": "complete",
                      "P5": "good"}  # tie at 97: by code
    assert apply_quota(RULES, [("C1", "central", Decimal("95"))] + rows)["C1"] == "excellent"


def cycle(deadline="2025-01-10"):
    c = EvaluationCycle(year=2024, ruleset={"code": "QD1779", "version": 1}, rules=RULES,
                        deadline=deadline, units=[
                            {"id": "u1", "code": "P01", "name": "P01", "level": "province"},
                            {"id": "u2", "code": "BTHU", "name": "BTHU", "level": "central"}],
                        monitoring=[{"unit_id": "u2", "code": "BTHU", "field": "Thu"}],
                        organisation_scoring=[], field_units=[], standing_office=None,
                        at="2024-12-01T00:00:00")
    return c


def test_the_deadline_is_the_end_of_the_day_in_hanoi_and_an_extension_makes_it_late():
    c = cycle()
    assert c.judge("u1", datetime(2025, 1, 10, 16, 59, tzinfo=UTC)) is False
    with pytest.raises(RuleViolation) as e:
        c.judge("u1", datetime(2025, 1, 10, 17, 0, tzinfo=UTC))
    assert e.value.rule == "deadline_passed"
    c.grant_extension(unit_id="u1", unit_code="P01", until="2025-01-15", reason="x", at="")
    assert c.judge("u1", datetime(2025, 1, 15, 10, 0, tzinfo=UTC)) is True
    with pytest.raises(RuleViolation):
        c.judge("u1", datetime(2025, 1, 16, 10, 0, tzinfo=UTC))


def test_who_scores_whom_comes_from_the_cycle():
    c = cycle()
    assert set(c.pairs()) == {("self", "u1", "u1"), ("self", "u2", "u2"),
                              ("central_to_province", "u2", "u1"),
                              ("province_to_central", "u1", "u2")}
    with pytest.raises(RuleViolation) as e:
        c.check_pair("central_to_province", "u1", "u2")
    assert e.value.rule == "central_to_province_pair"


def sheet(central=True):
    s = ScoreSheet(year=2024, kind="self", scorer_id="u2", scorer_code="BTHU", subject_id="u2",
                   subject_code="BTHU", needs_approval=central,
                   ruleset={"code": "QD1779", "version": 1}, at="t0")
    s.write(scores=full(), total="100.00", level="excellent", at="t1")
    return s


def test_a_central_sheet_needs_an_approver_who_is_not_the_submitter():
    s = sheet()
    s.submit(late=False, by="alice", at="t2")
    with pytest.raises(RuleViolation) as e:
        s.send(at="t3")
    assert e.value.rule == "sheet_needs_approval"
    with pytest.raises(RuleViolation) as e:
        s.approve(by="alice", at="t3")
    assert e.value.rule == "approver_not_submitter"
    s.approve(by="bob", at="t3")
    s.send(at="t4")
    assert s.current["state"] == "sent"


def test_returned_then_revised_then_submitted_and_a_sent_sheet_is_corrected_by_a_revision():
    s = sheet(central=False)
    s.submit(late=False, by="alice", at="t2")
    s.return_(reason="thiếu minh chứng", by="office", at="t3")
    assert s.current["state"] == "returned"
    s.write(scores=full(C01="29"), total="99.00", level="excellent", at="t4")
    assert s.current["state"] == "revised"
    s.submit(late=False, by="alice", at="t5")
    s.send(at="t6")
    with pytest.raises(RuleViolation):
        s.write(scores=full(), total="100.00", level="excellent", at="t7")
    s.correct(reason="sai số liệu", at="t7")
    assert [r["state"] for r in s.revisions] == ["sent", "draft"]
    assert s.sent["revision"] == 1 and s.revisions[1]["scores"] == s.revisions[0]["scores"]


def test_exports_never_carry_a_formula():
    import io

    from openpyxl import load_workbook

    from web.resources.evaluation import export

    row = {"code": "=HYPERLINK(\"x\")", "name": "@SUM(A1)", "unit_level": "province",
           "self_score": "91.50", "received": {"central_to_province": {"average": "92.25"}},
           "score": "92.25", "nominations": {"self": 1, "scorer": 0, "province": 0},
           "field_findings": [], "late_count": 1, "late": ["-late"],
           "implied_level": "excellent", "proposed_level": "excellent"}
    data = export.to_csv(export.rows_of([row], None))
    assert data.startswith("\ufeff".encode())
    text = data.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'@SUM" in text and "'-late" in text
    assert text.splitlines()[0].startswith("STT,Mã đơn vị,Tên đơn vị")
    sheet = load_workbook(io.BytesIO(export.to_xlsx(export.rows_of([row], None), "x"))).active
    assert sheet.cell(2, 2).value == "=HYPERLINK(\"x\")"
    assert sheet.cell(2, 2).data_type == "s"
    assert sheet.cell(2, 5).value == 91.5


def test_expects_is_membership_of_the_listed_pairs():
    units = [{"id": f"p{i}", "code": f"P{i}", "name": "", "level": "province"} for i in range(3)]
    units += [{"id": f"c{i}", "code": f"C{i}", "name": "", "level": "central"} for i in range(4)]
    c = EvaluationCycle(year=2024, ruleset={"code": "QD1779", "version": 1}, rules=RULES,
                        deadline="2025-01-10", units=units,
                        monitoring=[{"unit_id": "c0", "code": "C0", "field": "Thu"},
                                    {"unit_id": "c1", "code": "C1", "field": "Chi"}],
                        organisation_scoring=[{"unit_id": "c2", "subjects": ["c0", "c3"]}],
                        field_units=[], standing_office=None, at="2024-12-01T00:00:00")
    listed = set(c.pairs())
    ids = [u["id"] for u in units] + ["stranger"]
    kinds = ("self", "central_to_province", "organisation_to_central", "province_to_central",
             "other")
    checked = 0
    for kind in kinds:
        for scorer in ids:
            for subject in ids:
                assert c.expects(kind, scorer, subject) == ((kind, scorer, subject) in listed)
                checked += 1
    assert checked == 5 * 8 * 8 and len(listed) == 7 + 6 + 2 + 6
    assert c.scores("p1", "c1") and c.scores("c2", "c3") and not c.scores("p1", "p1")

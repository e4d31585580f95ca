"""The evaluation letter read closer, as pure rules without a database: the monitors' fields
and how a province's score combines them, a central unit's nomination approved by its leader
in charge, the reading of "trước ngày 10/01", the legal bases a rule set names, and whose each
default is."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from domain.evaluation.cycle import EvaluationCycle
from domain.evaluation.fields import check_fields_in_cycle, combine, criteria_scored
from domain.evaluation.items import Nomination
from domain.evaluation.rules import check_scores
from domain.evaluation.ruleset import check_ruleset, sample_ruleset
from domain.evaluation.sources import rule_sources
from domain.kernel.actor import Actor, acting
from domain.kernel.errors import InvalidInput, RuleViolation
from domain.kernel.legal import CITED, basis_line, check_legal_basis, kind_of
from tests.support.evaluation import FIELD_COMBINED, FIELD_SCORES, FIELDS, fields_rules

RULES = check_ruleset(sample_ruleset())
MAPPED = check_ruleset(fields_rules())


# -- the monitors' fields ---------------------------------------------------------------------
def test_a_rule_set_maps_its_criteria_to_the_monitors_in_the_schemes_order():
    assert MAPPED["monitor_fields"] == {
        "BTHU": ["C01", "C02", "C03", "C04", "B01"],
        "VTCCB": ["C05", "C06", "C07", "C08", "C10", "M01"], "TTCNTT": ["C03", "C09"]}
    assert "monitor_fields" not in RULES  # without a mapping the content is as before


@pytest.mark.parametrize("fields, rule, field", [
    ({**FIELDS, "TTCNTT": ["C03"]}, "criterion_in_a_field", "monitor_fields"),
    ({**FIELDS, "TTCNTT": ["C09", "X99"]}, "unknown_criterion", "monitor_fields.TTCNTT[1]"),
    ({**FIELDS, "TTCNTT": []}, "field_criteria", "monitor_fields.TTCNTT"),
    ({**FIELDS, "TTCNTT": ["C09", "C09"]}, "field_criteria", "monitor_fields.TTCNTT"),
    ({**FIELDS, "tt cntt": ["C09"]}, "code_format", "monitor_fields.tt cntt"),
    (["BTHU"], "monitor_fields_format", "monitor_fields"),
])
def test_a_bad_mapping_is_refused_naming_the_rule(fields, rule, field):
    with pytest.raises(InvalidInput) as e:
        check_ruleset({**sample_ruleset(), "monitor_fields": fields})
    assert (e.value.rule, e.value.field) == (rule, field)


def test_a_monitor_scores_only_its_field():
    mine = criteria_scored(MAPPED, "central_to_province", "TTCNTT")
    assert [c["code"] for c in mine or []] == ["C03", "C09"]
    assert criteria_scored(MAPPED, "self", "TTCNTT") is None  # other kinds: the whole scheme
    assert criteria_scored(RULES, "central_to_province", "TTCNTT") is None
    with pytest.raises(InvalidInput) as e:
        check_scores(MAPPED, {"C03": "8", "C05": "4"}, complete=False, criteria=mine,
                     scope="TTCNTT's field")
    assert e.value.rule == "criterion_in_field" and set(e.value.errors) == {"scores.C05"}
    assert "TTCNTT's field" in e.value.errors["scores.C05"][0]
    with pytest.raises(InvalidInput) as e:
        check_scores(MAPPED, {"C03": "8"}, complete=True, criteria=mine, scope="TTCNTT's field")
    assert e.value.rule == "criterion_missing" and set(e.value.errors) == {"scores.C09"}


def test_the_fields_combine_into_the_provinces_score_by_hand():
    score, unscored = combine(MAPPED, FIELD_SCORES)
    assert (score, unscored) == (Decimal(FIELD_COMBINED), [])
    # until every criterion has a score there is none (C09 is TTCNTT's alone)
    partial = {k: v for k, v in FIELD_SCORES.items() if k != "TTCNTT"}
    assert combine(MAPPED, partial) == (None, ["C09"])
    # C03 from BTHU alone once TTCNTT's sheet gives C09 only: 27+18.5+9+8+... = 89.00
    only_c09 = {**FIELD_SCORES, "TTCNTT": {"C09": "4"}}
    assert combine(MAPPED, only_c09) == (Decimal("89.00"), [])
    # the minus points never take the total below zero
    nothing = {"BTHU": dict.fromkeys(FIELDS["BTHU"], "0"),
               "VTCCB": {**dict.fromkeys(FIELDS["VTCCB"], "0"), "M01": "10"},
               "TTCNTT": {"C03": "0", "C09": "0"}}
    assert combine(MAPPED, nothing) == (Decimal(0), [])


def test_a_cycle_on_a_mapped_rule_set_has_exactly_its_monitors():
    monitors = [{"code": c} for c in FIELDS]
    check_fields_in_cycle(MAPPED, monitors)
    check_fields_in_cycle(RULES, [{"code": "VP"}])  # no mapping: any monitors
    with pytest.raises(RuleViolation) as e:
        check_fields_in_cycle(MAPPED, [*monitors, {"code": "VP"}])
    assert (e.value.rule, e.value.field) == ("monitor_has_field", "monitoring[3].unit_code")
    with pytest.raises(RuleViolation) as e:
        check_fields_in_cycle(MAPPED, monitors[:2])
    assert e.value.rule == "field_monitor_in_cycle" and "TTCNTT" in e.value.message


# -- nominations and the leader in charge ----------------------------------------------------
def nomination(needs_approval: bool = True, by: str = "alice") -> Nomination:
    extra = {"needs_approval": needs_approval} if needs_approval else {}
    return Nomination(year=2024, proposer_id="c1", proposer_code="BTHU", subject_id="p1",
                      subject_code="P01", basis="scorer", justification="Dẫn đầu.",
                      late=False, at="t0", actor={"user_id": by}, **extra)


def test_a_central_units_nomination_counts_once_its_leader_approves():
    n = nomination()
    assert n.state == "submitted" and not n.stands and n.submitters == ("alice",)
    with pytest.raises(RuleViolation) as e:
        n.approve(by="alice", at="t1")
    assert e.value.rule == "approver_not_submitter"
    n.approve(by="leader", at="t1")
    assert n.state == "approved" and n.stands and n.approved_by == "leader"
    with pytest.raises(RuleViolation) as e:
        n.approve(by="leader", at="t2")
    assert e.value.rule == "nomination_approve_state"
    events = n.collect_events()
    again = events[0].mutate(None)
    for event in events[1:]:
        again = event.mutate(again)
    assert (again.state, again.stands, again.approved_by) == ("approved", True, "leader")


def test_a_return_sends_it_back_and_a_resubmission_needs_approval_again():
    n = nomination()
    n.approve(by="leader", at="t1")
    with pytest.raises(RuleViolation) as e:
        n.return_(reason="tự trả", by="alice", at="t2")
    assert e.value.rule == "returner_not_submitter"
    n.return_(reason="Chưa rõ thành tích.", by="office", at="t2")
    assert n.state == "returned" and not n.stands and n.approved_by is None
    assert [r["reason"] for r in n.returns] == ["Chưa rõ thành tích."]
    with acting(Actor(user_id="bob", user_name="bob", roles=("officer",), unit_id="c1")):
        n.resubmit(justification="Bổ sung số liệu.", late=False, at="t3")
    assert n.state == "submitted" and not n.stands and n.submitters == ("alice", "bob")
    # separation of duties: anyone who ever submitted it is refused; off, only the last
    with pytest.raises(RuleViolation):
        n.approve(by="alice", at="t4")
    n.approve(by="alice", at="t4", separate=False)
    assert n.stands


def test_a_provinces_nomination_and_an_old_one_count_without_approval():
    n = nomination(needs_approval=False)
    assert n.stands and not n.needs_approval
    with pytest.raises(RuleViolation) as e:
        n.approve(by="leader", at="t1")
    assert e.value.rule == "nomination_approval_not_needed"
    n.withdraw(reason="Rút.", at="t2")
    assert not n.stands


# -- "trước ngày 10/01" ---------------------------------------------------------------------
def cycle(rules: dict) -> EvaluationCycle:
    return EvaluationCycle(year=2024, ruleset={"code": rules["code"], "version": 1},
                           rules=rules, deadline="2025-01-10", units=[
                               {"id": "u1", "code": "P01", "name": "P01", "level": "province"}],
                           monitoring=[], organisation_scoring=[], field_units=[],
                           standing_office=None, at="2024-12-01T00:00:00")


def hanoi(text: str) -> datetime:
    """A moment given in Hanoi time (UTC+7), as UTC."""
    return datetime.fromisoformat(text + "+07:00").astimezone(UTC)


def test_the_deadlines_day_is_in_time_by_default_and_for_rule_sets_stored_before():
    assert RULES["deadline"] == {"month": 1, "day": 10, "included": True}
    old = {**RULES, "deadline": {"month": 1, "day": 10}}  # published before the setting
    for rules in (RULES, old):
        c = cycle(rules)
        assert str(c.last_day) == "2025-01-10"
        assert c.judge("u1", hanoi("2025-01-10T23:59:59"), "P01") is False
        with pytest.raises(RuleViolation):
            c.judge("u1", hanoi("2025-01-11T00:00:00"), "P01")


def test_read_literally_the_tenth_is_late_and_an_extension_may_end_on_it():
    strict = check_ruleset({**sample_ruleset(), "deadline": {"month": 1, "day": 10,
                                                             "included": False}})
    c = cycle(strict)
    assert str(c.last_day) == "2025-01-09"
    assert c.judge("u1", hanoi("2025-01-09T23:59:59"), "P01") is False
    with pytest.raises(RuleViolation) as e:
        c.judge("u1", hanoi("2025-01-10T00:00:00"), "P01")
    assert e.value.rule == "deadline_passed" and "before 2025-01-10" in e.value.message
    assert "P01" in e.value.message
    c.grant_extension(unit_id="u1", unit_code="P01", until="2025-01-10", reason="x", at="")
    assert c.judge("u1", hanoi("2025-01-10T12:00:00"), "P01") is True  # accepted, late
    with pytest.raises(RuleViolation) as e:
        cycle(strict).grant_extension(unit_id="u1", unit_code="P01", until="2025-01-09",
                                      reason="x", at="")
    assert e.value.rule == "extension_after_deadline"
    with pytest.raises(InvalidInput) as e2:
        check_ruleset({**sample_ruleset(), "deadline": {"month": 1, "day": 10,
                                                        "included": "yes"}})
    assert e2.value.rule == "deadline_included"


# -- legal bases -----------------------------------------------------------------------------
def test_every_document_the_letters_cite_can_be_named_and_cited_in_a_decision():
    docs = check_legal_basis(list(CITED.values()))
    assert [d["number"] for d in docs] == [
        "34-CT/TW", "1640/HD-BTĐKT", "1595/HD-BTĐKT", "2418/QĐ-BHXH", "1738/QĐ-BHXH",
        "1779/QĐ-BHXH", "1686/QĐ-BHXH", "4268/BHXH-TĐKT"]
    assert {d["number"]: d["date"] for d in docs} == {
        "34-CT/TW": "2014-04-07", "1640/HD-BTĐKT": "2016-08-17",
        "1595/HD-BTĐKT": "2018-07-17", "2418/QĐ-BHXH": "2020-12-24",
        "1738/QĐ-BHXH": "2020-12-15", "1779/QĐ-BHXH": "2021-12-31",
        "1686/QĐ-BHXH": "2023-11-24", "4268/BHXH-TĐKT": "2021-12-22"}
    assert basis_line(CITED["34-CT/TW"]) == (
        "Căn cứ Chỉ thị số 34-CT/TW ngày 07/04/2014 của Bộ Chính trị về tiếp tục đổi mới "
        "công tác thi đua, khen thưởng")
    assert basis_line(CITED["1595/HD-BTĐKT"]).startswith(
        "Căn cứ Hướng dẫn số 1595/HD-BTĐKT ngày 17/07/2018 của Ban Thi đua - Khen thưởng "
        "Trung ương về tổ chức")
    assert kind_of("98/2023/NĐ-CP") == "Nghị định" and kind_of("4268/BHXH-TĐKT") is None
    assert basis_line({"number": "01/QĐ-THU", "date": "2024-01-02", "issuer": None,
                       "title": "Thử"}) == "Căn cứ Quyết định số 01/QĐ-THU ngày 02/01/2024 thử"


@pytest.mark.parametrize("docs, rule, field", [
    ([{"number": "QĐ 1779", "date": "2021-12-31", "title": "x"}], "document_number",
     "legal_basis[0].number"),
    ([{"number": "1779/QĐ-BHXH", "date": "2021-02-30", "title": "x"}], "date_format",
     "legal_basis[0].date"),
    ([{"number": "1779/QĐ-BHXH", "date": "2021-12-31", "title": "x", "issuer": ""}],
     "text_required", "legal_basis[0].issuer"),
    ([{"number": "1779/QĐ-BHXH", "date": "2021-12-31", "title": "x", "signer": "A"}],
     "known_field", "legal_basis[0].signer"),
    ([CITED["1779/QĐ-BHXH"], {**CITED["1779/QĐ-BHXH"], "number": "1779 / qđ-bhxh"}],
     "legal_basis_once", "legal_basis[1].number"),
    ([], "legal_basis_required", "legal_basis"),
])
def test_a_bad_legal_basis_is_refused_naming_the_field(docs, rule, field):
    with pytest.raises(InvalidInput) as e:
        check_legal_basis(docs)
    assert (e.value.rule, e.value.field) == (rule, field)


def test_a_number_is_written_without_spaces_around_its_signs():
    doc = check_legal_basis([{"number": "1640/HD- BTĐKT", "date": "2016-08-17",
                              "title": "Hướng dẫn"}])[0]
    assert doc == {"number": "1640/HD-BTĐKT", "date": "2016-08-17", "issuer": None,
                   "title": "Hướng dẫn"}


# -- whose each default is -------------------------------------------------------------------
def test_the_defaults_that_are_ours_are_named_as_ours():
    whose = {s["setting"]: s["source"] for s in rule_sources(RULES)}
    assert whose == {
        "total_points": "ours", "levels": "ours", "quota.level": "ours",
        "quota.share_percent": "ours", "quota.minimum": "ours", "deadline.month": "letters",
        "deadline.day": "letters", "deadline.included": "ours",
        "extension_limit_days": "ours", "late_opening": "ours", "basis": "ours",
        "separation_of_duties": "ours", "reference_day": "ours", "monitor_fields": "ours",
        "legal_basis": "letters"}
    own = check_ruleset({**sample_ruleset(), "quota": {"share_percent": "15", "minimum": 1}})
    quota = next(s for s in rule_sources(own) if s["setting"] == "quota.share_percent")
    assert quota == {"setting": "quota.share_percent", "value": "15", "default": "20",
                     "source": "set", "default_source": "ours", "note": quota["note"]}
    assert "20%" in quota["note"]
    mapped = {s["setting"]: s["source"] for s in rule_sources(MAPPED)}
    assert mapped["monitor_fields"] == "set"


# -- what was stored before ------------------------------------------------------------------
def test_events_stored_before_the_new_fields_still_load():
    from domain.evaluation.items import FieldReport

    created = nomination(needs_approval=False).collect_events()[0]
    del created.__dict__["needs_approval"]  # as a nomination was recorded before approvals
    old = created.mutate(None)
    assert old.stands and not old.needs_approval and old.returns == ()
    report = FieldReport(year=2024, reporter_id="c1", reporter_code="BTHU", province_id="p1",
                         province_code="P01", item=1, figures={}, lists={}, assessment="x",
                         late=False, at="t0").collect_events()[0]
    del report.__dict__["subject_level"]
    loaded = report.mutate(None)
    assert (loaded.subject_level, loaded.subject_code, loaded.item) == ("province", "P01", 1)


def test_a_cycle_of_central_units_only_compiles_with_no_field_report_to_look_for(memory_app):
    from tests.support.core import ROOT

    app = memory_app
    for code in ("BTHU", "VP"):
        app.register_unit(ROOT, code=code, name=f"Ban {code}", level="central",
                          parent_code=None, effective="2020-01-01")
    app.publish_ruleset(ROOT, content=sample_ruleset())
    app.open_cycle(ROOT, year=2024, ruleset_code="QD1779", units=["BTHU", "VP"],
                   monitoring=[], organisation_scoring=[])
    assert [r["code"] for r in app.compiled_table(2024)] == ["BTHU", "VP"]
    assert app.gather(app.cycle(2024))["reports"] == []

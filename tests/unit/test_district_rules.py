"""A province's evaluation of its district offices, on the aggregates and use cases without a
database: the province's rule set, the cycle's offices and comparable groups, who scores whom,
unplanned tasks, the quota per comparable group, nominations, the decision, and who may act
(a province only for its own offices and district clusters)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from domain.district.cycle import DistrictCycle
from domain.district.ruleset import check_district_ruleset, sample_district_ruleset
from domain.kernel.errors import InvalidInput, NotAuthorised, RuleViolation
from tests.support.core import ROOT
from tests.support.district import (
    DISTRICT_RULES,
    YEAR,
    district_scores,
    open_pa_cycle,
    run_pa_year,
)
from tests.support.memory import officer_of


@pytest.fixture
def world(memory_app: Any) -> Any:
    """PA's cycle open (tests/support/district.py ``open_pa_cycle``), PB next door."""
    app = memory_app
    app.clock = lambda: datetime(2026, 12, 20, 3, tzinfo=UTC)
    open_pa_cycle(app)
    return app


def refused(call: Any, rule: str, error: type[Exception] = RuleViolation) -> Exception:
    with pytest.raises(error) as caught:
        call()
    assert caught.value.rule == rule, caught.value  # type: ignore[attr-defined]
    return caught.value


# -- the rule set -----------------------------------------------------------------------------
def test_the_sample_district_rule_set_passes_and_keeps_what_each_criterion_scores():
    rules = check_district_ruleset(sample_district_ruleset())
    assert {c["source"] for c in rules["criteria"]} == {"professional", "key_task",
                                                         "unplanned_task"}
    assert rules["criteria"][0]["measure"] == {"unit": "%", "target": "100"}
    revenue = sample_district_ruleset()
    revenue["criteria"][0]["measure"] = {"unit": "triệu đồng", "target": "1250000.5"}
    assert check_district_ruleset(revenue)["criteria"][0]["measure"]["target"] == "1250000.5"
    assert rules["basis"] == {"district": ["province_to_district"]}
    assert rules["legal_basis"][0]["number"] == "4268/BHXH-TĐKT"


@pytest.mark.parametrize("change, rule", [
    (lambda c: c["criteria"][0].update(source="politics"), "known_criterion_source"),
    (lambda c: c["criteria"][0].update(measure={"unit": "%", "goal": "1"}), "measure_format"),
    (lambda c: c["criteria"][0].update(measure={"unit": "%", "target": "-3"}),
     "figure_format"),
    (lambda c: c["criteria"][0].update(measure={"unit": "đồng", "target": "1" * 16}),
     "figure_format"),
    (lambda c: c["criteria"][0].update(measure={"unit": ""}), "text_required"),
    (lambda c: c["criteria"][0].update(max="26"), "base_points_total"),
    (lambda c: c.update(basis={"province": ["province_to_district"]}), "basis_format"),
    (lambda c: c.update(basis={"district": ["self"]}), "known_sheet_kind"),
])
def test_a_bad_district_rule_set_is_refused_naming_the_rule(change, rule):
    content = sample_district_ruleset()
    change(content)
    refused(lambda: check_district_ruleset(content), rule, InvalidInput)


def test_a_province_publishes_rule_sets_only_for_itself(world):
    pb = officer_of(world, "PB")
    refused(lambda: world.publish_district_ruleset(pb, province_code="PA",
                                                   content=DISTRICT_RULES),
            "district.manage", NotAuthorised)
    refused(lambda: world.publish_district_ruleset(officer_of(world, "PAD1"),
                                                   province_code="PAD1",
                                                   content=DISTRICT_RULES),
            "organiser_is_province")
    # the same code in another province is another rule set
    done = world.publish_district_ruleset(pb, province_code="PB", content=DISTRICT_RULES)
    assert done.view["version"] == 1
    again = world.publish_district_ruleset(officer_of(world, "PA"), province_code="PA",
                                           content={**DISTRICT_RULES, "name": "Bản sửa"})
    assert again.view["version"] == 2


# -- the cycle ----------------------------------------------------------------------------------
def test_the_cycle_takes_the_provinces_own_offices_and_checks_the_groups(world):
    pb = officer_of(world, "PB")
    world.publish_district_ruleset(pb, province_code="PB", content=DISTRICT_RULES)

    def open_(**kw: Any) -> Any:
        return lambda: world.open_district_cycle(pb, year=YEAR, province_code="PB",
                                                 ruleset_code="TCHUYEN", **kw)

    refused(open_(units=["PBD1", "PAD1"]), "district_of_province")
    refused(open_(comparable_groups=[{"code": "N1", "name": "x", "members": ["PAD1"]}]),
            "unit_in_cycle")
    refused(open_(comparable_groups=[{"code": "N1", "name": "x", "members": ["PBD1"]},
                                     {"code": "N2", "name": "y", "members": ["PBD1"]}]),
            "one_comparable_group")
    refused(open_(comparable_groups=[{"code": "N1", "name": "x", "members": ["PBD1"]}]),
            "comparable_groups_cover")
    refused(open_(reference_date="2027-01-01"), "reference_date_in_year", InvalidInput)
    refused(lambda: world.open_district_cycle(officer_of(world, "PA"), year=YEAR,
                                              province_code="PB", ruleset_code="TCHUYEN"),
            "district.manage", NotAuthorised)
    done = open_()()
    assert done.view["units"] == 3 and done.view["sheets_expected"] == 6
    cycle = world.district_cycle(YEAR, "PB")
    assert [u["code"] for u in cycle.units.values()] == ["PBD1", "PBD2", "PBD3"]
    assert {cycle.group_of(u) for u in cycle.units} == {"district"}
    refused(open_(), "cycle_once")


def test_extensions_and_a_late_opening_follow_the_rule_set(world):
    pa = officer_of(world, "PA")
    extend = world.grant_district_extension
    refused(lambda: extend(pa, year=YEAR, province_code="PA", unit_code="PAD1",
                           until="2027-01-10", reason="x"), "extension_after_deadline")
    refused(lambda: extend(pa, year=YEAR, province_code="PA", unit_code="PAD1",
                           until="2027-02-10", reason="x"), "extension_within_limit")
    refused(lambda: extend(officer_of(world, "PB"), year=YEAR, province_code="PA",
                           unit_code="PAD1", until="2027-01-20", reason="x"),
            "district.manage", NotAuthorised)
    assert extend(pa, year=YEAR, province_code="PA", unit_code="PAD1", until="2027-02-09",
                  reason="Sự cố mạng.").view["until"] == "2027-02-09"
    pb = officer_of(world, "PB")
    world.publish_district_ruleset(pb, province_code="PB",
                                   content={**DISTRICT_RULES, "late_opening": "refuse"})
    refused(lambda: world.open_district_cycle(pb, year=2025, province_code="PB",
                                              ruleset_code="TCHUYEN"),
            "cycle_opened_before_deadline")


def test_an_office_ended_before_the_reference_date_is_not_counted(world):
    pb = officer_of(world, "PB")
    world.merge_unit(ROOT, "PBD3", into_code="PBD2", effective="2026-09-30")
    world.publish_district_ruleset(pb, province_code="PB", content=DISTRICT_RULES)
    refused(lambda: world.open_district_cycle(pb, year=YEAR, province_code="PB",
                                              ruleset_code="TCHUYEN",
                                              units=["PBD1", "PBD3"]),
            "unit_active_on_reference_date")
    done = world.open_district_cycle(pb, year=YEAR, province_code="PB", ruleset_code="TCHUYEN")
    assert done.view["units"] == 2


def test_who_scores_whom_in_a_district_cycle(world):
    pad1, pad2, pa = (officer_of(world, c) for c in ("PAD1", "PAD2", "PA"))
    write = world.write_district_sheet
    refused(lambda: write(pad1, year=YEAR, province_code="PA", kind="self",
                          subject_code="PAD2", scores={}), "self_pair")
    refused(lambda: write(pad1, year=YEAR, province_code="PA", kind="province_to_district",
                          subject_code="PAD2", scores={}), "province_to_district_pair")
    refused(lambda: write(pa, year=YEAR, province_code="PA", kind="province_to_district",
                          subject_code="PBD1", scores={}), "unit_in_cycle")
    refused(lambda: write(pa, year=YEAR, province_code="PA", kind="central_to_province",
                          subject_code="PAD1", scores={}), "known_sheet_kind", InvalidInput)
    refused(lambda: write(pad1, year=YEAR, province_code="PA", kind="self",
                          subject_code="PAD1", scores={}, scorer_code="PAD2"),
            "sheet.write", NotAuthorised)
    sheet = write(pad1, year=YEAR, province_code="PA", kind="self", subject_code="PAD1",
                  scores=district_scores()).view
    assert sheet["ruleset"] == {"province": "PA", "code": "TCHUYEN", "version": 1}
    assert sheet["needs_approval"] is False and sheet["total"] == "100.00"
    # a district sheet is not moved by the sector's steps, nor a sector's sheet by these
    refused(lambda: world.submit_sheet(pad1, sheet["id"]), "sheet_of_cycle")
    refused(lambda: world.return_sheet(ROOT, sheet["id"], reason="x"), "sheet_of_cycle")
    # the province returns a submitted sheet; another province may not
    world.submit_district_sheet(pad1, sheet["id"])
    refused(lambda: world.return_district_sheet(officer_of(world, "PB"), sheet["id"],
                                                reason="Thiếu minh chứng."),
            "district_sheet.return", NotAuthorised)
    back = world.return_district_sheet(pa, sheet["id"], reason="Thiếu minh chứng T01.").view
    assert back["state"] == "returned"


def test_unplanned_tasks_are_scored_under_an_unplanned_criterion(world):
    pa = officer_of(world, "PA")

    def assign(**kw: Any) -> Any:
        base = {"code": "DX01", "name": "Hỗ trợ vùng lũ", "criterion": "T07",
                "assigned_on": "2026-09-15"}
        return lambda: world.assign_district_task(pa, year=YEAR, province_code="PA",
                                                  **{**base, **kw})

    refused(assign(criterion="T01"), "task_under_unplanned_criterion")
    refused(assign(assigned_on="2025-12-31"), "task_in_year")
    refused(assign(units=["PBD1"]), "unit_in_cycle")
    done = assign(units=["PAD4", "PAD5"], target="100", unit_of_measure="%")()
    assert done.view["units"] == ["PAD4", "PAD5"]
    refused(assign(), "task_once")
    cycle = world.district_cycle(YEAR, "PA")
    assert cycle.tasks[0]["code"] == "DX01" and len(cycle.tasks[0]["units"]) == 2


# -- nominations, the summary, the table, the decision --------------------------------------
def test_nominations_come_from_the_office_its_province_or_its_cluster(world):
    nominate = world.nominate_district
    refused(lambda: nominate(officer_of(world, "PAD6"), year=YEAR, province_code="PA",
                             subject_code="PAD1", justification="x"), "nomination_who")
    refused(lambda: nominate(officer_of(world, "PB"), year=YEAR, province_code="PA",
                             subject_code="PAD1", justification="x"), "nomination_who")
    refused(lambda: nominate(officer_of(world, "PAD1"), year=YEAR, province_code="PA",
                             subject_code="PBD1", justification="x"), "unit_in_cycle")
    peer = nominate(officer_of(world, "PAD3"), year=YEAR, province_code="PA",
                    subject_code="PAD1", justification="Dẫn đầu cụm.").view
    assert peer["basis"] == "peer"
    refused(lambda: nominate(officer_of(world, "PAD3"), year=YEAR, province_code="PA",
                             subject_code="PAD1", justification="x"), "nomination_once")


def test_the_quota_is_applied_within_each_comparable_group(world):
    table = {r["code"]: r for r in run_pa_year(world)}
    # the province's score: 100 - i; every office is excellent by its score...
    assert [table[f"PAD{i}"]["score"] for i in range(1, 11)] == [
        f"{100 - i}.00" for i in range(1, 11)]
    assert {r["implied_level"] for r in table.values()} == {"excellent"}
    # ...but 20% of 4 is below one unit and of 6 is one: each group keeps its best one
    assert [c for c, r in table.items() if r["proposed_level"] == "excellent"] == [
        "PAD1", "PAD5"]
    assert {r["proposed_level"] for c, r in table.items() if c not in ("PAD1", "PAD5")} == {
        "good"}
    assert [r["comparable_group"] for r in table.values()] == ["N1"] * 4 + ["N2"] * 6
    assert table["PAD1"]["nominations"] == {"self": 0, "province": 0, "peer": 1, "total": 1}
    assert table["PAD4"]["nominations"]["province"] == 1
    assert table["PAD1"]["outstanding_candidate"] and not table["PAD4"]["outstanding_candidate"]
    assert table["PAD1"]["cluster_code"] == "PAC1" and table["PAD6"]["cluster_code"] is None


def test_the_decision_is_the_directors_and_names_only_nominated_excellent_offices(world):
    run_pa_year(world)
    pa, head = officer_of(world, "PA"), officer_of(world, "PA", ("unit_head",))

    def decide(who: Any, **kw: Any) -> Any:
        return lambda: world.record_district_decision(
            who, year=YEAR, province_code="PA", number="45/QĐ-BHXH", signed_on="2027-01-25",
            signer="Giám đốc BHXH tỉnh", **{"outstanding": [], **kw})

    refused(decide(pa), "district_decision.record", NotAuthorised)
    refused(decide(officer_of(world, "PB", ("unit_head",))), "district_decision.record",
            NotAuthorised)
    refused(decide(head, outstanding=["PAD5"]), "outstanding_nominated")
    refused(decide(head, outstanding=["PAD4"]), "outstanding_only_excellent")
    refused(decide(head, levels={"PAD2": "excellent"}), "reason_required", InvalidInput)
    done = decide(head, outstanding=["PAD1"], levels={"PAD10": "complete"},
                  reason="Vi phạm kỷ luật phát hiện sau kỳ chấm.")().view
    levels = {r["code"]: r["level"] for r in done["levels"]}
    assert levels == {"PAD1": "excellent", "PAD5": "excellent", "PAD10": "complete",
                      **{f"PAD{i}": "good" for i in (2, 3, 4, 6, 7, 8, 9)}}
    cycle = world.district_cycle(YEAR, "PA")
    assert cycle.state == "decided"
    assert {n["subject_code"]: n["outcome"] for n in cycle.decision["nominations"]} == {
        "PAD1": "accepted", "PAD4": "refused"}


def test_the_cycle_rebuilds_equal_from_its_events(world):
    run_pa_year(world)
    cycle = world.district_cycle(YEAR, "PA")
    events = list(world.events.get(cycle.id))
    rebuilt = None
    for e in events:
        rebuilt = e.mutate(rebuilt)
    assert isinstance(rebuilt, DistrictCycle)
    assert vars(rebuilt) == vars(cycle)

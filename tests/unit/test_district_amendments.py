"""A province's district cycle keeps the rules every cycle keeps (domain/evaluation/
cycle_base.py), without a database: opened after its deadline it says so (or is refused, as
its rule set says), its deadline's day is read as the rule set reads "trước ngày", and until
its first sheet is sent the province amends its offices, comparable groups and unplanned
tasks with a reason — checked whole again, as the sector's cycle is amended."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from domain.district.cycle import DistrictCycle
from domain.kernel.errors import Conflict, InvalidInput, NotAuthorised, RuleViolation
from tests.support.district import DISTRICT_RULES, YEAR, district_scores, open_pa_cycle
from tests.support.memory import officer_of

GROUPS = [{"code": "N1", "name": "Quy mô lớn", "members": [f"PAD{i}" for i in range(1, 5)]},
          {"code": "N2", "name": "Quy mô vừa", "members": [f"PAD{i}" for i in range(5, 10)]}]
TASK = {"code": "DX01", "name": "Hỗ trợ vùng lũ", "criterion": "T07",
        "assigned_on": "2026-09-15", "units": ["PAD4", "PAD5"]}


@pytest.fixture
def world(memory_app: Any) -> Any:
    """PA's cycle open (ten offices in N1 1–4 and N2 5–10) with one task; PB next door."""
    app = memory_app
    app.clock = lambda: datetime(2026, 12, 20, 3, tzinfo=UTC)
    open_pa_cycle(app)
    app.assign_district_task(officer_of(app, "PA"), year=YEAR, province_code="PA", **TASK)
    return app


def refused(call: Any, rule: str, error: type[Exception] = RuleViolation) -> Any:
    with pytest.raises(error) as caught:
        call()
    assert caught.value.rule == rule, caught.value  # type: ignore[attr-defined]
    return caught.value


def amend(app: Any, who: Any = None, **given: Any) -> Any:
    return lambda: app.amend_district_cycle(who or officer_of(app, "PA"), year=YEAR,
                                            province_code="PA", **given)


# -- the deadline, as the sector's cycle reads it --------------------------------------------
def test_a_cycle_opened_after_its_deadline_says_so_or_is_refused(world):
    pb = officer_of(world, "PB")
    world.publish_district_ruleset(pb, province_code="PB", content=DISTRICT_RULES)
    late = world.open_district_cycle(pb, year=2025, province_code="PB",
                                     ruleset_code="TCHUYEN").view
    [warning] = late["warnings"]
    assert (warning["rule"], warning["field"]) == ("cycle_opened_before_deadline", "deadline")
    assert warning["message"] == (
        "The deadline of PB's 2025 evaluation of its district offices, 2026-01-10, had passed "
        "when it was opened (2026-12-20): every submission needs PB's extension, which runs "
        "at most 30 days past the deadline (extension_limit_days).")
    assert world.district_cycle(2025, "PB").opened_late
    on_time = world.open_district_cycle(pb, year=YEAR, province_code="PB",
                                        ruleset_code="TCHUYEN").view
    assert on_time["warnings"] == [] and not world.district_cycle(YEAR, "PB").opened_late
    world.publish_district_ruleset(pb, province_code="PB",
                                   content={**DISTRICT_RULES, "late_opening": "refuse"})
    error = refused(lambda: world.open_district_cycle(pb, year=2024, province_code="PB",
                                                      ruleset_code="TCHUYEN"),
                    "cycle_opened_before_deadline")
    assert "PB's 2024 evaluation of its district offices, 2025-01-10" in str(error)


def test_the_deadline_day_is_in_time_or_not_as_the_rule_set_reads_it(world):
    pb = officer_of(world, "PB")
    world.publish_district_ruleset(pb, province_code="PB", content={
        **DISTRICT_RULES, "deadline": {"month": 1, "day": 10, "included": False}})
    opened = world.open_district_cycle(pb, year=YEAR, province_code="PB",
                                       ruleset_code="TCHUYEN").view
    assert (opened["deadline"], opened["last_day"]) == ("2027-01-10", "2027-01-09")
    cycle = world.district_cycle(YEAR, "PB")
    assert cycle.judge(cycle.province_id, datetime(2027, 1, 9, 16, 59, tzinfo=UTC)) is False
    office = next(iter(cycle.units))
    error = refused(lambda: cycle.judge(office, datetime(2027, 1, 9, 17, tzinfo=UTC)),
                    "deadline_passed")
    assert str(error) == ("The deadline (before 2027-01-10: the last day in time was "
                          "2027-01-09) has passed and PBD1 has no running extension from PB.")
    # an extension runs past the last day in time, at most the rule set's days past the deadline
    refused(lambda: world.grant_district_extension(pb, year=YEAR, province_code="PB",
                                                   unit_code="PBD1", until="2027-01-09",
                                                   reason="x"), "extension_after_deadline")
    world.grant_district_extension(pb, year=YEAR, province_code="PB", unit_code="PBD1",
                                   until="2027-01-10", reason="Sự cố mạng.")
    assert world.district_cycle(YEAR, "PB").judge(office, datetime(2027, 1, 10, 3, tzinfo=UTC))


# -- amendments ------------------------------------------------------------------------------
def test_the_province_amends_its_offices_groups_and_tasks_checked_whole(world):
    pb = officer_of(world, "PB")
    refused(amend(world, pb, reason="x", units=["PAD1"]), "district.manage", NotAuthorised)
    refused(amend(world, reason="x"), "amendment_changes", InvalidInput)
    refused(amend(world, reason=" ", units=["PAD1"]), "text_required", InvalidInput)
    refused(amend(world, reason="Sửa", units=[f"PAD{i}" for i in range(1, 11)]),
            "amendment_changes")
    # PAD10 leaves: the groups still name it, so they are given too
    nine = [f"PAD{i}" for i in range(1, 10)]
    error = refused(amend(world, reason="PAD10 sáp nhập", units=nine), "unit_in_cycle")
    assert "comparable_groups[1].members[5]" in error.errors
    error = refused(amend(world, reason="x", units=[*nine, "PBD1"], comparable_groups=GROUPS),
                    "district_of_province")
    assert "units[9]" in error.errors
    error = refused(amend(world, reason="x", units=nine[1:], comparable_groups=GROUPS),
                    "unit_in_cycle")
    assert "comparable_groups[0].members[0]" in error.errors
    # a task names an office the amendment removes, or is not of an unplanned criterion
    error = refused(amend(world, reason="x", units=[u for u in nine if u != "PAD4"],
                          comparable_groups=[{**GROUPS[0], "members": ["PAD1", "PAD2", "PAD3"]},
                                             GROUPS[1]]), "unit_in_cycle")
    assert "tasks[0].units[0]" in error.errors and "PAD4 does not take part" in str(error)
    for change, rule, field in (({"criterion": "T01"}, "task_under_unplanned_criterion",
                                 "tasks[0].criterion"),
                                ({"assigned_on": "2025-05-01"}, "task_in_year",
                                 "tasks[0].assigned_on"),
                                ({"code": "dx"}, "code_format", "tasks[0].code"),
                                ({"units": ["PAD1", "PAD1"]}, "unit_once", "tasks[0].units")):
        error = refused(amend(world, reason="x", tasks=[{**TASK, **change}]), rule,
                        RuleViolation if rule.startswith("task") else InvalidInput)
        assert field in error.errors, error.errors
    refused(amend(world, reason="x", tasks=[TASK, TASK]), "task_once")
    refused(amend(world, reason="x", units=nine, comparable_groups=GROUPS, version=1),
            "stale_version", Conflict)
    before = world.district_cycle(YEAR, "PA")
    assert before.amendments == () and len(before.pairs()) == 20
    done = amend(world, reason="PAD10 sáp nhập vào PAD9 từ 15/12/2026", units=nine,
                 comparable_groups=GROUPS, version=before.version)().view
    assert (done["amendment"], done["added"], done["removed"]) == (1, [], ["PAD10"])
    assert (done["units"], done["sheets_expected"], done["tasks"]) == (9, 18, 1)
    cycle = world.district_cycle(YEAR, "PA")
    assert "PAD10" not in {u["code"] for u in cycle.units.values()}
    assert cycle.tasks == before.tasks  # left as they were: assigned when they were
    # tasks replaced: one new (every office, assigned now), none kept
    done = amend(world, reason="Giao lại nhiệm vụ đột xuất", tasks=[
        {**TASK, "code": "DX02", "units": None}])().view
    cycle = world.district_cycle(YEAR, "PA")
    assert [(t["code"], len(t["units"])) for t in cycle.tasks] == [("DX02", 9)]
    assert cycle.tasks[0]["at"] == world.now().isoformat()
    assert [a["reason"] for a in cycle.amendments] == ["PAD10 sáp nhập vào PAD9 từ 15/12/2026",
                                                       "Giao lại nhiệm vụ đột xuất"]
    assert done["amendment"] == 2
    # no group declared: the offices compare all together
    amend(world, reason="Bỏ phân nhóm", comparable_groups=[])()
    assert {world.district_cycle(YEAR, "PA").group_of(u) for u in cycle.units} == {"district"}


def test_after_the_first_sheet_sent_the_cycle_is_no_longer_amended(world):
    pad1 = officer_of(world, "PAD1")
    sheet = world.write_district_sheet(pad1, year=YEAR, province_code="PA", kind="self",
                                       subject_code="PAD1", scores=district_scores()).view
    world.submit_district_sheet(pad1, sheet["id"])
    amend(world, reason="Bổ sung nhiệm vụ", tasks=[TASK, {**TASK, "code": "DX02"}])()
    world.send_district_sheet(pad1, sheet["id"])
    cycle = world.district_cycle(YEAR, "PA")
    assert (cycle.first_sent["sheet_id"], cycle.first_sent["scorer_code"]) == (sheet["id"],
                                                                                "PAD1")
    error = refused(amend(world, reason="Muộn", tasks=[TASK]), "amend_before_first_sheet")
    assert str(error).startswith("The first sheet of PA's 2026 evaluation of its district "
                                 "offices was sent on 2026-12-20 (by PAD1); its offices, "
                                 "comparable groups and tasks can no longer be amended.")
    # a second sheet sent leaves the first recorded, and records nothing on the cycle
    pad2 = officer_of(world, "PAD2")
    second = world.write_district_sheet(pad2, year=YEAR, province_code="PA", kind="self",
                                        subject_code="PAD2", scores=district_scores()).view
    world.submit_district_sheet(pad2, second["id"])
    version = world.district_cycle(YEAR, "PA").version
    world.send_district_sheet(pad2, second["id"])
    after = world.district_cycle(YEAR, "PA")
    assert after.version == version and after.first_sent["sheet_id"] == sheet["id"]
    # the cycle rebuilds equal from its events, amendments and first sheet included
    rebuilt = None
    for e in world.events.get(after.id):
        rebuilt = e.mutate(rebuilt)
    assert isinstance(rebuilt, DistrictCycle) and vars(rebuilt) == vars(after)
    topics = [type(e).__qualname__ for e in world.events.get(after.id)]
    assert topics[-2:] == ["DistrictCycle.Amended", "DistrictCycle.FirstSheetSent"]


def test_a_sheet_of_an_office_the_amendment_removed_goes_no_further(world):
    pad10 = officer_of(world, "PAD10")
    sheet = world.write_district_sheet(pad10, year=YEAR, province_code="PA", kind="self",
                                       subject_code="PAD10", scores=district_scores()).view
    nine = [f"PAD{i}" for i in range(1, 10)]
    amend(world, reason="PAD10 sáp nhập", units=nine, comparable_groups=GROUPS)()
    refused(lambda: world.submit_district_sheet(pad10, sheet["id"]), "unit_in_cycle")
    assert world.district_cycle(YEAR, "PA").first_sent is None

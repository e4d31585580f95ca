"""Use cases of a province's district evaluation: its rule sets, opening its cycle of a year,
the unplanned tasks it assigns, extensions and closing (the province's staff: its officers
and its director, ``district.manage``, for their own province only)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from domain.district.base import DistrictLookups
from domain.district.cycle import DistrictCycle, district_cycle_id
from domain.district.draft import DistrictCycleDraft
from domain.district.ruleset import DistrictRuleSet, check_district_ruleset, district_ruleset_id
from domain.evaluation.cycle import EvaluationCycle
from domain.evaluation.draft import reference_date as draft_reference
from domain.evaluation.rules import CODE, check_text
from domain.kernel.actor import Actor
from domain.kernel.dates import check_year, parse_date
from domain.kernel.errors import InvalidInput, RuleViolation
from domain.kernel.result import Done
from domain.organisation.units import Unit


def cycle_summary(cycle: DistrictCycle) -> dict[str, Any]:
    return {"year": cycle.year, "province_code": cycle.province_code, "state": cycle.state,
            "ruleset": cycle.ruleset, "deadline": cycle.deadline,
            "reference_date": cycle.reference_date, "units": len(cycle.units),
            "comparable_groups": len(cycle.comparable_groups),
            "sheets_expected": len(cycle.pairs()), "version": cycle.version}


class DistrictCycleCases(DistrictLookups):
    """Tiêu chí and the year's cycle of a province's district offices."""

    def publish_district_ruleset(self, actor: Actor, *, province_code: str,
                                 content: Mapping[str, Any], note: str | None = None,
                                 version: int | None = None) -> Done:
        """Publish the province's rule set for its district offices, or its next version
        (the old versions stay readable)."""
        province = self.province(province_code)
        normalised = check_district_ruleset(content)
        if note is not None:
            note = check_text(note, "note")
        pid = str(province.id)

        def work() -> tuple[dict[str, Any], list[Any]]:
            rid = district_ruleset_id(pid, normalised["code"])
            if self.exists(rid):
                rs = self.district_ruleset(province, normalised["code"])
                self.check_version(rs, version, "rule set")
                rs.check_changed(normalised)
                rs.revise(content=normalised, note=note)
            else:
                rs = DistrictRuleSet(province_id=pid, province_code=province.code,
                                     code=normalised["code"], content=normalised, note=note)
            return {"province_code": province.code, "code": rs.code,
                    "version": rs.versions[-1]["version"], "note": note,
                    "criteria": len(normalised["criteria"])}, [rs]

        return self.act(actor, "district.manage", work, unit_id=pid, reason=note)

    def open_district_cycle(self, actor: Actor, *, year: int, province_code: str,
                            ruleset_code: str, ruleset_version: int | None = None,
                            deadline: str | None = None, reference_date: str | None = None,
                            units: list[str] | None = None,
                            comparable_groups: list[dict[str, Any]] | None = None) -> Done:
        """Open the province's evaluation of its district offices for a year, with a version
        of its rule set, on the offices active on the reference date (default: every
        district office of the province that day) and their comparable groups."""
        check_year(year)
        province = self.province(province_code)
        pid = str(province.id)

        def work() -> tuple[dict[str, Any], list[Any]]:
            rs = self.district_ruleset(province, ruleset_code)
            chosen = rs.version_of(ruleset_version)
            ref = draft_reference(chosen["content"], year, reference_date)
            draft = DistrictCycleDraft.build(
                year=year, province=province,
                ruleset={"province": province.code, "code": rs.code,
                         "version": chosen["version"]},
                rules=chosen["content"], deadline=deadline, reference=ref.isoformat(),
                units=self.offices_of(province, ref) if units is None else units,
                comparable_groups=comparable_groups or [], unit_of=self.unit)
            if self.exists(district_cycle_id(year, pid)):
                raise RuleViolation(f"{province.code}'s {year} evaluation of its district "
                                    "offices is already open.", field="year",
                                    rule="cycle_once")
            at = self.now().isoformat()
            # opened after its deadline: as the sector's cycle, by the rule set's late_opening
            EvaluationCycle.check_opening(draft.rules, year, draft.deadline, at)
            cycle = DistrictCycle(**draft.opened(), at=at)
            return cycle_summary(cycle), [cycle]

        return self.act(actor, "district.manage", work, unit_id=pid)

    def offices_of(self, province: Unit, on: date) -> list[str]:
        """The codes of the province's district offices active on ``on``."""
        units = [self.load(Unit, d, what="unit", field="units", readonly=True)
                 for d in province.active_districts(on)]
        return sorted(u.code for u in units if u.period_on(on) is not None)

    def assign_district_task(self, actor: Actor, *, year: int, province_code: str, code: str,
                             name: str, criterion: str, assigned_on: str,
                             units: list[str] | None = None, target: str | None = None,
                             unit_of_measure: str | None = None) -> Done:
        """Record an unplanned task (nhiệm vụ đột xuất) the province assigns during the year,
        to all its offices of the cycle or to those listed; it is scored under a criterion
        of the cycle's rule set that scores unplanned tasks."""
        if not isinstance(code, str) or not CODE.fullmatch(code):
            raise InvalidInput("A task code is 1–32 capital letters, digits, '_', '.', '-'.",
                               field="code", rule="code_format")
        task: dict[str, Any] = {
            "code": code, "name": check_text(name, "name", 500), "criterion": criterion,
            "assigned_on": parse_date(assigned_on, "assigned_on").isoformat(),
            "target": None if target is None else check_text(target, "target", 100),
            "unit_of_measure": None if unit_of_measure is None else check_text(
                unit_of_measure, "unit_of_measure", 50)}
        if units is not None and len(set(units)) != len(units):
            raise InvalidInput("A unit is listed twice.", field="units", rule="unit_once")
        province = self.province(province_code)

        def work() -> tuple[dict[str, Any], list[Any]]:
            cycle = self.district_cycle(year, province.code)
            named = {} if units is None else {
                str(self.unit(c, f"units[{i}]", readonly=True).id): c
                for i, c in enumerate(units)}
            ids = list(cycle.units) if units is None else list(named)
            cycle.assign_task({**task, "units": ids}, at=self.now().isoformat(), codes=named)
            return {"year": year, "province_code": province.code, **task,
                    "units": [cycle.code_of(u) for u in ids],
                    "tasks": len(cycle.tasks), "version": cycle.version}, [cycle]

        return self.act(actor, "district.manage", work, unit_id=str(province.id))

    def grant_district_extension(self, actor: Actor, *, year: int, province_code: str,
                                 unit_code: str, until: str, reason: str) -> Done:
        """The province's recorded extension of the deadline for one unit of its cycle."""
        day = parse_date(until, "until")
        reason = check_text(reason, "reason")
        province = self.province(province_code)

        def work() -> tuple[dict[str, Any], list[Any]]:
            cycle = self.district_cycle(year, province.code)
            cycle.check_open("extensions")
            unit = self.unit(unit_code, "unit_code", readonly=True)
            cycle.grant_extension(unit_id=str(unit.id), unit_code=unit.code,
                                  until=day.isoformat(), reason=reason,
                                  at=self.now().isoformat())
            return {"year": year, "province_code": province.code, "unit_code": unit.code,
                    "until": day.isoformat(), "reason": reason, "version": cycle.version}, \
                [cycle]

        return self.act(actor, "district.manage", work, unit_id=str(province.id),
                        reason=reason)

    def close_district_cycle(self, actor: Actor, *, year: int, province_code: str,
                             reason: str | None = None) -> Done:
        """Close the province's cycle for submissions."""
        if reason is not None:
            reason = check_text(reason, "reason")
        province = self.province(province_code)

        def work() -> tuple[dict[str, Any], list[Any]]:
            cycle = self.district_cycle(year, province.code)
            cycle.check_move("closed")
            cycle.close(at=self.now().isoformat())
            return cycle_summary(cycle), [cycle]

        return self.act(actor, "district.manage", work, unit_id=str(province.id),
                        reason=reason)

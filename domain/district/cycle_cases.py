"""Use cases of a province's district evaluation: its rule sets, opening its cycle of a year,
the unplanned tasks it assigns, extensions and closing (the province's staff: its officers
and its director, ``district.manage``, for their own province only)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from domain.district.base import DistrictLookups
from domain.district.cycle import DistrictCycle, district_cycle_id, district_label
from domain.district.draft import DistrictCycleDraft
from domain.district.ruleset import DistrictRuleSet, check_district_ruleset, district_ruleset_id
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
            "last_day": cycle.last_day.isoformat(), "reference_date": cycle.reference_date,
            "units": len(cycle.units), "comparable_groups": len(cycle.comparable_groups),
            "tasks": len(cycle.tasks), "sheets_expected": len(cycle.pairs()),
            "version": cycle.version}


def task_input(raw: Mapping[str, Any], where: str = "") -> dict[str, Any]:
    """An unplanned task as the province gives it, checked (``where`` prefixes the fields
    named), but its offices, which the cycle resolves."""
    code = raw.get("code")
    if not isinstance(code, str) or not CODE.fullmatch(code):
        raise InvalidInput("A task code is 1–32 capital letters, digits, '_', '.', '-'.",
                           field=f"{where}code", rule="code_format")
    target, measure = raw.get("target"), raw.get("unit_of_measure")
    return {"code": code, "name": check_text(raw.get("name"), f"{where}name", 500),
            "criterion": raw.get("criterion"),
            "assigned_on": parse_date(raw.get("assigned_on") or "",
                                      f"{where}assigned_on").isoformat(),
            "target": None if target is None else check_text(target, f"{where}target", 100),
            "unit_of_measure": None if measure is None else check_text(
                measure, f"{where}unit_of_measure", 50)}


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
            DistrictCycle.check_opening(draft.rules, year, draft.deadline, at,
                                        district_label(province.code, year))
            cycle = DistrictCycle(**draft.opened(), at=at)
            return {**cycle_summary(cycle), "warnings": cycle.opening_warnings()}, [cycle]

        return self.act(actor, "district.manage", work, unit_id=pid)

    def amend_district_cycle(self, actor: Actor, *, year: int, province_code: str,
                             reason: str, units: list[str] | None = None,
                             comparable_groups: list[dict[str, Any]] | None = None,
                             tasks: list[dict[str, Any]] | None = None,
                             version: int | None = None) -> Done:
        """Amend the offices, comparable groups or unplanned tasks of the province's open
        cycle until its first sheet is sent, with the reason (as the sector's cycle is
        amended): each list given replaces the cycle's, the others stay, and the whole is
        checked again as at the opening, on the cycle's reference date. A task names its
        offices by code (none: every office of the amended cycle)."""
        reason = check_text(reason, "reason")
        if units is None and comparable_groups is None and tasks is None:
            raise InvalidInput("Give at least one of units, comparable_groups, tasks.",
                               field="units", rule="amendment_changes")
        given = None if tasks is None else [(task_input(t, f"tasks[{i}]."), t.get("units"))
                                            for i, t in enumerate(tasks)]
        for i, (_, codes) in enumerate(given or []):
            if codes is not None and len(set(codes)) != len(codes):
                raise InvalidInput("A unit is listed twice.", field=f"tasks[{i}].units",
                                   rule="unit_once")
        province = self.province(province_code)

        def work() -> tuple[dict[str, Any], list[Any]]:
            cycle = self.district_cycle(year, province.code)
            self.check_version(cycle, version, "district cycle")
            cycle.check_amendable()
            current = cycle.lists()
            draft = DistrictCycleDraft.build(
                year=year, province=province, ruleset=dict(cycle.ruleset), rules=cycle.rules,
                deadline=cycle.deadline, reference=cycle.reference_date,
                units=current["units"] if units is None else units,
                comparable_groups=current["comparable_groups"] if comparable_groups is None
                else comparable_groups, unit_of=self.unit)
            named = {str(u["id"]): str(u["code"]) for u in draft.units}
            new_tasks = current["tasks"] if given is None else [
                {**task, "units": self._task_offices(codes, list(named), named,
                                                     f"tasks[{i}].units")}
                for i, (task, codes) in enumerate(given)]
            cycle.amend(draft.units, draft.comparable_groups, new_tasks, reason=reason,
                        at=self.now().isoformat(), codes=named)
            return {**cycle_summary(cycle), **cycle.amendments[-1],
                    "amendment": len(cycle.amendments)}, [cycle]

        return self.act(actor, "district.manage", work, unit_id=str(province.id),
                        reason=reason)

    def _task_offices(self, codes: list[str] | None, every: list[str],
                      named: dict[str, str], field: str) -> list[str]:
        """The ids of a task's offices by code (``named`` learns each code), or ``every``."""
        if codes is None:
            return every
        ids = []
        for j, code in enumerate(codes):
            uid = str(self.unit(code, f"{field}[{j}]", readonly=True).id)
            named.setdefault(uid, code)
            ids.append(uid)
        return ids

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
        task = task_input({"code": code, "name": name, "criterion": criterion,
                           "assigned_on": assigned_on, "target": target,
                           "unit_of_measure": unit_of_measure})
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

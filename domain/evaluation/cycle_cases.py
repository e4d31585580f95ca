"""Use cases of the annual evaluation: rule sets and the year's cycle (this module), score
sheets, nominations, field reports, cluster summaries and the decision (the mixins below)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from domain.evaluation.base import EvaluationLookups
from domain.evaluation.cycle import EvaluationCycle, cycle_id
from domain.evaluation.rules import check_text, deadline_of
from domain.evaluation.ruleset import RuleSet, check_ruleset
from domain.kernel.actor import Actor
from domain.kernel.dates import check_year, parse_date
from domain.kernel.errors import InvalidInput, RuleViolation
from domain.kernel.result import Done
from domain.organisation.units import Unit


class EvaluationCycleCases(EvaluationLookups):
    """Bộ tiêu chí and the year's cycle: open, extend, close (standing office)."""

    def publish_ruleset(self, actor: Actor, *, content: Mapping[str, Any],
                        note: str | None = None,
                        version: int | None = None) -> Done:
        """Publish a rule set, or its next version (the old versions stay readable)."""
        normalised = check_ruleset(content)
        if note is not None:
            note = check_text(note, "note")

        def work() -> tuple[dict[str, Any], list[Any]]:
            rid = RuleSet.create_id(normalised["code"])
            if self.exists(rid):
                rs = self.ruleset(normalised["code"])
                self.check_version(rs, version, "rule set")
                rs.check_changed(normalised)
                rs.revise(content=normalised, note=note)
            else:
                rs = RuleSet(code=normalised["code"], content=normalised, note=note)
            latest = rs.versions[-1]
            return {"code": rs.code, "version": latest["version"], "note": note,
                    "criteria": len(normalised["criteria"])}, [rs]

        return self.act(actor, "cycle.manage", work, reason=note)

    def _cycle_unit(self, code: Any, field: str,
                    levels: tuple[str, ...] = ("central", "province")) -> Unit:
        unit = self.unit(code, field)
        if unit.level not in levels:
            raise RuleViolation(f"{code} is a {unit.level} unit; here only "
                                f"{' or '.join(levels)} units take part.", field=field,
                                rule="evaluated_level")
        return unit

    def open_cycle(self, actor: Actor, *, year: int, ruleset_code: str,
                   ruleset_version: int | None = None, deadline: str | None = None,
                   units: list[str] | None = None, monitoring: list[dict[str, Any]],
                   organisation_scoring: list[dict[str, Any]],
                   field_units: list[dict[str, Any]] | None = None,
                   standing_office_code: str | None = None) -> Done:
        """Open a year's cycle with a rule set version and who scores whom (data)."""
        check_year(year)
        rs = self.ruleset(ruleset_code)
        chosen = rs.version_of(ruleset_version)
        rules = chosen["content"]
        due = (parse_date(deadline, "deadline") if deadline else deadline_of(rules, year))
        if not date(year, 12, 1) <= due <= date(year + 1, 12, 31):
            raise InvalidInput(f"The deadline of the {year} evaluation falls between "
                               f"1 December {year} and the end of {year + 1}.",
                               field="deadline", rule="deadline_range")
        if units is None:
            years = self.group_year(year)
            units = sorted({self.load(Unit, m, what="unit", field="units").code
                            for g in years.groups.values()
                            if g["kind"] in ("block", "provincial_cluster")
                            for m in g["members"]})
        if not units:
            raise RuleViolation(f"No unit takes part: form the {year} blocks and provincial "
                                "clusters first, or list the units.", field="units",
                                rule="cycle_has_units")
        if len(set(units)) != len(units):
            raise InvalidInput("A unit is listed twice.", field="units", rule="unit_once")
        taking = {c: self._cycle_unit(c, f"units[{i}]") for i, c in enumerate(units)}

        def member(code: Any, field: str, level: str = "central") -> Unit:
            if code not in taking:
                raise RuleViolation(f"{code} is not among the units of the cycle.", field=field,
                                    rule="unit_in_cycle")
            unit = taking[code]
            if unit.level != level:
                raise RuleViolation(f"{code} must be a {level} unit here.", field=field,
                                    rule="scorer_level")
            return unit

        watch, seen = [], set()
        for i, m in enumerate(monitoring):
            u = member(m.get("unit_code"), f"monitoring[{i}].unit_code")
            if u.code in seen:
                raise InvalidInput(f"{u.code} is listed twice.", field=f"monitoring[{i}]",
                                   rule="unit_once")
            seen.add(u.code)
            watch.append({"unit_id": str(u.id), "code": u.code,
                          "field": check_text(m.get("field"), f"monitoring[{i}].field", 500)})
        org, scored = [], set()
        for i, o in enumerate(organisation_scoring):
            u = member(o.get("unit_code"), f"organisation_scoring[{i}].unit_code")
            subjects = []
            for j, code in enumerate(o.get("subjects") or []):
                s = member(code, f"organisation_scoring[{i}].subjects[{j}]")
                if s.code == u.code or s.code in scored:
                    raise RuleViolation(f"{s.code} is scored by one organisation scorer, not "
                                        "by itself or twice.",
                                        field=f"organisation_scoring[{i}].subjects[{j}]",
                                        rule="organisation_subject_once")
                scored.add(s.code)
                subjects.append(str(s.id))
            org.append({"unit_id": str(u.id), "code": u.code, "subjects": subjects})
        fields, items = [], set()
        for i, f in enumerate(field_units or []):
            u = member(f.get("unit_code"), f"field_units[{i}].unit_code")
            item = f.get("item")
            if isinstance(item, bool) or not isinstance(item, int) or not 1 <= item <= 50 \
                    or item in items:
                raise InvalidInput("Items are distinct numbers 1–50.",
                                   field=f"field_units[{i}].item", rule="item_number")
            items.add(item)
            fields.append({"item": item, "unit_id": str(u.id), "code": u.code,
                           "topic": check_text(f.get("topic"), f"field_units[{i}].topic",
                                               2000)})
        office = self._cycle_unit(standing_office_code, "standing_office_code", ("central",)) \
            if standing_office_code else None

        def work() -> tuple[dict[str, Any], list[Any]]:
            if self.exists(cycle_id(year)):
                raise RuleViolation(f"The {year} evaluation cycle is already open.",
                                    field="year", rule="cycle_once")
            cycle = EvaluationCycle(
                year=year, ruleset={"code": rs.code, "version": chosen["version"]},
                rules=rules, deadline=due.isoformat(),
                units=[{"id": str(u.id), "code": u.code, "name": u.name, "level": u.level}
                       for u in taking.values()],
                monitoring=watch, organisation_scoring=org, field_units=fields,
                standing_office=str(office.id) if office else None,
                at=self.now().isoformat())
            return self.cycle_summary(cycle), [cycle]

        return self.act(actor, "cycle.manage", work)

    @staticmethod
    def cycle_summary(cycle: EvaluationCycle) -> dict[str, Any]:
        return {"year": cycle.year, "state": cycle.state, "ruleset": cycle.ruleset,
                "deadline": cycle.deadline, "units": len(cycle.units),
                "sheets_expected": len(cycle.pairs()), "version": cycle.version}

    def grant_extension(self, actor: Actor, *, year: int, unit_code: str, until: str,
                        reason: str) -> Done:
        """The standing office's recorded extension of the deadline for one unit."""
        day = parse_date(until, "until")
        reason = check_text(reason, "reason")

        def work() -> tuple[dict[str, Any], list[Any]]:
            cycle = self.cycle(year)
            cycle.check_open("extensions")
            unit = self.unit(unit_code, "unit_code")
            if str(unit.id) not in cycle.units:
                raise RuleViolation(f"{unit_code} does not take part in the {year} evaluation.",
                                    field="unit_code", rule="unit_in_cycle")
            if day <= date.fromisoformat(cycle.deadline):
                raise RuleViolation(f"An extension runs past the deadline of {cycle.deadline}.",
                                    field="until", rule="extension_after_deadline")
            cycle.grant_extension(unit_id=str(unit.id), unit_code=unit.code,
                                  until=day.isoformat(), reason=reason,
                                  at=self.now().isoformat())
            return {"year": year, "unit_code": unit.code, "until": day.isoformat(),
                    "reason": reason, "version": cycle.version}, [cycle]

        return self.act(actor, "cycle.manage", work, reason=reason)

    def close_cycle(self, actor: Actor, *, year: int,
                    reason: str | None = None) -> Done:
        """Close the cycle for submissions."""
        def work() -> tuple[dict[str, Any], list[Any]]:
            cycle = self.cycle(year)
            cycle.check_move("closed")
            cycle.close(at=self.now().isoformat())
            return self.cycle_summary(cycle), [cycle]

        return self.act(actor, "cycle.manage", work, reason=reason)


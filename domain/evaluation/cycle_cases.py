"""Use cases of the annual evaluation: rule sets and the year's cycle (this module), score
sheets, nominations, field reports, cluster summaries and the decision (the mixins below)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from domain.evaluation.base import EvaluationLookups
from domain.evaluation.cycle import EvaluationCycle, cycle_id
from domain.evaluation.draft import CycleDraft, cycle_deadline
from domain.evaluation.draft import reference_date as draft_reference
from domain.evaluation.rules import check_text
from domain.evaluation.ruleset import RuleSet, check_ruleset
from domain.kernel.actor import Actor
from domain.kernel.dates import check_year, parse_date
from domain.kernel.errors import InvalidInput
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

    def open_cycle(self, actor: Actor, *, year: int, ruleset_code: str,
                   ruleset_version: int | None = None, deadline: str | None = None,
                   units: list[str] | None = None, monitoring: list[dict[str, Any]],
                   organisation_scoring: list[dict[str, Any]],
                   field_units: list[dict[str, Any]] | None = None,
                   standing_office_code: str | None = None,
                   reference_date: str | None = None) -> Done:
        """Open a year's cycle with a rule set version and who scores whom (data), on the
        units active on its reference date (default: 31 December of the year)."""
        check_year(year)
        rs = self.ruleset(ruleset_code)
        chosen = rs.version_of(ruleset_version)
        cycle_deadline(chosen["content"], year, deadline)  # named before the reference date
        ref = draft_reference(chosen["content"], year, reference_date)
        draft = CycleDraft.build(
            year=year, ruleset={"code": rs.code, "version": chosen["version"]},
            rules=chosen["content"], deadline=deadline, reference=ref.isoformat(),
            units=self.grouped_units(year, ref) if units is None else units,
            monitoring=monitoring, organisation_scoring=organisation_scoring,
            field_units=field_units or [], standing_office_code=standing_office_code,
            unit_of=self.unit)

        def work() -> tuple[dict[str, Any], list[Any]]:
            EvaluationCycle.check_first(year, self.exists(cycle_id(year)))
            cycle = EvaluationCycle.open(draft, at=self.now().isoformat())
            return {**self.cycle_summary(cycle), "warnings": cycle.opening_warnings()}, [cycle]

        return self.act(actor, "cycle.manage", work)

    def amend_cycle(self, actor: Actor, *, year: int, reason: str,
                    units: list[str] | None = None,
                    monitoring: list[dict[str, Any]] | None = None,
                    organisation_scoring: list[dict[str, Any]] | None = None,
                    field_units: list[dict[str, Any]] | None = None,
                    version: int | None = None) -> Done:
        """Amend the units, monitors, organisation scorers or field units of an open cycle
        before its first sheet is sent, with the reason: each list given replaces the
        cycle's, the others stay; the whole is checked again as at the opening, on the
        cycle's reference date."""
        reason = check_text(reason, "reason")
        given = {"units": units, "monitoring": monitoring,
                 "organisation_scoring": organisation_scoring, "field_units": field_units}
        if all(v is None for v in given.values()):
            raise InvalidInput("Give at least one of units, monitoring, organisation_scoring, "
                               "field_units.", field="units", rule="amendment_changes")

        def work() -> tuple[dict[str, Any], list[Any]]:
            cycle = self.cycle(year)
            self.check_version(cycle, version, "evaluation cycle")
            cycle.check_amendable()
            lists = {**cycle.lists(), **{k: v for k, v in given.items() if v is not None}}
            draft = CycleDraft.build(
                year=year, ruleset=dict(cycle.ruleset), rules=cycle.rules,
                deadline=cycle.deadline, reference=cycle.reference.isoformat(),
                standing_office_code=None, unit_of=self.unit, **lists)
            cycle.amend(draft, reason=reason, at=self.now().isoformat())
            return {**self.cycle_summary(cycle), **cycle.amendments[-1],
                    "amendment": len(cycle.amendments)}, [cycle]

        return self.act(actor, "cycle.manage", work, reason=reason)

    def grouped_units(self, year: int, on: date) -> list[str]:
        """The codes of the members on ``on`` (the reference date) of the year's blocks and
        provincial clusters, active that day: the units a cycle evaluates unless it lists
        them."""
        register = self.group_year(year)
        members = {m for gid, g in register.groups.items()
                   if g["kind"] in ("block", "provincial_cluster")
                   for m in register.members_on(gid, on.isoformat())}
        units = [self.load(Unit, m, what="unit", field="units") for m in members]
        return sorted(u.code for u in units if u.period_on(on) is not None)

    @staticmethod
    def cycle_summary(cycle: EvaluationCycle) -> dict[str, Any]:
        return {"year": cycle.year, "state": cycle.state, "ruleset": cycle.ruleset,
                "deadline": cycle.deadline, "reference_date": cycle.reference.isoformat(),
                "units": len(cycle.units),
                "sheets_expected": len(cycle.pairs()), "version": cycle.version}

    def grant_extension(self, actor: Actor, *, year: int, unit_code: str, until: str,
                        reason: str) -> Done:
        """The standing office's recorded extension of the deadline for one unit."""
        day = parse_date(until, "until")
        reason = check_text(reason, "reason")

        def work() -> tuple[dict[str, Any], list[Any]]:
            cycle = self.cycle(year)
            cycle.check_open("extensions")  # before the unit is looked up
            unit = self.unit(unit_code, "unit_code")
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


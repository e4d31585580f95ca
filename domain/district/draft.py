"""A province's district cycle as its staff propose it: the province, the rule set version,
the deadline and reference date (read as the sector's cycle reads them), the district offices
taking part and their comparable groups (nhóm tương đồng), each checked before the cycle
opens. Every office must be a district office of the province on the reference date."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from domain.evaluation.comparable import check_comparable_groups
from domain.evaluation.draft import (
    UnitFacts,
    UnitOf,
    check_active_on,
    cycle_deadline,
    name_on,
    reference_date,
)
from domain.kernel.errors import InvalidInput, RuleViolation


def check_province(unit: UnitFacts, on: date, field: str) -> None:
    """The unit is a province (BHXH tỉnh) active on ``on``."""
    check_active_on(unit, on, field)
    if (unit.period_on(on) or {}).get("level", unit.level) != "province":
        raise RuleViolation(f"{unit.code} is not a province (BHXH tỉnh): only a province "
                            "evaluates district offices.", field=field,
                            rule="organiser_is_province")


def check_office_of(unit: UnitFacts, province: UnitFacts, on: date, field: str) -> None:
    """The unit is a district office of ``province`` on ``on`` (active that day)."""
    check_active_on(unit, on, field)
    period = unit.period_on(on) or {}
    if period.get("level", unit.level) != "district" or \
            str(period.get("parent_id")) != str(province.id):
        raise RuleViolation(f"{unit.code} is not a district office of {province.code} on "
                            f"{on.isoformat()}, the cycle's reference date: a province "
                            "evaluates only its own district offices.", field=field,
                            rule="district_of_province")


@dataclass(frozen=True)
class DistrictCycleDraft:
    """Everything a district cycle's Opened event records but the moment, checked."""

    year: int
    province_id: str
    province_code: str
    province_name: str
    ruleset: dict[str, Any]
    rules: dict[str, Any]
    deadline: str
    reference_date: str
    units: list[dict[str, Any]]
    comparable_groups: list[dict[str, Any]]

    @classmethod
    def build(cls, *, year: int, province: UnitFacts, ruleset: dict[str, Any],
              rules: dict[str, Any], deadline: str | None, reference: str | None,
              units: Sequence[Any], comparable_groups: Sequence[Any],
              unit_of: UnitOf) -> DistrictCycleDraft:
        """Check the province's input; the first rule broken is refused, naming its field.
        Each office is taken as it is on the reference date (its name then)."""
        due = cycle_deadline(rules, year, deadline)
        ref = reference_date(rules, year, reference)
        check_province(province, ref, "province_code")
        taking = _offices(year, province, units, unit_of, ref)
        groups = check_comparable_groups(
            {c: {"id": str(u.id), "level": "district"} for c, u in taking.items()},
            comparable_groups)
        return cls(year=year, province_id=str(province.id), province_code=province.code,
                   province_name=name_on(province, ref), ruleset=ruleset, rules=rules,
                   deadline=due.isoformat(), reference_date=ref.isoformat(),
                   units=[{"id": str(u.id), "code": u.code, "name": name_on(u, ref),
                           "level": "district"} for u in taking.values()],
                   comparable_groups=groups)

    def opened(self) -> dict[str, Any]:
        """The Opened event's attributes (but ``at``)."""
        return asdict(self)


def _offices(year: int, province: UnitFacts, codes: Sequence[Any], unit_of: UnitOf,
             on: date) -> dict[Any, UnitFacts]:
    if not codes:
        raise RuleViolation(f"{province.code} has no district office active on "
                            f"{on.isoformat()} to evaluate in {year}: list the offices, or "
                            "record them first.", field="units", rule="cycle_has_units")
    if len(set(codes)) != len(codes):
        raise InvalidInput("A unit is listed twice.", field="units", rule="unit_once")
    taking = {}
    for i, code in enumerate(codes):
        unit = unit_of(code, f"units[{i}]")
        check_office_of(unit, province, on, f"units[{i}]")
        taking[code] = unit
    return taking

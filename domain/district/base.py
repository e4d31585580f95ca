"""What every part of a province's district evaluation loads: the province, its rule sets,
its cycle of a year, and the district sheets (score sheets of that cycle)."""

from __future__ import annotations

from typing import Any

from domain.district.cycle import DistrictCycle, district_cycle_id
from domain.district.ruleset import DistrictRuleSet, district_ruleset_id
from domain.evaluation.base import EvaluationLookups
from domain.evaluation.sheets import ScoreSheet, sheet_province
from domain.kernel.dates import check_year
from domain.kernel.errors import RuleViolation
from domain.kernel.ids import parse_uuid
from domain.organisation.units import Unit, check_code, unit_id


class DistrictLookups(EvaluationLookups):
    """Loaders of the district evaluation, beneath its use-case mixins (over the
    evaluation's: its sheets are score sheets)."""

    def province(self, code: str, field: str = "province_code") -> Unit:
        """The unit of ``code``, refused unless it is a province (BHXH tỉnh)."""
        unit = self.unit(code, field, readonly=True)
        if unit.level != "province":
            raise RuleViolation(f"{unit.code} is a {unit.level} unit, not a province (BHXH "
                                "tỉnh): only a province evaluates district offices.",
                                field=field, rule="organiser_is_province")
        return unit

    def district_ruleset(self, province: Unit, code: str) -> DistrictRuleSet:
        check_code(code, "ruleset_code")
        return self.load(DistrictRuleSet, district_ruleset_id(str(province.id), code),
                         what=f"rule set {code} of {province.code}", field="ruleset_code")

    def district_cycle(self, year: int, province_code: str, *,
                       readonly: bool = False) -> DistrictCycle:
        """The province's cycle of the year. ``readonly``: see ``load``."""
        check_year(year)
        check_code(province_code, "province_code")
        return self.load(DistrictCycle, district_cycle_id(year, str(unit_id(province_code))),
                         what=f"evaluation of the district offices of {province_code} for "
                              f"{year}", field="year", readonly=readonly)

    def district_sheet(self, sid: Any) -> tuple[ScoreSheet, str]:
        """A score sheet of a district cycle, with its province's code; a sheet of the
        sector's cycle is not one (it moves through /evaluation/sheets)."""
        sheet = self.load(ScoreSheet, parse_uuid(sid, "sheet_id"), what=f"score sheet {sid}",
                          field="sheet_id")
        province = sheet_province(sheet)
        if province is None:
            raise RuleViolation(f"The {sheet.kind} sheet of {sheet.scorer_code} for "
                                f"{sheet.subject_code} belongs to the sector's {sheet.year} "
                                "evaluation, not to a province's evaluation of its district "
                                "offices.", field="sheet_id", rule="sheet_of_cycle")
        return sheet, province

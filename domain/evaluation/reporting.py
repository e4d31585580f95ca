"""Who reports on whom (cung cấp thông tin, the appendix), stated once as a pure function of
the cycle's data (its units and its field units): the field report's use case checks a
report with it, and a unit's field-report workbook lists the units it may report on with
it, so the two cannot drift apart. docs/decisions.md, "Field information on central units,
and beyond the appendix".

- Field information comes from the central units of the cycle; a province reports nothing.
- An appendix unit reports, under its item, on the levels its cycle entry names (``about``:
  provinces by default, central units too where its facts concern the whole sector).
- Any central unit reports on a province beyond the appendix ("nếu có"): no item.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from domain.evaluation.draft import about
from domain.kernel.errors import RuleViolation


class Reach(NamedTuple):
    """What a report falls under: the appendix's item (None: beyond the appendix) and the
    level of the unit it is on."""

    item: int | None
    level: str


@dataclass(frozen=True)
class ReportingPlan:
    """Every report a cycle takes: who reports, on whom, under which item."""

    year: int
    levels: Mapping[str, str]  # unit id -> 'central' or 'province', in the cycle's order
    items: Mapping[str, tuple[int, tuple[str, ...]]]  # field unit id -> (item, levels)

    @classmethod
    def of(cls, year: int, units: Iterable[Mapping[str, Any]],
           field_units: Iterable[Mapping[str, Any]]) -> ReportingPlan:
        """From the cycle's data as its Opened (or Amended) event holds it."""
        return cls(year=year, levels={str(u["id"]): str(u["level"]) for u in units},
                   items={str(f["unit_id"]): (int(f["item"]), tuple(about(f)))
                          for f in field_units})

    def reports(self, reporter: str) -> bool:
        """Whether ``reporter`` provides field information this year (a central unit)."""
        return self.levels.get(reporter) == "central"

    def reach(self, reporter: str, subject: str) -> Reach | None:
        """The item and level a report by ``reporter`` on ``subject`` falls under; None
        where no report may go."""
        level = self.levels.get(subject)
        if not self.reports(reporter) or level is None:
            return None
        entry = self.items.get(reporter)
        if entry is not None and level in entry[1]:
            return Reach(entry[0], level)
        return Reach(None, level) if level == "province" else None

    def subjects(self, reporter: str) -> list[tuple[str, Reach]]:
        """Every unit ``reporter`` may report on, with its reach: the provinces, then the
        central units, each in the cycle's order."""
        return [(unit, found) for level in ("province", "central")
                for unit, its in self.levels.items() if its == level
                and (found := self.reach(reporter, unit)) is not None]

    def pairs(self) -> list[tuple[str, str]]:
        """Every (reporter, subject) a field report may be of."""
        return [(reporter, subject) for reporter in self.levels if self.reports(reporter)
                for subject, _ in self.subjects(reporter)]

    def check_reporter(self, reporter: str, code: str, field: str) -> None:
        if not self.reports(reporter):
            raise RuleViolation(
                f"{code} is not a central unit of the {self.year} evaluation: field "
                "information comes from the units under BHXH Việt Nam (the appendix's, and "
                "others where they have any).", field=field, rule="field_reporter")

    def check(self, reporter: str, subject: str, reporter_code: str, subject_code: str,
              field: str, reporter_field: str = "reporter_code") -> Reach:
        """The reach of a report by ``reporter`` on ``subject``, or the refusal naming the
        rule (the codes name the units, ``field`` the subject's field)."""
        self.check_reporter(reporter, reporter_code, reporter_field)
        if subject not in self.levels:
            raise RuleViolation(f"{subject_code} does not take part in the {self.year} "
                                "evaluation.", field=field, rule="unit_in_cycle")
        found = self.reach(reporter, subject)
        if found is not None:
            return found
        entry = self.items.get(reporter)
        covered = f"item {entry[0]} reports on provinces only" if entry else (
            "information beyond the appendix is on provinces")
        raise RuleViolation(f"{reporter_code} cannot report on {subject_code}, a central unit: "
                            f"{covered}. The cycle says which items concern central units too "
                            "(field_units[].about).", field=field, rule="report_on_province")

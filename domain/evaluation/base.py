"""What every part of the annual evaluation loads: rule sets, the year's cycle, score sheets."""

from __future__ import annotations

from typing import Any

from eventsourcing.application import AggregateNotFoundError

from domain.evaluation.cycle import EvaluationCycle, cycle_id
from domain.evaluation.ruleset import RuleSet
from domain.evaluation.sheets import ScoreSheet, sheet_id, sheet_province
from domain.kernel.dates import check_year
from domain.kernel.errors import RuleViolation
from domain.kernel.ids import parse_uuid
from domain.lookups import Lookups
from domain.organisation.units import check_code


class EvaluationLookups(Lookups):
    """Loaders of the evaluation area, beneath its use-case mixins."""

    def ruleset(self, code: str) -> RuleSet:
        check_code(code, "ruleset_code")
        return self.load(RuleSet, RuleSet.create_id(code), what=f"rule set {code}",
                         field="ruleset_code")

    def cycle(self, year: int, *, readonly: bool = False) -> EvaluationCycle:
        """The year's cycle. ``readonly`` (for checks only; see ``load``) spares the copy of
        this large aggregate that a change needs."""
        check_year(year)
        return self.load(EvaluationCycle, cycle_id(year),
                         what=f"evaluation cycle for {year}", field="year", readonly=readonly)

    def sheet(self, sid: Any) -> ScoreSheet:
        """A score sheet of the sector's cycle; a province's district sheet (its rule set
        names the province) moves through the district evaluation instead."""
        sheet = self.load(ScoreSheet, parse_uuid(sid, "sheet_id"), what=f"score sheet {sid}",
                          field="sheet_id")
        province = sheet_province(sheet)
        if province:
            raise RuleViolation(f"The {sheet.kind} sheet of {sheet.scorer_code} for "
                                f"{sheet.subject_code} belongs to {province}'s {sheet.year} "
                                "evaluation of its district offices; it moves there, not in "
                                "the sector's cycle.", field="sheet_id", rule="sheet_of_cycle")
        return sheet

    def find_all(self, cls: type[Any], ids: list[Any]) -> list[Any]:
        """The aggregates of these ids that exist and are ``cls``, in order, only to be read
        (one query with the aggregate cache on)."""
        if not ids:  # a cycle without provinces or central units asks for none
            return []
        repository: Any = self.repository
        if not hasattr(repository, "get_many"):
            return [a for i in ids if (a := self.find(cls, i)) is not None]
        found = repository.get_many(ids)
        return [found[i] for i in dict.fromkeys(ids) if isinstance(found.get(i), cls)]

    def find_sheet(self, year: int, kind: str, scorer_id: str,
                   subject_id: str) -> ScoreSheet | None:
        try:
            agg: Any = self.fetch(sheet_id(year, kind, scorer_id, subject_id))
        except AggregateNotFoundError:
            return None
        return agg if isinstance(agg, ScoreSheet) else None

"""The year's evaluation cycle (đánh giá, xếp loại hằng năm): its rule set version, who
scores whom, the deadline and its extensions, the compiled table and the decision. domain.md §5
and the 2023 letter."""

from __future__ import annotations

from datetime import date
from typing import Any

from eventsourcing.domain import event

from domain.evaluation.comparable import group_of
from domain.evaluation.cycle_base import (
    VIETNAM,
    CycleRules,
    end_of_day,
    hanoi_today,
    opened_after_deadline,
)
from domain.evaluation.draft import CycleDraft, about
from domain.evaluation.reporting import ReportingPlan
from domain.evaluation.rules import SHEET_KINDS
from domain.evaluation.scoring import PAIR_RULES, ScoringPlan
from domain.kernel.base import ThiduaAggregate, stable_id
from domain.kernel.errors import RuleViolation

CYCLE_STATES = ("open", "closed", "under_review", "decided")
# where they were first defined: imported from here by the rest of the evaluation
__all__ = ["VIETNAM", "EvaluationCycle", "cycle_id", "end_of_day", "hanoi_today",
           "opened_after_deadline"]


def cycle_id(year: int) -> Any:
    return stable_id("evaluation_cycle", year)


class EvaluationCycle(ThiduaAggregate, CycleRules):
    """A year's evaluation: its rule set version, who scores whom, the deadline and the
    standing office's extensions, then the compiled table and the General Director's
    decision. Moves open → closed → under_review → decided."""

    TOPIC = "thidua:EvaluationCycle"
    # A cycle opened (or snapshotted) before cycles had a reference date counts its units on
    # 31 December of its year (see ``reference``).
    reference_date: str | None = None
    # first_sent and amendments: CycleRules (defaults for cycles stored before either existed)
    # Comparable groups (nhóm tương đồng) the cycle declares; none: units compare by level
    # (cycles stored before groups existed declare none).
    comparable_groups: tuple[dict[str, Any], ...] = ()

    class Event(ThiduaAggregate.Event):
        TOPIC = "thidua:EvaluationCycle.Event"

    @staticmethod
    def create_id(year: int) -> Any:
        return cycle_id(year)

    @event("Opened", topic="thidua:EvaluationCycle.Opened")
    def __init__(self, year: int, ruleset: dict[str, Any], rules: dict[str, Any],
                 deadline: str, units: list[dict[str, Any]], monitoring: list[dict[str, Any]],
                 organisation_scoring: list[dict[str, Any]], field_units: list[dict[str, Any]],
                 standing_office: str | None, at: str,
                 reference_date: str | None = None) -> None:
        self.year = year
        self.reference_date = reference_date
        self.ruleset = ruleset
        self.rules = rules
        self.deadline = deadline
        self.units = {u["id"]: u for u in units}
        self.monitoring = monitoring
        self.organisation_scoring = organisation_scoring
        self.field_units = field_units
        self.standing_office = standing_office
        self.state = "open"
        self.history: list[dict[str, Any]] = [{"state": "open", "at": at}]
        self.extensions: dict[str, dict[str, Any]] = {}
        self.compiled: list[dict[str, Any]] | None = None
        self.decision: dict[str, Any] | None = None

    @classmethod
    def open(cls, draft: CycleDraft, at: str) -> EvaluationCycle:
        """Open the cycle the standing office drafted (checked whole: CycleDraft.build);
        after its deadline only if the rule set says so (``late_opening``)."""
        cls.check_opening(draft.rules, draft.year, draft.deadline, at)
        return cls(**draft.opened(), at=at)

    @staticmethod
    def check_first(year: int, exists: bool) -> None:
        """A year has one cycle."""
        if exists:
            raise RuleViolation(f"The {year} evaluation cycle is already open.", field="year",
                                rule="cycle_once")

    @property
    def reference(self) -> date:
        """The day the cycle counts its units on (default 31 December of its year)."""
        return date.fromisoformat(self.reference_date) if self.reference_date \
            else date(self.year, 12, 31)

    # -- who scores whom -----------------------------------------------------------------
    def takes_part(self, unit_id: str) -> bool:
        return unit_id in self.units

    def code_of(self, unit_id: str, known: str | None = None) -> str:
        """The unit's code in the cycle; for a unit not in it, the code the caller knows, or
        words: never the internal id (an officer knows units by their codes)."""
        if unit_id in self.units:
            return str(self.units[unit_id]["code"])
        return known or "a unit that is not in the cycle"

    def level(self, unit_id: str) -> str | None:
        u = self.units.get(unit_id)
        return None if u is None else str(u["level"])

    @property
    def monitors(self) -> list[str]:
        return [m["unit_id"] for m in self.monitoring]

    def provinces(self) -> list[str]:
        return list(self.plan().provinces)

    def plan(self) -> ScoringPlan:
        """Who scores whom this year (domain/evaluation/scoring.py), from the cycle's data."""
        return ScoringPlan.of(self.units.values(), self.monitoring, self.organisation_scoring)

    def reporting(self) -> ReportingPlan:
        """Who reports on whom this year (domain/evaluation/reporting.py): the field report
        and the field-report workbook both ask it."""
        return ReportingPlan.of(self.year, self.units.values(), self.field_units)

    def pairs(self) -> list[tuple[str, str, str]]:
        """Every (kind, scorer, subject) sheet the cycle expects."""
        return self.plan().pairs()

    def expects(self, kind: str, scorer_id: str, subject_id: str) -> bool:
        """Whether (kind, scorer, subject) is one of :meth:`pairs`, without listing them."""
        return self.plan().expects(kind, scorer_id, subject_id)

    def scores(self, scorer_id: str, subject_id: str) -> bool:
        """Whether ``scorer`` scores ``subject`` this year (any kind but self)."""
        plan = self.plan()
        return any(plan.expects(k, scorer_id, subject_id) for k in SHEET_KINDS if k != "self")

    def check_in_cycle(self, unit_id: str, code: str | None, field: str) -> None:
        """A unit the act names takes part in the year's evaluation (``code`` names it)."""
        if unit_id not in self.units:
            raise RuleViolation(f"{self.code_of(unit_id, code)} does not take part in the "
                                f"{self.year} evaluation.", field=field, rule="unit_in_cycle")

    def check_pair(self, kind: str, scorer_id: str, subject_id: str,
                   scorer_code: str | None = None, subject_code: str | None = None) -> None:
        """The cycle expects a sheet of ``kind`` by the scorer of the subject (the codes name
        them in a refusal)."""
        self.check_in_cycle(scorer_id, scorer_code, "scorer_code")
        self.check_in_cycle(subject_id, subject_code, "subject_code")
        if not self.expects(kind, scorer_id, subject_id):
            raise RuleViolation(
                f"{self.code_of(scorer_id)} does not score {self.code_of(subject_id)} with a "
                f"'{kind}' sheet in {self.year}: {PAIR_RULES.get(kind, 'unknown kind')}.",
                field="kind", rule=f"{kind}_pair")

    # -- amendments (before the first sheet is sent: CycleRules.check_amendable) ------------
    def lists(self) -> dict[str, list[Any]]:
        """The cycle's units and who scores whom as a draft gives them (codes)."""
        return {
            "units": [str(u["code"]) for u in self.units.values()],
            "monitoring": [{"unit_code": m["code"], "field": m["field"]}
                           for m in self.monitoring],
            "organisation_scoring": [{"unit_code": o["code"],
                                      "subjects": [self.code_of(s) for s in o["subjects"]]}
                                     for o in self.organisation_scoring],
            "field_units": [{"item": f["item"], "unit_code": f["code"], "topic": f["topic"],
                             "about": about(f)} for f in self.field_units]}

    def amend(self, draft: CycleDraft, reason: str, at: str) -> None:
        """Replace the units, monitors, organisation scorers and field units with the
        draft's (checked as at the opening, on the same reference date), with the reason."""
        self.check_amendable()
        new = {"units": draft.units, "monitoring": draft.monitoring,
               "organisation_scoring": draft.organisation_scoring,
               "field_units": draft.field_units}
        if new == {"units": list(self.units.values()), "monitoring": self.monitoring,
                   "organisation_scoring": self.organisation_scoring,
                   "field_units": self.field_units}:
            raise RuleViolation("The amendment changes nothing of the cycle.", field="reason",
                                rule="amendment_changes")
        before = set(self.units)
        after = {u["id"] for u in draft.units}
        self._amended(year=self.year, **new,
                      added=sorted(self.code_of_in(draft.units, after - before)),
                      removed=sorted(self.code_of(u) for u in before - after),
                      reason=reason, at=at)

    @staticmethod
    def code_of_in(units: list[dict[str, Any]], ids: set[str]) -> list[str]:
        return [str(u["code"]) for u in units if u["id"] in ids]

    @event("Amended", topic="thidua:EvaluationCycle.Amended")
    def _amended(self, year: int, units: list[dict[str, Any]],
                 monitoring: list[dict[str, Any]], organisation_scoring: list[dict[str, Any]],
                 field_units: list[dict[str, Any]],
                 added: list[str], removed: list[str], reason: str, at: str) -> None:
        self.units = {u["id"]: u for u in units}
        self.monitoring = monitoring
        self.organisation_scoring = organisation_scoring
        self.field_units = field_units
        self.amendments = (*self.amendments, {"reason": reason, "at": at, "added": added,
                                              "removed": removed})

    # -- comparable groups (before the first sheet is sent) ---------------------------------
    def comparison_group(self, unit_id: str) -> str:
        """The group a unit's level is capped in: its declared comparable group, else its
        level (domain/evaluation/comparable.py)."""
        return group_of(self.comparable_groups, unit_id, str(self.units[unit_id]["level"]))

    def declare_groups(self, groups: list[dict[str, Any]], reason: str, at: str) -> None:
        """Declare (or replace) the cycle's comparable groups, checked whole
        (``check_comparable_groups``), while who is compared with whom may still change."""
        self.check_amendable()
        if list(groups) == list(self.comparable_groups):
            raise RuleViolation("The cycle already declares exactly these comparable groups.",
                                field="comparable_groups", rule="amendment_changes")
        self._groups_declared(year=self.year, groups=groups, reason=reason, at=at)

    @event("ComparableGroupsDeclared", topic="thidua:EvaluationCycle.ComparableGroupsDeclared")
    def _groups_declared(self, year: int, groups: list[dict[str, Any]], reason: str,
                         at: str) -> None:
        self.comparable_groups = tuple(groups)

    @event("FirstSheetSent", topic="thidua:EvaluationCycle.FirstSheetSent")
    def _first_sheet_sent(self, sheet_id: str, scorer_code: str, at: str) -> None:
        self.first_sent = {"sheet_id": sheet_id, "scorer_code": scorer_code, "at": at}

    # -- extensions and moves (the deadline's rules: CycleRules) --------------------------
    def grant_extension(self, unit_id: str, unit_code: str, until: str, reason: str,
                        at: str) -> None:
        """The standing office's recorded extension for a unit of the cycle, while it is
        open, past the deadline."""
        self.check_extension(unit_id, unit_code, until)
        self._extension_granted(unit_id=unit_id, unit_code=unit_code, until=until,
                                reason=reason, at=at)

    @event("ExtensionGranted", topic="thidua:EvaluationCycle.ExtensionGranted")
    def _extension_granted(self, unit_id: str, unit_code: str, until: str, reason: str,
                           at: str) -> None:
        self.extensions[unit_id] = {"until": until, "reason": reason, "at": at,
                                    "unit_code": unit_code}

    @event("Closed", topic="thidua:EvaluationCycle.Closed")
    def close(self, at: str) -> None:
        self.state = "closed"
        self.history.append({"state": "closed", "at": at})

    @event("ReviewBegun", topic="thidua:EvaluationCycle.ReviewBegun")
    def begin_review(self, meeting: dict[str, Any], table: list[dict[str, Any]],
                     at: str) -> None:
        self.state = "under_review"
        self.compiled = table
        self.history.append({"state": "under_review", "at": at, "meeting": meeting})

    @event("Decided", topic="thidua:EvaluationCycle.Decided")
    def decide(self, decision: dict[str, Any], at: str) -> None:
        self.state = "decided"
        self.decision = decision
        self.history.append({"state": "decided", "at": at})

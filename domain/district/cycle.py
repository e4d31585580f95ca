"""A province's evaluation of its district offices for a year (đánh giá, xếp loại BHXH cấp
huyện, 4268 A.I.5): one cycle per (year, province), with the province's rule set version, its
district offices, their comparable groups (nhóm tương đồng), the unplanned tasks assigned
during the year, the deadline and its extensions, the compiled table and the province's
decision. It keeps the rules every cycle keeps (domain/evaluation/cycle_base.py: the deadline,
extensions, moves, amendments until the first sheet is sent), in its own words and events."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from eventsourcing.domain import event

from domain.district.ruleset import DISTRICT_SHEET_KINDS
from domain.evaluation.comparable import group_of
from domain.evaluation.cycle_base import CycleRules
from domain.kernel.base import ThiduaAggregate, stable_id
from domain.kernel.errors import RuleViolation

# What each kind of sheet means in a district cycle, in the words a refused pair is told.
DISTRICT_PAIR_RULES = {
    "self": "a self-assessment is by a district office of itself",
    "province_to_district": "the province scores each of its district offices in the cycle",
}


def district_cycle_id(year: int, province_id: str) -> Any:
    return stable_id("district_cycle", year, province_id)


def district_label(province_code: str, year: int) -> str:
    return f"{province_code}'s {year} evaluation of its district offices"


class DistrictCycle(ThiduaAggregate, CycleRules):
    """Kỳ đánh giá BHXH cấp huyện của một BHXH tỉnh: the year's evaluation of the province's
    district offices, organised by the province (its staff open, extend, close and compile
    it; its director signs the decision)."""

    TOPIC = "thidua:DistrictCycle"
    AMENDABLE = "its offices, comparable groups and tasks"

    class Event(ThiduaAggregate.Event):
        TOPIC = "thidua:DistrictCycle.Event"

    @staticmethod
    def create_id(year: int, province_id: str) -> Any:
        return district_cycle_id(year, province_id)

    @event("Opened", topic="thidua:DistrictCycle.Opened")
    def __init__(self, year: int, province_id: str, province_code: str, province_name: str,
                 ruleset: dict[str, Any], rules: dict[str, Any], deadline: str,
                 reference_date: str, units: list[dict[str, Any]],
                 comparable_groups: list[dict[str, Any]], at: str) -> None:
        self.year = year
        self.province_id = province_id
        self.province_code = province_code
        self.province_name = province_name
        self.ruleset = ruleset
        self.rules = rules
        self.deadline = deadline
        self.reference_date = reference_date
        self.units = {u["id"]: u for u in units}
        self.comparable_groups = comparable_groups
        self.tasks: list[dict[str, Any]] = []
        self.state = "open"
        self.history: list[dict[str, Any]] = [{"state": "open", "at": at}]
        self.extensions: dict[str, dict[str, Any]] = {}
        self.compiled: list[dict[str, Any]] | None = None
        self.decision: dict[str, Any] | None = None

    @property
    def label(self) -> str:
        return district_label(self.province_code, self.year)

    # the cycle's words, for the rules it keeps as every cycle does (CycleRules)
    def what(self) -> str:
        return self.label

    def extender(self) -> str:
        return self.province_code

    def first_sheet_words(self) -> str:
        return f"The first sheet of {self.label}"

    def takes_part(self, unit_id: str) -> bool:
        """A district office of the cycle, or the province itself (for its own sheets)."""
        return self.level(unit_id) is not None

    @property
    def reference(self) -> date:
        return date.fromisoformat(self.reference_date)

    # -- who scores whom -----------------------------------------------------------------
    def code_of(self, unit_id: str, known: str | None = None) -> str:
        """The unit's code; for a unit not in the cycle, the code the caller knows, or words
        (never the internal id)."""
        if unit_id == self.province_id:
            return self.province_code
        if unit_id in self.units:
            return str(self.units[unit_id]["code"])
        return known or "an office that is not in the cycle"

    def level(self, unit_id: str) -> str | None:
        if unit_id == self.province_id:
            return "province"
        return "district" if unit_id in self.units else None

    def group_of(self, unit_id: str) -> str:
        """The comparable group (nhóm tương đồng) of a unit: the one it is declared in, else
        the level (a cycle that declares no group compares all its offices together)."""
        return group_of(self.comparable_groups, unit_id, "district")

    def pairs(self) -> list[tuple[str, str, str]]:
        """Every (kind, scorer, subject) sheet the cycle expects: each district office
        scores itself, and the province scores each of them."""
        offices = list(self.units)
        return ([("self", u, u) for u in offices]
                + [("province_to_district", self.province_id, u) for u in offices])

    def expects(self, kind: str, scorer_id: str, subject_id: str) -> bool:
        if subject_id not in self.units:
            return False
        if kind == "self":
            return scorer_id == subject_id
        return kind == "province_to_district" and scorer_id == self.province_id

    def check_pair(self, kind: str, scorer_id: str, subject_id: str,
                   codes: Mapping[str, str] | None = None) -> None:
        """Refuse a sheet the cycle does not expect; ``codes`` (unit id -> code) names the
        units the cycle does not know (an error names a unit by its code)."""
        named = codes or {}
        for uid, field in ((scorer_id, "scorer_code"), (subject_id, "subject_code")):
            if self.level(uid) is None:
                raise RuleViolation(f"{named.get(uid) or self.code_of(uid)} does not take "
                                    f"part in {self.label}.", field=field,
                                    rule="unit_in_cycle")
        if not self.expects(kind, scorer_id, subject_id):
            rule = DISTRICT_PAIR_RULES.get(kind, f"kinds are {', '.join(DISTRICT_SHEET_KINDS)}")
            raise RuleViolation(
                f"{self.code_of(scorer_id)} does not score {self.code_of(subject_id)} with a "
                f"'{kind}' sheet in {self.label}: {rule}.", field="kind", rule=f"{kind}_pair")

    # -- unplanned tasks (nhiệm vụ đột xuất được giao) --------------------------------------
    def assign_task(self, task: dict[str, Any], at: str,
                    codes: Mapping[str, str] | None = None) -> None:
        """Record a task the province assigns during the year (:meth:`check_task`), each
        task code once. ``codes``: as for :meth:`check_pair`."""
        self.check_open("tasks")
        if any(t["code"] == task["code"] for t in self.tasks):
            raise RuleViolation(f"Task {task['code']} is already assigned in {self.label}.",
                                field="code", rule="task_once")
        self.check_task(task, codes)
        self._task_assigned(task=task, at=at)

    def check_task(self, task: dict[str, Any], codes: Mapping[str, str] | None = None, *,
                   offices: set[str] | None = None, where: str = "") -> None:
        """A task is scored under a criterion of the cycle's rule set that scores unplanned
        tasks, is assigned in the year, and goes to offices of the cycle (``offices``: those
        an amendment leaves it; ``where`` prefixes the fields named)."""
        criterion = next((c for c in self.rules["criteria"]
                          if c["code"] == task["criterion"]), None)
        if criterion is None or criterion.get("source") != "unplanned_task":
            raise RuleViolation(f"{task['criterion']} is not a criterion of rule set "
                                f"{self.ruleset['code']} that scores unplanned tasks; an "
                                "unplanned task is scored under one.",
                                field=f"{where}criterion",
                                rule="task_under_unplanned_criterion")
        if date.fromisoformat(task["assigned_on"]).year != self.year:
            raise RuleViolation(f"A task of {self.label} is assigned in {self.year}.",
                                field=f"{where}assigned_on", rule="task_in_year")
        taking = set(self.units) if offices is None else offices
        for i, uid in enumerate(task["units"]):
            if uid not in taking:
                raise RuleViolation(f"{self.code_of(uid, (codes or {}).get(uid))} does not "
                                    f"take part in {self.label}.", field=f"{where}units[{i}]",
                                    rule="unit_in_cycle")

    @event("TaskAssigned", topic="thidua:DistrictCycle.TaskAssigned")
    def _task_assigned(self, task: dict[str, Any], at: str) -> None:
        self.tasks.append({**task, "at": at})

    # -- amendments (until the first sheet is sent: CycleRules.check_amendable) -----------
    def lists(self) -> dict[str, Any]:
        """The cycle's offices, comparable groups and tasks as an amendment gives them
        (codes)."""
        return {"units": [str(u["code"]) for u in self.units.values()],
                "comparable_groups": [{"code": g["code"], "name": g["name"],
                                       "description": g["description"],
                                       "members": [self.code_of(m) for m in g["members"]]}
                                      for g in self.comparable_groups],
                "tasks": [{k: v for k, v in t.items() if k != "at"} for t in self.tasks]}

    def amend(self, units: list[dict[str, Any]], comparable_groups: list[dict[str, Any]],
              tasks: list[dict[str, Any]], reason: str, at: str,
              codes: Mapping[str, str] | None = None) -> None:
        """Replace the offices and comparable groups (a draft's, checked as at the opening,
        on the same reference date) and the tasks (each checked against the offices it
        leaves), with the reason. A task left as it was keeps the moment it was assigned."""
        self.check_amendable()
        offices = {u["id"] for u in units}
        kept = {t["code"]: t for t in self.tasks}
        seen: set[str] = set()
        dated = []
        for i, task in enumerate(tasks):
            if task["code"] in seen:
                raise RuleViolation(f"Task {task['code']} is listed twice.",
                                    field=f"tasks[{i}].code", rule="task_once")
            seen.add(task["code"])
            self.check_task(task, codes, offices=offices, where=f"tasks[{i}].")
            old = kept.get(task["code"])
            same = old is not None and {k: v for k, v in old.items() if k != "at"} == task
            dated.append({**task, "at": old["at"] if same and old else at})
        if ({u["id"]: u for u in units}, comparable_groups, dated) == (
                self.units, list(self.comparable_groups), self.tasks):
            raise RuleViolation("The amendment changes nothing of the cycle.", field="reason",
                                rule="amendment_changes")
        before = set(self.units)
        self._amended(year=self.year, province_id=self.province_id, units=units,
                      comparable_groups=comparable_groups, tasks=dated,
                      added=sorted(str(u["code"]) for u in units if u["id"] not in before),
                      removed=sorted(self.code_of(u) for u in before - offices),
                      reason=reason, at=at)

    @event("Amended", topic="thidua:DistrictCycle.Amended")
    def _amended(self, year: int, province_id: str, units: list[dict[str, Any]],
                 comparable_groups: list[dict[str, Any]], tasks: list[dict[str, Any]],
                 added: list[str], removed: list[str], reason: str, at: str) -> None:
        self.units = {u["id"]: u for u in units}
        self.comparable_groups = comparable_groups
        self.tasks = tasks
        self.amendments = (*self.amendments, {"reason": reason, "at": at, "added": added,
                                              "removed": removed})

    @event("FirstSheetSent", topic="thidua:DistrictCycle.FirstSheetSent")
    def _first_sheet_sent(self, sheet_id: str, scorer_code: str, at: str) -> None:
        self.first_sent = {"sheet_id": sheet_id, "scorer_code": scorer_code, "at": at}

    # -- extensions and moves (the deadline's rules: CycleRules) ----------------------------
    def grant_extension(self, unit_id: str, unit_code: str, until: str, reason: str,
                        at: str) -> None:
        """The province's recorded extension for a unit of the cycle (one of its district
        offices, or the province itself for its own sheets), past the deadline."""
        self.check_extension(unit_id, unit_code, until)
        self._extension_granted(unit_id=unit_id, unit_code=unit_code, until=until,
                                reason=reason, at=at)

    @event("ExtensionGranted", topic="thidua:DistrictCycle.ExtensionGranted")
    def _extension_granted(self, unit_id: str, unit_code: str, until: str, reason: str,
                           at: str) -> None:
        self.extensions[unit_id] = {"until": until, "reason": reason, "at": at,
                                    "unit_code": unit_code}

    @event("Closed", topic="thidua:DistrictCycle.Closed")
    def close(self, at: str) -> None:
        self.state = "closed"
        self.history.append({"state": "closed", "at": at})

    @event("ReviewBegun", topic="thidua:DistrictCycle.ReviewBegun")
    def begin_review(self, meeting: dict[str, Any], table: list[dict[str, Any]],
                     at: str) -> None:
        self.state = "under_review"
        self.compiled = table
        self.history.append({"state": "under_review", "at": at, "meeting": meeting})

    @event("Decided", topic="thidua:DistrictCycle.Decided")
    def decide(self, decision: dict[str, Any], at: str) -> None:
        self.state = "decided"
        self.decision = decision
        self.history.append({"state": "decided", "at": at})

"""A province's evaluation of its district offices for a year (đánh giá, xếp loại BHXH cấp
huyện, 4268 A.I.5): one cycle per (year, province), with the province's rule set version, its
district offices, their comparable groups (nhóm tương đồng), the unplanned tasks assigned
during the year, the deadline and its extensions, the compiled table and the province's
decision. Moves open → closed → under_review → decided, as the sector's cycle does."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

from eventsourcing.domain import event

from domain.district.ruleset import DISTRICT_SHEET_KINDS
from domain.evaluation.comparable import group_of
from domain.evaluation.cycle import end_of_day
from domain.evaluation.ruleset import extension_limit_days
from domain.kernel.base import ThiduaAggregate, stable_id
from domain.kernel.errors import RuleViolation

# What each kind of sheet means in a district cycle, in the words a refused pair is told.
DISTRICT_PAIR_RULES = {
    "self": "a self-assessment is by a district office of itself",
    "province_to_district": "the province scores each of its district offices in the cycle",
}


def district_cycle_id(year: int, province_id: str) -> Any:
    return stable_id("district_cycle", year, province_id)


class DistrictCycle(ThiduaAggregate):
    """Kỳ đánh giá BHXH cấp huyện của một BHXH tỉnh: the year's evaluation of the province's
    district offices, organised by the province (its staff open, extend, close and compile
    it; its director signs the decision)."""

    TOPIC = "thidua:DistrictCycle"

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
        return f"{self.province_code}'s {self.year} evaluation of its district offices"

    @property
    def reference(self) -> date:
        return date.fromisoformat(self.reference_date)

    # -- who scores whom -----------------------------------------------------------------
    def code_of(self, unit_id: str) -> str:
        if unit_id == self.province_id:
            return self.province_code
        return str(self.units[unit_id]["code"]) if unit_id in self.units else unit_id

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
        """Record a task the province assigns during the year, under a criterion of its
        rule set that scores unplanned tasks; each task code once. ``codes``: as for
        :meth:`check_pair`."""
        self.check_open("tasks")
        if any(t["code"] == task["code"] for t in self.tasks):
            raise RuleViolation(f"Task {task['code']} is already assigned in {self.label}.",
                                field="code", rule="task_once")
        criterion = next((c for c in self.rules["criteria"]
                          if c["code"] == task["criterion"]), None)
        if criterion is None or criterion.get("source") != "unplanned_task":
            raise RuleViolation(f"{task['criterion']} is not a criterion of rule set "
                                f"{self.ruleset['code']} that scores unplanned tasks; an "
                                "unplanned task is scored under one.", field="criterion",
                                rule="task_under_unplanned_criterion")
        if date.fromisoformat(task["assigned_on"]).year != self.year:
            raise RuleViolation(f"A task of {self.label} is assigned in {self.year}.",
                                field="assigned_on", rule="task_in_year")
        for i, uid in enumerate(task["units"]):
            if uid not in self.units:
                raise RuleViolation(f"{(codes or {}).get(uid) or self.code_of(uid)} does not "
                                    f"take part in {self.label}.", field=f"units[{i}]",
                                    rule="unit_in_cycle")
        self._task_assigned(task=task, at=at)

    @event("TaskAssigned", topic="thidua:DistrictCycle.TaskAssigned")
    def _task_assigned(self, task: dict[str, Any], at: str) -> None:
        self.tasks.append({**task, "at": at})

    # -- deadlines -----------------------------------------------------------------------
    def check_open(self, what: str = "submissions") -> None:
        if self.state != "open":
            raise RuleViolation(f"{self.label[0].upper()}{self.label[1:]} is "
                                f"{self.state.replace('_', ' ')}; it takes no more {what}.",
                                field="year", rule="cycle_open")

    def judge(self, unit_id: str, now: datetime) -> bool:
        """Whether a submission by ``unit_id`` now is late; refuse it if late without an
        extension from the province that still runs. The deadline is read as the sector's
        cycle reads its own (the end of the day in Hanoi: domain/evaluation/cycle.py)."""
        now = now if now.tzinfo else now.replace(tzinfo=UTC)
        if now < end_of_day(date.fromisoformat(self.deadline)):
            return False
        ext = self.extensions.get(unit_id)
        if ext and now < end_of_day(date.fromisoformat(ext["until"])):
            return True
        extra = f"; its extension ran until {ext['until']}" if ext else ""
        raise RuleViolation(
            f"The deadline of {self.deadline} has passed and {self.code_of(unit_id)} has no "
            f"running extension from {self.province_code}{extra}.", field="deadline",
            rule="deadline_passed")

    # -- commands ------------------------------------------------------------------------
    def grant_extension(self, unit_id: str, unit_code: str, until: str, reason: str,
                        at: str) -> None:
        """The province's recorded extension for a unit of the cycle (one of its district
        offices, or the province itself for its own sheets), past the deadline."""
        self.check_open("extensions")
        if self.level(unit_id) is None:
            raise RuleViolation(f"{unit_code} does not take part in {self.label}.",
                                field="unit_code", rule="unit_in_cycle")
        if date.fromisoformat(until) <= date.fromisoformat(self.deadline):
            raise RuleViolation(f"An extension runs past the deadline of {self.deadline}.",
                                field="until", rule="extension_after_deadline")
        limit = extension_limit_days(self.rules)  # the sector's bound, as its rule set says
        latest = date.fromisoformat(self.deadline) + timedelta(days=limit)
        if date.fromisoformat(until) > latest:
            raise RuleViolation(
                f"An extension runs at most {limit} days past the deadline of {self.deadline} "
                f"(the rule set's extension_limit_days): until {latest.isoformat()} at the "
                "latest.", field="until", rule="extension_within_limit")
        self._extension_granted(unit_id=unit_id, unit_code=unit_code, until=until,
                                reason=reason, at=at)

    @event("ExtensionGranted", topic="thidua:DistrictCycle.ExtensionGranted")
    def _extension_granted(self, unit_id: str, unit_code: str, until: str, reason: str,
                           at: str) -> None:
        self.extensions[unit_id] = {"until": until, "reason": reason, "at": at,
                                    "unit_code": unit_code}

    def check_move(self, to: str) -> None:
        allowed = {"closed": "open", "under_review": "closed", "decided": "under_review"}
        if self.state != allowed[to]:
            raise RuleViolation(f"{self.label[0].upper()}{self.label[1:]} is {self.state}; "
                                f"it moves to {to} only from {allowed[to]}.", field="state",
                                rule="cycle_order")

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

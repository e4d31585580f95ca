"""The year's programme and plan of a group (chương trình, kế hoạch hoạt động hằng năm,
letter 4268 A.II.1.3): its activities, the progress plan of the covenant's targets (kế
hoạch, tiến độ thực hiện các chỉ tiêu thi đua) and the inspection plan (kế hoạch kiểm tra,
giám sát việc thực hiện giao ước: which members, when, by whom). Issued by the head,
revised with a reason; an inspection a finding came from stays in every later revision."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import date
from typing import Any

from eventsourcing.domain import event

from domain.covenants.covenant import check_decimal
from domain.group_documents.content import check_line
from domain.kernel.base import ThiduaAggregate, stable_id
from domain.kernel.dates import parse_date
from domain.kernel.errors import InvalidInput, RuleViolation
from domain.kernel.text import clean

# (code, field) -> unit id, or NotFound naming the field
Resolve = Callable[[str, str], str]
LIMITS = {"activities": 200, "milestones": 500, "inspections": 200}


def plan_id(group_id: str) -> Any:
    return stable_id("group-plan", group_id)


def _note(item: dict[str, Any], where: str) -> str | None:
    note = item.get("note")
    if note is None:
        return None
    note = clean(note, f"{where}.note", multiline=True) if isinstance(note, str) else note
    if not isinstance(note, str) or not note.strip() or len(note) > 2000:
        raise InvalidInput(f"{where}.note is 1–2000 characters and not blank.",
                           field=f"{where}.note", rule="text_length")
    return note.strip()


def _items(raw: Any, name: str, keys: set[str]) -> list[dict[str, Any]]:
    if raw is None:
        return []
    if not isinstance(raw, list) or len(raw) > LIMITS[name]:
        raise InvalidInput(f"{name} lists at most {LIMITS[name]} items.", field=name,
                           rule=f"{name}_count")
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            raise InvalidInput(f"Each of {name} is an object.", field=f"{name}[{i}]",
                               rule="item_object")
        unknown = sorted(set(item) - keys)
        if unknown:
            raise InvalidInput(f"Unknown field(s): {', '.join(unknown)}.",
                               field=f"{name}[{i}].{unknown[0]}", rule="known_field")
    return raw


def _day_in(value: Any, field: str, year: int) -> str:
    day = parse_date(value, field)
    if day.year not in (year, year + 1) or (day.year == year + 1 and day.month > 1):
        raise InvalidInput(f"{field} falls in {year} (or January {year + 1}, before the "
                           "summary).", field=field, rule="day_in_year")
    return day.isoformat()


def _codes(raw: Any, field: str, resolve: Resolve, limit: int) -> list[str]:
    if not isinstance(raw, list) or not 1 <= len(raw) <= limit:
        raise InvalidInput(f"{field} lists 1–{limit} units by code.", field=field,
                           rule="units_count")
    if len(set(map(str, raw))) != len(raw):
        raise InvalidInput("A unit is listed twice.", field=field, rule="unit_once")
    return [resolve(code, f"{field}[{i}]") for i, code in enumerate(raw)]


def check_plan(raw: dict[str, Any], *, year: int, resolve: Resolve) -> dict[str, Any]:
    """The plan's parts in their stored shape (units by id, dates ISO, values normalised);
    malformed input refused naming its field. Membership and targets are the aggregate's."""
    activities, seen = [], set()
    for i, a in enumerate(_items(raw.get("activities"), "activities",
                                 {"code", "name", "due", "note"})):
        where = f"activities[{i}]"
        code = check_line(a.get("code"), f"{where}.code", 32)
        if code in seen:
            raise InvalidInput(f"Activity {code} is listed twice.", field=f"{where}.code",
                               rule="code_once")
        seen.add(code)
        activities.append({"code": code, "name": check_line(a.get("name"), f"{where}.name",
                                                            300),
                           "due": _day_in(a.get("due"), f"{where}.due", year),
                           "note": _note(a, where)})
    milestones, pairs = [], set()
    for i, m in enumerate(_items(raw.get("milestones"), "milestones",
                                 {"target", "due", "value", "note"})):
        where = f"milestones[{i}]"
        target = check_line(m.get("target"), f"{where}.target", 32)
        due = _day_in(m.get("due"), f"{where}.due", year)
        if (target, due) in pairs:
            raise InvalidInput(f"Target {target} has two milestones due {due}.",
                               field=f"{where}.due", rule="milestone_once")
        pairs.add((target, due))
        milestones.append({"target": target, "due": due,
                           "value": check_decimal(m.get("value"), f"{where}.value"),
                           "note": _note(m, where)})
    inspections, codes = [], set()
    for i, n in enumerate(_items(raw.get("inspections"), "inspections",
                                 {"code", "members", "from", "until", "inspectors", "note"})):
        where = f"inspections[{i}]"
        code = check_line(n.get("code"), f"{where}.code", 32)
        if code in codes:
            raise InvalidInput(f"Inspection {code} is listed twice.", field=f"{where}.code",
                               rule="code_once")
        codes.add(code)
        start = _day_in(n.get("from"), f"{where}.from", year)
        until = _day_in(n.get("until"), f"{where}.until", year)
        if until < start:
            raise InvalidInput("An inspection ends on or after the day it begins.",
                               field=f"{where}.until", rule="until_after_from")
        inspections.append({"code": code,
                            "members": _codes(n.get("members"), f"{where}.members", resolve,
                                              500),
                            "from": start, "until": until,
                            "inspectors": _codes(n.get("inspectors"), f"{where}.inspectors",
                                                 resolve, 20),
                            "note": _note(n, where)})
    return {"activities": activities, "milestones": milestones, "inspections": inspections}


class GroupPlan(ThiduaAggregate):
    """Chương trình, kế hoạch hoạt động năm of one group (a year's Khối or Cụm)."""

    TOPIC = "thidua:GroupPlan"

    class Event(ThiduaAggregate.Event):
        TOPIC = "thidua:GroupPlan.Event"

    @staticmethod
    def create_id(group_id: str) -> Any:
        return plan_id(group_id)

    @staticmethod
    def check_parts(parts: dict[str, Any], members: Collection[str],
                    targets: Sequence[str] | None, labels: dict[str, str]) -> None:
        """The plan inspects members of the group, and plans the progress of the
        covenant's targets (so the covenant comes first)."""
        for i, n in enumerate(parts["inspections"]):
            for j, unit in enumerate(n["members"]):
                if unit not in members:
                    raise RuleViolation(f"{labels.get(unit, unit)} is not a member of the "
                                        "group this year; the plan inspects members.",
                                        field=f"inspections[{i}].members[{j}]",
                                        rule="inspected_is_member")
        if parts["milestones"] and targets is None:
            raise RuleViolation("The progress plan is of the covenant's targets: launch the "
                                "year's covenant first.", field="milestones",
                                rule="plan_targets_need_covenant")
        for i, m in enumerate(parts["milestones"]):
            if m["target"] not in (targets or ()):
                raise RuleViolation(f"'{m['target']}' is not a target of the year's covenant "
                                    f"(targets: {', '.join(targets or ())}).",
                                    field=f"milestones[{i}].target", rule="known_target")

    @classmethod
    def issue(cls, *, group_id: str, year: int, title: str, issued_on: date,
              text: str | None, file: dict[str, str] | None, parts: dict[str, Any],
              members: Collection[str], targets: Sequence[str] | None,
              labels: dict[str, str]) -> GroupPlan:
        """The head issues the year's programme and plan (in the year, or in December of the
        year before)."""
        cls.check_issued_on(year, issued_on)
        cls.check_parts(parts, members, targets, labels)
        return cls(group_id=group_id, year=year, title=title,
                   issued_on=issued_on.isoformat(), text=text, file=file, **parts)

    @staticmethod
    def check_issued_on(year: int, issued_on: date) -> None:
        if issued_on.year not in (year - 1, year):
            raise RuleViolation(f"The plan of {year} is issued in {year - 1} or {year}.",
                                field="issued_on", rule="issued_in_year")

    @event("Issued", topic="thidua:GroupPlan.Issued")
    def __init__(self, group_id: str, year: int, title: str, issued_on: str, text: str | None,
                 file: dict[str, str] | None, activities: list[dict[str, Any]],
                 milestones: list[dict[str, Any]], inspections: list[dict[str, Any]]) -> None:
        self.group_id = group_id
        self.year = year
        self.revision = 1
        self._set(title, issued_on, text, file, activities, milestones, inspections)

    def _set(self, title: str, issued_on: str, text: str | None, file: dict[str, str] | None,
             activities: list[dict[str, Any]], milestones: list[dict[str, Any]],
             inspections: list[dict[str, Any]]) -> None:
        self.title = title
        self.issued_on = issued_on
        self.text = text
        self.file = file
        self.activities = list(activities)
        self.milestones = list(milestones)
        self.inspections = list(inspections)

    def content(self) -> dict[str, Any]:
        return {"title": self.title, "issued_on": self.issued_on, "text": self.text,
                "file": self.file, "activities": self.activities,
                "milestones": self.milestones, "inspections": self.inspections}

    def inspection(self, code: str) -> dict[str, Any] | None:
        return next((n for n in self.inspections if n["code"] == code), None)

    def revise(self, *, title: str, issued_on: date, text: str | None,
               file: dict[str, str] | None, parts: dict[str, Any], reason: str,
               members: Collection[str], targets: Sequence[str] | None,
               labels: dict[str, str], findings: Sequence[dict[str, Any]]) -> None:
        """A new revision of the whole plan, with the reason. Every inspection a recorded
        finding refers to stays, still covering its member and its day."""
        self.check_issued_on(self.year, issued_on)
        self.check_parts(parts, members, targets, labels)
        new = {"title": title, "issued_on": issued_on.isoformat(), "text": text, "file": file,
               **parts}
        if new == self.content():
            raise RuleViolation("The revision changes nothing of the plan.", field="reason",
                                rule="revision_changes")
        kept = {n["code"]: n for n in parts["inspections"]}
        for f in findings:
            n = kept.get(f["inspection"])
            if n is None or f["unit_id"] not in n["members"] or not \
                    n["from"] <= f["inspected_on"] <= n["until"]:
                raise RuleViolation(
                    f"Finding {f['finding_no']} of the covenant came from inspection "
                    f"{f['inspection']} of {labels.get(f['unit_id'], f['unit_id'])} on "
                    f"{f['inspected_on']}: the plan keeps that inspection, its member and its "
                    "days.", field="inspections", rule="plan_keeps_findings")
        self._revised(revision=self.revision + 1, reason=reason, **new)

    @event("Revised", topic="thidua:GroupPlan.Revised")
    def _revised(self, revision: int, reason: str, title: str, issued_on: str,
                 text: str | None, file: dict[str, str] | None,
                 activities: list[dict[str, Any]], milestones: list[dict[str, Any]],
                 inspections: list[dict[str, Any]]) -> None:
        self.revision = revision
        self._set(title, issued_on, text, file, activities, milestones, inspections)

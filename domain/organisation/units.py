"""Units (đơn vị): central units, provincial BHXH and district offices, with their life."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from eventsourcing.domain import event

from domain.kernel.base import ThiduaAggregate, stable_id
from domain.kernel.dates import parse_date
from domain.kernel.errors import InvalidInput, RuleViolation
from domain.kernel.text import clean

LEVELS = ("central", "province", "district")
CODE_PATTERN = re.compile(r"[A-Z0-9][A-Z0-9_.-]{0,31}")  # the whole code: fullmatch


def unit_id(code: str) -> Any:
    return stable_id("unit", code)


def check_code(code: str, field: str = "code") -> str:
    if not isinstance(code, str) or not CODE_PATTERN.fullmatch(code):
        raise InvalidInput(
            "A unit code is 1–32 characters: capital letters A–Z, digits, '_', '.', '-'.",
            field=field, rule="code_format")
    return code


def check_name(name: str, field: str = "name") -> str:
    """A name on one line, in NFC, without surrounding spaces."""
    name = clean(name, field, multiline=False).strip() if isinstance(name, str) else name
    if not isinstance(name, str) or not name or len(name) > 300:
        raise InvalidInput("A name is 1–300 characters and not blank.", field=field,
                           rule="name_length")
    return name


@dataclass(frozen=True)
class Period:
    """One stretch of a unit's life with the same name and parent."""

    start: str
    end: str | None  # exclusive; None while it lasts
    name: str
    parent_id: str | None
    status: str  # active | merged | dissolved (of the stretch that begins at 'end')

    def covers(self, day: date) -> bool:
        return date.fromisoformat(self.start) <= day and (
            self.end is None or day < date.fromisoformat(self.end))


class Unit(ThiduaAggregate):
    """Đơn vị: one organisation taking part, with every change of its life dated."""

    TOPIC = "thidua:Unit"

    class Event(ThiduaAggregate.Event):
        TOPIC = "thidua:Unit.Event"

    @staticmethod
    def create_id(code: str) -> Any:
        return unit_id(code)

    @event("Registered", topic="thidua:Unit.Registered")
    def __init__(self, code: str, name: str, level: str, parent_id: str | None,
                 effective: str) -> None:
        self.code = code
        self.level = level
        self.periods: list[dict[str, Any]] = [
            {"start": effective, "end": None, "name": name, "parent_id": parent_id}]
        self.ended: str | None = None
        self.end_status: str | None = None
        self.merged_into: str | None = None
        # for provinces: district id -> list of [start, end] memberships
        self.districts: dict[str, list[list[str | None]]] = {}

    # -- reading -------------------------------------------------------------------------
    @property
    def name(self) -> str:
        return str(self.periods[-1]["name"])

    @property
    def parent_id(self) -> str | None:
        return self.periods[-1]["parent_id"]

    @property
    def active(self) -> bool:
        return self.ended is None

    @property
    def started(self) -> str:
        return str(self.periods[0]["start"])

    def period_on(self, day: date) -> dict[str, Any] | None:
        for p in self.periods:
            if date.fromisoformat(p["start"]) <= day and (
                    p["end"] is None or day < date.fromisoformat(p["end"])):
                return p
        return None

    def existed_during(self, first: date, last: date) -> bool:
        start = date.fromisoformat(self.started)
        end = date.fromisoformat(self.ended) if self.ended else None
        return start <= last and (end is None or end > first)

    def active_districts(self, day: date) -> list[str]:
        return sorted(d for d, spans in self.districts.items()
                      if any(date.fromisoformat(str(s)) <= day
                             and (e is None or day < date.fromisoformat(str(e)))
                             for s, e in spans))

    # -- rules ---------------------------------------------------------------------------
    def check_active(self) -> None:
        if not self.active:
            raise RuleViolation(
                f"Unit {self.code} ended on {self.ended} ({self.end_status}); it cannot change.",
                field="code", rule="unit_ended")

    def check_effective(self, effective: str) -> None:
        """A change takes effect on or after the start of the unit's current record. On the
        same day it amends that record: several changes of one date apply in their order."""
        last = self.periods[-1]["start"]
        if parse_date(effective) < date.fromisoformat(last):
            raise RuleViolation(
                f"The effective date must be on or after {last}, the start of the unit's "
                "current record.", field="effective", rule="effective_after_last_change")

    # -- commands ------------------------------------------------------------------------
    def rename(self, name: str, effective: str) -> None:
        self.check_active()
        self.check_effective(effective)
        if check_name(name) == self.name:
            raise RuleViolation("The new name is the same as the current one.", field="name",
                                rule="name_unchanged")
        self._renamed(name=name, effective=effective)

    @event("Renamed", topic="thidua:Unit.Renamed")
    def _renamed(self, name: str, effective: str) -> None:
        self._new_period(effective, name=name)

    def move(self, parent_id: str, effective: str) -> None:
        self.check_active()
        if self.level != "district":
            raise RuleViolation("Only a district office moves to another province.",
                                field="code", rule="move_district_only")
        self.check_effective(effective)
        if parent_id == self.parent_id:
            raise RuleViolation("The unit is already under that province.", field="parent",
                                rule="parent_unchanged")
        self._moved(parent_id=parent_id, effective=effective)

    @event("Moved", topic="thidua:Unit.Moved")
    def _moved(self, parent_id: str, effective: str) -> None:
        self._new_period(effective, parent_id=parent_id)

    def merge_into(self, target_id: str, effective: str) -> None:
        self.check_active()
        self.check_effective(effective)
        self._merged(target_id=target_id, effective=effective)

    @event("Merged", topic="thidua:Unit.Merged")
    def _merged(self, target_id: str, effective: str) -> None:
        self._end(effective, "merged")
        self.merged_into = target_id

    def dissolve(self, effective: str) -> None:
        self.check_active()
        self.check_effective(effective)
        self._dissolved(effective=effective)

    @event("Dissolved", topic="thidua:Unit.Dissolved")
    def _dissolved(self, effective: str) -> None:
        self._end(effective, "dissolved")

    @event("DistrictAttached", topic="thidua:Unit.DistrictAttached")
    def attach_district(self, district_id: str, effective: str) -> None:
        self.districts.setdefault(district_id, []).append([effective, None])

    @event("DistrictDetached", topic="thidua:Unit.DistrictDetached")
    def detach_district(self, district_id: str, effective: str) -> None:
        spans = self.districts.get(district_id) or []
        if spans and spans[-1][1] is None:
            spans[-1][1] = effective

    # -- helpers -------------------------------------------------------------------------
    def _new_period(self, effective: str, **changes: Any) -> None:
        current = self.periods[-1]
        if current["start"] == effective:  # a later change of the same day amends it
            current.update(changes)
            return
        current["end"] = effective
        self.periods.append({**current, "start": effective, "end": None, **changes})

    def _end(self, effective: str, status: str) -> None:
        self.periods[-1]["end"] = effective
        self.ended = effective
        self.end_status = status

"""Units (đơn vị): central units, provincial BHXH and district offices, with their life."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from eventsourcing.domain import event

from domain.kernel.base import ThiduaAggregate, stable_id
from domain.kernel.dates import parse_date
from domain.kernel.errors import InvalidInput, RuleViolation
from domain.kernel.text import clean

LEVELS = ("central", "province", "district")
CODE_MAX = 32  # characters of a code: units', groups' and targets' codes alike
CODE_PATTERN = re.compile(rf"[A-Z0-9][A-Z0-9_.-]{{0,{CODE_MAX - 1}}}")  # whole code: fullmatch


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


ACT_FIELDS = ("number", "signed", "issuer", "basis")


def check_act(act: Any, field: str = "act", *, basis_required: bool = False) -> dict[str, str]:
    """The legal act (văn bản) a change of the organisation follows: its number, the date it
    was signed, who issued it and, optionally, its legal basis. Every text on one line, NFC,
    without characters the record cannot keep; the date in the form YYYY-MM-DD."""
    if not isinstance(act, dict):
        raise InvalidInput("The act is an object with number, signed, issuer and basis.",
                           field=field, rule="act_object")
    unknown = sorted(str(k) for k in act if k not in ACT_FIELDS)
    if unknown:
        raise InvalidInput(f"The act has no field {', '.join(unknown)}.",
                           field=f"{field}.{unknown[0]}", rule="act_fields")
    out: dict[str, str] = {}
    for key, most in (("number", 100), ("issuer", 300), ("basis", 2000)):
        value = act.get(key)
        where = f"{field}.{key}"
        if value is None and key == "basis" and not basis_required:
            out[key] = ""
            continue
        if not isinstance(value, str):
            raise InvalidInput(f"The act's {key} is required, as text.", field=where,
                               rule="required")
        value = clean(value, where, multiline=False).strip()
        if (not value and (key != "basis" or basis_required)) or len(value) > most:
            raise InvalidInput(f"The act's {key} is 1–{most} characters and not blank.",
                               field=where, rule="text_length")
        out[key] = value
    signed = act.get("signed")
    if not isinstance(signed, str):
        raise InvalidInput("The act's signing date is required (YYYY-MM-DD).",
                           field=f"{field}.signed", rule="required")
    out["signed"] = parse_date(signed, f"{field}.signed").isoformat()
    return {k: out[k] for k in ACT_FIELDS}


@dataclass(frozen=True)
class Period:
    """One stretch of a unit's life with the same name and parent."""

    start: str
    end: str | None  # exclusive; None while it lasts
    name: str
    parent_id: str | None
    status: str  # active | merged | split | dissolved (of the stretch that begins at 'end')

    def covers(self, day: date) -> bool:
        return date.fromisoformat(self.start) <= day and (
            self.end is None or day < date.fromisoformat(self.end))


class Unit(ThiduaAggregate):
    """Đơn vị: one organisation taking part, with every change of its life dated.

    Every change may name its legal act (``act``: number, signed, issuer, basis and, when a
    recorded reorganisation made it, ``decision_id``). Several changes on one date apply in
    their order: a later one amends the record that starts that day."""

    TOPIC = "thidua:Unit"
    # Added after the first units were stored: snapshots taken before lack them.
    split_into: list[str] | None = None

    class Event(ThiduaAggregate.Event):
        TOPIC = "thidua:Unit.Event"

    @staticmethod
    def create_id(code: str) -> Any:
        return unit_id(code)

    @event("Registered", topic="thidua:Unit.Registered")
    def __init__(self, code: str, name: str, level: str, parent_id: str | None,
                 effective: str, act: dict[str, Any] | None = None) -> None:
        self.code = code
        self.level = level
        self.periods: list[dict[str, Any]] = [
            {"start": effective, "end": None, "name": name, "parent_id": parent_id,
             "level": level}]
        self.ended: str | None = None
        self.end_status: str | None = None
        self.merged_into: str | None = None
        self.split_into = None
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
                return {"level": self.level, **p}
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

    def districts_from(self, day: date) -> list[str]:
        """District offices under this province on ``day`` or at any time after it."""
        return sorted(d for d, spans in self.districts.items()
                      if any(e is None or day < date.fromisoformat(str(e)) for _, e in spans))

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

    def check_receives(self, effective: str, field: str, what: str) -> None:
        """This unit can take over another's work (a merger, a part of a split) on the date."""
        if not self.active:
            raise RuleViolation(f"{self.code} has ended; it cannot receive {what}.",
                                field=field, rule="merge_into_active")
        if parse_date(effective) < date.fromisoformat(self.started):
            raise RuleViolation(f"{self.code} starts on {self.started}, after {effective}; "
                                f"it cannot receive {what} then.", field=field,
                                rule="merge_into_active")

    def check_districts_settled(self, effective: str, code_of: Callable[[str], str],
                                rule: str = "districts_not_orphaned") -> None:
        """A province that ends (or stops being one) leaves no district office under it:
        each is moved, merged or dissolved first (domain.md §7)."""
        left = self.districts_from(parse_date(effective))
        if left:
            codes = sorted(code_of(d) for d in left)
            raise RuleViolation(
                f"{self.code} still has {len(codes)} active district office(s) on or after "
                f"{effective}: {', '.join(codes)}. Say first what becomes of each (moved "
                "to another province, merged into a district office, or dissolved), or in "
                "the same reorganisation decision.",
                field="code", rule=rule)

    # -- commands ------------------------------------------------------------------------
    def rename(self, name: str, effective: str, act: dict[str, Any] | None = None) -> None:
        self.check_active()
        self.check_effective(effective)
        if check_name(name) == self.name:
            raise RuleViolation("The new name is the same as the current one.", field="name",
                                rule="name_unchanged")
        self._renamed(name=name, effective=effective, act=act)

    @event("Renamed", topic="thidua:Unit.Renamed")
    def _renamed(self, name: str, effective: str, act: dict[str, Any] | None = None) -> None:
        self._new_period(effective, name=name)

    def move(self, parent_id: str, effective: str, act: dict[str, Any] | None = None) -> None:
        self.check_active()
        if self.level != "district":
            raise RuleViolation("Only a district office moves to another province.",
                                field="code", rule="move_district_only")
        self.check_effective(effective)
        if parent_id == self.parent_id:
            raise RuleViolation("The unit is already under that province.", field="parent",
                                rule="parent_unchanged")
        self._moved(parent_id=parent_id, effective=effective, act=act)

    @event("Moved", topic="thidua:Unit.Moved")
    def _moved(self, parent_id: str, effective: str, act: dict[str, Any] | None = None) -> None:
        self._new_period(effective, parent_id=parent_id)

    def merge_into(self, target: Unit, effective: str, act: dict[str, Any] | None = None,
                   *, code_of: Callable[[str], str] | None = None) -> None:
        """Sáp nhập: end by merging into ``target``, a unit of the same level active then.
        With ``code_of``, a province must have no district office left (single change); a
        decision checks that at its end instead, once all its rows are applied."""
        self.check_active()
        self.check_effective(effective)
        if target.id == self.id:
            raise RuleViolation("A unit cannot merge into itself.", field="into_code",
                                rule="merge_other_unit")
        if target.level != self.level:
            raise RuleViolation(f"{self.code} ({self.level}) can merge only into a unit of "
                                f"the same level; {target.code} is {target.level}.",
                                field="into_code", rule="merge_same_level")
        target.check_receives(effective, "into_code", "a merger")
        if code_of is not None:
            self.check_districts_settled(effective, code_of, "merge_without_districts")
        self._merged(target_id=str(target.id), effective=effective, act=act)

    @event("Merged", topic="thidua:Unit.Merged")
    def _merged(self, target_id: str, effective: str, act: dict[str, Any] | None = None) -> None:
        self._end(effective, "merged")
        self.merged_into = target_id

    def split(self, parts: list[Unit], effective: str, act: dict[str, Any] | None = None
              ) -> None:
        """Chia tách: end by splitting into ``parts`` (two or more other units of the same
        level, active then, usually registered by the same decision). A province's district
        offices are settled by the decision (checked at its end)."""
        self.check_active()
        self.check_effective(effective)
        ids = [str(p.id) for p in parts]
        if len(parts) < 2 or len(set(ids)) != len(ids):
            raise RuleViolation("A split names two or more different units as its parts.",
                                field="into_codes", rule="split_two_parts")
        for i, part in enumerate(parts):
            where = f"into_codes[{i}]"
            if part.id == self.id:
                raise RuleViolation("A unit cannot be a part of its own split.", field=where,
                                    rule="split_other_units")
            if part.level != self.level:
                raise RuleViolation(f"{part.code} is {part.level}; the parts of {self.code} "
                                    f"are {self.level} units.", field=where,
                                    rule="split_same_level")
            part.check_receives(effective, where, "a part of a split")
        self._split(part_ids=ids, effective=effective, act=act)

    @event("Split", topic="thidua:Unit.Split")
    def _split(self, part_ids: list[str], effective: str, act: dict[str, Any] | None = None
               ) -> None:
        self._end(effective, "split")
        self.split_into = list(part_ids)

    def dissolve(self, effective: str, act: dict[str, Any] | None = None, *,
                 code_of: Callable[[str], str] | None = None) -> None:
        """Giải thể. With ``code_of``, a province must have no district office left."""
        self.check_active()
        self.check_effective(effective)
        if code_of is not None:
            self.check_districts_settled(effective, code_of, "dissolve_without_districts")
        self._dissolved(effective=effective, act=act)

    @event("Dissolved", topic="thidua:Unit.Dissolved")
    def _dissolved(self, effective: str, act: dict[str, Any] | None = None) -> None:
        self._end(effective, "dissolved")

    def relevel(self, level: str, parent: Unit | None, effective: str,
                act: dict[str, Any] | None = None) -> None:
        """Change of level or kind (a district office made a provincial one, a central unit
        made a district office...). A district office names its province, active then; the
        others have none. A province's own district offices are settled by the decision."""
        self.check_active()
        self.check_effective(effective)
        if level not in LEVELS:
            raise InvalidInput(f"Level must be one of {', '.join(LEVELS)}.", field="level",
                               rule="known_level")
        if level == self.level:
            raise RuleViolation(f"{self.code} is already a {level} unit.", field="level",
                                rule="level_unchanged")
        if level == "district":
            if parent is None:
                raise InvalidInput("A district office needs the code of its province.",
                                   field="parent_code", rule="district_has_province")
            parent.check_province(effective)
        elif parent is not None:
            raise InvalidInput(f"A {level} unit has no parent unit.", field="parent_code",
                               rule="only_district_has_parent")
        self._relevelled(level=level, parent_id=str(parent.id) if parent else None,
                         effective=effective, act=act)

    @event("Relevelled", topic="thidua:Unit.Relevelled")
    def _relevelled(self, level: str, parent_id: str | None, effective: str,
                    act: dict[str, Any] | None = None) -> None:
        for p in self.periods:  # periods recorded before levels were kept per period
            p.setdefault("level", self.level)
        self.level = level
        self._new_period(effective, level=level, parent_id=parent_id)

    def check_province(self, effective: str, field: str = "parent_code") -> None:
        """This unit can take a district office on the date."""
        if self.level != "province":
            raise RuleViolation(f"{self.code} is not a provincial BHXH.", field=field,
                                rule="parent_is_province")
        if not self.active or self.started > effective:
            raise RuleViolation(f"{self.code} is not active on {effective}.", field=field,
                                rule="parent_active")

    @event("DistrictAttached", topic="thidua:Unit.DistrictAttached")
    def attach_district(self, district_id: str, effective: str,
                        act: dict[str, Any] | None = None) -> None:
        self.districts.setdefault(district_id, []).append([effective, None])

    @event("DistrictDetached", topic="thidua:Unit.DistrictDetached")
    def detach_district(self, district_id: str, effective: str,
                        act: dict[str, Any] | None = None) -> None:
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

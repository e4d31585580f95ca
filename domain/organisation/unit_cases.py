"""Use cases of units (đơn vị): register, rename, move, merge, split, dissolve and change of
level, each effective on a date and each able to name its legal act. The steps are shared by
the single-unit use cases and by a recorded reorganisation (reorganisation_cases.py)."""

from __future__ import annotations

from typing import Any

from eventsourcing.utils import get_topic

from domain.kernel.actor import Actor
from domain.kernel.dates import parse_date
from domain.kernel.errors import InvalidInput, NotFound, RuleViolation
from domain.kernel.result import Done
from domain.lookups import Lookups
from domain.organisation.units import (
    LEVELS,
    Unit,
    check_act,
    check_code,
    check_name,
    unit_id,
)


def unit_view(unit: Unit) -> dict[str, Any]:
    """What a change of a unit answers."""
    return {"code": unit.code, "name": unit.name, "level": unit.level, "active": unit.active}


class UnitChanges:
    """The units one act changes, each loaded once and changed in place, in the order the
    changes are given: a later change of the same unit sees the earlier ones. ``touched``
    keeps the order in which units were first changed (the record first)."""

    def __init__(self, cases: UnitCases, act: dict[str, Any] | None) -> None:
        self.cases = cases
        self.act = act
        self.units: dict[str, Unit] = {}
        self.touched: list[Unit] = []

    # -- loading ---------------------------------------------------------------------------
    def unit(self, code: str, field: str = "code") -> Unit:
        check_code(code, field)
        uid = str(unit_id(code))
        if uid not in self.units:
            self.units[uid] = self.cases.unit(code, field)
        return self.units[uid]

    def by_id(self, uid: str, what: str) -> Unit:
        if uid not in self.units:
            self.units[uid] = self.cases.load(Unit, uid, what=what, field="code")
        return self.units[uid]

    def code_of(self, uid: str) -> str:
        found = self.units.get(uid)
        if found is not None:
            return found.code
        return self.cases.load(Unit, uid, what="unit", field="code", readonly=True).code

    def registered(self, code: str) -> bool:
        uid = str(unit_id(code))
        return uid in self.units or self.cases.exists(unit_id(code))

    def _touch(self, *units: Unit) -> None:
        for u in units:
            if all(u is not t for t in self.touched):
                self.touched.append(u)

    # -- the steps: every check before any change --------------------------------------------
    def register(self, code: str, name: str, level: str, parent_code: str | None,
                 eff: str) -> Unit:
        check_code(code)
        name = check_name(name)
        if level not in LEVELS:
            raise InvalidInput(f"Level must be one of {', '.join(LEVELS)}.", field="level",
                               rule="known_level")
        parent = None
        if level == "district":
            if not parent_code:
                raise InvalidInput("A district office needs the code of its province.",
                                   field="parent_code", rule="district_has_province")
            parent = self.unit(parent_code, "parent_code")
            parent.check_province(eff)
        elif parent_code:
            raise InvalidInput(f"A {level} unit has no parent unit.", field="parent_code",
                               rule="only_district_has_parent")
        if self.registered(code):
            raise RuleViolation(f"A unit with code '{code}' is already registered.",
                                field="code", rule="unique_code")
        unit = Unit(code=code, name=name, level=level,
                    parent_id=str(parent.id) if parent else None, effective=eff, act=self.act)
        self.units[str(unit.id)] = unit
        self._touch(unit)
        if parent is not None:
            parent.attach_district(district_id=str(unit.id), effective=eff, act=self.act)
            self._touch(parent)
        return unit

    def rename(self, code: str, name: str, eff: str) -> Unit:
        unit = self.unit(code)
        unit.rename(name, eff, self.act)
        self._touch(unit)
        return unit

    def move(self, code: str, parent_code: str, eff: str) -> Unit:
        unit = self.unit(code)
        target = self.unit(parent_code, "parent_code")
        target.check_province(eff)
        old_parent_id = unit.parent_id
        old = self.by_id(old_parent_id, "former province") if old_parent_id else None
        unit.move(str(target.id), eff, self.act)
        target.attach_district(district_id=str(unit.id), effective=eff, act=self.act)
        self._touch(unit, target)
        if old is not None:
            old.detach_district(district_id=str(unit.id), effective=eff, act=self.act)
            self._touch(old)
        return unit

    def merge(self, code: str, into_code: str, eff: str, *, settled_now: bool) -> Unit:
        unit = self.unit(code)
        target = self.unit(into_code, "into_code")
        province = self._province_of(unit)
        unit.merge_into(target, eff, self.act, code_of=self.code_of if settled_now else None)
        self._touch(unit)
        self._detach(unit, province, eff)
        return unit

    def split(self, code: str, into_codes: list[str], eff: str) -> Unit:
        unit = self.unit(code)
        parts = [self.unit(c, f"into_codes[{i}]") for i, c in enumerate(into_codes)]
        province = self._province_of(unit)
        unit.split(parts, eff, self.act)
        self._touch(unit)
        self._detach(unit, province, eff)
        return unit

    def dissolve(self, code: str, eff: str, *, settled_now: bool) -> Unit:
        unit = self.unit(code)
        province = self._province_of(unit)
        unit.dissolve(eff, self.act, code_of=self.code_of if settled_now else None)
        self._touch(unit)
        self._detach(unit, province, eff)
        return unit

    def relevel(self, code: str, level: str, parent_code: str | None, eff: str) -> Unit:
        unit = self.unit(code)
        parent = self.unit(parent_code, "parent_code") if parent_code else None
        province = self._province_of(unit)
        unit.relevel(level, parent, eff, self.act)
        self._touch(unit)
        self._detach(unit, province, eff)
        if parent is not None:
            parent.attach_district(district_id=str(unit.id), effective=eff, act=self.act)
            self._touch(parent)
        return unit

    def _province_of(self, unit: Unit) -> Unit | None:
        if unit.level != "district" or not unit.parent_id:
            return None
        return self.by_id(unit.parent_id, "province")

    def _detach(self, unit: Unit, province: Unit | None, eff: str) -> None:
        if province is not None:
            province.detach_district(district_id=str(unit.id), effective=eff, act=self.act)
            self._touch(province)


class UnitCases(Lookups):
    """Đơn vị: each change of a unit's life, dated, with its legal act if one is named."""

    def _one(self, actor: Actor, act: dict[str, Any] | None, effective: str, step: Any,
             version: int | None = None, code: str | None = None) -> Done:
        checked = check_act(act) if act is not None else None
        eff = parse_date(effective).isoformat()

        def work() -> tuple[dict[str, Any], list[Any]]:
            changes = UnitChanges(self, checked)
            if code is not None:
                self.check_version(changes.unit(code), version, "unit")
            unit = step(changes, eff)
            return unit_view(unit), changes.touched

        return self.act(actor, "unit.manage", work)

    # -- units ---------------------------------------------------------------------------
    def register_unit(self, actor: Actor, *, code: str, name: str, level: str,
                      parent_code: str | None, effective: str,
                      act: dict[str, Any] | None = None) -> Done:
        check_code(code)
        check_name(name)
        return self._one(actor, act, effective,
                         lambda c, eff: c.register(code, name, level, parent_code, eff))

    def rename_unit(self, actor: Actor, code: str, *, name: str, effective: str,
                    version: int | None = None, act: dict[str, Any] | None = None) -> Done:
        return self._one(actor, act, effective, lambda c, eff: c.rename(code, name, eff),
                         version, code)

    def move_unit(self, actor: Actor, code: str, *, parent_code: str, effective: str,
                  version: int | None = None, act: dict[str, Any] | None = None) -> Done:
        return self._one(actor, act, effective, lambda c, eff: c.move(code, parent_code, eff),
                         version, code)

    def merge_unit(self, actor: Actor, code: str, *, into_code: str, effective: str,
                   version: int | None = None, act: dict[str, Any] | None = None) -> Done:
        return self._one(actor, act, effective,
                         lambda c, eff: c.merge(code, into_code, eff, settled_now=True),
                         version, code)

    def dissolve_unit(self, actor: Actor, code: str, *, effective: str,
                      version: int | None = None, act: dict[str, Any] | None = None) -> Done:
        return self._one(actor, act, effective,
                         lambda c, eff: c.dissolve(code, eff, settled_now=True), version, code)

    # -- reading -------------------------------------------------------------------------
    def unit_changes(self, code: str) -> list[dict[str, Any]]:
        """Every change of the unit's life as recorded, in order, each with its legal act
        (None where none was named) and the units it names by code."""
        check_code(code)
        events = list(self.repository.event_store.get(unit_id(code)))
        if not events:
            raise NotFound(f"There is no unit with code '{code}'.", field="code",
                           rule="exists")
        codes: dict[str, str] = {}

        def code_of(uid: Any) -> str | None:
            if uid is None:
                return None
            if str(uid) not in codes:
                codes[str(uid)] = self.load(Unit, uid, what="unit", field="code",
                                            readonly=True).code
            return codes[str(uid)]

        out = []
        for e in events:
            state = vars(e)
            item: dict[str, Any] = {
                "version": e.originator_version,
                "change": CHANGE_NAMES.get(get_topic(type(e)), get_topic(type(e))),
                "effective": state.get("effective"), "recorded_at": state.get("timestamp"),
                "act": state.get("act")}
            for key in ("name", "level"):
                if key in state:
                    item[key] = state[key]
            if "parent_id" in state:
                item["parent_code"] = code_of(state["parent_id"])
            if "target_id" in state:
                item["into_code"] = code_of(state["target_id"])
            if "part_ids" in state:
                item["into_codes"] = [code_of(p) for p in state["part_ids"]]
            if "district_id" in state:
                item["district_code"] = code_of(state["district_id"])
            out.append(item)
        return out


CHANGE_NAMES = {
    "thidua:Unit.Registered": "registered", "thidua:Unit.Renamed": "renamed",
    "thidua:Unit.Moved": "moved", "thidua:Unit.Merged": "merged",
    "thidua:Unit.Split": "split", "thidua:Unit.Dissolved": "dissolved",
    "thidua:Unit.Relevelled": "relevelled",
    "thidua:Unit.DistrictAttached": "district_attached",
    "thidua:Unit.DistrictDetached": "district_detached",
}

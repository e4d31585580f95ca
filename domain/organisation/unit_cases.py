"""Use cases of units (đơn vị): register, rename, move, merge, dissolve, each effective on a
date."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.kernel.actor import Actor
from domain.kernel.dates import parse_date
from domain.kernel.errors import InvalidInput, RuleViolation
from domain.kernel.result import Done
from domain.lookups import Lookups
from domain.organisation.units import LEVELS, Unit, check_code, check_name, unit_id


def unit_view(unit: Unit) -> dict[str, Any]:
    """What a change of a unit answers."""
    return {"code": unit.code, "name": unit.name, "level": unit.level, "active": unit.active}


class UnitCases(Lookups):
    """Đơn vị: each change of a unit's life, dated."""

    # -- units ---------------------------------------------------------------------------
    def register_unit(self, actor: Actor, *, code: str, name: str, level: str,
                      parent_code: str | None, effective: str) -> Done:
        check_code(code)
        name = check_name(name)
        eff = parse_date(effective).isoformat()
        if level not in LEVELS:
            raise InvalidInput(f"Level must be one of {', '.join(LEVELS)}.", field="level",
                               rule="known_level")

        def work() -> tuple[dict[str, Any], list[Any]]:
            parent = None
            if level == "district":
                if not parent_code:
                    raise InvalidInput("A district office needs the code of its province.",
                                       field="parent_code", rule="district_has_province")
                parent = self.unit(parent_code, "parent_code")
                self._check_province(parent, eff)
            elif parent_code:
                raise InvalidInput(f"A {level} unit has no parent unit.", field="parent_code",
                                   rule="only_district_has_parent")
            if self.exists(unit_id(code)):
                raise RuleViolation(f"A unit with code '{code}' is already registered.",
                                    field="code", rule="unique_code")
            unit = Unit(code=code, name=name, level=level,
                        parent_id=str(parent.id) if parent else None, effective=eff)
            changed: list[Any] = [unit]
            if parent is not None:
                parent.attach_district(district_id=str(unit.id), effective=eff)
                changed.append(parent)
            return unit_view(unit), changed

        return self.act(actor, "unit.manage", work)

    def _check_province(self, parent: Unit, eff: str) -> None:
        if parent.level != "province":
            raise RuleViolation(f"{parent.code} is not a provincial BHXH.", field="parent_code",
                                rule="parent_is_province")
        if not parent.active or parent.started > eff:
            raise RuleViolation(f"{parent.code} is not active on {eff}.", field="parent_code",
                                rule="parent_active")

    def rename_unit(self, actor: Actor, code: str, *, name: str, effective: str,
                    version: int | None = None) -> Done:
        def work() -> tuple[dict[str, Any], list[Any]]:
            unit = self.unit(code)
            self.check_version(unit, version, "unit")
            unit.rename(name, parse_date(effective).isoformat())
            return unit_view(unit), [unit]

        return self.act(actor, "unit.manage", work)

    def move_unit(self, actor: Actor, code: str, *, parent_code: str, effective: str,
                  version: int | None = None) -> Done:
        def work() -> tuple[dict[str, Any], list[Any]]:
            eff = parse_date(effective).isoformat()
            unit = self.unit(code)
            self.check_version(unit, version, "unit")
            target = self.unit(parent_code, "parent_code")
            self._check_province(target, eff)
            old_parent_id = unit.parent_id
            unit.move(str(target.id), eff)
            changed: list[Any] = [unit, target]
            target.attach_district(district_id=str(unit.id), effective=eff)
            if old_parent_id:
                old = self.load(Unit, old_parent_id, what="former province", field="code")
                old.detach_district(district_id=str(unit.id), effective=eff)
                changed.append(old)
            return unit_view(unit), changed

        return self.act(actor, "unit.manage", work)

    def merge_unit(self, actor: Actor, code: str, *, into_code: str, effective: str,
                   version: int | None = None) -> Done:
        def work() -> tuple[dict[str, Any], list[Any]]:
            eff = parse_date(effective).isoformat()
            unit = self.unit(code)
            self.check_version(unit, version, "unit")
            target = self.unit(into_code, "into_code")
            if target.id == unit.id:
                raise RuleViolation("A unit cannot merge into itself.", field="into_code",
                                    rule="merge_other_unit")
            if target.level != unit.level:
                raise RuleViolation(f"{unit.code} ({unit.level}) can merge only into a unit of "
                                    f"the same level; {target.code} is {target.level}.",
                                    field="into_code", rule="merge_same_level")
            if not target.active:
                raise RuleViolation(f"{target.code} has ended; it cannot receive a merger.",
                                    field="into_code", rule="merge_into_active")
            unit.merge_into(str(target.id), eff)
            return unit_view(unit), [unit, *self._detach(unit, eff)]

        return self.act(actor, "unit.manage", work)

    def dissolve_unit(self, actor: Actor, code: str, *, effective: str,
                      version: int | None = None) -> Done:
        def work() -> tuple[dict[str, Any], list[Any]]:
            eff = parse_date(effective).isoformat()
            unit = self.unit(code)
            self.check_version(unit, version, "unit")
            if any(True for _ in unit.active_districts(date.fromisoformat(eff))):
                raise RuleViolation(f"{unit.code} still has active district offices on {eff}; "
                                    "move, merge or dissolve them first.", field="code",
                                    rule="dissolve_without_districts")
            unit.dissolve(eff)
            return unit_view(unit), [unit, *self._detach(unit, eff)]

        return self.act(actor, "unit.manage", work)

    def _detach(self, unit: Unit, eff: str) -> list[Unit]:
        if unit.level != "district" or not unit.parent_id:
            return []
        province = self.load(Unit, unit.parent_id, what="province", field="code")
        province.detach_district(district_id=str(unit.id), effective=eff)
        return [province]

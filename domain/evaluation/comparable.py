"""Comparable groups (nhóm tương đồng, 4268 A.I.5): units alike in the kind and volume of their
work, ranked and capped together by the quota. A cycle that declares none compares its units
by level (central units together, provinces together); one that declares any places each of
its units in exactly one group, and a group holds units of one level."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from domain.evaluation.rules import CODE, check_text
from domain.kernel.errors import InvalidInput, RuleViolation


def check_comparable_groups(units: Mapping[str, Mapping[str, Any]],
                            given: Sequence[Any]) -> list[dict[str, Any]]:
    """The groups given, checked against the cycle's ``units`` (code -> {id, level}): codes
    once, members of the cycle, each unit in one group, one level a group, and (when any is
    given) every unit in one. Members are kept as unit ids."""
    out: list[dict[str, Any]] = []
    placed: dict[str, str] = {}
    codes: set[str] = set()
    for i, g in enumerate(given):
        where = f"comparable_groups[{i}]"
        if not isinstance(g, Mapping):
            raise InvalidInput("A comparable group is an object.", field=where, rule="object")
        code = g.get("code")
        if not isinstance(code, str) or not CODE.fullmatch(code):
            raise InvalidInput("A group code is 1–32 capital letters, digits, '_', '.', '-'.",
                               field=f"{where}.code", rule="code_format")
        if code in codes:
            raise InvalidInput(f"Group code {code} appears twice.", field=f"{where}.code",
                               rule="unique_group_code")
        codes.add(code)
        members = g.get("members")
        if not isinstance(members, list) or not members:
            raise InvalidInput("A comparable group lists at least one unit.",
                               field=f"{where}.members", rule="group_has_members")
        levels = set()
        for j, m in enumerate(members):
            field = f"{where}.members[{j}]"
            if m not in units:
                raise RuleViolation(f"{m} is not among the units of the cycle.", field=field,
                                    rule="unit_in_cycle")
            if m in placed:
                raise RuleViolation(f"{m} is already in comparable group {placed[m]}: a unit "
                                    "is compared within one group.", field=field,
                                    rule="one_comparable_group")
            placed[m] = code
            levels.add(units[m]["level"])
        if len(levels) > 1:
            raise RuleViolation(f"Comparable group {code} mixes {' and '.join(sorted(levels))} "
                                "units: units of different levels are never compared.",
                                field=f"{where}.members", rule="comparable_group_one_level")
        description = g.get("description")
        out.append({"code": code, "name": check_text(g.get("name"), f"{where}.name", 300),
                    "description": None if description is None else check_text(
                        description, f"{where}.description", 2000),
                    "members": [str(units[m]["id"]) for m in members]})
    if out:
        missing = [c for c in units if c not in placed]
        if missing:
            raise RuleViolation(f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} "
                                "in no comparable group: when groups are declared, every unit "
                                "of the cycle is in one.", field="comparable_groups",
                                rule="comparable_groups_cover")
    return out


def group_of(groups: Sequence[Mapping[str, Any]], unit_id: str, level: str) -> str:
    """The comparable group of a unit: the declared one, else its level."""
    for g in groups:
        if unit_id in g["members"]:
            return str(g["code"])
    return level

"""Use cases of a year's blocks (Khối) and provincial clusters (Cụm): form them, add and remove
members (domain.md §2)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from domain.kernel.actor import Actor
from domain.kernel.dates import EARLIEST
from domain.kernel.errors import InvalidInput, NotFound, RuleViolation
from domain.kernel.result import Done
from domain.lookups import Lookups
from domain.organisation.groups import (
    GROUP_KIND_NAMES,
    GROUP_KINDS,
    GroupYear,
    UnitFacts,
    check_effective,
    check_member,
    group_id,
    unit_facts,
)
from domain.organisation.units import check_code, check_name


class GroupCases(Lookups):
    """Khối, Cụm: who is in which group of the year."""

    def form_group(self, actor: Actor, *, year: int, kind: str, code: str, name: str,
                   members: list[str], version: int | None = None,
                   continues: str | None = None, effective: str | None = None) -> Done:
        """Form a group of the year; ``continues``: the code of the previous year's group it
        carries on (by default, the previous year's group with the same code), so that its
        head and deputy keep their office (domain.md §7). Its members are members from
        ``effective`` (default 1 January) to the end of the year."""
        check_code(code)
        if continues is not None:
            check_code(continues, "continues")
        day = check_effective(year, effective)
        name = check_name(name)
        if kind not in GROUP_KINDS:
            raise InvalidInput(f"Kind must be one of {', '.join(GROUP_KINDS)}.", field="kind",
                               rule="known_group_kind")
        if kind == "district_cluster":
            raise RuleViolation("District clusters are formed by publishing the province's "
                                "district partition (POST /district-partitions).", field="kind",
                                rule="district_clusters_by_partition")

        def work() -> tuple[dict[str, Any], list[Any]]:
            years = self.group_year(year)
            self.check_version(years, version, "group register")
            gid = group_id(year, kind, code)
            if gid in years.groups:
                raise RuleViolation(f"{GROUP_KIND_NAMES[kind]} {code} already exists in {year}.",
                                    field="code", rule="unique_group_code")
            facts = self._member_facts(kind, None, members, day, "members")
            years.check_unique_membership({f.id: gid for f in facts}, kind,
                                          {f.id: f.code for f in facts}, day)
            years.check_continues(kind, code, None, continues, [
                g["code"] for g in self._registered(year - 1).values()
                if g["kind"] == kind] if year > EARLIEST.year else [])
            if continues is not None:
                years.form_group(group_id=gid, kind=kind, code=code, name=name,
                                 province_id=None, continues=continues)
            else:
                years.form_group(group_id=gid, kind=kind, code=code, name=name,
                                 province_id=None)
            if facts:
                years.add_members(group_id=gid, members=[f.id for f in facts],
                                  effective=self._given(day, years),
                                  labels={f.id: f.code for f in facts})
            return years.groups[gid], [years]

        return self.act(actor, "group.manage", work)

    def add_members(self, actor: Actor, *, year: int, group: str, members: list[str],
                    version: int | None = None, effective: str | None = None) -> Done:
        """Members of a block or provincial cluster from ``effective`` (default 1 January)
        to the end of the year."""
        day = check_effective(year, effective)

        def work() -> tuple[dict[str, Any], list[Any]]:
            years = self.group_year(year)
            self.check_version(years, version, "group register")
            g = self._group(years, group)
            if g["kind"] == "district_cluster":
                raise RuleViolation("District clusters change only by publishing a new "
                                    "partition of the province.", field="group",
                                    rule="district_clusters_by_partition")
            facts = self._member_facts(g["kind"], g["province_id"], members, day, "members")
            years.check_unique_membership({f.id: g["id"] for f in facts}, g["kind"],
                                          {f.id: f.code for f in facts}, day)
            years.add_members(group_id=g["id"], members=[f.id for f in facts],
                              effective=self._given(day, years),
                              labels={f.id: f.code for f in facts})
            return years.groups[g["id"]], [years]

        return self.act(actor, "group.manage", work)

    def remove_member(self, actor: Actor, *, year: int, group: str, member: str,
                      reason: str, version: int | None = None,
                      effective: str | None = None) -> Done:
        """End a membership from ``effective`` on (default 1 January: as if the unit had never
        been a member that year)."""
        day = check_effective(year, effective)

        def work() -> tuple[dict[str, Any], list[Any]]:
            years = self.group_year(year)
            self.check_version(years, version, "group register")
            g = self._group(years, group)
            if g["kind"] == "district_cluster":
                raise RuleViolation("District clusters change only by publishing a new "
                                    "partition of the province.", field="group",
                                    rule="district_clusters_by_partition")
            uid = str(self.unit(member, "member").id)
            if not any(s["group_id"] == g["id"] and s["unit_id"] == uid
                       and (s["until"] is None or s["until"] > day) for s in years.spans):
                raise NotFound(f"{member} is not a member of {g['code']} on or after {day}.",
                               field="member", rule="is_member")
            years.remove_member(group_id=g["id"], unit_id=uid,
                                effective=self._given(day, years))
            return years.groups[g["id"]], [years]

        return self.act(actor, "group.manage", work, reason=reason)

    def _group(self, years: GroupYear, gid: str) -> dict[str, Any]:
        g = years.groups.get(gid)
        if g is None:
            raise NotFound(f"There is no group with id {gid} in {years.year}.", field="group",
                           rule="exists")
        return g

    @staticmethod
    def _given(day: str, years: GroupYear) -> str | None:
        """The effective date as the event records it: none for 1 January (as before)."""
        return None if day == years.first_day else day

    def _member_facts(self, kind: str, province_id: str | None, codes: list[str],
                      day: str, field: str) -> list[UnitFacts]:
        dupes = [c for c, n in Counter(codes).items() if n > 1]
        if dupes:
            raise InvalidInput(f"Listed more than once: {', '.join(dupes)}.", field=field,
                               rule="member_once")
        facts = []
        for i, code in enumerate(codes):
            f = unit_facts(self.unit(code, f"{field}[{i}]"), day)
            check_member(kind, province_id, f, f"{field}[{i}]")
            facts.append(f)
        return facts

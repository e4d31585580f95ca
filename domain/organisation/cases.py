"""Use cases of the organisation registry: units, groups, district partitions, lists."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import IO, Any

from domain.kernel.actor import Actor
from domain.kernel.dates import check_year, parse_date
from domain.kernel.errors import InvalidInput, NotFound, RuleViolation
from domain.kernel.text import clean
from domain.lookups import Lookups
from domain.organisation.groups import (
    GROUP_KIND_NAMES,
    GROUP_KINDS,
    GroupYear,
    UnitFacts,
    check_member,
    district_cluster_count,
    group_id,
)
from domain.organisation.membership_list import parse_membership_list
from domain.organisation.units import LEVELS, Unit, check_code, check_name, unit_id


class OrganisationCases(Lookups):
    """Đơn vị, Khối, Cụm: registering units and publishing who is in which group."""

    # -- units ---------------------------------------------------------------------------
    def register_unit(self, actor: Actor, *, code: str, name: str, level: str,
                      parent_code: str | None, effective: str) -> tuple[Unit, int]:
        check_code(code)
        name = check_name(name)
        eff = parse_date(effective).isoformat()
        if level not in LEVELS:
            raise InvalidInput(f"Level must be one of {', '.join(LEVELS)}.", field="level",
                               rule="known_level")

        def work() -> tuple[Unit, list[Any]]:
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
            return unit, changed

        return self.act(actor, "unit.manage", work)

    def _check_province(self, parent: Unit, eff: str) -> None:
        if parent.level != "province":
            raise RuleViolation(f"{parent.code} is not a provincial BHXH.", field="parent_code",
                                rule="parent_is_province")
        if not parent.active or parent.started > eff:
            raise RuleViolation(f"{parent.code} is not active on {eff}.", field="parent_code",
                                rule="parent_active")

    def rename_unit(self, actor: Actor, code: str, *, name: str, effective: str,
                    version: int | None = None) -> tuple[Unit, int]:
        def work() -> tuple[Unit, list[Any]]:
            unit = self.unit(code)
            self.check_version(unit, version, "unit")
            unit.rename(name, parse_date(effective).isoformat())
            return unit, [unit]

        return self.act(actor, "unit.manage", work)

    def move_unit(self, actor: Actor, code: str, *, parent_code: str, effective: str,
                  version: int | None = None) -> tuple[Unit, int]:
        def work() -> tuple[Unit, list[Any]]:
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
            return unit, changed

        return self.act(actor, "unit.manage", work)

    def merge_unit(self, actor: Actor, code: str, *, into_code: str, effective: str,
                   version: int | None = None) -> tuple[Unit, int]:
        def work() -> tuple[Unit, list[Any]]:
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
            return unit, [unit, *self._detach(unit, eff)]

        return self.act(actor, "unit.manage", work)

    def dissolve_unit(self, actor: Actor, code: str, *, effective: str,
                      version: int | None = None) -> tuple[Unit, int]:
        def work() -> tuple[Unit, list[Any]]:
            eff = parse_date(effective).isoformat()
            unit = self.unit(code)
            self.check_version(unit, version, "unit")
            if any(True for _ in unit.active_districts(date.fromisoformat(eff))):
                raise RuleViolation(f"{unit.code} still has active district offices on {eff}; "
                                    "move, merge or dissolve them first.", field="code",
                                    rule="dissolve_without_districts")
            unit.dissolve(eff)
            return unit, [unit, *self._detach(unit, eff)]

        return self.act(actor, "unit.manage", work)

    def _detach(self, unit: Unit, eff: str) -> list[Unit]:
        if unit.level != "district" or not unit.parent_id:
            return []
        province = self.load(Unit, unit.parent_id, what="province", field="code")
        province.detach_district(district_id=str(unit.id), effective=eff)
        return [province]

    def facts(self, code: str, year: int, field: str) -> UnitFacts:
        unit = self.unit(code, field)
        return UnitFacts(id=str(unit.id), code=unit.code, level=unit.level,
                         parent_id=unit.parent_id,
                         existed_in_year=unit.existed_during(date(year, 1, 1), date(year, 12, 31)))

    def form_group(self, actor: Actor, *, year: int, kind: str, code: str, name: str,
                   members: list[str], version: int | None = None) -> tuple[dict[str, Any], int]:
        check_code(code)
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
            facts = self._member_facts(kind, None, members, year, "members")
            years.check_unique_membership({f.id: gid for f in facts}, kind,
                                          {f.id: f.code for f in facts})
            years.form_group(group_id=gid, kind=kind, code=code, name=name, province_id=None)
            if facts:
                years.add_members(group_id=gid, members=[f.id for f in facts])
            return years.groups[gid], [years]

        return self.act(actor, "group.manage", work)

    def add_members(self, actor: Actor, *, year: int, group: str, members: list[str],
                    version: int | None = None) -> tuple[dict[str, Any], int]:
        def work() -> tuple[dict[str, Any], list[Any]]:
            years = self.group_year(year)
            self.check_version(years, version, "group register")
            g = self._group(years, group)
            if g["kind"] == "district_cluster":
                raise RuleViolation("District clusters change only by publishing a new "
                                    "partition of the province.", field="group",
                                    rule="district_clusters_by_partition")
            facts = self._member_facts(g["kind"], g["province_id"], members, year, "members")
            already = [f.code for f in facts if f.id in g["members"]]
            if already:
                raise RuleViolation(f"Already members: {', '.join(already)}.", field="members",
                                    rule="member_once")
            years.check_unique_membership({f.id: g["id"] for f in facts}, g["kind"],
                                          {f.id: f.code for f in facts})
            years.add_members(group_id=g["id"], members=[f.id for f in facts])
            return years.groups[g["id"]], [years]

        return self.act(actor, "group.manage", work)

    def remove_member(self, actor: Actor, *, year: int, group: str, member: str,
                      reason: str, version: int | None = None) -> tuple[dict[str, Any], int]:
        def work() -> tuple[dict[str, Any], list[Any]]:
            years = self.group_year(year)
            self.check_version(years, version, "group register")
            g = self._group(years, group)
            if g["kind"] == "district_cluster":
                raise RuleViolation("District clusters change only by publishing a new "
                                    "partition of the province.", field="group",
                                    rule="district_clusters_by_partition")
            uid = str(self.unit(member, "member").id)
            if uid not in g["members"]:
                raise NotFound(f"{member} is not a member of {g['code']}.", field="member",
                               rule="is_member")
            years.remove_member(group_id=g["id"], unit_id=uid)
            return years.groups[g["id"]], [years]

        return self.act(actor, "group.manage", work, reason=reason)

    def _group(self, years: GroupYear, gid: str) -> dict[str, Any]:
        g = years.groups.get(gid)
        if g is None:
            raise NotFound(f"There is no group with id {gid} in {years.year}.", field="group",
                           rule="exists")
        return g

    def _member_facts(self, kind: str, province_id: str | None, codes: list[str],
                      year: int, field: str) -> list[UnitFacts]:
        dupes = [c for c, n in Counter(codes).items() if n > 1]
        if dupes:
            raise InvalidInput(f"Listed more than once: {', '.join(dupes)}.", field=field,
                               rule="member_once")
        facts = []
        for i, code in enumerate(codes):
            f = self.facts(code, year, f"{field}[{i}]")
            check_member(kind, province_id, f, f"{field}[{i}]")
            facts.append(f)
        return facts

    # -- district partition ----------------------------------------------------------------
    def publish_partition(self, actor: Actor, *, year: int, province_code: str,
                          clusters: list[dict[str, Any]], effective: str | None = None,
                          scale: dict[str, Any] | None = None,
                          decision: dict[str, Any] | None = None,
                          reason: str | None = None) -> tuple[dict[str, Any], int]:
        check_year(year)
        eff = parse_date(effective or f"{year}-01-01").isoformat()
        if not eff.startswith(str(year)):
            raise InvalidInput(f"The partition's effective date must fall in {year}.",
                               field="effective", rule="effective_in_year")
        province = self.unit(province_code, "province_code")
        if province.level != "province":
            raise RuleViolation(f"{province_code} is not a provincial BHXH.",
                                field="province_code", rule="partition_of_province")

        def work() -> tuple[dict[str, Any], list[Any]]:
            years = self.group_year(year)
            built = self._partition(years, province, clusters, eff, "clusters")
            years.publish_partition(province_id=str(province.id), effective=eff,
                                    district_count=built["district_count"],
                                    clusters=built["clusters"], scale=scale or {},
                                    decision=decision)
            return years.partitions[str(province.id)], [years]

        return self.act(actor, "district_partition.publish", work, unit_id=str(province.id),
                        reason=reason)

    def _partition(self, years: GroupYear, province: Unit,
                   clusters: list[dict[str, Any]], eff: str, field: str) -> dict[str, Any]:
        """Check a partition against f(N) and full coverage; return it with ids resolved."""
        active = set(province.active_districts(date.fromisoformat(eff)))
        n = len(active)
        expected = district_cluster_count(n)
        if len(clusters) != expected:
            raise RuleViolation(
                f"{province.code} has N = {n} active district offices on {eff}; letter "
                f"4268/BHXH-TĐKT (A.I.5) requires f({n}) = {expected} district cluster(s), "
                f"not {len(clusters)}.", field=field, rule="district_cluster_count",
                errors={field: [f"expected {expected} clusters for N = {n}"],
                        "district_count": [n], "expected_clusters": [expected]})
        codes = [c["code"] for c in clusters]
        dupes = [c for c, k in Counter(codes).items() if k > 1]
        if dupes:
            raise InvalidInput(f"Cluster codes repeat: {', '.join(dupes)}.", field=field,
                               rule="unique_group_code")
        seen: dict[str, str] = {}
        resolved = []
        for ci, c in enumerate(clusters):
            check_code(c["code"], f"{field}[{ci}].code")
            name = check_name(c["name"], f"{field}[{ci}].name")
            ids = []
            for mi, code in enumerate(c["members"]):
                where = f"{field}[{ci}].members[{mi}]"
                f = self.facts(code, years.year, where)
                check_member("district_cluster", str(province.id), f, where)
                if f.id not in active:
                    raise RuleViolation(f"{code} is not an active district office of "
                                        f"{province.code} on {eff}.", field=where,
                                        rule="district_active_on_date")
                if f.id in seen:
                    raise RuleViolation(f"{code} is listed in two clusters ({seen[f.id]} and "
                                        f"{c['code']}); every district office is in exactly "
                                        "one cluster.", field=where,
                                        rule="district_in_exactly_one_cluster")
                seen[f.id] = c["code"]
                ids.append(f.id)
            if not ids:
                raise RuleViolation(f"Cluster {c['code']} has no members.",
                                    field=f"{field}[{ci}].members", rule="cluster_not_empty")
            resolved.append({"id": group_id(years.year, "district_cluster", c["code"],
                                            str(province.id)),
                             "code": c["code"], "name": name, "members": ids})
        left_out = active - set(seen)
        if left_out:
            names = sorted(self.load(Unit, u, what="unit", field=field).code for u in left_out)
            raise RuleViolation(f"Every district office of {province.code} must be in exactly "
                                f"one cluster; not placed: {', '.join(names)}.", field=field,
                                rule="district_in_exactly_one_cluster")
        return {"district_count": n, "clusters": resolved}

    # -- membership list ---------------------------------------------------------------------
    def import_membership_list(self, actor: Actor, *, year: int, content: bytes | IO[bytes],
                               filename: str, document_number: str, document_date: str,
                               ) -> tuple[dict[str, Any], int]:
        """Apply a Danh sách ban hành kèm theo as one recorded decision: all of it or none.
        The file is read only once the right to import is granted."""
        check_year(year)
        if isinstance(document_number, str):
            document_number = clean(document_number, "document_number")
        if not document_number or not document_number.strip():
            raise InvalidInput("The decision's document number is required.",
                               field="document_number", rule="required")
        doc_date = parse_date(document_date, "document_date").isoformat()

        def work() -> tuple[dict[str, Any], list[Any]]:
            rows = parse_membership_list(content, filename)  # after authorise, in act()
            years = self.group_year(year)
            errors: dict[str, list[str]] = {}
            groups: dict[tuple[str, str, str | None], dict[str, Any]] = {}
            provinces: dict[str, Unit] = {}
            for r in rows:
                label = f"row {r.row}"
                try:
                    province_id = None
                    if r.kind == "district_cluster":
                        assert r.province_code is not None
                        if r.province_code not in provinces:
                            provinces[r.province_code] = self.unit(r.province_code,
                                                                   "province_code")
                        province_id = str(provinces[r.province_code].id)
                    f = self.facts(r.unit_code, year, "unit_code")
                    check_member(r.kind, province_id, f, "unit_code")
                except (InvalidInput, NotFound, RuleViolation) as e:
                    errors.setdefault(label, []).append(e.message)
                    continue
                key = (r.kind, r.group_code, province_id)
                g = groups.setdefault(key, {
                    "id": group_id(year, r.kind, r.group_code, province_id), "kind": r.kind,
                    "code": r.group_code, "name": r.group_name, "province_id": province_id,
                    "members": [], "rows": []})
                if f.id in g["members"]:
                    errors.setdefault(label, []).append(
                        f"{r.unit_code} is listed twice in {r.group_code}")
                    continue
                g["members"].append(f.id)
                g["rows"].append((r.row, f.id, f.code))
            # a unit in at most one group of each kind, inside the list and against the year
            placed: dict[tuple[str, str], str] = {}
            named = {g["id"] for g in groups.values()}
            for g in groups.values():
                for row, uid, code in g["rows"]:
                    other = placed.get((g["kind"], uid))
                    if other and other != g["code"]:
                        errors.setdefault(f"row {row}", []).append(
                            f"{code} is already listed in {other}; a unit is in at most one "
                            f"{g['kind']} per year")
                    placed[(g["kind"], uid)] = g["code"]
                    current = years.group_of(g["kind"], uid)
                    if (current and current not in named and g["kind"] != "district_cluster"):
                        errors.setdefault(f"row {row}", []).append(
                            f"{code} is already a member of {years.groups[current]['code']} "
                            f"in {year}")
            partitions = []
            for pcode, province in provinces.items():
                clusters = [g for g in groups.values()
                            if g["kind"] == "district_cluster"
                            and g["province_id"] == str(province.id)]
                try:
                    built = self._partition(
                        years, province,
                        [{"code": g["code"], "name": g["name"],
                          "members": [code for _, _, code in g["rows"]]} for g in clusters],
                        f"{year}-01-01", "clusters")
                except (InvalidInput, RuleViolation, NotFound) as e:
                    errors.setdefault(f"province {pcode}", []).append(e.message)
                    continue
                partitions.append({"province_id": str(province.id), "effective": f"{year}-01-01",
                                   "district_count": built["district_count"],
                                   "clusters": built["clusters"]})
            if errors:
                raise InvalidInput(f"{len(errors)} row(s) of the list are wrong; nothing was "
                                   "applied.", errors=errors, rule="list_rows")
            decision = {"document_number": document_number.strip(), "document_date": doc_date,
                        "filename": filename, "rows": len(rows)}
            plain = [{k: v for k, v in g.items() if k != "rows"} for g in groups.values()
                     if g["kind"] != "district_cluster"]
            years.import_list(decision=decision, groups=plain, partitions=partitions)
            summary = {**decision, "groups": len(groups), "year": year}
            return summary, [years]

        return self.act(actor, "membership.import", work)

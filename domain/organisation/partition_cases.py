"""Use case of a province's district partition (Cụm thi đua cấp huyện): f(N) clusters, every
district office in exactly one (letter 4268, A.I.5)."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from domain.kernel.actor import Actor
from domain.kernel.dates import check_year, parse_date
from domain.kernel.errors import InvalidInput, RuleViolation
from domain.kernel.result import Done
from domain.lookups import Lookups
from domain.organisation.groups import (
    GroupYear,
    check_member,
    district_cluster_count,
    group_id,
)
from domain.organisation.units import Unit, check_code, check_name


class PartitionCases(Lookups):
    """The province's district clusters of the year, published whole."""

    # -- district partition ----------------------------------------------------------------
    def publish_partition(self, actor: Actor, *, year: int, province_code: str,
                          clusters: list[dict[str, Any]], effective: str | None = None,
                          scale: dict[str, Any] | None = None,
                          decision: dict[str, Any] | None = None,
                          reason: str | None = None) -> Done:
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

"""Use case of a province's district partition (Cụm thi đua cấp huyện): f(N) clusters, every
district office in exactly one (letter 4268, A.I.5)."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from domain.kernel.actor import Actor
from domain.kernel.dates import check_year
from domain.kernel.errors import InvalidInput, RuleViolation
from domain.kernel.result import Done
from domain.lookups import Lookups
from domain.organisation import spans
from domain.organisation.groups import (
    GroupYear,
    check_effective,
    check_member,
    group_id,
    unit_facts,
)
from domain.organisation.units import Unit, check_code, check_name


class PartitionCases(Lookups):
    """The province's district clusters of the year, published whole, from an effective date."""

    # -- district partition ----------------------------------------------------------------
    def publish_partition(self, actor: Actor, *, year: int, province_code: str,
                          clusters: list[dict[str, Any]], effective: str | None = None,
                          scale: dict[str, Any] | None = None,
                          decision: dict[str, Any] | None = None,
                          reason: str | None = None) -> Done:
        """The province's district clusters from ``effective`` (default 1 January) to the end
        of the year: N is counted on that day; before it, the earlier partition stands; one
        published again on the same day replaces it (and any later one)."""
        check_year(year)
        eff = check_effective(year, effective)
        province = self.unit(province_code, "province_code")
        check_partition_province(province, eff, "province_code")

        def work() -> tuple[dict[str, Any], list[Any]]:
            years = self.group_year(year)
            built = self._partition(years, province, clusters, eff, "clusters")
            pid = str(province.id)
            years.publish_partition(province_id=pid, effective=eff, active=built["active"],
                                    clusters=built["clusters"], scale=scale or {},
                                    decision=decision, code_of=built["code_of"],
                                    ends=built["ends"] or None, labels=built["labels"])
            partition = years.partition_on(pid, eff)
            assert partition is not None
            return partition, [years]

        return self.act(actor, "district_partition.publish", work, unit_id=str(province.id),
                        reason=reason)

    def _partition(self, years: GroupYear, province: Unit,
                   clusters: list[dict[str, Any]], eff: str, field: str) -> dict[str, Any]:
        """The partition effective on ``eff`` with ids resolved (each membership bounded by the
        office's stay in the province), the province's district offices active that day
        (what GroupYear.check_partition holds it to: f(N), each in exactly one cluster), the
        memberships elsewhere the rule ends, checked against the offices' other clusters of
        the year, and ``code_of`` naming the units."""
        active = set(province.active_districts(date.fromisoformat(eff)))
        codes = [c["code"] for c in clusters]
        dupes = [c for c, k in Counter(codes).items() if k > 1]
        if dupes:
            raise InvalidInput(f"Cluster codes repeat: {', '.join(dupes)}.", field=field,
                               rule="unique_group_code")
        labels: dict[str, str] = {}
        resolved = []
        ends: list[dict[str, Any]] = []
        for ci, c in enumerate(clusters):
            check_code(c["code"], f"{field}[{ci}].code")
            name = check_name(c["name"], f"{field}[{ci}].name")
            ids = []
            until: dict[str, str] = {}
            for mi, code in enumerate(c["members"]):
                where = f"{field}[{ci}].members[{mi}]"
                f = unit_facts(self.unit(code, where), eff)
                check_member("district_cluster", str(province.id), f, where)
                labels[f.id] = f.code
                ids.append(f.id)
                if f.id not in active:
                    continue  # refused by GroupYear.check_partition
                leaves = stay_end(province, f.id, eff)
                if leaves is not None:
                    until[f.id] = leaves
                ends.extend(self._ended_elsewhere(years, province, f.id, code, eff,
                                                  leaves, where))
            cluster = {"id": group_id(years.year, "district_cluster", c["code"],
                                      str(province.id)),
                       "code": c["code"], "name": name, "members": ids}
            if until:
                cluster["until"] = until
            resolved.append(cluster)
        names = {**labels, str(province.id): province.code}

        def code_of(uid: str) -> str:
            return names.get(uid) or self.load(Unit, uid, what="unit", field=field).code

        return {"active": sorted(active), "clusters": resolved, "ends": ends,
                "labels": labels, "code_of": code_of}

    def _ended_elsewhere(self, years: GroupYear, province: Unit, uid: str, code: str,
                         eff: str, leaves: str | None, where: str) -> list[dict[str, Any]]:
        """A district office joining ``province``'s cluster from ``eff`` is in no other
        province's cluster then. A membership there that outlasts the office's stay in that
        province ends, by the rule, on the day the office left it (returned, for the event);
        any other overlap is a contradiction, refused."""
        ends = []
        others = years.of_kind("district_cluster") - years.clusters_of(str(province.id))
        for s in years.spans:
            if (s["unit_id"] != uid or s["group_id"] not in others
                    or not spans.overlaps(s["from"], s["until"], eff, leaves)):
                continue
            group = years.groups[s["group_id"]]
            other = self.load(Unit, group["province_id"], what="province", field=where)
            left = left_on(other, uid, s["from"])
            if left is not None and left <= eff:
                ends.append({"group_id": s["group_id"], "unit_id": uid, "day": left})
                continue
            until = f" until {s['until']}" if s["until"] else ""
            raise RuleViolation(
                f"{code} is in cluster {group['code']} of {other.code} from {s['from']}{until}; "
                f"a unit is in at most one district cluster at any moment.", field=where,
                rule="one_group_per_kind_at_a_time")
        return ends


def stay_end(province: Unit, district_id: str, day: str) -> str | None:
    """The day ``district_id`` leaves ``province`` after being in it on ``day`` (None: it has
    not left, as recorded)."""
    for start, end in province.districts.get(district_id, []):
        if str(start) <= day and (end is None or day < str(end)):
            return None if end is None else str(end)
    return None


def left_on(province: Unit, district_id: str, day: str) -> str | None:
    """From which day ``district_id``, a member of one of ``province``'s clusters from
    ``day``, is no longer the province's: the end of its stay then, or ``day`` itself if it
    was not the province's that day (a move recorded later, effective earlier). None while
    it stays."""
    if any(str(start) <= day and (end is None or day < str(end))
           for start, end in province.districts.get(district_id, [])):
        return stay_end(province, district_id, day)
    return day


def check_partition_province(province: Unit, day: str, field: str) -> None:
    """Only a provincial BHXH active on the partition's effective date has district
    clusters: an ended (merged, dissolved) province publishes none."""
    if province.level != "province":
        raise RuleViolation(f"{province.code} is not a provincial BHXH.", field=field,
                            rule="partition_of_province")
    if province.period_on(date.fromisoformat(day)) is None:
        ended = (f" it ended on {province.ended} ({province.end_status})" if province.ended
                 else f" it starts on {province.started}")
        raise RuleViolation(f"{province.code} is not active on {day}:{ended}; a partition "
                            "is published only for a province active on its effective date.",
                            field=field, rule="partition_of_active_province")

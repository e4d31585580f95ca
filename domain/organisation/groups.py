"""Emulation groups of a year: blocks (Khối), provincial clusters (Cụm) and district clusters
(Cụm thi đua cấp huyện), with the membership rules of letter 4268/BHXH-TĐKT, part A.I."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from eventsourcing.domain import event

from domain.kernel.base import ThiduaAggregate, stable_id
from domain.kernel.errors import RuleViolation

# kind -> the level of unit it holds
GROUP_KINDS: dict[str, str] = {
    "block": "central",
    "provincial_cluster": "province",
    "district_cluster": "district",
}
GROUP_KIND_NAMES = {
    "block": "Khối thi đua",
    "provincial_cluster": "Cụm thi đua",
    "district_cluster": "Cụm thi đua cấp huyện",
}

# Letter 4268, A.I.5: (lowest N, number of clusters), read from the top.
DEFAULT_DISTRICT_CLUSTER_TABLE: tuple[tuple[int, int], ...] = (
    (25, 5), (20, 4), (15, 3), (10, 2), (0, 1))


def district_cluster_count(n: int,
                           table: Sequence[Sequence[int]] = DEFAULT_DISTRICT_CLUSTER_TABLE) -> int:
    """f(N): how many district clusters a province with N district offices forms."""
    for lowest, clusters in sorted(table, key=lambda row: -row[0]):
        if n >= lowest:
            return clusters
    return 1


def group_id(year: int, kind: str, code: str, province_id: str | None = None) -> str:
    return str(stable_id("group", year, kind, province_id or "", code))


@dataclass(frozen=True)
class UnitFacts:
    """What the membership rules need to know of a unit, read from its aggregate."""

    id: str
    code: str
    level: str
    parent_id: str | None
    existed_in_year: bool


def check_member(kind: str, province_id: str | None, unit: UnitFacts, field: str) -> None:
    """A block holds only central units, a provincial cluster only provinces, a district
    cluster only district offices of its own province; members exist in the year."""
    level = GROUP_KINDS[kind]
    if unit.level != level:
        raise RuleViolation(
            f"{GROUP_KIND_NAMES[kind]} ({kind}) holds only {level} units; {unit.code} is a "
            f"{unit.level} unit.", field=field, rule=f"{kind}_member_level")
    if kind == "district_cluster" and unit.parent_id != province_id:
        raise RuleViolation(
            f"A district cluster holds only district offices of its own province; {unit.code} "
            "belongs to another province.", field=field, rule="district_cluster_same_province")
    if not unit.existed_in_year:
        raise RuleViolation(f"Unit {unit.code} did not exist during the year.", field=field,
                            rule="member_exists_in_year")


class GroupYear(ThiduaAggregate):
    """The year's groups and their members, kept together so that 'a unit is in at most one
    group of each kind per year' holds under concurrent edits."""

    TOPIC = "thidua:GroupYear"

    class Event(ThiduaAggregate.Event):
        TOPIC = "thidua:GroupYear.Event"

    @staticmethod
    def create_id(year: int) -> Any:
        return stable_id("groups", year)

    @event("Opened", topic="thidua:GroupYear.Opened")
    def __init__(self, year: int) -> None:
        self.year = year
        self.groups: dict[str, dict[str, Any]] = {}
        self.partitions: dict[str, dict[str, Any]] = {}

    # -- reading -------------------------------------------------------------------------
    def group_of(self, kind: str, unit_id: str) -> str | None:
        for gid, g in self.groups.items():
            if g["kind"] == kind and unit_id in g["members"]:
                return gid
        return None

    def find(self, kind: str, code: str, province_id: str | None) -> dict[str, Any] | None:
        return self.groups.get(group_id(self.year, kind, code, province_id))

    # -- rules ---------------------------------------------------------------------------
    def check_unique_membership(self, assignments: Mapping[str, str], kind: str,
                                labels: Mapping[str, str], replacing: Iterable[str] = ()) -> None:
        """Each unit (id -> target group id) joins at most one group of ``kind`` this year."""
        replaced = set(replacing)
        for uid, gid in assignments.items():
            current = self.group_of(kind, uid)
            if current and current != gid and current not in replaced:
                raise RuleViolation(
                    f"Unit {labels.get(uid, uid)} is already a member of "
                    f"{self.groups[current]['code']} ({self.groups[current]['name']}) in "
                    f"{self.year}; a unit is in at most one {kind} per year.",
                    field="members", rule="one_group_per_kind_per_year")

    def check_continues(self, kind: str, code: str, province_id: str | None,
                        continues: str | None, previous_codes: Iterable[str]) -> None:
        """Lineage (domain.md §7): a group continues last year's group of its kind under the
        same code, or the one it declares (``continues``, a code of the previous year); a
        group of last year is continued by at most one group of this year."""
        previous = set(previous_codes)
        if continues is not None and continues not in previous:
            raise RuleViolation(
                f"There is no {kind} {continues} in {self.year - 1} for {code} to continue.",
                field="continues", rule="continues_previous_year_group")
        carried = continues or code
        if carried not in previous:
            return  # a new line
        for g in self.groups.values():
            if g["kind"] == kind and g["province_id"] == province_id and \
                    (g.get("continues") or g["code"]) == carried:
                raise RuleViolation(
                    f"{carried} of {self.year - 1} is already continued by {g['code']} in "
                    f"{self.year}; a group has one successor.",
                    field="continues" if continues else "code",
                    rule="one_successor_per_group")

    # -- commands ------------------------------------------------------------------------
    @event("GroupFormed", topic="thidua:GroupYear.GroupFormed")
    def form_group(self, group_id: str, kind: str, code: str, name: str,
                   province_id: str | None, continues: str | None = None) -> None:
        self.groups[group_id] = {"id": group_id, "kind": kind, "code": code, "name": name,
                                 "province_id": province_id, "members": []}
        if continues is not None:
            self.groups[group_id]["continues"] = continues

    @event("MembersAdded", topic="thidua:GroupYear.MembersAdded")
    def add_members(self, group_id: str, members: list[str]) -> None:
        self.groups[group_id]["members"].extend(m for m in members
                                                if m not in self.groups[group_id]["members"])

    @event("MemberRemoved", topic="thidua:GroupYear.MemberRemoved")
    def remove_member(self, group_id: str, unit_id: str) -> None:
        self.groups[group_id]["members"].remove(unit_id)

    @event("DistrictPartitionPublished", topic="thidua:GroupYear.DistrictPartitionPublished")
    def publish_partition(self, province_id: str, effective: str, district_count: int,
                          clusters: list[dict[str, Any]], scale: dict[str, Any],
                          decision: dict[str, Any] | None) -> None:
        self._replace_district_clusters(province_id, clusters)
        self.partitions[province_id] = {"effective": effective, "district_count": district_count,
                                        "clusters": [c["id"] for c in clusters], "scale": scale,
                                        "decision": decision}

    @event("MembershipListImported", topic="thidua:GroupYear.MembershipListImported")
    def import_list(self, decision: dict[str, Any], groups: list[dict[str, Any]],
                    partitions: list[dict[str, Any]]) -> None:
        for g in groups:
            if g["kind"] == "district_cluster":
                continue
            entry = self.groups.setdefault(g["id"], {**g, "members": []})
            entry["name"] = g["name"]
            entry["members"] = list(g["members"])
        for p in partitions:
            self._replace_district_clusters(p["province_id"], p["clusters"])
            self.partitions[p["province_id"]] = {
                "effective": p["effective"], "district_count": p["district_count"],
                "clusters": [c["id"] for c in p["clusters"]], "scale": {},
                "decision": decision}

    def _replace_district_clusters(self, province_id: str, clusters: list[dict[str, Any]]) -> None:
        for gid in [gid for gid, g in self.groups.items()
                    if g["kind"] == "district_cluster" and g["province_id"] == province_id]:
            del self.groups[gid]
        for c in clusters:
            self.groups[c["id"]] = {"id": c["id"], "kind": "district_cluster", "code": c["code"],
                                    "name": c["name"], "province_id": province_id,
                                    "members": list(c["members"])}

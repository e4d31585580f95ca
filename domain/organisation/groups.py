"""Emulation groups of a year: blocks (Khối), provincial clusters (Cụm) and district clusters
(Cụm thi đua cấp huyện), with the membership rules of letter 4268/BHXH-TĐKT, part A.I."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from eventsourcing.domain import event

from domain.kernel.base import ThiduaAggregate, stable_id
from domain.kernel.dates import parse_date
from domain.kernel.errors import InvalidInput, RuleViolation
from domain.organisation import spans
from domain.organisation.membership_list import list_fingerprint

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
    """What the membership rules need to know of a unit on the day a membership starts, read
    from its aggregate: its level, its parent that day, whether it is active that day."""

    id: str
    code: str
    level: str
    parent_id: str | None
    active: bool
    day: str


def unit_facts(unit: Any, day: str) -> UnitFacts:
    """The facts of ``unit`` (a domain.organisation.units.Unit) on ``day``: its parent and
    level as they were that day, not as they are now."""
    period = unit.period_on(date.fromisoformat(day))
    return UnitFacts(id=str(unit.id), code=unit.code,
                     level=str((period or {}).get("level") or unit.level),
                     parent_id=period["parent_id"] if period else unit.parent_id,
                     active=period is not None, day=day)


def check_member(kind: str, province_id: str | None, unit: UnitFacts, field: str) -> None:
    """A block holds only central units, a provincial cluster only provinces, a district
    cluster only district offices of its own province (on the day); members are active on
    the day their membership starts."""
    if not unit.active:
        raise RuleViolation(f"Unit {unit.code} is not active on {unit.day} (not yet registered, "
                            "or ended); a membership starts only while the unit exists.",
                            field=field, rule="member_active_on_date")
    level = GROUP_KINDS[kind]
    if unit.level != level:
        raise RuleViolation(
            f"{GROUP_KIND_NAMES[kind]} ({kind}) holds only {level} units; {unit.code} is a "
            f"{unit.level} unit.", field=field, rule=f"{kind}_member_level")
    if kind == "district_cluster" and unit.parent_id != province_id:
        raise RuleViolation(
            f"A district cluster holds only district offices of its own province; {unit.code} "
            f"belongs to another province on {unit.day}.", field=field,
            rule="district_cluster_same_province")


def check_effective(year: int, effective: str | None, field: str = "effective") -> str:
    """The day a (re-)formation takes effect: in the year; 1 January when not given."""
    day = parse_date(effective, field).isoformat() if effective else f"{year}-01-01"
    if not day.startswith(f"{year}-"):
        raise InvalidInput(f"The effective date must fall in {year}.", field=field,
                           rule="effective_in_year")
    return day


class GroupYear(ThiduaAggregate):
    """The year's groups and their memberships in time, kept together so that 'a unit is in at
    most one group of each kind at any moment' holds under concurrent edits.

    ``spans`` holds every membership with its dates (domain.organisation.spans); a group's
    ``members`` are the units whose membership lasts to the end of the year (what a December
    meeting, a covenant or a cycle asks of a group); ``partitions[province_id]`` is the list
    of the province's district partitions of the year, by effective date."""

    TOPIC = "thidua:GroupYear"
    # The membership lists applied (list_fingerprint of each). A register snapshotted
    # before they were kept knows none of its earlier lists.
    list_prints: tuple[str, ...] = ()

    class Event(ThiduaAggregate.Event):
        TOPIC = "thidua:GroupYear.Event"

    @staticmethod
    def create_id(year: int) -> Any:
        return stable_id("groups", year)

    @event("Opened", topic="thidua:GroupYear.Opened")
    def __init__(self, year: int) -> None:
        self.year = year
        self.groups: dict[str, dict[str, Any]] = {}
        self.partitions: dict[str, list[dict[str, Any]]] = {}
        self.spans: list[spans.Span] = []

    # -- reading -------------------------------------------------------------------------
    @property
    def first_day(self) -> str:
        return f"{self.year}-01-01"

    def of_kind(self, kind: str) -> set[str]:
        return {gid for gid, g in self.groups.items() if g["kind"] == kind}

    def clusters_of(self, province_id: str) -> set[str]:
        return {gid for gid, g in self.groups.items()
                if g["kind"] == "district_cluster" and g["province_id"] == province_id}

    def group_of(self, kind: str, unit_id: str, day: str | None = None) -> str | None:
        """The group of ``kind`` the unit is in on ``day`` (None: at the end of the year)."""
        for s in self.spans:
            if s["unit_id"] == unit_id and self.groups[s["group_id"]]["kind"] == kind and (
                    s["until"] is None if day is None else spans.covers(s, day)):
                return str(s["group_id"])
        return None

    def members_on(self, group_id: str, day: str) -> list[str]:
        return spans.on(self.spans, group_id, day)

    def partition_on(self, province_id: str, day: str) -> dict[str, Any] | None:
        """The province's partition in force on ``day`` (the last one effective by then)."""
        found = [p for p in self.partitions.get(province_id, []) if p["effective"] <= day]
        return found[-1] if found else None

    def find(self, kind: str, code: str, province_id: str | None) -> dict[str, Any] | None:
        return self.groups.get(group_id(self.year, kind, code, province_id))

    def list_applied(self, fingerprint: str) -> bool:
        """Whether this very list (:func:`list_fingerprint`) was already applied."""
        return fingerprint in self.list_prints

    # -- rules ---------------------------------------------------------------------------
    def check_unique_membership(self, assignments: Mapping[str, str], kind: str,
                                labels: Mapping[str, str], day: str | None = None,
                                replacing: Iterable[str] = ()) -> None:
        """Each unit (id -> target group id) joining from ``day`` (1 January when None) to the
        end of the year is in no other group of ``kind`` on any of those days (the groups in
        ``replacing`` are re-formed from ``day``: what they held from then on goes)."""
        day = day or self.first_day
        replaced = set(replacing)
        for uid, gid in assignments.items():
            found = spans.clash(self.spans, self.of_kind(kind), uid, day, ignore=replaced)
            if found is None:
                continue
            other = self.groups[found["group_id"]]
            until = f" until {found['until']}" if found["until"] else ""
            if found["group_id"] == gid:
                raise RuleViolation(
                    f"Unit {labels.get(uid, uid)} is already a member of {other['code']} from "
                    f"{found['from']}{until}.", field="members", rule="member_once")
            raise RuleViolation(
                f"Unit {labels.get(uid, uid)} is a member of {other['code']} ({other['name']}) "
                f"from {found['from']}{until}; a unit is in at most one {kind} at any moment "
                f"(end that membership first, from {day}).",
                field="members", rule="one_group_per_kind_at_a_time")

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

    def add_members(self, group_id: str, members: list[str], effective: str | None = None,
                    labels: Mapping[str, str] | None = None) -> None:
        """Members of the group from ``effective`` (None: 1 January) to the end of the year."""
        self.check_unique_membership({m: group_id for m in members},
                                     self.groups[group_id]["kind"], labels or {}, effective)
        self._guard(lambda trial: trial._add(group_id, members, effective), labels)
        self._members_added(group_id=group_id, members=members, effective=effective)

    @event("MembersAdded", topic="thidua:GroupYear.MembersAdded")
    def _members_added(self, group_id: str, members: list[str],
                       effective: str | None = None) -> None:
        self._add(group_id, members, effective)

    def remove_member(self, group_id: str, unit_id: str, effective: str | None = None) -> None:
        """The unit is no longer a member from ``effective`` (None: 1 January) on."""
        self._member_removed(group_id=group_id, unit_id=unit_id, effective=effective)

    @event("MemberRemoved", topic="thidua:GroupYear.MemberRemoved")
    def _member_removed(self, group_id: str, unit_id: str, effective: str | None = None) -> None:
        self.spans = spans.end(self.spans, group_id, unit_id, effective or self.first_day)
        self._refresh({group_id})

    def publish_partition(self, province_id: str, effective: str, district_count: int,
                          clusters: list[dict[str, Any]], scale: dict[str, Any],
                          decision: dict[str, Any] | None,
                          ends: list[dict[str, Any]] | None = None,
                          labels: Mapping[str, str] | None = None) -> None:
        """The province's district clusters from ``effective`` on (and the memberships
        elsewhere the rule ends), refused if a unit would then be in two at once."""
        self._guard(lambda trial: trial._partition_applied(
            province_id, effective, district_count, clusters, scale, decision, ends), labels)
        self._partition_published(province_id=province_id, effective=effective,
                                  district_count=district_count, clusters=clusters,
                                  scale=scale, decision=decision,
                                  **({"ends": ends} if ends else {}))

    @event("DistrictPartitionPublished", topic="thidua:GroupYear.DistrictPartitionPublished")
    def _partition_published(self, province_id: str, effective: str, district_count: int,
                             clusters: list[dict[str, Any]], scale: dict[str, Any],
                             decision: dict[str, Any] | None,
                             ends: list[dict[str, Any]] | None = None) -> None:
        self._partition_applied(province_id, effective, district_count, clusters, scale,
                                decision, ends)

    def import_list(self, decision: dict[str, Any], groups: list[dict[str, Any]],
                    partitions: list[dict[str, Any]], effective: str | None = None,
                    ends: list[dict[str, Any]] | None = None,
                    labels: Mapping[str, str] | None = None) -> None:
        """A membership list re-forming the groups it names from ``effective``, refused if a
        unit would then be in two groups of a kind at once."""
        self._guard(lambda trial: trial._list_applied(decision, groups, partitions, effective,
                                                      ends), labels)
        extra: dict[str, Any] = {}
        if effective:
            extra["effective"] = effective
        if ends:
            extra["ends"] = ends
        self._list_imported(decision=decision, groups=groups, partitions=partitions, **extra)

    @event("MembershipListImported", topic="thidua:GroupYear.MembershipListImported")
    def _list_imported(self, decision: dict[str, Any], groups: list[dict[str, Any]],
                       partitions: list[dict[str, Any]], effective: str | None = None,
                       ends: list[dict[str, Any]] | None = None) -> None:
        self._list_applied(decision, groups, partitions, effective, ends)

    def check_spans(self, labels: Mapping[str, str] | None = None) -> None:
        """The invariant itself: no unit in two groups of one kind on any day of the year."""
        by_unit: dict[tuple[str, str], list[spans.Span]] = {}
        for s in self.spans:
            by_unit.setdefault((self.groups[s["group_id"]]["kind"], s["unit_id"]), []).append(s)
        for (kind, uid), held in sorted(by_unit.items()):
            held.sort(key=lambda s: s["from"])
            for a, b in zip(held, held[1:], strict=False):
                if spans.overlaps(a["from"], a["until"], b["from"], b["until"]):
                    first, second = self.groups[a["group_id"]], self.groups[b["group_id"]]
                    raise RuleViolation(
                        f"Unit {(labels or {}).get(uid, uid)} would be in {first['code']} "
                        f"(from {a['from']}) and in {second['code']} (from {b['from']}) at "
                        f"once; a unit is in at most one {kind} at any moment.",
                        field="members", rule="one_group_per_kind_at_a_time")

    # -- helpers -------------------------------------------------------------------------
    def _guard(self, change: Callable[[GroupYear], None],
               labels: Mapping[str, str] | None) -> None:
        """Try ``change`` on a copy and check the invariant there, before any event."""
        trial = copy.deepcopy(self)
        change(trial)
        trial.check_spans(labels)

    def _add(self, group_id: str, members: list[str], effective: str | None) -> None:
        day = effective or self.first_day
        for m in members:
            self.spans = spans.start(self.spans, group_id, m, day)
        self._refresh({group_id})

    def _partition_applied(self, province_id: str, effective: str, district_count: int,
                           clusters: list[dict[str, Any]], scale: dict[str, Any],
                           decision: dict[str, Any] | None,
                           ends: list[dict[str, Any]] | None) -> None:
        self._end_elsewhere(ends or [])
        self._reform_clusters(province_id, effective, clusters)
        self._record_partition(province_id, {
            "effective": effective, "district_count": district_count,
            "clusters": [c["id"] for c in clusters], "scale": scale, "decision": decision})

    def _list_applied(self, decision: dict[str, Any], groups: list[dict[str, Any]],
                      partitions: list[dict[str, Any]], effective: str | None,
                      ends: list[dict[str, Any]] | None) -> None:
        day = effective or self.first_day
        self.list_prints = (*self.list_prints, list_fingerprint(
            decision["document_number"], decision["document_date"], day,
            [(g["id"], g["kind"], g["name"], m) for g in groups for m in g["members"]]
            + [(c["id"], "district_cluster", c["name"], m) for p in partitions
               for c in p["clusters"] for m in c["members"]]))
        self._end_elsewhere(ends or [])
        named = {g["id"] for g in groups if g["kind"] != "district_cluster"}
        self.spans = spans.end_all(self.spans, named, day)
        for g in groups:
            if g["kind"] == "district_cluster":
                continue
            entry = self.groups.setdefault(g["id"], {**g, "members": []})
            entry["name"] = g["name"]
            for m in g["members"]:
                self.spans = spans.start(self.spans, g["id"], m, day)
        self._refresh(named)
        for p in partitions:
            self._reform_clusters(p["province_id"], p["effective"], p["clusters"])
            self._record_partition(p["province_id"], {
                "effective": p["effective"], "district_count": p["district_count"],
                "clusters": [c["id"] for c in p["clusters"]], "scale": {},
                "decision": decision})

    def _end_elsewhere(self, ends: list[dict[str, Any]]) -> None:
        """End memberships the rule ends: a district office's in a cluster of the province it
        left, from the day it left."""
        for e in ends:
            self.spans = spans.end(self.spans, e["group_id"], e["unit_id"], e["day"])
        self._refresh({e["group_id"] for e in ends})

    def _reform_clusters(self, province_id: str, effective: str,
                         clusters: list[dict[str, Any]]) -> None:
        """The province's district clusters from ``effective`` on are ``clusters``; before
        it, they stay as they were. A cluster left with no membership at all goes."""
        old = self.clusters_of(province_id)
        self.spans = spans.end_all(self.spans, old, effective)
        for c in clusters:
            entry = self.groups.setdefault(c["id"], {
                "id": c["id"], "kind": "district_cluster", "code": c["code"],
                "province_id": province_id, "members": []})
            entry["name"] = c["name"]
            until = c.get("until") or {}
            for m in c["members"]:
                self.spans = spans.start(self.spans, c["id"], m, effective, until.get(m))
        touched = old | {c["id"] for c in clusters}
        held = {s["group_id"] for s in self.spans}
        for gid in sorted(touched - held):
            del self.groups[gid]
        self._refresh(touched & held)

    def _record_partition(self, province_id: str, partition: dict[str, Any]) -> None:
        """A partition effective on a day replaces the one of that day and any later one."""
        kept = [p for p in self.partitions.get(province_id, [])
                if p["effective"] < partition["effective"]]
        self.partitions[province_id] = [*kept, partition]

    def _refresh(self, group_ids: Iterable[str]) -> None:
        for gid in group_ids:
            if gid in self.groups:
                self.groups[gid]["members"] = sorted(
                    {s["unit_id"] for s in self.spans
                     if s["group_id"] == gid and s["until"] is None})

"""The SAMPLE organisation through time: the 2024 world of ``organisation.py``, the 2025
reorganisation as decision files (``data/*.json``, the JSON of ``POST /reorganisations``) and
the 2026 groups and cycle set-up (``data/groups-2026.json``, ``data/cycle-2026.json``).

All of it is SAMPLE data (each file says so in its ``note``). ``World`` replays the decision
files in memory, with the rules the decision use case applies, so the sample knows which units
exist in a year without asking the store, and so that a file that does not add up is caught by
a unit test before it is loaded.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from typing import Any

from domain.organisation.partition import district_cluster_count
from domain.sample import organisation as org

# The sample's decisions of 2025, in the order they take effect.
DECISION_FILES: tuple[str, ...] = (
    "2025-03-01-central-units.json",
    "2025-04-01-regional-offices.json",
    "2025-07-01-provinces.json",
    "2025-09-30-co-so.json",
)
HEADER = ("number", "signed", "issuer", "basis", "effective")
ROW_KEYS: dict[str, tuple[str, ...]] = {  # the decision contract's row shapes
    "register": ("code", "name", "level"),
    "rename": ("code", "name"),
    "move": ("code", "parent_code"),
    "merge": ("code", "into_code"),
    "split": ("code", "into_codes"),
    "dissolve": ("code",),
    "relevel": ("code", "level", "parent_code"),
}
OPTIONAL_KEYS: dict[str, tuple[str, ...]] = {"register": ("parent_code",)}


def read_data(name: str) -> dict[str, Any]:
    """One file of ``domain/sample/data`` (package data: it ships in the wheel)."""
    text = resources.files("domain.sample").joinpath("data", name).read_text(encoding="utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


@cache
def decisions() -> tuple[dict[str, Any], ...]:
    return tuple(read_data(name) for name in DECISION_FILES)


def decision_body(decision: dict[str, Any]) -> dict[str, Any]:
    """What the decision use case takes: the header fields and the changes (the file's
    ``sample`` flag and ``note`` describe the file, not the decision)."""
    return {**{k: decision[k] for k in HEADER}, "changes": decision["changes"]}


@dataclass(frozen=True)
class Office:
    code: str
    name: str
    level: str
    parent: str | None
    ended: str | None = None  # the effective date it ended on
    successor: str | None = None


class DecisionError(ValueError):
    """A row of a decision file that does not apply (``where`` names the file and row)."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}")


class World:
    """The sample's units on some date, as the decision files leave them."""

    def __init__(self, offices: dict[str, Office]) -> None:
        self.offices = offices

    @classmethod
    def of_2024(cls) -> World:
        offices: dict[str, Office] = {}
        for code, name in org.CENTRAL_UNITS:
            offices[code] = Office(code, name, "central", None)
        for code, name, _count in org.PROVINCES:
            offices[code] = Office(code, name, "province", None)
            for dcode, dname in org.district_offices(code):
                offices[dcode] = Office(dcode, dname, "district", code)
        return cls(offices)

    def active(self, level: str | None = None) -> list[Office]:
        return [o for o in self.offices.values()
                if o.ended is None and (level is None or o.level == level)]

    def districts_of(self, province: str) -> list[Office]:
        return sorted((o for o in self.active("district") if o.parent == province),
                      key=lambda o: o.code)

    def name(self, code: str) -> str:
        return self.offices[code].name

    def successor(self, code: str) -> str | None:
        """The active unit that carries on ``code`` (itself while active)."""
        seen = set()
        while code in self.offices and self.offices[code].ended is not None:
            if code in seen:
                return None
            seen.add(code)
            nxt = self.offices[code].successor
            if nxt is None:
                return None
            code = nxt
        return code if code in self.offices else None

    def apply(self, decision: dict[str, Any], label: str = "decision") -> None:
        """Apply every row in order on the decision's effective date; then refuse district
        offices left under an ended province."""
        eff = decision["effective"]
        for i, row in enumerate(decision["changes"]):
            self._row(row, eff, f"{label} changes[{i}]")
        for o in self.active("district"):
            parent = self.offices.get(o.parent or "")
            if parent is None or parent.ended is not None:
                raise DecisionError(label, f"district office {o.code} is left under the ended "
                                           f"province {o.parent}")

    def _live(self, code: Any, where: str, level: str | None = None) -> Office:
        o = self.offices.get(code) if isinstance(code, str) else None
        if o is None:
            raise DecisionError(where, f"unknown unit {code!r}")
        if o.ended is not None:
            raise DecisionError(where, f"unit {code} ended on {o.ended}")
        if level and o.level != level:
            raise DecisionError(where, f"unit {code} is {o.level}, not {level}")
        return o

    def _row(self, row: dict[str, Any], eff: str, where: str) -> None:
        kind = row.get("change")
        if kind not in ROW_KEYS:
            raise DecisionError(where, f"unknown change {kind!r}")
        allowed = {"change", *ROW_KEYS[kind], *OPTIONAL_KEYS.get(kind, ())}
        missing = [k for k in ROW_KEYS[kind] if k not in row]
        extra = sorted(set(row) - allowed)
        if missing or extra:
            raise DecisionError(where, f"{kind} needs {missing or 'nothing more'}, "
                                       f"has extra {extra or 'none'}")
        code = row["code"]
        if kind == "register":
            if code in self.offices:
                raise DecisionError(where, f"unit {code} exists already")
            parent = row.get("parent_code")
            if (row["level"] == "district") != bool(parent):
                raise DecisionError(where, "a district office, and only one, has a province")
            if parent:
                self._live(parent, where, "province")
            self.offices[code] = Office(code, row["name"], row["level"], parent)
            return
        o = self._live(code, where)
        if kind == "rename":
            if row["name"] == o.name:
                raise DecisionError(where, f"{code} is named {o.name!r} already")
            self.offices[code] = replace(o, name=row["name"])
        elif kind == "move":
            self._live(row["parent_code"], where, "province")
            if o.level != "district" or o.parent == row["parent_code"]:
                raise DecisionError(where, f"{code} cannot move to {row['parent_code']}")
            self.offices[code] = replace(o, parent=row["parent_code"])
        elif kind == "merge":
            into = self._live(row["into_code"], where, o.level)
            if into.code == code:
                raise DecisionError(where, f"{code} cannot merge into itself")
            self.offices[code] = replace(o, ended=eff, successor=into.code)
        elif kind == "split":
            parts = [self._live(c, where, o.level) for c in row["into_codes"]]
            if len(parts) < 2:
                raise DecisionError(where, "a split names at least two parts")
            self.offices[code] = replace(o, ended=eff, successor=parts[0].code)
        elif kind == "dissolve":
            self.offices[code] = replace(o, ended=eff)
        elif kind == "relevel":
            self.offices[code] = replace(o, level=row["level"], parent=row["parent_code"])


def world_after(effective: str | None = None) -> World:
    """The 2024 world with every sample decision effective on or before ``effective`` (all of
    them when None) applied."""
    world = World.of_2024()
    for name, d in zip(DECISION_FILES, decisions(), strict=True):
        if effective is None or d["effective"] <= effective:
            world.apply(d, name)
    return world


def world_of_year(year: int) -> World:
    """The units of ``year``'s reference date, 31 December (the cycle default)."""
    return world_after(f"{year}-12-31")


# -- the groups of a year ----------------------------------------------------------------------

def contiguous(codes: list[str]) -> list[list[str]]:
    """``codes`` in f(N) neighbouring clusters, sizes differing by one (domain.md §2)."""
    count = district_cluster_count(len(codes))
    size, extra = divmod(len(codes), count)
    clusters: list[list[str]] = []
    start = 0
    for i in range(count):
        end = start + size + (1 if i < extra else 0)
        clusters.append(codes[start:end])
        start = end
    return clusters


@dataclass(frozen=True)
class YearGroups:
    """What the sample forms for a year: blocks, provincial clusters, district partitions."""

    year: int
    blocks: list[tuple[str, str, list[str]]]
    provincial_clusters: list[tuple[str, str, list[str]]]
    partitions: dict[str, list[dict[str, Any]]]  # province code -> clusters
    world: World


def groups_of_year(year: int, provinces: set[str] | None = None) -> YearGroups:
    """The sample groups of ``year``: the 2024 lists for years before the reorganisation,
    ``data/groups-2026.json`` after it. ``provinces`` limits the provinces (tests)."""
    world = world_of_year(year)
    if year <= 2024:
        blocks = list(org.BLOCKS)
        clusters = list(org.PROVINCIAL_CLUSTERS)
    else:
        data = read_data("groups-2026.json")
        blocks = [(g["code"], g["name"], g["members"]) for g in data["blocks"]]
        clusters = [(g["code"], g["name"], g["members"]) for g in data["provincial_clusters"]]
    chosen = {o.code for o in world.active("province")}
    if provinces is not None:
        chosen &= provinces
    clusters = [(c, n, [m for m in ms if m in chosen]) for c, n, ms in clusters]
    partitions = {}
    for p in sorted(chosen):
        name = world.name(p)
        codes = [o.code for o in world.districts_of(p)]
        partitions[p] = [{"code": f"{p}C{i + 1}",
                          "name": f"Cụm thi đua cấp huyện số {i + 1} - {name}", "members": m}
                         for i, m in enumerate(contiguous(codes))]
    return YearGroups(year, blocks, [c for c in clusters if c[2]], partitions, world)


def cycle_setup_2026() -> dict[str, Any]:
    """The who-scores-whom data of the sample's 2026 cycle (``data/cycle-2026.json``)."""
    data = read_data("cycle-2026.json")
    topics = {item: topic for item, _code, topic in org.FIELD_INFORMATION_UNITS}
    return {
        "monitoring": data["monitoring"],
        "organisation_scoring": data["organisation_scoring"],
        "field_units": [{"item": f["item"], "unit_code": f["unit_code"],
                         "topic": " ".join(topics[i] for i in f["items_2024"])}
                        for f in data["field_units"]],
        "standing_office_code": data["standing_office_code"],
    }

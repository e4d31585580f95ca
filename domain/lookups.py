"""The loaders every area's use cases share: the year's groups, a group's office and heads,
the unit acted for. Area mixins subclass :class:`Lookups`, so they depend on it (and on the
aggregates it loads), never on each other."""

from __future__ import annotations

from datetime import date
from typing import Any

from eventsourcing.application import AggregateNotFoundError

from domain.elections.office import GroupOffice, office_id
from domain.kernel.actor import Actor
from domain.kernel.cases import UseCases
from domain.kernel.dates import EARLIEST, check_year
from domain.kernel.errors import InvalidInput, NotAuthorised, NotFound
from domain.kernel.ids import parse_uuid
from domain.kernel.rights import GroupPowers, authorise
from domain.organisation.groups import GroupYear
from domain.organisation.units import Unit


class Lookups(UseCases):
    """Shared loaders (read the authoritative state from the store)."""

    # -- offices across years (domain.md §7) ---------------------------------------------------
    def group_line(self, group_id: str, year: int) -> list[tuple[int, str]]:
        """The group and the groups it continues, newest first, as (year, group id).

        A group continues the previous year's group it declares (``continues``, a code) or,
        by default, the previous year's group of the same kind and code (and province); the
        line goes back as far as each year has its predecessor."""
        gid = str(parse_uuid(group_id, "group_id"))
        check_year(year)
        line = [(year, gid)]
        group = self._registered(year).get(gid)
        while group is not None and year > EARLIEST.year:
            code = group.get("continues") or group["code"]
            year -= 1
            earlier = self._registered(year)
            group = next((g for g in earlier.values()
                          if g["kind"] == group["kind"] and g["code"] == code
                          and g["province_id"] == group["province_id"]), None)
            if group is not None:
                line.append((year, str(group["id"])))
        return line

    def _registered(self, year: int) -> dict[str, dict[str, Any]]:
        """The year's groups as recorded (nothing for a year without a register)."""
        gid = GroupYear.create_id(year)
        if not self.exists(gid):
            return {}
        return self.load(GroupYear, gid, what=f"group register for {year}", field="year",
                         readonly=True).groups

    def line_office_id(self, group_id: str, year: int) -> Any:
        """The id of the office of the group's line: the office of the earliest group of the
        line that has one (so a line keeps its office when an earlier year is recorded
        later), or, before any election, the office its first group will open."""
        line = self.group_line(group_id, year)
        for _, gid in reversed(line):
            if self.exists(office_id(gid)):
                return office_id(gid)
        return office_id(line[-1][1])

    def group_office(self, group_id: str, year: int) -> GroupOffice | None:
        """The office of the group's line (its terms and elections, every year of the line),
        or None before the line's first election."""
        oid = self.line_office_id(group_id, year)
        if not self.exists(oid):
            return None
        return self.load(GroupOffice, oid, what="group office", field="group_id")

    def unit_ended(self, unit_id: str) -> str | None:
        """The date the unit ended (merged, dissolved), or None while it exists."""
        try:
            unit = self.fetch(parse_uuid(unit_id, "unit_id"), readonly=True)
        except AggregateNotFoundError:
            return None
        return unit.ended if isinstance(unit, Unit) else None

    def head_units(self, group_id: str, year: int, day: date | None = None) -> tuple[str, ...]:
        """Unit ids holding the head's powers of the group's line on ``day`` (default today),
        whatever year the group is of: the sitting head and deputy from their election until
        the next election of the line, while their units exist; in a vacant seat, the unit
        designated to act in it (empty if none)."""
        office = self.group_office(group_id, year)
        if office is None:
            return ()
        return office.powers_on(day or self.now().date(), self.unit_ended)

    def group_organisers(self, group_id: str, year: int) -> tuple[str, ...]:
        """The unit that organises the group, besides the standing office: a district
        cluster's province (4268 A.I.5); nothing for a block or a provincial cluster, or a
        group the year does not hold."""
        group = self._registered(year).get(str(parse_uuid(group_id, "group_id")))
        if group is None or group["kind"] != "district_cluster" or not group["province_id"]:
            return ()
        return (str(group["province_id"]),)

    def sitting_head(self, group_id: str, year: int) -> str | None:
        office = self.group_office(group_id, year)
        head = office.holders_on(self.now().date(), self.unit_ended).get("head") \
            if office else None
        return head["unit_id"] if head else None

    def head_powers(self, actor: Actor, act: str, group_id: str, year: int) -> GroupPowers:
        """:meth:`head_units`, refusing with the reason an elected holder whose unit has
        ended lost the powers (the seat is vacant from that date), rather than the bare
        rights rule; with the group's organisers (:meth:`group_organisers`) for the rights
        table's ORGANISER scope."""
        heads = GroupPowers(self.head_units(group_id, year),
                            self.group_organisers(group_id, year))
        office = self.group_office(group_id, year)
        if office is None or actor.unit_id is None or actor.unit_id in heads \
                or actor.unit_id in heads.organisers:
            return heads
        for seat, h in office.holders_on(self.now().date(), self.unit_ended).items():
            if h["status"] != "sitting" and str(h["holder"]["unit_id"]) == actor.unit_id:
                try:
                    authorise(actor, act)
                except NotAuthorised:
                    raise NotAuthorised(
                        f"Your unit was elected {seat} of this group, but it ended on "
                        f"{h['vacant_since']}: the seat is vacant from that date and its "
                        f"powers ('{act}') stopped with it. The standing office may designate "
                        "a unit to act until the next election.", field="group_id",
                        rule="seat_vacant_unit_ended") from None
        return heads

    def group_in_year(self, group_id: str, year: int) -> dict[str, Any]:
        """The group (Khối, Cụm) with this id in the year's register, or NotFound."""
        gid = str(parse_uuid(group_id, "group_id"))
        group = self.group_year(year).groups.get(gid)
        if group is None:
            raise NotFound(f"There is no group {gid} in {year}.", field="group_id",
                           rule="exists")
        return group

    def unit_code_of(self, unit_id: str | None) -> str | None:
        """The code of the unit with this id (None for None)."""
        if unit_id is None:
            return None
        return self.load(Unit, unit_id, what="unit", field="unit_id").code

    # -- groups --------------------------------------------------------------------------
    def group_year(self, year: int) -> GroupYear:
        """The year's register of groups; a new, unsaved one when the year has none yet."""
        check_year(year)
        gid = GroupYear.create_id(year)
        if not self.exists(gid):
            return GroupYear(year=year)
        return self.load(GroupYear, gid, what=f"group register for {year}", field="year")

    def acting_unit(self, actor: Actor, code: str | None, field: str) -> Any:
        """The unit acted for, only read (shared with other requests: never changed)."""
        code = code or actor.unit_code
        if not code:
            raise InvalidInput(f"Give {field}: you act for no unit.", field=field,
                               rule="unit_required")
        return self.unit(code, field, readonly=True)

    def find(self, cls: type[Any], aggregate_id: Any) -> Any:
        """The aggregate if it exists and is a ``cls``; otherwise None."""
        try:
            agg: Any = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None
        return agg if isinstance(agg, cls) else None

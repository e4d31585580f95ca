"""Who heads a group (Khối trưởng / Cụm trưởng and the deputy): the terms of office and the
election in progress."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from eventsourcing.domain import event

from domain.elections.election import Election
from domain.elections.rules import SEATS, ElectionRules
from domain.kernel.base import ThiduaAggregate, stable_id
from domain.kernel.errors import NotFound, RuleViolation


def office_id(group_id: str) -> Any:
    return stable_id("group-office", group_id)


class GroupOffice(ThiduaAggregate):
    """Who heads a group's line (Khối trưởng / Cụm trưởng and the deputy), and its elections.

    One office serves every year of a group's line (the group under its code from year to
    year, or the groups that declare they continue it): the head and deputy run the group
    from their election until the next one, across the year boundary (4268 A.I.1, "ngay sau
    khi được bầu chọn"). Created with the line's first group (``group_id``, ``year``).

    Holds the election in progress, so a line has at most one open election at a time, and
    the terms of office: a winner takes office on declaration and the previous holder's term
    of that seat ends at the same moment.
    """

    TOPIC = "thidua:GroupOffice"

    class Event(ThiduaAggregate.Event):
        TOPIC = "thidua:GroupOffice.Event"

    @staticmethod
    def create_id(group_id: str) -> Any:
        return office_id(group_id)

    @event("Created", topic="thidua:GroupOffice.Created")
    def __init__(self, group_id: str, year: int) -> None:
        self.group_id = group_id
        self.year = year
        self.elections: list[str] = []
        self.election_groups: dict[str, str] = {}  # election id -> the group-year it is of
        self.open_election: str | None = None
        self.terms: list[dict[str, Any]] = []  # {seat, unit_id, term, took_office, ended, ...}
        # designations of an acting holder of a vacant seat (giới thiệu), until an election
        self.acting: list[dict[str, Any]] = []  # {seat, unit_id, effective, reason, ended, ...}

    def sitting(self, seat: str) -> dict[str, Any] | None:
        """The elected holder of the seat (whose term has not ended), whether or not the
        holder's unit still exists."""
        for t in reversed(self.terms):
            if t["seat"] == seat and t["ended"] is None:
                return t
        return None

    def acting_in(self, seat: str) -> dict[str, Any] | None:
        """The designation in force for the seat, if any."""
        for a in reversed(self.acting):
            if a["seat"] == seat and a["ended"] is None:
                return a
        return None

    def holders_on(self, day: date, unit_ended: Callable[[str], str | None],
                   deputy_acts: bool = False) -> dict[str, dict[str, Any]]:
        """Who holds each seat's powers on ``day``: the elected holder while its unit exists;
        from the day its unit ends the seat is vacant (4268 A.I.1, domain.md §7), unless a
        unit is designated to act in it (from the designation's date, while that unit
        exists); with ``deputy_acts`` (the election rules' deputy_acts_for_vacant_head) a
        sitting deputy acts in a vacant head's seat that nobody was designated to. seat ->
        {status: sitting | vacant | acting, unit_id (the one with the powers, None when
        vacant), holder, vacant_since, acting}."""
        out: dict[str, dict[str, Any]] = {}
        for seat in SEATS:
            held = self.sitting(seat)
            if held is None:
                continue
            ended = unit_ended(str(held["unit_id"]))
            if ended is None or day < date.fromisoformat(ended):
                out[seat] = {"status": "sitting", "unit_id": str(held["unit_id"]),
                             "holder": held, "vacant_since": None, "acting": None}
                continue
            entry: dict[str, Any] = {"status": "vacant", "unit_id": None, "holder": held,
                                     "vacant_since": ended, "acting": None}
            acting = self.acting_in(seat)
            if acting is not None and date.fromisoformat(acting["effective"]) <= day:
                gone = unit_ended(str(acting["unit_id"]))
                if gone is None or day < date.fromisoformat(gone):
                    entry.update(status="acting", unit_id=str(acting["unit_id"]),
                                 acting=acting)
            out[seat] = entry
        head, deputy = out.get("head"), out.get("deputy")
        if deputy_acts and head is not None and head["status"] == "vacant" \
                and deputy is not None and deputy["status"] == "sitting":
            head.update(status="acting", unit_id=deputy["unit_id"], acting={
                "seat": "head", "unit_id": deputy["unit_id"], "effective": head["vacant_since"],
                "reason": "deputy_acts_for_vacant_head", "automatic": True})
        return out

    def powers_on(self, day: date, unit_ended: Callable[[str], str | None]) -> tuple[str, ...]:
        """The units holding the head's powers on ``day`` (head first, then deputy)."""
        return tuple(dict.fromkeys(
            h["unit_id"] for h in self.holders_on(day, unit_ended).values() if h["unit_id"]))

    def last_head_before(self, term: int) -> str | None:
        for t in reversed(self.terms):
            if t["seat"] == "head" and t["term"] < term:
                return str(t["unit_id"])
        return None

    def rounds_in(self, group_id: str) -> int:
        """How many elections the line has held in this group-year."""
        return sum(1 for e in self.elections
                   if self.election_groups.get(e, self.group_id) == group_id)

    def check_can_open(self) -> None:
        if self.open_election is not None:
            raise RuleViolation("The group already has an open election (in this year or "
                                "another year of its line); declare its result or annul it "
                                "first.", field="group_id", rule="one_open_election")

    def check_term(self, term: int) -> None:
        """A term never replaces a later one already in office."""
        for seat in SEATS:
            current = self.sitting(seat)
            if current is not None and int(current["term"]) > term:
                raise RuleViolation(
                    f"The {seat} in office was elected for the term {current['term']}; an "
                    f"election for the earlier term {term} cannot replace them.",
                    field="term", rule="term_not_before_sitting")

    def check_holds(self, election_id: str) -> None:
        """The election is one of this line's."""
        if election_id not in self.elections:
            raise NotFound("There is no office holding this election.", field="election_id",
                           rule="exists")

    def new_round(self, *, group_id: str, group_code: str, year: int, term: int,
                  meeting_date: str, place: str, members: Sequence[str],
                  present: Sequence[tuple[str, str]], rules: ElectionRules,
                  rules_version: int) -> Election:
        """Open the line's next round for the group-year ``group_id`` (guarded: one open
        election in the line, never for a term earlier than a sitting one; the round's own
        rules in :meth:`Election.open`). The previous term's head is the line's, whatever
        year it was elected in (rotation)."""
        self.check_can_open()
        election = Election.open(
            group_id=group_id, group_code=group_code, round_no=self.rounds_in(group_id) + 1,
            year=year, term=term, meeting_date=meeting_date, place=place, members=members,
            present=present, rules=rules, rules_version=rules_version,
            previous_head=self.last_head_before(term))
        self.open_round(election_id=str(election.id), group_id=group_id, term=term)
        return election

    def open_round(self, election_id: str, group_id: str, term: int) -> None:
        self.check_can_open()
        self.check_term(term)
        self._election_opened(election_id=election_id, group_id=group_id)

    @event("ElectionOpened", topic="thidua:GroupOffice.ElectionOpened")
    def _election_opened(self, election_id: str, group_id: str | None = None) -> None:
        self.elections.append(election_id)
        self.election_groups[election_id] = group_id or self.group_id
        self.open_election = election_id

    def close_round(self, election: Election) -> None:
        """The round is over (declared or annulled): the declared winners take office at
        once, and the line may open its next round."""
        eid = str(election.id)
        self.check_holds(eid)
        if election.result is None:
            if election.status != "annulled":
                raise RuleViolation("The election is still open: declare its result or "
                                    "annul it first.", field="election_id",
                                    rule="election_over")
            self._election_closed(election_id=eid, outcome="annulled")
            return
        winners = election.winners()
        if winners:
            self.take_office(election_id=eid, term=election.term,
                             took_office=str(election.result["declared_at"]), holders=winners)
        self._election_closed(election_id=eid, outcome=str(election.result["outcome"]))

    @event("ElectionClosed", topic="thidua:GroupOffice.ElectionClosed")
    def _election_closed(self, election_id: str, outcome: str) -> None:
        if self.open_election == election_id:
            self.open_election = None

    def take_office(self, election_id: str, term: int, took_office: str,
                    holders: list[dict[str, str]]) -> None:
        """The declared winners take office at once (guarded: one holder a seat, a known
        seat, never over a later term)."""
        seats = [h["seat"] for h in holders]
        if len(set(seats)) != len(seats) or not set(seats) <= set(SEATS):
            raise RuleViolation("Each seat is taken by one unit.", field="seats",
                                rule="one_holder_per_seat")
        self.check_term(term)
        self._office_taken(election_id=election_id, term=term, took_office=took_office,
                           holders=holders)

    @event("OfficeTaken", topic="thidua:GroupOffice.OfficeTaken")
    def _office_taken(self, election_id: str, term: int, took_office: str,
                      holders: list[dict[str, str]]) -> None:
        """Every elected seat at once: the new holders start, the previous ones (and anyone
        acting in the seat) end."""
        for h in holders:
            current = self.sitting(h["seat"])
            if current is not None:
                current["ended"] = took_office
            acting = self.acting_in(h["seat"])
            if acting is not None:
                acting["ended"] = took_office
            self.terms.append({"seat": h["seat"], "unit_id": h["unit_id"], "term": term,
                               "took_office": took_office, "ended": None,
                               "election_id": election_id})

    # -- vacancy: designating an acting holder (giới thiệu) --------------------------------------
    def designate_acting(self, *, seat: str, unit_id: str, unit_code: str, group_id: str,
                         effective: str, reason: str, holder_ended: str | None,
                         is_member: bool, active_on_effective: bool) -> None:
        """The standing office designates a member unit to act in a vacant seat until the
        next election. Guarded: the seat has an elected holder whose unit has ended by
        ``effective``; the unit is a member of the group and exists on that date."""
        if seat not in SEATS:
            raise RuleViolation(f"Seat must be one of {', '.join(SEATS)}.", field="seat",
                                rule="known_seat")
        held = self.sitting(seat)
        if held is None:
            raise RuleViolation(f"Nobody was elected {seat} of this group: there is no vacant "
                                "seat to act in; hold an election.", field="seat",
                                rule="seat_vacant")
        if holder_ended is None or date.fromisoformat(effective) < \
                date.fromisoformat(holder_ended):
            since = f" (its unit ends on {holder_ended})" if holder_ended else ""
            raise RuleViolation(f"The {seat}'s seat is not vacant on {effective}: the elected "
                                f"{seat}'s unit exists then{since}. An acting {seat} is "
                                "designated only for a vacant seat.", field="effective",
                                rule="seat_vacant")
        if not is_member:
            raise RuleViolation(f"{unit_code} is not a member of the group: only a member "
                                "unit is designated to act.", field="unit_code",
                                rule="acting_is_member")
        if not active_on_effective:
            raise RuleViolation(f"{unit_code} does not exist on {effective} (it ended or had "
                                "not begun): it cannot act.", field="unit_code",
                                rule="acting_unit_active")
        current = self.acting_in(seat)
        if current is not None and current["unit_id"] == unit_id:
            raise RuleViolation(f"{unit_code} is already designated to act as {seat}.",
                                field="unit_code", rule="acting_once")
        self._acting_designated(seat=seat, unit_id=unit_id, group_id=group_id,
                                effective=effective, reason=reason, vacant_since=holder_ended)

    @event("ActingDesignated", topic="thidua:GroupOffice.ActingDesignated")
    def _acting_designated(self, seat: str, unit_id: str, group_id: str, effective: str,
                           reason: str, vacant_since: str) -> None:
        current = self.acting_in(seat)
        if current is not None:
            current["ended"] = effective
        self.acting.append({"seat": seat, "unit_id": unit_id, "group_id": group_id,
                            "effective": effective, "reason": reason,
                            "vacant_since": vacant_since, "ended": None})

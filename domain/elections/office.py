"""Who heads a group (Khối trưởng / Cụm trưởng and the deputy): the terms of office and the
election in progress."""

from __future__ import annotations

from typing import Any

from eventsourcing.domain import event

from domain.elections.rules import SEATS
from domain.kernel.base import ThiduaAggregate, stable_id
from domain.kernel.errors import RuleViolation


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

    def sitting(self, seat: str) -> dict[str, Any] | None:
        for t in reversed(self.terms):
            if t["seat"] == seat and t["ended"] is None:
                return t
        return None

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

    def open_round(self, election_id: str, group_id: str, term: int) -> None:
        self.check_can_open()
        self.check_term(term)
        self.election_opened(election_id=election_id, group_id=group_id)

    @event("ElectionOpened", topic="thidua:GroupOffice.ElectionOpened")
    def election_opened(self, election_id: str, group_id: str | None = None) -> None:
        self.elections.append(election_id)
        self.election_groups[election_id] = group_id or self.group_id
        self.open_election = election_id

    @event("ElectionClosed", topic="thidua:GroupOffice.ElectionClosed")
    def election_closed(self, election_id: str, outcome: str) -> None:
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
        """Every elected seat at once: the new holders start, the previous ones end."""
        for h in holders:
            current = self.sitting(h["seat"])
            if current is not None:
                current["ended"] = took_office
            self.terms.append({"seat": h["seat"], "unit_id": h["unit_id"], "term": term,
                               "took_office": took_office, "ended": None,
                               "election_id": election_id})

"""Who heads a group (Khối trưởng / Cụm trưởng and the deputy): the terms of office and the
election in progress."""

from __future__ import annotations

from typing import Any

from eventsourcing.domain import event

from domain.kernel.base import ThiduaAggregate, stable_id


def office_id(group_id: str) -> Any:
    return stable_id("group-office", group_id)


class GroupOffice(ThiduaAggregate):
    """Who heads a group (Khối trưởng / Cụm trưởng and the deputy), and its elections.

    Holds the election in progress, so a group has at most one open election at a time, and
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

    @event("ElectionOpened", topic="thidua:GroupOffice.ElectionOpened")
    def election_opened(self, election_id: str) -> None:
        self.elections.append(election_id)
        self.open_election = election_id

    @event("ElectionClosed", topic="thidua:GroupOffice.ElectionClosed")
    def election_closed(self, election_id: str, outcome: str) -> None:
        if self.open_election == election_id:
            self.open_election = None

    @event("OfficeTaken", topic="thidua:GroupOffice.OfficeTaken")
    def take_office(self, election_id: str, term: int, took_office: str,
                    holders: list[dict[str, str]]) -> None:
        """Every elected seat at once: the new holders start, the previous ones end."""
        for h in holders:
            current = self.sitting(h["seat"])
            if current is not None:
                current["ended"] = took_office
            self.terms.append({"seat": h["seat"], "unit_id": h["unit_id"], "term": term,
                               "took_office": took_office, "ended": None,
                               "election_id": election_id})

"""What the election use cases share: the round, its office, the year's rules, the secret
ballots' keys, and the answers a write gives. The mixins of rules, rounds and offices
subclass :class:`ElectionLookups`, never each other."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.elections.election import Election, ElectionRuleSet, election_rules_id
from domain.elections.office import GroupOffice
from domain.elections.rules import SEATS, ElectionRules
from domain.kernel.dates import check_year
from domain.kernel.errors import NotFound
from domain.kernel.ids import parse_uuid
from domain.lookups import Lookups
from domain.store.ballot_keys import BallotKeys, ballot_keys_for


class ElectionLookups(Lookups):
    """Loaders and answers of the election use cases."""

    _ballot_keys: BallotKeys | None = None

    def ballot_keys(self) -> BallotKeys:
        if self._ballot_keys is None:
            self._ballot_keys = ballot_keys_for(self.recorder)
        return self._ballot_keys

    def election(self, election_id: str) -> Election:
        eid = str(parse_uuid(election_id, "election_id"))
        return self.load(Election, UUID(eid), what=f"election {eid}", field="election_id")

    def office_of(self, election: Election) -> GroupOffice:
        """The office of the election's line, holding it as its open election."""
        office = self.group_office(election.group_id, election.year)
        if office is None:
            raise NotFound("There is no office holding this election.", field="election_id",
                           rule="exists")
        office.check_holds(str(election.id))
        return office

    def line_office(self, group_id: str, year: int) -> GroupOffice:
        """The office of the group's line; before the line's first election, a new one for
        the line's first group (it opens with that election)."""
        office = self.group_office(group_id, year)
        if office is None:
            first_year, first_group = self.group_line(group_id, year)[-1]
            office = GroupOffice(group_id=first_group, year=first_year)
        return office

    def election_rules(self, year: int) -> tuple[ElectionRules, int]:
        """The year's current election rules and their version (0: the defaults)."""
        check_year(year)
        rid = election_rules_id(year)
        if not self.exists(rid):
            return ElectionRules(), 0
        rs = self.load(ElectionRuleSet, rid, what="election rules", field="year")
        return rs.in_force, int(rs.current["version"])

    def deputy_acts(self, office: GroupOffice) -> bool:
        """Whether the deputy acts in a vacant head's seat: the rule of the election that
        elected the head in office (an election keeps its rules)."""
        held = office.sitting("head")
        if held is None:
            return False
        election = self.find(Election, UUID(str(held["election_id"])))
        return bool(election and election.rule_set.deputy_acts_for_vacant_head)

    # -- what a write answers ------------------------------------------------------------------
    def office_summary(self, office: GroupOffice, group: dict[str, Any], year: int,
                       day: Any) -> dict[str, Any]:
        """Who holds each seat's powers on ``day``, as a write answers it."""
        seats: dict[str, Any] = {}
        for seat, h in office.holders_on(day, self.unit_ended,
                                         self.deputy_acts(office)).items():
            acting = h["acting"]
            seats[seat] = {
                "status": h["status"], "unit_code": self.unit_code_of(h["holder"]["unit_id"]),
                "term": h["holder"]["term"], "vacant_since": h["vacant_since"],
                "acting": None if acting is None else {
                    "unit_code": self.unit_code_of(acting["unit_id"]),
                    "effective": acting["effective"], "reason": acting["reason"],
                    "automatic": bool(acting.get("automatic"))}}
        return {"group_id": group["id"], "year": year, "code": group["code"],
                "on": day.isoformat(), "head": seats.get("head"),
                "deputy": seats.get("deputy"), "version": office.version}

    def election_summary(self, election: Election) -> dict[str, Any]:
        """What a write answers: never a choice, never a voter."""
        out: dict[str, Any] = {
            "id": str(election.id), "group_id": election.group_id, "year": election.year,
            "round": election.round_no, "term": election.term, "status": election.status,
            "meeting_date": election.meeting_date, "place": election.place,
            "members": len(election.members), "present": len(election.present),
            "rules_version": election.rules_version, "rules": election.rules,
            "ballots_cast": {s: len(election.ballots[s]) for s in SEATS},
            "version": election.version,
        }
        if election.result is not None:
            r = election.result
            out["outcome"] = r["outcome"]
            out["quorum"] = r["quorum"]
            out["seats"] = {s: self._seat_view(v) for s, v in r["seats"].items()}
            out["declared_at"] = r["declared_at"]
        if election.annul_reason is not None:
            out["annul_reason"] = election.annul_reason
        return out

    def _seat_view(self, seat: dict[str, Any]) -> dict[str, Any]:
        out = {"status": seat["status"], "ballots": seat["ballots"],
               "winner": self.unit_code_of(seat.get("winner")),
               "votes": [{"unit_code": self.unit_code_of(u), "votes": v}
                         for u, v in seat["votes"].items()]}
        if seat.get("tied"):
            out["tied"] = [self.unit_code_of(u) for u in seat["tied"]]
        return out

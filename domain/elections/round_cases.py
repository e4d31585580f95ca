"""Use cases of a round of a group's election (bầu Khối trưởng / Cụm trưởng): open it at the
annual summary meeting, put candidates forward, cast ballots, declare or annul. The rules
are the aggregates' (Election, GroupOffice); these load, command and save.

Who may: ``election.run`` — the standing office, or the secretariat of the group's sitting
head or deputy (a group with no head yet: the standing office only); ``ballot.cast`` — a
member unit, for itself.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.covenants.covenant import check_text
from domain.elections.base import ElectionLookups
from domain.elections.election import check_attendance
from domain.elections.rules import check_seat, meeting_term
from domain.kernel.actor import Actor
from domain.kernel.dates import EARLIEST, check_year, parse_date
from domain.kernel.errors import NotFound, RuleViolation
from domain.kernel.ids import parse_uuid
from domain.kernel.result import Done


class ElectionRoundCases(ElectionLookups):
    """One round of a group's election, from the meeting to the declared result."""

    def open_election(self, actor: Actor, *, group_id: str, year: int, meeting_date: str,
                      place: str, present: list[str], term: int | None = None,
                      reason: str | None = None) -> Done:
        """Open a round at the group's annual summary meeting (date, place, members present)."""
        check_year(year)
        meeting = parse_date(meeting_date, "meeting_date")
        term = meeting_term(year, meeting, term, self.election_rules(year)[0])
        place = check_text(place, "place", 300)
        check_attendance(present)
        if reason is not None:
            reason = check_text(reason, "reason")
        group = self._group_elected_for(group_id, year, meeting)
        gid = group["id"]
        heads = self.head_powers(actor, "election.run", gid, year)

        def work() -> tuple[dict[str, Any], list[Any]]:
            office = self.line_office(gid, year)
            attending = [(code, str(self.unit(code, f"present[{i}]").id))
                         for i, code in enumerate(present)]
            rules, rules_version = self.election_rules(year)
            election = office.new_round(
                group_id=gid, group_code=group["code"], year=year, term=term,
                meeting_date=meeting.isoformat(), place=place, members=list(group["members"]),
                present=attending, rules=rules, rules_version=rules_version)
            return self.election_summary(election), [election, office]

        done = self.act(actor, "election.run", work, group_head_units=heads, reason=reason)
        office = self.group_office(gid, year)
        if office is not None:  # keys of closed rounds that a failure may have left behind
            self.ballot_keys().shred(*[e for e in office.elections if e != done.view["id"]])
        return done

    def _group_elected_for(self, group_id: str, year: int, meeting: date) -> dict[str, Any]:
        """The group of ``year`` the meeting elects for; a December meeting of the year
        before needs that group declared (its line existing in ``year``)."""
        try:
            return self.group_in_year(group_id, year)
        except NotFound:
            if meeting.year != year - 1:
                raise
            gid = str(parse_uuid(group_id, "group_id"))
            earlier = self._registered(year - 1).get(gid) if year > EARLIEST.year else None
            what = (f"{earlier['code']} of {year - 1} has no group in {year} that continues "
                    "it" if earlier else f"there is no group {gid} in {year}")
            raise RuleViolation(
                f"A meeting of {year - 1} elects for a {year} group only once that group is "
                f"declared, and {what}: form the {year} groups first (same code, or "
                f"'continues'), then record the meeting for the {year} group.",
                field="group_id", rule="next_term_group_declared") from None

    def put_forward(self, actor: Actor, election_id: str, *, unit_code: str,
                    seat: str) -> Done:
        """Put a member unit forward for head or deputy."""
        seat = check_seat(seat)
        opened = self.election(election_id)
        gid, year = opened.group_id, opened.year

        def work() -> tuple[dict[str, Any], list[Any]]:
            election = self.election(election_id)
            unit = self.unit(unit_code, "unit_code")
            election.put_forward(seat, str(unit.id), unit.code, self.group_office(gid, year))
            return {"election_id": str(election.id), "seat": seat, "unit_code": unit.code,
                    "unit_name": unit.name,
                    "candidates": len(election.candidates[seat])}, [election]

        return self.act(actor, "election.run", work,
                        group_head_units=self.head_powers(actor, "election.run", gid, year))

    def cast_ballot(self, actor: Actor, election_id: str, *, seat: str,
                    candidate_code: str) -> Done:
        """The acting unit's ballot for one seat. Secret by default: the choice is sealed
        and is never linked to the voter (docs/decisions.md)."""
        seat = check_seat(seat)
        voter = actor.unit_id

        def work() -> tuple[dict[str, Any], list[Any]]:
            election = self.election(election_id)
            candidate = self.unit(candidate_code, "candidate_code")
            eid = str(election.id)
            election.cast_ballot(seat, voter, str(candidate.id), candidate.code,
                                 key=lambda: self.ballot_keys().key_for(eid))
            return {"election_id": eid, "seat": seat, "recorded": True,
                    "ballots_cast": len(election.ballots[seat])}, [election]

        return self.act(actor, "ballot.cast", work, unit_id=voter)

    def declare_result(self, actor: Actor, election_id: str) -> Done:
        """Count and declare. The winners take office at once; a failed quorum, a tie or a
        failed majority is declared as the outcome, with its reason."""
        opened = self.election(election_id)
        gid, year = opened.group_id, opened.year

        def work() -> tuple[dict[str, Any], list[Any]]:
            election = self.election(election_id)
            office = self.office_of(election)
            eid = str(election.id)
            election.declare(self.now().isoformat(),
                             key=lambda: self.ballot_keys().existing(eid))
            office.close_round(election)
            return self.election_summary(election), [election, office]

        done = self.act(actor, "election.run", work,
                        group_head_units=self.head_powers(actor, "election.run", gid, year))
        self.ballot_keys().shred(done.view["id"])
        return done

    def annul_election(self, actor: Actor, election_id: str, *,
                       reason: str) -> Done:
        reason = check_text(reason, "reason")
        opened = self.election(election_id)
        gid, year = opened.group_id, opened.year

        def work() -> tuple[dict[str, Any], list[Any]]:
            election = self.election(election_id)
            office = self.office_of(election)
            election.annul(reason)
            office.close_round(election)
            return self.election_summary(election), [election, office]

        done = self.act(actor, "election.run", work,
                        group_head_units=self.head_powers(actor, "election.run", gid, year),
                        reason=reason)
        self.ballot_keys().shred(done.view["id"])
        return done

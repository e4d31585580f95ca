"""Use cases of elections (bầu Khối trưởng / Cụm trưởng) and covenants (giao ước thi đua).

Who may: ``election.run`` — the standing office, or the secretariat of the group's sitting
head or deputy (a group with no head yet: the standing office only); ``ballot.cast``,
``covenant.sign``, ``target.register`` — a member unit, for itself; ``covenant.launch``,
``finding.record`` — the secretariat of the sitting head or deputy.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any
from uuid import UUID

from domain.covenants.covenant import (
    check_text,
)
from domain.elections.ballots import BALLOT_BOX, open_choice, seal_choice, shuffled_ballots
from domain.elections.election import Election, ElectionRuleSet, election_rules_id
from domain.elections.office import GroupOffice
from domain.elections.rules import (
    SEATS,
    ElectionRules,
    check_rotation,
    check_seat,
    election_outcome,
    meeting_term,
)
from domain.kernel.actor import Actor, acting
from domain.kernel.dates import EARLIEST, check_year, parse_date
from domain.kernel.errors import Conflict, InvalidInput, NotAuthorised, NotFound, RuleViolation
from domain.kernel.ids import parse_uuid
from domain.kernel.result import Done
from domain.lookups import Lookups
from domain.store.ballot_keys import BallotKeys, ballot_keys_for


class ElectionCases(Lookups):
    """Elections of a group's head and deputy, the year's election rules, and covenants."""

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
        if office is None or str(election.id) not in office.elections:
            raise NotFound("There is no office holding this election.", field="election_id",
                           rule="exists")
        return office

    def election_rules(self, year: int) -> tuple[ElectionRules, int]:
        """The year's current election rules and their version (0: the defaults)."""
        check_year(year)
        rid = election_rules_id(year)
        if not self.exists(rid):
            return ElectionRules(), 0
        rs = self.load(ElectionRuleSet, rid, what="election rules", field="year")
        return ElectionRules.stored(rs.current["rules"]), int(rs.current["version"])

    # -- the year's rules ------------------------------------------------------------------
    def set_election_rules(self, actor: Actor, *, year: int, rules: dict[str, Any],
                           reason: str | None = None,
                           version: int | None = None) -> Done:
        """A new version of the year's election rules (standing office). Fields not given
        keep their current value."""
        check_year(year)
        if reason is not None:
            reason = check_text(reason, "reason")

        def work() -> tuple[dict[str, Any], list[Any]]:
            current, _ = self.election_rules(year)
            new = ElectionRules.from_dict({**current.to_dict(), **rules})
            rid = election_rules_id(year)
            if self.exists(rid):
                rs = self.load(ElectionRuleSet, rid, what="election rules", field="year")
                self.check_version(rs, version, "election rule set")
                rs.revise(rules=new.to_dict(), reason=reason)
            else:
                if version not in (None, 0):
                    raise Conflict(f"The election rules of {year} have no version yet.",
                                   current_version=0, field="version", rule="stale_version")
                rs = ElectionRuleSet(year=year, rules=new.to_dict(), reason=reason)
            return {"year": year, "version": rs.current["version"], "rules": new.to_dict(),
                    "reason": reason}, [rs]

        # The group-head scope of election.run never applies to the year's rules (no head
        # units are given): only the standing office sets them.
        return self.act(actor, "election.run", work, reason=reason)

    # -- elections ---------------------------------------------------------------------------
    def open_election(self, actor: Actor, *, group_id: str, year: int, meeting_date: str,
                      place: str, present: list[str], term: int | None = None,
                      reason: str | None = None) -> Done:
        """Open a round at the group's annual summary meeting (date, place, members present)."""
        check_year(year)
        meeting = parse_date(meeting_date, "meeting_date")
        term = meeting_term(year, meeting, term, self.election_rules(year)[0])
        place = check_text(place, "place", 300)
        if not isinstance(present, list) or not present:
            raise InvalidInput("List the member units present at the meeting.",
                               field="present", rule="present_not_empty")
        dupes = sorted(c for c, n in Counter(present).items() if n > 1)
        if dupes:
            raise InvalidInput(f"Listed more than once: {', '.join(dupes)}.", field="present",
                               rule="present_once")
        if reason is not None:
            reason = check_text(reason, "reason")
        group = self._group_elected_for(group_id, year, meeting)
        gid = group["id"]
        heads = self.head_powers(actor, "election.run", gid, year)

        def work() -> tuple[dict[str, Any], list[Any]]:
            office = self.group_office(gid, year)
            if office is None:  # the line's first election: its office opens with it
                first_year, first_group = self.group_line(gid, year)[-1]
                office = GroupOffice(group_id=first_group, year=first_year)
            office.check_can_open()
            members = list(group["members"])
            present_ids = []
            for i, code in enumerate(present):
                unit = self.unit(code, f"present[{i}]")
                if str(unit.id) not in members:
                    raise RuleViolation(f"{code} is not a member of {group['code']} in {year}.",
                                        field=f"present[{i}]", rule="present_is_member")
                present_ids.append(str(unit.id))
            rules, rules_version = self.election_rules(year)
            # the line's office holds every earlier term, whatever year it was elected in
            previous_head = office.last_head_before(term)
            election = Election(group_id=gid, round_no=office.rounds_in(gid) + 1, year=year,
                                term=term, meeting_date=meeting.isoformat(), place=place,
                                members=members, present=present_ids, rules=rules.to_dict(),
                                rules_version=rules_version, previous_head=previous_head)
            office.open_round(election_id=str(election.id), group_id=gid, term=term)
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
            election.check_open()
            unit = self.unit(unit_code, "unit_code")
            uid = str(unit.id)
            if uid not in election.members:
                raise RuleViolation(f"{unit.code} is not a member unit of the group this year; "
                                    "only members stand.", field="unit_code",
                                    rule="candidate_is_member")
            if uid in election.candidates[seat]:
                raise RuleViolation(f"{unit.code} is already a candidate for {seat}.",
                                    field="unit_code", rule="candidate_once")
            if election.ballots[seat]:
                raise RuleViolation(f"Voting for {seat} has begun; candidates are put forward "
                                    "before the first ballot.", field="seat",
                                    rule="candidates_before_ballots")
            rules = election.rule_set
            check_rotation(seat, uid, election.previous_head, rules, unit.code)
            if rules.head_deputy_distinct:
                other = "deputy" if seat == "head" else "head"
                office = self.group_office(gid, year)
                holder = office.sitting(other) if office else None
                if uid in election.candidates[other] or (
                        holder is not None and holder["unit_id"] == uid
                        and holder["term"] == election.term):
                    raise RuleViolation(f"{unit.code} stands for (or holds) {other} for this "
                                        "term; the head and the deputy are different units.",
                                        field="unit_code", rule="head_deputy_distinct")
            election.put_forward(seat=seat, unit_id=uid)
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
            if voter not in election.members:
                raise NotAuthorised("Only member units of the group vote; your unit is not a "
                                    "member this year.", field="election_id",
                                    rule="voter_is_member")
            election.check_open()
            if voter not in election.present:
                raise RuleViolation("Your unit was not recorded present at the meeting; only "
                                    "units present vote.", field="election_id",
                                    rule="voter_present")
            candidate = self.unit(candidate_code, "candidate_code")
            cid = str(candidate.id)
            if cid not in election.candidates[seat]:
                raise RuleViolation(f"{candidate.code} is not a candidate for {seat}.",
                                    field="candidate_code", rule="candidate_for_seat")
            if voter in election.ballots[seat]:
                raise Conflict(f"Your unit has already voted for {seat}; one ballot per unit "
                               "and seat.", field="seat", rule="one_ballot_per_seat")
            eid = str(election.id)
            if election.rule_set.secret_ballot:
                key = self.ballot_keys().key_for(eid)
                election.cast(seat=seat, voter=voter,
                              sealed=seal_choice(key, eid, seat, voter, cid), candidate=None)
            else:
                election.cast(seat=seat, voter=voter, sealed=None, candidate=cid)
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
            election.check_open()
            office = self.office_of(election)
            eid = str(election.id)
            rules = election.rule_set
            pairs: list[tuple[str, str]] = []
            cast = any(election.ballots[s] for s in SEATS)
            key = self.ballot_keys().existing(eid) if rules.secret_ballot and cast else None
            if rules.secret_ballot and cast and key is None:
                raise RuleViolation("The key of this election's sealed ballots is missing; "
                                    "the ballots cannot be counted. Annul the election and "
                                    "hold it again.", field="election_id",
                                    rule="ballot_key_valid")
            for seat in SEATS:
                for voter, held in election.ballots[seat].items():
                    choice = (open_choice(key, eid, seat, voter, held) if key is not None
                              else held)
                    pairs.append((seat, choice))
            ballots = shuffled_ballots(pairs)
            choices: dict[str, list[str]] = {s: [] for s in SEATS}
            for b in ballots:
                choices[b["seat"]].append(b["candidate"])
            result = election_outcome(members=len(election.members),
                                      present=len(election.present),
                                      candidates=election.candidates, choices=choices,
                                      rules=rules)
            now = self.now().isoformat()
            if ballots:
                with acting(BALLOT_BOX):
                    election.count(ballots=ballots)
            election.declare(result=result, declared_at=now)
            holders = [{"seat": s, "unit_id": result["seats"][s]["winner"]} for s in SEATS
                       if result["seats"][s]["status"] == "elected"]
            if holders:
                office.take_office(election_id=eid, term=election.term, took_office=now,
                                   holders=holders)
            office.election_closed(election_id=eid, outcome=result["outcome"])
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
            election.check_open()
            office = self.office_of(election)
            election.annul(reason=reason)
            office.election_closed(election_id=str(election.id), outcome="annulled")
            return self.election_summary(election), [election, office]

        done = self.act(actor, "election.run", work,
                        group_head_units=self.head_powers(actor, "election.run", gid, year),
                        reason=reason)
        self.ballot_keys().shred(done.view["id"])
        return done

    # -- a vacant seat: designating an acting holder (giới thiệu) --------------------------------
    def designate_acting(self, actor: Actor, *, group_id: str, year: int, unit_code: str,
                         reason: str, seat: str = "head",
                         effective: str | None = None) -> Done:
        """The standing office designates a member unit of the group to act in a seat left
        vacant when its holder's unit ended (merged, dissolved), until the line's next
        election (letter 4268 A.I.1, "giới thiệu"). ``effective`` defaults to today."""
        seat = check_seat(seat)
        reason = check_text(reason, "reason")
        day = parse_date(effective, "effective") if effective else self.now().date()
        group = self.group_in_year(group_id, year)
        gid = group["id"]

        def work() -> tuple[dict[str, Any], list[Any]]:
            office = self.group_office(gid, year)
            if office is None:
                raise RuleViolation(f"{group['code']} has never elected a head: there is no "
                                    "vacant seat to act in; hold an election.", field="seat",
                                    rule="seat_vacant")
            unit = self.unit(unit_code, "unit_code")
            held = office.sitting(seat)
            office.designate_acting(
                seat=seat, unit_id=str(unit.id), unit_code=unit.code, group_id=gid,
                effective=day.isoformat(), reason=reason,
                holder_ended=self.unit_ended(str(held["unit_id"])) if held else None,
                is_member=str(unit.id) in (
                    self.group_year(year).members_on(gid, day.isoformat())
                    if day.year == year else group["members"]),
                active_on_effective=unit.period_on(day) is not None)
            return self.office_summary(office, group, year, day), [office]

        return self.act(actor, "office.designate", work, reason=reason)

    def deputy_acts(self, office: GroupOffice) -> bool:
        """Whether the deputy acts in a vacant head's seat: the rule of the election that
        elected the head in office (an election keeps its rules)."""
        held = office.sitting("head")
        if held is None:
            return False
        election = self.find(Election, UUID(str(held["election_id"])))
        return bool(election and election.rule_set.deputy_acts_for_vacant_head)

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


"""Use cases of elections (bầu Khối trưởng / Cụm trưởng) and covenants (giao ước thi đua).

Who may: ``election.run`` — the standing office, or the secretariat of the group's sitting
head or deputy (a group with no head yet: the standing office only); ``ballot.cast``,
``covenant.sign``, ``target.register`` — a member unit, for itself; ``covenant.launch``,
``finding.record`` — the secretariat of the sitting head or deputy.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID

from domain.actor import Actor, acting
from domain.ballot_keys import BallotKeys, ballot_keys_for
from domain.cases import UseCases
from domain.dates import check_year, parse_date
from domain.elections import (
    ASSESSMENTS,
    BALLOT_BOX,
    SEATS,
    Covenant,
    Election,
    ElectionRules,
    ElectionRuleSet,
    GroupOffice,
    check_decimal,
    check_rotation,
    check_seat,
    check_targets,
    check_text,
    covenant_id,
    election_outcome,
    election_rules_id,
    office_id,
    open_choice,
    seal_choice,
    shuffled_ballots,
)
from domain.errors import Conflict, InvalidInput, NotAuthorised, NotFound, RuleViolation
from domain.groups import group_id as make_group_id
from domain.units import Unit

if TYPE_CHECKING:
    from domain.groups import GroupYear


def _uuid(value: Any, field: str) -> str:
    try:
        return str(UUID(str(value)))
    except ValueError:
        raise InvalidInput(f"'{value}' is not an id (a UUID).", field=field,
                           rule="uuid_format") from None


class ElectionCases(UseCases):
    """Elections of a group's head and deputy, the year's election rules, and covenants."""

    if TYPE_CHECKING:
        def group_year(self, year: int) -> GroupYear: ...

    _ballot_keys: BallotKeys | None = None

    def ballot_keys(self) -> BallotKeys:
        if self._ballot_keys is None:
            self._ballot_keys = ballot_keys_for(self.recorder)
        return self._ballot_keys

    # -- reading the authoritative state -----------------------------------------------------
    def head_units(self, group_id: str) -> tuple[str, ...]:
        """Unit ids of the sitting head and deputy of the group (empty if none elected)."""
        office = self._office_of(group_id)
        if office is None:
            return ()
        return tuple(str(t["unit_id"]) for s in SEATS if (t := office.sitting(s)) is not None)

    def sitting_head(self, group_id: str) -> str | None:
        office = self._office_of(group_id)
        term = office.sitting("head") if office else None
        return str(term["unit_id"]) if term else None

    def group_office(self, group_id: str) -> GroupOffice | None:
        return self._office_of(group_id)

    def election(self, election_id: str) -> Election:
        eid = _uuid(election_id, "election_id")
        return self.load(Election, UUID(eid), what=f"election {eid}", field="election_id")

    def covenant(self, covenant_id_: str) -> Covenant:
        cid = _uuid(covenant_id_, "covenant_id")
        return self.load(Covenant, UUID(cid), what=f"covenant {cid}", field="covenant_id")

    def election_rules(self, year: int) -> tuple[ElectionRules, int]:
        """The year's current election rules and their version (0: the defaults)."""
        check_year(year)
        rid = election_rules_id(year)
        if not self.exists(rid):
            return ElectionRules(), 0
        rs = self.load(ElectionRuleSet, rid, what="election rules", field="year")
        return ElectionRules(**rs.current["rules"]), int(rs.current["version"])

    def _office_of(self, group_id: str) -> GroupOffice | None:
        oid = office_id(_uuid(group_id, "group_id"))
        if not self.exists(oid):
            return None
        return self.load(GroupOffice, oid, what="group office", field="group_id")

    def _election_group(self, group_id: str, year: int) -> dict[str, Any]:
        gid = _uuid(group_id, "group_id")
        group = self.group_year(year).groups.get(gid)
        if group is None:
            raise NotFound(f"There is no group {gid} in {year}.", field="group_id",
                           rule="exists")
        return group

    def _unit_code_of(self, unit_id: str | None) -> str | None:
        if unit_id is None:
            return None
        return self.load(Unit, unit_id, what="unit", field="unit_id").code

    # -- the year's rules ------------------------------------------------------------------
    def set_election_rules(self, actor: Actor, *, year: int, rules: dict[str, Any],
                           reason: str | None = None,
                           version: int | None = None) -> tuple[dict[str, Any], int]:
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
                      reason: str | None = None) -> tuple[dict[str, Any], int]:
        """Open a round at the group's annual summary meeting (date, place, members present)."""
        check_year(year)
        meeting = parse_date(meeting_date, "meeting_date")
        if meeting.year not in (year, year + 1):
            raise InvalidInput(f"The summary meeting of {year} is held in {year} or early "
                               f"{year + 1}, not on {meeting.isoformat()}.",
                               field="meeting_date", rule="meeting_in_year")
        place = check_text(place, "place", 300)
        term = year + 1 if term is None else term
        if isinstance(term, bool) or not isinstance(term, int) or not year <= term <= year + 5:
            raise InvalidInput(f"The term is a year from {year} to {year + 5}.", field="term",
                               rule="term_range")
        if not isinstance(present, list) or not present:
            raise InvalidInput("List the member units present at the meeting.",
                               field="present", rule="present_not_empty")
        dupes = sorted(c for c, n in Counter(present).items() if n > 1)
        if dupes:
            raise InvalidInput(f"Listed more than once: {', '.join(dupes)}.", field="present",
                               rule="present_once")
        if reason is not None:
            reason = check_text(reason, "reason")
        group = self._election_group(group_id, year)
        gid = group["id"]
        heads = self.head_units(gid)

        def work() -> tuple[dict[str, Any], list[Any]]:
            office = self._office_of(gid) or GroupOffice(group_id=gid, year=year)
            if office.open_election is not None:
                raise RuleViolation("The group already has an open election; declare its "
                                    "result or annul it first.", field="group_id",
                                    rule="one_open_election")
            members = list(group["members"])
            present_ids = []
            for i, code in enumerate(present):
                unit = self.unit(code, f"present[{i}]")
                if str(unit.id) not in members:
                    raise RuleViolation(f"{code} is not a member of {group['code']} in {year}.",
                                        field=f"present[{i}]", rule="present_is_member")
                present_ids.append(str(unit.id))
            rules, rules_version = self.election_rules(year)
            previous_head = office.last_head_before(term)
            if previous_head is None and year > 1995:
                before = self._office_of(make_group_id(
                    year - 1, group["kind"], group["code"], group["province_id"]))
                previous_head = before.last_head_before(term) if before else None
            election = Election(group_id=gid, round_no=len(office.elections) + 1, year=year,
                                term=term, meeting_date=meeting.isoformat(), place=place,
                                members=members, present=present_ids, rules=rules.to_dict(),
                                rules_version=rules_version, previous_head=previous_head)
            office.election_opened(election_id=str(election.id))
            return self.election_summary(election), [election, office]

        result, position = self.act(actor, "election.run", work, group_head_units=heads,
                                    reason=reason)
        office = self._office_of(gid)
        if office is not None:  # keys of closed rounds that a failure may have left behind
            self.ballot_keys().shred(*[e for e in office.elections if e != result["id"]])
        return result, position

    def put_forward(self, actor: Actor, election_id: str, *, unit_code: str,
                    seat: str) -> tuple[dict[str, Any], int]:
        """Put a member unit forward for head or deputy."""
        seat = check_seat(seat)
        gid = self.election(election_id).group_id

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
                office = self._office_of(election.group_id)
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

        return self.act(actor, "election.run", work, group_head_units=self.head_units(gid))

    def cast_ballot(self, actor: Actor, election_id: str, *, seat: str,
                    candidate_code: str) -> tuple[dict[str, Any], int]:
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

    def declare_result(self, actor: Actor, election_id: str) -> tuple[dict[str, Any], int]:
        """Count and declare. The winners take office at once; a failed quorum, a tie or a
        failed majority is declared as the outcome, with its reason."""
        gid = self.election(election_id).group_id

        def work() -> tuple[dict[str, Any], list[Any]]:
            election = self.election(election_id)
            election.check_open()
            office = self.load(GroupOffice, office_id(gid), what="group office",
                               field="group_id")
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

        result, position = self.act(actor, "election.run", work,
                                    group_head_units=self.head_units(gid))
        self.ballot_keys().shred(result["id"])
        return result, position

    def annul_election(self, actor: Actor, election_id: str, *,
                       reason: str) -> tuple[dict[str, Any], int]:
        reason = check_text(reason, "reason")
        gid = self.election(election_id).group_id

        def work() -> tuple[dict[str, Any], list[Any]]:
            election = self.election(election_id)
            election.check_open()
            office = self.load(GroupOffice, office_id(gid), what="group office",
                               field="group_id")
            election.annul(reason=reason)
            office.election_closed(election_id=str(election.id), outcome="annulled")
            return self.election_summary(election), [election, office]

        result, position = self.act(actor, "election.run", work,
                                    group_head_units=self.head_units(gid), reason=reason)
        self.ballot_keys().shred(result["id"])
        return result, position

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
               "winner": self._unit_code_of(seat.get("winner")),
               "votes": [{"unit_code": self._unit_code_of(u), "votes": v}
                         for u, v in seat["votes"].items()]}
        if seat.get("tied"):
            out["tied"] = [self._unit_code_of(u) for u in seat["tied"]]
        return out

    # -- covenants -----------------------------------------------------------------------------
    def _covenant_heads(self, cov: Covenant) -> tuple[str, ...]:
        return self.head_units(cov.group_id)

    def _is_covenant_member(self, cov: Covenant, unit_id: str | None) -> bool:
        group = self.group_year(cov.year).groups.get(cov.group_id)
        return bool(group and unit_id in group["members"])

    def launch_covenant(self, actor: Actor, *, group_id: str, year: int, title: str,
                        launched_on: str, targets: list[dict[str, Any]],
                        ) -> tuple[dict[str, Any], int]:
        """Phát động thi đua: the head launches the year's covenant with named targets."""
        check_year(year)
        title = check_text(title, "title", 300)
        day = parse_date(launched_on, "launched_on")
        if day.year not in (year - 1, year):
            raise InvalidInput(f"The covenant of {year} is launched in {year - 1} or {year}.",
                               field="launched_on", rule="launched_in_year")
        checked = check_targets(targets)
        group = self._election_group(group_id, year)
        gid = group["id"]

        def work() -> tuple[dict[str, Any], list[Any]]:
            if self.exists(covenant_id(gid)):
                raise RuleViolation(f"{group['code']} already has its covenant for {year}; "
                                    "amend it instead.", field="group_id",
                                    rule="one_covenant_per_year")
            cov = Covenant(group_id=gid, year=year, title=title,
                           launched_on=day.isoformat(), targets=checked)
            return self.covenant_summary(cov), [cov]

        return self.act(actor, "covenant.launch", work, group_head_units=self.head_units(gid))

    def amend_covenant(self, actor: Actor, covenant_id_: str, *, reason: str,
                       targets: list[dict[str, Any]] | None = None, title: str | None = None,
                       version: int | None = None) -> tuple[dict[str, Any], int]:
        reason = check_text(reason, "reason")
        checked = check_targets(targets) if targets is not None else None
        new_title = check_text(title, "title", 300) if title is not None else None
        if checked is None and new_title is None:
            raise InvalidInput("An amendment changes the targets or the title.",
                               field="targets", rule="amendment_changes_something")
        gid = self.covenant(covenant_id_).group_id

        def work() -> tuple[dict[str, Any], list[Any]]:
            cov = self.covenant(covenant_id_)
            self.check_version(cov, version, "covenant")
            cov.amend(targets=checked if checked is not None else cov.targets,
                      title=new_title or cov.title, reason=reason)
            return self.covenant_summary(cov), [cov]

        return self.act(actor, "covenant.launch", work, group_head_units=self.head_units(gid),
                        reason=reason)

    def sign_covenant(self, actor: Actor, covenant_id_: str, *,
                      signed_on: str | None = None) -> tuple[dict[str, Any], int]:
        """A member unit signs the covenant (ký giao ước), once."""
        unit = actor.unit_id

        def work() -> tuple[dict[str, Any], list[Any]]:
            cov = self.covenant(covenant_id_)
            if not self._is_covenant_member(cov, unit):
                raise NotAuthorised("Only member units of the group sign its covenant.",
                                    field="covenant_id", rule="signer_is_member")
            if unit in cov.signatures:
                raise Conflict(f"Your unit signed this covenant on "
                               f"{cov.signatures[str(unit)]['signed_on']}; a member signs once.",
                               field="covenant_id", rule="sign_once")
            day = parse_date(signed_on, "signed_on") if signed_on else self.now().date()
            if day < date.fromisoformat(cov.launched_on):
                raise RuleViolation(f"The covenant was launched on {cov.launched_on}; it cannot "
                                    "be signed before.", field="signed_on",
                                    rule="signed_after_launch")
            cov.sign(unit_id=str(unit), signed_on=day.isoformat(), revision=cov.revision)
            return {"covenant_id": str(cov.id), "unit_code": actor.unit_code,
                    "signed_on": day.isoformat(), "revision": cov.revision,
                    "signed": len(cov.signatures)}, [cov]

        return self.act(actor, "covenant.sign", work, unit_id=unit)

    def register_targets(self, actor: Actor, covenant_id_: str, *,
                         targets: list[dict[str, Any]],
                         reason: str | None = None) -> tuple[dict[str, Any], int]:
        """Đăng ký chỉ tiêu: the acting member's own value for covenant targets. A second
        registration is an amendment and needs a reason."""
        unit = actor.unit_id
        if reason is not None:
            reason = check_text(reason, "reason")
        if not isinstance(targets, list) or not targets or len(targets) > 200:
            raise InvalidInput("Register 1–200 targets.", field="targets",
                               rule="targets_count")

        def work() -> tuple[dict[str, Any], list[Any]]:
            cov = self.covenant(covenant_id_)
            if not self._is_covenant_member(cov, unit):
                raise NotAuthorised("Only member units of the group register targets under "
                                    "its covenant.", field="covenant_id",
                                    rule="registrant_is_member")
            known = cov.target_codes
            seen: set[str] = set()
            out = []
            for i, t in enumerate(targets):
                if not isinstance(t, dict):
                    raise InvalidInput("A registered target is an object with target and "
                                       "value.", field=f"targets[{i}]", rule="target_object")
                code = t.get("target")
                if code not in known:
                    raise RuleViolation(f"'{code}' is not a target of this covenant (targets: "
                                        f"{', '.join(known)}).", field=f"targets[{i}].target",
                                        rule="known_target")
                if code in seen:
                    raise InvalidInput(f"Target {code} is listed twice.",
                                       field=f"targets[{i}].target", rule="target_once")
                seen.add(code)
                entry = {"target": code, "value": check_decimal(t.get("value"),
                                                                f"targets[{i}].value")}
                note = t.get("note")
                if note is not None:
                    entry["note"] = check_text(note, f"targets[{i}].note")
                out.append(entry)
            previous = cov.registered.get(str(unit))
            if previous is not None and reason is None:
                raise RuleViolation("Your unit has registered its targets already; a change is "
                                    "an amendment and needs a reason.", field="reason",
                                    rule="amendment_needs_reason")
            revision = previous["revision"] + 1 if previous else 1
            cov.register_targets(unit_id=str(unit), targets=out, revision=revision,
                                 reason=reason)
            return {"covenant_id": str(cov.id), "unit_code": actor.unit_code,
                    "revision": revision, "targets": out}, [cov]

        return self.act(actor, "target.register", work, unit_id=unit, reason=reason)

    def record_finding(self, actor: Actor, covenant_id_: str, *, member_code: str,
                       inspected_on: str, summary: str, assessment: str,
                       target: str | None = None) -> tuple[dict[str, Any], int]:
        """Kiểm tra, giám sát: the head records what an inspection of a member found."""
        summary = check_text(summary, "summary", 4000)
        if assessment not in ASSESSMENTS:
            raise InvalidInput(f"Assessment is one of {', '.join(ASSESSMENTS)}.",
                               field="assessment", rule="known_assessment")
        day = parse_date(inspected_on, "inspected_on")
        gid = self.covenant(covenant_id_).group_id

        def work() -> tuple[dict[str, Any], list[Any]]:
            cov = self.covenant(covenant_id_)
            member = self.unit(member_code, "member_code")
            if not self._is_covenant_member(cov, str(member.id)):
                raise RuleViolation(f"{member.code} is not a member of the group.",
                                    field="member_code", rule="finding_on_member")
            if target is not None and target not in cov.target_codes:
                raise RuleViolation(f"'{target}' is not a target of this covenant.",
                                    field="target", rule="known_target")
            if day < date.fromisoformat(cov.launched_on):
                raise RuleViolation(f"The covenant was launched on {cov.launched_on}; an "
                                    "inspection under it comes after.", field="inspected_on",
                                    rule="inspected_after_launch")
            no = len(cov.findings) + 1
            cov.record_finding(finding_no=no, unit_id=str(member.id),
                               inspected_on=day.isoformat(), target=target,
                               assessment=assessment, summary=summary)
            return {"covenant_id": str(cov.id), "finding_no": no, "member_code": member.code,
                    "inspected_on": day.isoformat(), "target": target,
                    "assessment": assessment, "summary": summary, "revision": 1}, [cov]

        return self.act(actor, "finding.record", work, group_head_units=self.head_units(gid))

    def amend_finding(self, actor: Actor, covenant_id_: str, finding_no: int, *, reason: str,
                      summary: str | None = None,
                      assessment: str | None = None) -> tuple[dict[str, Any], int]:
        reason = check_text(reason, "reason")
        if summary is None and assessment is None:
            raise InvalidInput("An amendment changes the summary or the assessment.",
                               field="summary", rule="amendment_changes_something")
        if summary is not None:
            summary = check_text(summary, "summary", 4000)
        if assessment is not None and assessment not in ASSESSMENTS:
            raise InvalidInput(f"Assessment is one of {', '.join(ASSESSMENTS)}.",
                               field="assessment", rule="known_assessment")
        gid = self.covenant(covenant_id_).group_id

        def work() -> tuple[dict[str, Any], list[Any]]:
            cov = self.covenant(covenant_id_)
            if not 1 <= finding_no <= len(cov.findings):
                raise NotFound(f"There is no finding {finding_no} under this covenant.",
                               field="finding_no", rule="exists")
            f = cov.findings[finding_no - 1]
            cov.amend_finding(finding_no=finding_no, assessment=assessment or f["assessment"],
                              summary=summary or f["summary"], reason=reason)
            f = cov.findings[finding_no - 1]
            return {"covenant_id": str(cov.id), "finding_no": finding_no,
                    "member_code": self._unit_code_of(f["unit_id"]),
                    "inspected_on": f["inspected_on"], "target": f["target"],
                    "assessment": f["assessment"], "summary": f["summary"],
                    "revision": f["revision"]}, [cov]

        return self.act(actor, "finding.record", work, group_head_units=self.head_units(gid),
                        reason=reason)

    def covenant_summary(self, cov: Covenant) -> dict[str, Any]:
        return {"id": str(cov.id), "group_id": cov.group_id, "year": cov.year,
                "title": cov.title, "launched_on": cov.launched_on, "targets": cov.targets,
                "revision": cov.revision, "signed": len(cov.signatures),
                "version": cov.version}

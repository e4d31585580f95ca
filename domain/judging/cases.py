"""Use cases of a group's annual judging (bình xét thi đua): the year's judging rules, the
rounds at the summary meeting, candidates per title, sealed ballots, the declaration, and the
proposals the council's decision awards titles on.

Who may: ``judging.run`` — the standing office, the secretariat of the group's sitting
head or deputy, or, for a district cluster, its province's officers and director (the
year's rules: the standing office only); ``judging.vote`` — a member unit, for itself.
"""

from __future__ import annotations

from collections import Counter
from typing import Any
from uuid import UUID

from domain.district.cycle import DistrictCycle, district_cycle_id
from domain.elections.ballots import BALLOT_BOX, open_choice, seal_choice, shuffled_ballots
from domain.evaluation.cycle import EvaluationCycle, cycle_id
from domain.judging.awards import SECTOR_KINDS
from domain.judging.judging import (
    Judging,
    JudgingRuleSet,
    judging_id,
    judging_rules_id,
    round_key_id,
)
from domain.judging.rules import JudgingRules, round_outcome, text_to_marks
from domain.kernel.actor import Actor, acting
from domain.kernel.dates import check_year, parse_date
from domain.kernel.errors import Conflict, InvalidInput, RuleViolation
from domain.kernel.ids import parse_uuid
from domain.kernel.result import Done
from domain.kernel.text import clean
from domain.lookups import Lookups
from domain.store.ballot_keys import BallotKeys, ballot_keys_for


def check_text(value: Any, field: str, limit: int = 1000) -> str:
    """Text of 1–``limit`` characters, stripped, that the record can keep."""
    value = clean(value, field) if isinstance(value, str) else value
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise InvalidInput(f"{field} is 1–{limit} characters and not blank.", field=field,
                           rule="text_length")
    return value.strip()


def check_codes(codes: Any, field: str, *, empty: bool = False) -> list[str]:
    """A list of unit codes, each once."""
    if not isinstance(codes, list) or (not codes and not empty) or len(codes) > 500:
        raise InvalidInput(f"List the units of {field} by code (at most 500).", field=field,
                           rule=f"{field}_not_empty")
    dupes = sorted(c for c, n in Counter(codes).items() if n > 1)
    if dupes:
        raise InvalidInput(f"Listed more than once: {', '.join(map(str, dupes))}.",
                           field=field, rule=f"{field}_once")
    return codes


class JudgingCases(Lookups):
    """Bình xét thi đua: rules, rounds, candidates, ballots, declaration, proposals."""

    _judging_keys: BallotKeys | None = None

    def judging_keys(self) -> BallotKeys:
        """The sealed ballots' keys, kept beside the event tables (as elections' are)."""
        if self._judging_keys is None:
            self._judging_keys = ballot_keys_for(self.recorder)
        return self._judging_keys

    def judging(self, judging_id_: str) -> Judging:
        jid = str(parse_uuid(judging_id_, "judging_id"))
        return self.load(Judging, UUID(jid), what=f"judging {jid}", field="judging_id")

    def judging_rules(self, year: int) -> tuple[JudgingRules, int]:
        """The year's current judging rules and their version (0: the defaults)."""
        check_year(year)
        rid = judging_rules_id(year)
        if not self.exists(rid):
            return JudgingRules(), 0
        rs = self.load(JudgingRuleSet, rid, what="judging rules", field="year")
        return JudgingRules.stored(rs.current["rules"]), int(rs.current["version"])

    # -- the year's rules ------------------------------------------------------------------
    def set_judging_rules(self, actor: Actor, *, year: int, rules: dict[str, Any],
                          reason: str | None = None, version: int | None = None) -> Done:
        """A new version of the year's judging rules (standing office); fields not given
        keep their current value."""
        check_year(year)
        if reason is not None:
            reason = check_text(reason, "reason")

        def work() -> tuple[dict[str, Any], list[Any]]:
            current, _ = self.judging_rules(year)
            new = JudgingRules.from_dict({**current.to_dict(), **rules})
            rid = judging_rules_id(year)
            if self.exists(rid):
                rs = self.load(JudgingRuleSet, rid, what="judging rules", field="year")
                self.check_version(rs, version, "judging rule set")
                rs.revise(rules=new.to_dict(), reason=reason)
            else:
                if version not in (None, 0):
                    raise Conflict(f"The judging rules of {year} have no version yet.",
                                   current_version=0, field="version", rule="stale_version")
                rs = JudgingRuleSet(year=year, rules=new.to_dict(), reason=reason)
            return {"year": year, "version": rs.current["version"], "rules": new.to_dict(),
                    "reason": reason}, [rs]

        # no group's head units are given: only the standing office sets a year's rules
        return self.act(actor, "judging.run", work, reason=reason)

    # -- rounds ------------------------------------------------------------------------------
    def open_judging(self, actor: Actor, *, group_id: str, year: int, meeting_date: str,
                     place: str, present: list[str], reason: str | None = None) -> Done:
        """Open a round of the group's judging at its annual summary meeting (date, place,
        members present); the group's judging of the year begins with its first round."""
        check_year(year)
        meeting = parse_date(meeting_date, "meeting_date")
        if meeting.year not in (year, year + 1):
            raise InvalidInput(f"The judging of {year} is held at its summary meeting, in "
                               f"{year} or early {year + 1}, not on {meeting.isoformat()}.",
                               field="meeting_date", rule="meeting_in_year")
        place = check_text(place, "place", 300)
        check_codes(present, "present")
        if reason is not None:
            reason = check_text(reason, "reason")
        group = self.group_in_year(group_id, year)
        gid = group["id"]
        heads = self.head_powers(actor, "judging.run", gid, year)

        def work() -> tuple[dict[str, Any], list[Any]]:
            jid = judging_id(gid)
            judging = self.load(Judging, jid, what="judging", field="group_id") \
                if self.exists(jid) else Judging(group_id=gid, year=year)
            ids, labels = [], {}
            for i, code in enumerate(present):
                unit = self.unit(code, f"present[{i}]")
                ids.append(str(unit.id))
                labels[str(unit.id)] = unit.code
            rules, version = self.judging_rules(year)
            decision = self._decision_recorded(year, group)
            judging.open(meeting_date=meeting.isoformat(), place=place,
                         members=list(group["members"]), present=ids, rules=rules.to_dict(),
                         rules_version=version, reason=reason, decided=decision is not None,
                         labels=labels, kind=group["kind"], decision=decision)
            return self.judging_summary(judging), [judging]

        done = self.act(actor, "judging.run", work, group_head_units=heads, reason=reason)
        # keys of closed rounds that a failure may have left behind
        self.judging_keys().shred(*[round_key_id(done.view["id"], n)
                                    for n in range(1, int(done.view["round"]))])
        return done

    def _decision_recorded(self, year: int, group: dict[str, Any]) -> str | None:
        """The decision the group's proposals go to, in words, once it is recorded (None
        before): the council's of the year for a block or a provincial cluster, the
        province's on its district offices for a district cluster."""
        if group["kind"] == "district_cluster" and group["province_id"]:
            did = district_cycle_id(year, str(group["province_id"]))
            if not self.exists(did):
                return None
            district = self.load(DistrictCycle, did, what="district cycle", field="year",
                                 readonly=True)
            return f"The decision of {district.label}" if district.state == "decided" \
                else None
        if group["kind"] not in SECTOR_KINDS or not self.exists(cycle_id(year)):
            return None
        cycle = self.load(EvaluationCycle, cycle_id(year), what="evaluation cycle",
                          field="year", readonly=True)
        return f"The {year} evaluation decision" if cycle.state == "decided" else None

    def judging_candidate(self, actor: Actor, judging_id_: str, *, unit_code: str,
                          title: str) -> Done:
        """Put a member unit forward for a title of the open round."""
        found = self.judging(judging_id_)
        heads = self.head_powers(actor, "judging.run", found.group_id, found.year)

        def work() -> tuple[dict[str, Any], list[Any]]:
            judging = self.judging(judging_id_)
            unit = self.unit(unit_code, "unit_code")
            rnd = judging.check_open()
            judging.put_forward(title=title, unit_id=str(unit.id), unit_code=unit.code,
                                is_member=str(unit.id) in rnd["members"])
            return {"judging_id": str(judging.id), "round": rnd["round_no"], "title": title,
                    "unit_code": unit.code, "unit_name": unit.name,
                    "candidates": len(rnd["candidates"][title])}, [judging]

        return self.act(actor, "judging.run", work, group_head_units=heads)

    def cast_judging_ballot(self, actor: Actor, judging_id_: str, *, title: str,
                            marks: list[str]) -> Done:
        """The acting unit's secret ballot for one title: the candidates it marks, at most
        the title's places. The choice is sealed and never linked to the voter."""
        voter = actor.unit_id
        check_codes(marks, "marks", empty=True)

        def work() -> tuple[dict[str, Any], list[Any]]:
            judging = self.judging(judging_id_)
            judging.check_voter(voter)
            ids, labels = [], {}
            for i, code in enumerate(marks):
                unit = self.unit(code, f"marks[{i}]")
                ids.append(str(unit.id))
                labels[str(unit.id)] = unit.code
            jid = str(judging.id)

            def seal(round_no: int, text: str) -> str:
                kid = round_key_id(jid, round_no)
                return seal_choice(self.judging_keys().key_for(kid), kid, title, str(voter),
                                   text)

            cast = judging.cast(title=title, voter=voter, marks=ids, labels=labels, seal=seal)
            return {"judging_id": jid, "round": judging.rounds[-1]["round_no"],
                    "title": title, "recorded": True, "ballots_cast": cast}, [judging]

        return self.act(actor, "judging.vote", work, unit_id=voter)

    def declare_judging(self, actor: Actor, judging_id_: str) -> Done:
        """Count and declare the open round: each title's proposals, within its places; a
        failed quorum, a tie or a failed majority is declared as the outcome."""
        found = self.judging(judging_id_)
        heads = self.head_powers(actor, "judging.run", found.group_id, found.year)
        kid = round_key_id(found.id, len(found.rounds))

        def work() -> tuple[dict[str, Any], list[Any]]:
            judging = self.judging(judging_id_)
            rnd = judging.check_open()
            key_id = round_key_id(judging.id, rnd["round_no"])
            sealed = [(title, voter, held) for title, by in rnd["ballots"].items()
                      for voter, held in by.items()]
            key = self.judging_keys().existing(key_id) if sealed else None
            if sealed and key is None:
                raise RuleViolation("The key of this round's sealed ballots is missing; the "
                                    "ballots cannot be counted. Annul the round and hold it "
                                    "again.", field="judging_id", rule="ballot_key_valid")
            pairs = [(title, open_choice(key, key_id, title, voter, held))
                     for title, voter, held in sealed] if key is not None else []
            ballots: list[dict[str, Any]] = [
                {"ballot_no": b["ballot_no"], "title": b["seat"],
                 "marks": text_to_marks(rnd["candidates"][b["seat"]], b["candidate"])}
                for b in shuffled_ballots(pairs)]
            marks: dict[str, list[list[str]]] = {t: [] for t in rnd["places"]}
            for b in ballots:
                marks[b["title"]].append(b["marks"])
            result = round_outcome(members=len(rnd["members"]), present=len(rnd["present"]),
                                   candidates=rnd["candidates"], marks=marks,
                                   places_left=rnd["places"], rules=Judging.rules_of(rnd))
            if ballots:
                with acting(BALLOT_BOX):
                    judging.count(ballots)
            judging.declare(result, declared_at=self.now().isoformat())
            return self.judging_summary(judging), [judging]

        done = self.act(actor, "judging.run", work, group_head_units=heads)
        self.judging_keys().shred(kid)
        return done

    def annul_judging(self, actor: Actor, judging_id_: str, *, reason: str) -> Done:
        """Annul the open round, with a reason; its ballots are never opened."""
        reason = check_text(reason, "reason")
        found = self.judging(judging_id_)
        heads = self.head_powers(actor, "judging.run", found.group_id, found.year)
        kid = round_key_id(found.id, len(found.rounds))

        def work() -> tuple[dict[str, Any], list[Any]]:
            judging = self.judging(judging_id_)
            judging.annul(reason)
            return self.judging_summary(judging), [judging]

        done = self.act(actor, "judging.run", work, group_head_units=heads, reason=reason)
        self.judging_keys().shred(kid)
        return done

    # -- answers --------------------------------------------------------------------------------
    def judging_summary(self, judging: Judging) -> dict[str, Any]:
        """What a write answers: never a choice, never a voter."""
        rnd = judging.rounds[-1]
        out: dict[str, Any] = {
            "id": str(judging.id), "group_id": judging.group_id, "year": judging.year,
            "round": rnd["round_no"], "status": rnd["status"],
            "meeting_date": rnd["meeting_date"], "place": rnd["place"],
            "members": len(rnd["members"]), "present": len(rnd["present"]),
            "rules_version": rnd["rules_version"], "rules": rnd["rules"],
            "places": rnd["places"],
            "ballots_cast": {t: len(b) for t, b in rnd["ballots"].items()},
            "proposals": [{"title": p["title"], "unit_code": self.unit_code_of(p["unit_id"]),
                           "round": p["round_no"], "votes": p["votes"]}
                          for p in judging.proposals],
            "version": judging.version}
        if rnd["result"] is not None:
            r = rnd["result"]
            out.update(outcome=r["outcome"], quorum=r["quorum"], declared_at=r["declared_at"],
                       titles={t: self._title_view(v) for t, v in r["titles"].items()})
        if rnd["annul_reason"] is not None:
            out["annul_reason"] = rnd["annul_reason"]
        return out

    def _title_view(self, title: dict[str, Any]) -> dict[str, Any]:
        out = {"status": title["status"], "ballots": title["ballots"],
               "places": title["places"],
               "proposed": [self.unit_code_of(u) for u in title["proposed"]],
               "votes": [{"unit_code": self.unit_code_of(u), "votes": v}
                         for u, v in title["votes"].items()]}
        if title.get("tied"):
            out["tied"] = [self.unit_code_of(u) for u in title["tied"]]
        return out

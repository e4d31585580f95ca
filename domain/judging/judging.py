"""A group's annual judging (bình xét thi đua hằng năm, letter 4268): at its summary meeting
the members judge each other and acclaim, by secret ballot, the units leading the group's
emulation, proposed for the emulation flag and for certificates of merit. One aggregate per
group and year holds its rounds and the proposals they made; the year's rules are a
versioned rule set of their own."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from eventsourcing.domain import event

from domain.judging.rules import JudgingRules, marks_to_text, places
from domain.kernel.base import ThiduaAggregate, stable_id
from domain.kernel.errors import Conflict, NotAuthorised, RuleViolation


def judging_rules_id(year: int) -> Any:
    return stable_id("judging-rules", year)


class JudgingRuleSet(ThiduaAggregate):
    """The year's judging rules, versioned: a change is a new version with a reason; a round
    keeps the version it was opened with."""

    TOPIC = "thidua:JudgingRuleSet"

    class Event(ThiduaAggregate.Event):
        TOPIC = "thidua:JudgingRuleSet.Event"

    @staticmethod
    def create_id(year: int) -> Any:
        return judging_rules_id(year)

    @event("Set", topic="thidua:JudgingRuleSet.Set")
    def __init__(self, year: int, rules: dict[str, Any], reason: str | None) -> None:
        self.year = year
        self.versions: list[dict[str, Any]] = []
        self._add(rules, reason)

    def _add(self, rules: dict[str, Any], reason: str | None) -> None:
        self.versions.append({"version": len(self.versions) + 1, "rules": dict(rules),
                              "reason": reason})

    @event("Revised", topic="thidua:JudgingRuleSet.Revised")
    def revise(self, rules: dict[str, Any], reason: str | None) -> None:
        self._add(rules, reason)

    @property
    def current(self) -> dict[str, Any]:
        return self.versions[-1]


def judging_id(group_id: str) -> Any:
    return stable_id("judging", group_id)


def round_key_id(judging: Any, round_no: int) -> str:
    """The id under which a round's ballot key is kept (domain/store/ballot_keys.py)."""
    return str(stable_id("judging-round", str(judging), round_no))


class Judging(ThiduaAggregate):
    """Bình xét thi đua of one group (a year's Khối or Cụm): its rounds, each opened at a
    meeting with the members present, candidates per title, sealed ballots, the count and
    the declared proposals. Proposals accumulate over the declared rounds, never beyond a
    title's places."""

    TOPIC = "thidua:Judging"

    class Event(ThiduaAggregate.Event):
        TOPIC = "thidua:Judging.Event"

    @staticmethod
    def create_id(group_id: str) -> Any:
        return judging_id(group_id)

    @event("Created", topic="thidua:Judging.Created")
    def __init__(self, group_id: str, year: int) -> None:
        self.group_id = group_id
        self.year = year
        self.rounds: list[dict[str, Any]] = []
        # {title, unit_id, round_no, votes}: what the declared rounds proposed
        self.proposals: list[dict[str, Any]] = []

    # -- reading -------------------------------------------------------------------------------
    @property
    def open_round(self) -> dict[str, Any] | None:
        last = self.rounds[-1] if self.rounds else None
        return last if last is not None and last["status"] == "open" else None

    def round_of(self, round_no: int) -> dict[str, Any] | None:
        return self.rounds[round_no - 1] if 1 <= round_no <= len(self.rounds) else None

    @staticmethod
    def rules_of(rnd: dict[str, Any]) -> JudgingRules:
        return JudgingRules.stored(rnd["rules"])

    def proposed_for(self, title: str) -> list[str]:
        return [p["unit_id"] for p in self.proposals if p["title"] == title]

    def places_left(self, rules: JudgingRules, members: int,
                    kind: str | None = None) -> dict[str, int]:
        """Each title's places not yet filled by a declared round (the titles of the
        group's ``kind``: a district cluster judges for its province's)."""
        return {t["code"]: max(0, places(t, members) - len(self.proposed_for(t["code"])))
                for t in rules.titles_for(kind)}

    # -- rules -----------------------------------------------------------------------------------
    def check_open(self) -> dict[str, Any]:
        rnd = self.open_round
        if rnd is None:
            last = self.rounds[-1]["status"] if self.rounds else "not opened"
            raise RuleViolation(f"The judging has no open round (the last is {last}); nothing "
                                "more can be recorded in it. Open a new round if needed.",
                                field="judging_id", rule="round_open")
        return rnd

    def check_title(self, rnd: dict[str, Any], title: str, field: str = "title") -> None:
        if title not in rnd["places"]:
            known = ", ".join(rnd["places"])
            raise RuleViolation(f"'{title}' is not a title of this round (titles: {known}).",
                                field=field, rule="known_title")

    # -- commands --------------------------------------------------------------------------------
    def open(self, *, meeting_date: str, place: str, members: list[str], present: list[str],
             rules: dict[str, Any], rules_version: int, reason: str | None,
             decided: bool, labels: dict[str, str], kind: str | None = None,
             decision: str | None = None) -> int:
        """Open a round at the group's meeting; returns its number. Guarded: no open round,
        the present are members, a place left to fill, the year not yet decided. ``kind``:
        the group's (its titles); ``decision``: the decision its proposals go to, in
        words (default: the sector's of the year)."""
        if self.open_round is not None:
            raise RuleViolation(f"Round {self.open_round['round_no']} of this judging is still "
                                "open; declare or annul it first.", field="group_id",
                                rule="one_open_round")
        if decided:
            raise RuleViolation(f"{decision or f'The {self.year} evaluation decision'} is "
                                "recorded: a judging after it proposes nothing the decision "
                                "could award.", field="year", rule="judging_before_decision")
        for i, p in enumerate(present):
            if p not in members:
                raise RuleViolation(f"{labels.get(p, p)} is not a member of the group this "
                                    "year; only members judge.", field=f"present[{i}]",
                                    rule="present_is_member")
        left = self.places_left(JudgingRules.stored(rules), len(members), kind)
        if not any(left.values()):
            raise RuleViolation("Every title's places are already filled by the proposals of "
                                "earlier rounds: there is nothing left to judge.",
                                field="group_id", rule="places_left")
        if self.rounds and reason is None:
            raise RuleViolation("A further round of the judging needs the reason.",
                                field="reason", rule="reason_required")
        no = len(self.rounds) + 1
        self._round_opened(round_no=no, meeting_date=meeting_date, place=place,
                           members=members, present=present, rules=rules,
                           rules_version=rules_version, places=left, reason=reason)
        return no

    @event("RoundOpened", topic="thidua:Judging.RoundOpened")
    def _round_opened(self, round_no: int, meeting_date: str, place: str, members: list[str],
                      present: list[str], rules: dict[str, Any], rules_version: int,
                      places: dict[str, int], reason: str | None) -> None:
        self.rounds.append({
            "round_no": round_no, "meeting_date": meeting_date, "place": place,
            "members": list(members), "present": list(present), "rules": dict(rules),
            "rules_version": rules_version, "places": dict(places), "reason": reason,
            "status": "open", "candidates": {t: [] for t in places},
            # title -> voter -> the sealed marks
            "ballots": {t: {} for t in places}, "counted": [], "result": None,
            "annul_reason": None})

    def put_forward(self, *, title: str, unit_id: str, unit_code: str, is_member: bool) -> None:
        """Put a member unit forward for a title, before the title's first ballot; with
        one_title_per_unit, a unit stands for one title and is proposed for one."""
        rnd = self.check_open()
        self.check_title(rnd, title)
        if not is_member:
            raise RuleViolation(f"{unit_code} is not a member unit of the group this year; "
                                "only members are judged.", field="unit_code",
                                rule="candidate_is_member")
        if rnd["places"][title] == 0:
            raise RuleViolation(f"The places of '{title}' are filled (or it has none for this "
                                "group): nobody stands for it.", field="title",
                                rule="title_has_places")
        if unit_id in rnd["candidates"][title]:
            raise RuleViolation(f"{unit_code} is already a candidate for '{title}'.",
                                field="unit_code", rule="candidate_once")
        if rnd["ballots"][title]:
            raise RuleViolation(f"Voting for '{title}' has begun; candidates are put forward "
                                "before the first ballot.", field="title",
                                rule="candidates_before_ballots")
        one = self.rules_of(rnd).one_title_per_unit
        earlier = [p["title"] for p in self.proposals if p["unit_id"] == unit_id
                   and (one or p["title"] == title)]
        if earlier:
            raise RuleViolation(f"{unit_code} is already proposed for '{earlier[0]}' this year"
                                + ("; a unit is proposed for one title." if one else "."),
                                field="unit_code", rule="proposed_once")
        other = [t for t, c in rnd["candidates"].items() if t != title and unit_id in c]
        if one and other:
            raise RuleViolation(f"{unit_code} stands for '{other[0]}' in this round; a unit "
                                "stands for one title.", field="unit_code",
                                rule="one_title_per_unit")
        self._candidate_put_forward(round_no=rnd["round_no"], title=title, unit_id=unit_id)

    @event("CandidatePutForward", topic="thidua:Judging.CandidatePutForward")
    def _candidate_put_forward(self, round_no: int, title: str, unit_id: str) -> None:
        self.rounds[round_no - 1]["candidates"][title].append(unit_id)

    def check_voter(self, voter: str | None) -> None:
        """Only a member unit of the group (of its latest round) votes."""
        members = self.rounds[-1]["members"] if self.rounds else []
        if voter is None or voter not in members:
            raise NotAuthorised("Only member units of the group vote; your unit is not a "
                                "member this year.", field="judging_id",
                                rule="voter_is_member")

    def cast(self, *, title: str, voter: str | None, marks: list[str],
             labels: dict[str, str], seal: Callable[[int, str], str]) -> int:
        """Record the voter's sealed ballot for a title: a member, present, once per title;
        every mark a candidate of the title, once, no more marks than its places. ``seal``
        encrypts the marks (as :func:`marks_to_text`) for the round. Returns the ballots
        cast for the title."""
        self.check_voter(voter)
        rnd = self.check_open()
        self.check_title(rnd, title)
        if voter not in rnd["present"]:
            raise RuleViolation("Your unit was not recorded present at the meeting; only "
                                "units present vote.", field="judging_id",
                                rule="voter_present")
        candidates = rnd["candidates"][title]
        for i, m in enumerate(marks):
            if m not in candidates:
                raise RuleViolation(f"{labels.get(m, m)} is not a candidate for '{title}'.",
                                    field=f"marks[{i}]", rule="candidate_for_title")
        if len(set(marks)) != len(marks):
            raise RuleViolation("A unit is marked twice on the ballot.", field="marks",
                                rule="mark_once")
        if len(marks) > rnd["places"][title]:
            raise RuleViolation(f"'{title}' has {rnd['places'][title]} place(s) this round: a "
                                f"ballot marks at most that many units, not {len(marks)}.",
                                field="marks", rule="marks_within_places")
        if voter in rnd["ballots"][title]:
            raise Conflict(f"Your unit has already voted for '{title}'; one ballot per unit "
                           "and title.", field="title", rule="one_ballot_per_title")
        sealed = seal(rnd["round_no"], marks_to_text(candidates, marks))
        self._ballot_cast(round_no=rnd["round_no"], title=title, voter=str(voter),
                          sealed=sealed)
        return len(rnd["ballots"][title])

    @event("BallotCast", topic="thidua:Judging.BallotCast")
    def _ballot_cast(self, round_no: int, title: str, voter: str, sealed: str) -> None:
        """A sealed ballot: the marks encrypted; never readable from the event."""
        self.rounds[round_no - 1]["ballots"][title][voter] = sealed

    def count(self, ballots: list[dict[str, Any]]) -> None:
        """Record the opened ballots of the open round, shuffled and without voters (the
        caller binds the neutral BALLOT_BOX actor): as many as were cast."""
        rnd = self.check_open()
        if len(ballots) != sum(len(b) for b in rnd["ballots"].values()):
            raise RuleViolation("The counted ballots are the ballots cast, each once.",
                                field="judging_id", rule="count_every_ballot")
        self._ballots_counted(round_no=rnd["round_no"], ballots=ballots)

    @event("BallotsCounted", topic="thidua:Judging.BallotsCounted")
    def _ballots_counted(self, round_no: int, ballots: list[dict[str, Any]]) -> None:
        self.rounds[round_no - 1]["counted"] = list(ballots)

    def declare(self, result: dict[str, Any], declared_at: str) -> None:
        """Declare the open round: its outcome and what each title proposes (guarded: no
        more than the title's places, a unit once)."""
        rnd = self.check_open()
        proposed = [(t, u) for t, r in result["titles"].items() for u in r["proposed"]]
        for title, r in result["titles"].items():
            if len(r["proposed"]) > rnd["places"].get(title, 0):
                raise RuleViolation(f"'{title}' would propose more units than its places.",
                                    field="title", rule="places_left")
        if len({u for _, u in proposed}) != len(proposed):
            raise RuleViolation("A unit is proposed once.", field="result",
                                rule="proposed_once")
        self._result_declared(round_no=rnd["round_no"], result=result, declared_at=declared_at)

    @event("ResultDeclared", topic="thidua:Judging.ResultDeclared")
    def _result_declared(self, round_no: int, result: dict[str, Any], declared_at: str) -> None:
        rnd = self.rounds[round_no - 1]
        rnd["status"] = "declared"
        rnd["result"] = {**result, "declared_at": declared_at}
        for title, r in result["titles"].items():
            for unit in r["proposed"]:
                self.proposals.append({"title": title, "unit_id": unit, "round_no": round_no,
                                       "votes": r["votes"][unit]})

    def annul(self, reason: str) -> None:
        rnd = self.check_open()
        self._round_annulled(round_no=rnd["round_no"], reason=reason)

    @event("RoundAnnulled", topic="thidua:Judging.RoundAnnulled")
    def _round_annulled(self, round_no: int, reason: str) -> None:
        rnd = self.rounds[round_no - 1]
        rnd["status"] = "annulled"
        rnd["annul_reason"] = reason

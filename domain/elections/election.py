"""Elections of group heads (bầu Khối trưởng / Cụm trưởng, Khối phó / Cụm phó): the year's
versioned election rule set, and one round of a group's election at its annual summary meeting.
domain.md §3, letter 4268/BHXH-TĐKT A.I.1–2, A.I.5.

Each command is a public verb that runs its ``check_*`` guards and then a private past-tense
event that only records. The events' names, topics and attributes are those stored since the
first elections (tests/unit/test_election_replay.py replays events recorded before the rules
moved here)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from eventsourcing.domain import event

from domain.elections.ballots import BALLOT_BOX, open_choice, seal_choice, shuffled_ballots
from domain.elections.rules import (
    SEATS,
    ElectionRules,
    check_rotation,
    check_seat,
    election_outcome,
)
from domain.kernel.actor import acting
from domain.kernel.base import ThiduaAggregate, stable_id
from domain.kernel.errors import Conflict, InvalidInput, NotAuthorised, RuleViolation

if TYPE_CHECKING:
    from domain.elections.office import GroupOffice


def election_rules_id(year: int) -> Any:
    return stable_id("election-rules", year)


class ElectionRuleSet(ThiduaAggregate):
    """The year's election rules, versioned: a change is a new version with a reason; an
    election keeps the version it was opened with."""

    TOPIC = "thidua:ElectionRuleSet"

    class Event(ThiduaAggregate.Event):
        TOPIC = "thidua:ElectionRuleSet.Event"

    @staticmethod
    def create_id(year: int) -> Any:
        return election_rules_id(year)

    @classmethod
    def adopt(cls, year: int, changes: Mapping[str, Any], reason: str | None
              ) -> ElectionRuleSet:
        """The year's first version: the defaults with ``changes``, checked whole."""
        rules = ElectionRules.from_dict({**ElectionRules().to_dict(), **changes})
        return cls(year=year, rules=rules.to_dict(), reason=reason)

    @event("Set", topic="thidua:ElectionRuleSet.Set")
    def __init__(self, year: int, rules: dict[str, Any], reason: str | None) -> None:
        self.year = year
        self.versions: list[dict[str, Any]] = []
        self._add(rules, reason)

    def _add(self, rules: dict[str, Any], reason: str | None) -> None:
        self.versions.append({"version": len(self.versions) + 1, "rules": dict(rules),
                              "reason": reason})

    @property
    def current(self) -> dict[str, Any]:
        return self.versions[-1]

    @property
    def in_force(self) -> ElectionRules:
        """The current version's rules."""
        return ElectionRules.stored(self.current["rules"])

    def revise(self, changes: Mapping[str, Any], reason: str | None) -> None:
        """A new version: the rules in force with ``changes`` (rules not named keep their
        value), checked whole."""
        rules = ElectionRules.from_dict({**self.in_force.to_dict(), **changes})
        self._revised(rules=rules.to_dict(), reason=reason)

    @event("Revised", topic="thidua:ElectionRuleSet.Revised")
    def _revised(self, rules: dict[str, Any], reason: str | None) -> None:
        self._add(rules, reason)


def election_id(group_id: str, round_no: int) -> Any:
    return stable_id("election", group_id, round_no)


def check_attendance(codes: Any, field: str = "present") -> list[str]:
    """The member units present at a meeting: a list, not empty, each unit once."""
    if not isinstance(codes, list) or not codes:
        raise InvalidInput("List the member units present at the meeting.", field=field,
                           rule="present_not_empty")
    dupes = sorted(str(c) for c, n in Counter(codes).items() if n > 1)
    if dupes:
        raise InvalidInput(f"Listed more than once: {', '.join(dupes)}.", field=field,
                           rule="present_once")
    return list(codes)


class Election(ThiduaAggregate):
    """One round of a group's election at its annual summary meeting (tổng kết năm)."""

    TOPIC = "thidua:Election"

    class Event(ThiduaAggregate.Event):
        TOPIC = "thidua:Election.Event"

    @staticmethod
    def create_id(group_id: str, round_no: int) -> Any:
        return election_id(group_id, round_no)

    @classmethod
    def open(cls, *, group_id: str, group_code: str, round_no: int, year: int, term: int,
             meeting_date: str, place: str, members: Sequence[str],
             present: Sequence[tuple[str, str]], rules: ElectionRules, rules_version: int,
             previous_head: str | None) -> Election:
        """Open a round with the units present at the meeting, as (code, id): each is a
        member of the group, listed once. The round keeps the rules it was opened with."""
        check_attendance([code for code, _ in present])
        for i, (code, uid) in enumerate(present):
            if uid not in members:
                raise RuleViolation(f"{code} is not a member of {group_code} in {year}.",
                                    field=f"present[{i}]", rule="present_is_member")
        return cls(group_id=group_id, round_no=round_no, year=year, term=term,
                   meeting_date=meeting_date, place=place, members=list(members),
                   present=[uid for _, uid in present], rules=rules.to_dict(),
                   rules_version=rules_version, previous_head=previous_head)

    @event("Opened", topic="thidua:Election.Opened")
    def __init__(self, group_id: str, round_no: int, year: int, term: int, meeting_date: str,
                 place: str, members: list[str], present: list[str], rules: dict[str, Any],
                 rules_version: int, previous_head: str | None) -> None:
        self.group_id = group_id
        self.round_no = round_no
        self.year = year
        self.term = term
        self.meeting_date = meeting_date
        self.place = place
        self.members = list(members)
        self.present = list(present)
        self.rules = dict(rules)
        self.rules_version = rules_version
        self.previous_head = previous_head
        self.status = "open"
        self.candidates: dict[str, list[str]] = {s: [] for s in SEATS}
        # seat -> voter -> the sealed choice (secret) or the candidate (open ballot)
        self.ballots: dict[str, dict[str, str]] = {s: {} for s in SEATS}
        self.counted: list[dict[str, str]] = []
        self.result: dict[str, Any] | None = None
        self.annul_reason: str | None = None

    @property
    def rule_set(self) -> ElectionRules:
        return ElectionRules.stored(self.rules)

    def winners(self) -> list[dict[str, str]]:
        """The seats the declared result filled, as [{seat, unit_id}] (none before)."""
        if self.result is None:
            return []
        seats = self.result["seats"]
        return [{"seat": s, "unit_id": seats[s]["winner"]} for s in SEATS
                if seats[s]["status"] == "elected"]

    # -- rules ---------------------------------------------------------------------------
    def check_open(self) -> None:
        if self.status != "open":
            raise RuleViolation(f"The election is {self.status}; nothing more can be recorded "
                                "in it. Open a new round if needed.", field="election_id",
                                rule="election_open")

    def check_candidate(self, seat: str, unit_id: str, unit_code: str,
                        office: GroupOffice | None) -> None:
        """A candidate (ứng cử viên) is a member unit, put forward once for the seat, before
        its first ballot; rotation; the head and the deputy are different units (also of
        the sitting holder of the other seat for the same term)."""
        if unit_id not in self.members:
            raise RuleViolation(f"{unit_code} is not a member unit of the group this year; "
                                "only members stand.", field="unit_code",
                                rule="candidate_is_member")
        if unit_id in self.candidates[seat]:
            raise RuleViolation(f"{unit_code} is already a candidate for {seat}.",
                                field="unit_code", rule="candidate_once")
        if self.ballots[seat]:
            raise RuleViolation(f"Voting for {seat} has begun; candidates are put forward "
                                "before the first ballot.", field="seat",
                                rule="candidates_before_ballots")
        rules = self.rule_set
        check_rotation(seat, unit_id, self.previous_head, rules, unit_code)
        if rules.head_deputy_distinct:
            other = "deputy" if seat == "head" else "head"
            holder = office.sitting(other) if office else None
            if unit_id in self.candidates[other] or (
                    holder is not None and holder["unit_id"] == unit_id
                    and holder["term"] == self.term):
                raise RuleViolation(f"{unit_code} stands for (or holds) {other} for this "
                                    "term; the head and the deputy are different units.",
                                    field="unit_code", rule="head_deputy_distinct")

    def check_voter(self, voter: str | None) -> str:
        """Only a member unit votes (NotAuthorised: the act is not the unit's)."""
        if voter is None or voter not in self.members:
            raise NotAuthorised("Only member units of the group vote; your unit is not a "
                                "member this year.", field="election_id",
                                rule="voter_is_member")
        return voter

    def check_ballot(self, seat: str, voter: str, candidate_id: str,
                     candidate_code: str) -> None:
        """A unit present at the meeting votes for a candidate of the seat, once a seat."""
        if voter not in self.present:
            raise RuleViolation("Your unit was not recorded present at the meeting; only "
                                "units present vote.", field="election_id",
                                rule="voter_present")
        if candidate_id not in self.candidates[seat]:
            raise RuleViolation(f"{candidate_code} is not a candidate for {seat}.",
                                field="candidate_code", rule="candidate_for_seat")
        if voter in self.ballots[seat]:
            raise Conflict(f"Your unit has already voted for {seat}; one ballot per unit "
                           "and seat.", field="seat", rule="one_ballot_per_seat")

    # -- commands ------------------------------------------------------------------------
    def put_forward(self, seat: str, unit_id: str, unit_code: str,
                    office: GroupOffice | None) -> None:
        """Put a member unit forward for head or deputy (``office``: the group line's, for
        the sitting holders)."""
        seat = check_seat(seat)
        self.check_open()
        self.check_candidate(seat, unit_id, unit_code, office)
        self._candidate_put_forward(seat=seat, unit_id=unit_id)

    @event("CandidatePutForward", topic="thidua:Election.CandidatePutForward")
    def _candidate_put_forward(self, seat: str, unit_id: str) -> None:
        self.candidates[seat].append(unit_id)

    def cast_ballot(self, seat: str, voter: str | None, candidate_id: str,
                    candidate_code: str, key: Callable[[], bytes]) -> None:
        """A present member unit's ballot for one seat. Under a secret ballot the choice is
        sealed with the election's key (``key()``, asked only then) and never recorded
        beside the voter."""
        seat = check_seat(seat)
        voter = self.check_voter(voter)
        self.check_open()
        self.check_ballot(seat, voter, candidate_id, candidate_code)
        if self.rule_set.secret_ballot:
            sealed = seal_choice(key(), str(self.id), seat, voter, candidate_id)
            self._ballot_cast(seat=seat, voter=voter, sealed=sealed, candidate=None)
        else:
            self._ballot_cast(seat=seat, voter=voter, sealed=None, candidate=candidate_id)

    @event("BallotCast", topic="thidua:Election.BallotCast")
    def _ballot_cast(self, seat: str, voter: str, sealed: str | None,
                     candidate: str | None) -> None:
        """Secret: ``sealed`` set, ``candidate`` None. Open ballot: the reverse."""
        self.ballots[seat][voter] = sealed if sealed is not None else str(candidate)

    def declare(self, declared_at: str, key: Callable[[], bytes | None]) -> dict[str, Any]:
        """Count and declare (kiểm phiếu, công bố kết quả): the ballots are opened (sealed
        ones with ``key()``, the election's key) and recorded shuffled, without voters, under
        the ballot box; quorum and majority as the election's rules say. A failed quorum, a
        tie or a failed majority is declared as the outcome, never refused. Returns the
        result."""
        self.check_open()
        ballots = shuffled_ballots(self._choices(key))
        choices: dict[str, list[str]] = {s: [] for s in SEATS}
        for b in ballots:
            choices[b["seat"]].append(b["candidate"])
        result = election_outcome(members=len(self.members), present=len(self.present),
                                  candidates=self.candidates, choices=choices,
                                  rules=self.rule_set)
        if ballots:
            with acting(BALLOT_BOX):
                self._ballots_counted(ballots=ballots)
        self._result_declared(result=result, declared_at=declared_at)
        return dict(self.result or {})

    def _choices(self, key: Callable[[], bytes | None]) -> list[tuple[str, str]]:
        """Every ballot's (seat, candidate), sealed ones opened with the election's key."""
        secret = self.rule_set.secret_ballot and any(self.ballots[s] for s in SEATS)
        found = key() if secret else None
        if secret and found is None:
            raise RuleViolation("The key of this election's sealed ballots is missing; the "
                                "ballots cannot be counted. Annul the election and hold it "
                                "again.", field="election_id", rule="ballot_key_valid")
        eid = str(self.id)
        return [(seat, open_choice(found, eid, seat, voter, held) if found is not None
                 else held)
                for seat in SEATS for voter, held in self.ballots[seat].items()]

    @event("BallotsCounted", topic="thidua:Election.BallotsCounted")
    def _ballots_counted(self, ballots: list[dict[str, str]]) -> None:
        """The opened ballots, shuffled, without voters (recorded under BALLOT_BOX)."""
        self.counted = list(ballots)

    @event("ResultDeclared", topic="thidua:Election.ResultDeclared")
    def _result_declared(self, result: dict[str, Any], declared_at: str) -> None:
        self.status = "declared"
        self.result = {**result, "declared_at": declared_at}

    def annul(self, reason: str) -> None:
        """Annul an open round (hủy kết quả), with the reason."""
        self.check_open()
        self._annulled(reason=reason)

    @event("Annulled", topic="thidua:Election.Annulled")
    def _annulled(self, reason: str) -> None:
        self.status = "annulled"
        self.annul_reason = reason

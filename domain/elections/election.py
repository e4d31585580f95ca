"""Elections of group heads (bầu Khối trưởng / Cụm trưởng, Khối phó / Cụm phó): the year's
versioned election rule set, and one round of a group's election at its annual summary meeting.
domain.md §3, letter 4268/BHXH-TĐKT A.I.1–2, A.I.5."""

from __future__ import annotations

from typing import Any

from eventsourcing.domain import event

from domain.elections.rules import SEATS, ElectionRules
from domain.kernel.base import ThiduaAggregate, stable_id
from domain.kernel.errors import RuleViolation


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

    @event("Set", topic="thidua:ElectionRuleSet.Set")
    def __init__(self, year: int, rules: dict[str, Any], reason: str | None) -> None:
        self.year = year
        self.versions: list[dict[str, Any]] = []
        self._add(rules, reason)

    def _add(self, rules: dict[str, Any], reason: str | None) -> None:
        self.versions.append({"version": len(self.versions) + 1, "rules": dict(rules),
                              "reason": reason})

    @event("Revised", topic="thidua:ElectionRuleSet.Revised")
    def revise(self, rules: dict[str, Any], reason: str | None) -> None:
        self._add(rules, reason)

    @property
    def current(self) -> dict[str, Any]:
        return self.versions[-1]


def election_id(group_id: str, round_no: int) -> Any:
    return stable_id("election", group_id, round_no)


class Election(ThiduaAggregate):
    """One round of a group's election at its annual summary meeting (tổng kết năm)."""

    TOPIC = "thidua:Election"

    class Event(ThiduaAggregate.Event):
        TOPIC = "thidua:Election.Event"

    @staticmethod
    def create_id(group_id: str, round_no: int) -> Any:
        return election_id(group_id, round_no)

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

    # -- rules ---------------------------------------------------------------------------
    def check_open(self) -> None:
        if self.status != "open":
            raise RuleViolation(f"The election is {self.status}; nothing more can be recorded "
                                "in it. Open a new round if needed.", field="election_id",
                                rule="election_open")

    # -- commands ------------------------------------------------------------------------
    @event("CandidatePutForward", topic="thidua:Election.CandidatePutForward")
    def put_forward(self, seat: str, unit_id: str) -> None:
        self.candidates[seat].append(unit_id)

    @event("BallotCast", topic="thidua:Election.BallotCast")
    def cast(self, seat: str, voter: str, sealed: str | None, candidate: str | None) -> None:
        """Secret: ``sealed`` set, ``candidate`` None. Open ballot: the reverse."""
        self.ballots[seat][voter] = sealed if sealed is not None else str(candidate)

    @event("BallotsCounted", topic="thidua:Election.BallotsCounted")
    def count(self, ballots: list[dict[str, str]]) -> None:
        """The opened ballots, shuffled, without voters (recorded under BALLOT_BOX)."""
        self.counted = list(ballots)

    @event("ResultDeclared", topic="thidua:Election.ResultDeclared")
    def declare(self, result: dict[str, Any], declared_at: str) -> None:
        self.status = "declared"
        self.result = {**result, "declared_at": declared_at}

    @event("Annulled", topic="thidua:Election.Annulled")
    def annul(self, reason: str) -> None:
        self.status = "annulled"
        self.annul_reason = reason

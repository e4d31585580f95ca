"""A round of a group's election in its aggregate, without a database (domain.md §3): who
stands, who votes, once; the count under the ballot box; the office the winners take; the
year's versioned rules. Each refusal names its rule and records nothing; the events collected
replay into an equal aggregate."""

from __future__ import annotations

from typing import Any

import pytest

from domain.elections.ballots import new_ballot_key
from domain.elections.election import Election, ElectionRuleSet
from domain.elections.office import GroupOffice
from domain.elections.rules import ElectionRules
from domain.kernel.errors import Conflict, InvalidInput, NotAuthorised, NotFound, RuleViolation

MEMBERS = ("A", "B", "C", "D", "E", "F")
DECLARED = "2024-12-20T03:00:00+00:00"
DEFAULTS = ElectionRules()


def rule_of(excinfo: pytest.ExceptionInfo[BaseException]) -> str:
    return str(getattr(excinfo.value, "rule", ""))


def no_key() -> bytes:
    raise AssertionError("an open ballot is never sealed")


def new_round(office: GroupOffice, group_id: str, term: int,
              rules: ElectionRules = DEFAULTS,
              present: tuple[str, ...] = MEMBERS) -> Election:
    return office.new_round(group_id=group_id, group_code="K1", year=term - 1, term=term,
                            meeting_date=f"{term - 1}-12-20", place="Hà Nội", members=MEMBERS,
                            present=[(m, m) for m in present], rules=rules, rules_version=1)


def opened(rules: ElectionRules = DEFAULTS, present: tuple[str, ...] = MEMBERS,
           previous_head: str | None = None) -> tuple[GroupOffice, Election]:
    """The line's office and the round of its 2024 group, for the 2025 term; with
    ``previous_head``, the line's 2023 group elected it for 2024 first (open ballot)."""
    office = GroupOffice(group_id="g2023", year=2023)
    if previous_head is not None:
        earlier = new_round(office, "g2023", 2024, ElectionRules(secret_ballot=False))
        earlier.put_forward("head", previous_head, previous_head, office)
        for m in MEMBERS:
            earlier.cast_ballot("head", m, previous_head, previous_head, key=no_key)
        earlier.declare(DECLARED, key=lambda: None)
        office.close_round(earlier)
    return office, new_round(office, "g2024", 2025, rules, present)


class Keys:
    """The election's key, as the store keeps it apart from the log."""

    def __init__(self) -> None:
        self.key: bytes | None = None
        self.asked = 0

    def make(self) -> bytes:
        self.asked += 1
        self.key = self.key or new_ballot_key()
        return self.key

    def existing(self) -> bytes | None:
        return self.key


def replayed(aggregate: Any) -> Any:
    copy = None
    for e in aggregate.collect_events():
        copy = e.mutate(copy)
    return copy


@pytest.mark.parametrize("present,rule,field", [
    ((), "present_not_empty", "present"),
    (("A", "A"), "present_once", "present"),
    (("A", "X"), "present_is_member", "present[1]"),
])
def test_a_round_opens_with_members_present_each_once(present, rule, field):
    office = GroupOffice(group_id="g2024", year=2024)
    with pytest.raises((InvalidInput, RuleViolation)) as e:
        new_round(office, "g2024", 2025, present=present)
    assert (rule_of(e), e.value.field) == (rule, field)  # type: ignore[attr-defined]
    assert office.elections == [] and office.open_election is None


def test_a_line_opens_one_round_at_a_time_with_the_previous_head_for_rotation():
    office, election = opened(previous_head="A")
    assert (election.round_no, election.previous_head, election.term) == (1, "A", 2025)
    assert office.open_election == str(election.id)
    assert office.sitting("head")["unit_id"] == "A"  # type: ignore[index]
    with pytest.raises(RuleViolation) as e:
        new_round(office, "g2024", 2025)
    assert rule_of(e) == "one_open_election"
    assert office.rounds_in("g2024") == 1 and office.rounds_in("g2023") == 1


@pytest.mark.parametrize("seat,unit,rule", [
    ("head", "X", "candidate_is_member"),
    ("head", "B", "candidate_once"),
    ("deputy", "B", "head_deputy_distinct"),
    ("head", "A", "rotation_head_not_repeated"),
])
def test_who_stands(seat, unit, rule):
    office, election = opened(previous_head="A")
    election.put_forward("head", "B", "B", office)
    version = election.version
    with pytest.raises(RuleViolation) as e:
        election.put_forward(seat, unit, unit, office)
    assert rule_of(e) == rule and unit in e.value.message
    assert election.version == version, "a refused act records nothing"


def test_rotation_and_distinct_seats_are_rules_of_the_year():
    office, election = opened(ElectionRules(rotation=False, head_deputy_distinct=False),
                              previous_head="A")
    election.put_forward("head", "A", "A", office)
    election.put_forward("deputy", "A", "A", office)
    assert election.candidates == {"head": ["A"], "deputy": ["A"]}


def test_the_sitting_holder_of_the_other_seat_for_the_term_does_not_stand():
    office, election = opened()
    office.take_office(election_id=str(election.id), term=2025, took_office=DECLARED,
                       holders=[{"seat": "deputy", "unit_id": "C"}])
    with pytest.raises(RuleViolation) as e:
        election.put_forward("head", "C", "C", office)
    assert rule_of(e) == "head_deputy_distinct"
    with pytest.raises(InvalidInput) as e:
        election.put_forward("chair", "C", "C", office)
    assert rule_of(e) == "known_seat"


def test_candidates_before_the_seats_first_ballot():
    office, election = opened()
    keys = Keys()
    election.put_forward("head", "A", "A", office)
    election.cast_ballot("head", "B", "A", "A", key=keys.make)
    with pytest.raises(RuleViolation) as e:
        election.put_forward("head", "C", "C", office)
    assert rule_of(e) == "candidates_before_ballots"
    election.put_forward("deputy", "C", "C", office)  # the other seat has no ballot yet


@pytest.mark.parametrize("voter,candidate,error,rule", [
    ("X", "A", NotAuthorised, "voter_is_member"),
    (None, "A", NotAuthorised, "voter_is_member"),
    ("F", "A", RuleViolation, "voter_present"),
    ("B", "C", RuleViolation, "candidate_for_seat"),
    ("B", "A", Conflict, "one_ballot_per_seat"),
])
def test_who_votes_once(voter, candidate, error, rule):
    office, election = opened(present=MEMBERS[:5])
    keys = Keys()
    election.put_forward("head", "A", "A", office)
    election.put_forward("deputy", "C", "C", office)
    election.cast_ballot("head", "B", "A", "A", key=keys.make)
    version = election.version
    with pytest.raises(error) as e:
        election.cast_ballot("head", voter, candidate, candidate, key=keys.make)
    assert rule_of(e) == rule
    assert election.version == version
    election.cast_ballot("deputy", "B", "C", "C", key=keys.make)  # one ballot a seat


def test_a_secret_ballot_is_sealed_and_counted_under_the_ballot_box():
    office, election = opened()
    keys = Keys()
    election.put_forward("head", "A", "A", office)
    election.put_forward("head", "B", "B", office)
    for voter, choice in zip(MEMBERS, "AAAABB", strict=True):
        election.cast_ballot("head", voter, choice, choice, key=keys.make)
    assert keys.asked == 6
    assert not set(election.ballots["head"].values()) & {"A", "B"}, "choices are sealed"
    result = election.declare(DECLARED, key=keys.existing)
    assert result["outcome"] == "elected" and result["seats"]["head"]["winner"] == "A"
    assert result["seats"]["head"]["votes"] == {"A": 4, "B": 2}
    assert election.winners() == [{"seat": "head", "unit_id": "A"}]
    events = election.collect_events()
    counted = [e for e in events if type(e).__name__ == "BallotsCounted"]
    assert len(counted) == 1 and counted[0].actor["user_id"] == "ballot-box"
    assert counted[0].actor["unit_id"] is None
    assert all(set(b) == {"ballot_no", "seat", "candidate"} for b in counted[0].ballots)
    copy = None
    for e in events:
        copy = e.mutate(copy)
    assert copy is not None and vars(copy) == vars(election)


def test_sealed_ballots_without_their_key_are_not_counted():
    office, election = opened()
    keys = Keys()
    election.put_forward("head", "A", "A", office)
    election.cast_ballot("head", "B", "A", "A", key=keys.make)
    version = election.version
    with pytest.raises(RuleViolation) as e:
        election.declare(DECLARED, key=lambda: None)
    assert rule_of(e) == "ballot_key_valid" and election.version == version
    with pytest.raises(RuleViolation) as e:
        election.declare(DECLARED, key=new_ballot_key)
    assert rule_of(e) == "ballot_key_valid" and election.status == "open"


@pytest.mark.parametrize("present,votes,outcome,status", [
    (MEMBERS[:3], "AAA", "no_quorum", "no_quorum"),  # 3 present of 6 < 2/3
    (MEMBERS[:4], "AAAB", "elected", "elected"),     # exactly 2/3 present; 3 of 4 ballots
    (MEMBERS, "AAABBB", "failed", "tie"),
    (MEMBERS, "AAABBC", "failed", "no_majority"),    # 3 of 6 ballots is not more than half
])
def test_quorum_and_majority_are_outcomes_not_refusals(present, votes, outcome, status):
    office, election = opened(ElectionRules(secret_ballot=False), present=present)
    election.put_forward("head", "A", "A", office)
    election.put_forward("head", "B", "B", office)
    election.put_forward("head", "C", "C", office)
    for voter, choice in zip(present, votes, strict=True):
        election.cast_ballot("head", voter, choice, choice, key=no_key)
    result = election.declare(DECLARED, key=lambda: None)
    assert (result["outcome"], result["seats"]["head"]["status"]) == (outcome, status)
    office.close_round(election)
    assert office.open_election is None
    assert office.sitting("head") == (None if status != "elected" else office.terms[-1])


def test_the_winners_take_office_when_the_round_closes():
    office, election = opened(ElectionRules(secret_ballot=False), previous_head="A")
    election.put_forward("head", "B", "B", office)
    election.put_forward("deputy", "C", "C", office)
    for m in MEMBERS:
        election.cast_ballot("head", m, "B", "B", key=no_key)
        election.cast_ballot("deputy", m, "C", "C", key=no_key)
    with pytest.raises(RuleViolation) as e:
        office.close_round(election)
    assert rule_of(e) == "election_over"
    election.declare(DECLARED, key=no_key)
    stranger = GroupOffice(group_id="other", year=2024)
    with pytest.raises(NotFound):
        stranger.close_round(election)
    office.close_round(election)
    assert [(t["seat"], t["unit_id"], t["term"], t["ended"]) for t in office.terms] == [
        ("head", "A", 2024, DECLARED), ("head", "B", 2025, None),
        ("deputy", "C", 2025, None)]
    assert office.open_election is None
    for refused in (lambda: election.put_forward("head", "D", "D", office),
                    lambda: election.cast_ballot("head", "D", "B", "B", key=no_key),
                    lambda: election.declare(DECLARED, key=no_key),
                    lambda: election.annul("muộn")):
        with pytest.raises(RuleViolation) as e:
            refused()
        assert rule_of(e) == "election_open"
    assert vars(replayed(office)) == vars(office)
    assert vars(replayed(election)) == vars(election)


def test_an_annulled_round_closes_with_nobody_in_office():
    office, election = opened()
    election.put_forward("head", "A", "A", office)
    election.annul("Triệu tập thiếu thành viên")
    office.close_round(election)
    assert office.terms == [] and office.open_election is None
    assert (election.status, election.annul_reason) == ("annulled", "Triệu tập thiếu thành viên")
    assert new_round(office, "g2024", 2025).round_no == 2


def test_the_years_rules_are_checked_whole_and_versioned():
    for bad, rule in (({"colour": "red"}, "known_rule"), ({"quorum": "0.66"}, "fraction_format"),
                      ({"rotation": "yes"}, "boolean")):
        with pytest.raises(InvalidInput) as e:
            ElectionRuleSet.adopt(2025, bad, None)
        assert rule_of(e) == rule
    rs = ElectionRuleSet.adopt(2025, {"quorum": "3/4"}, "Quy chế")
    assert rs.in_force == ElectionRules(quorum="3/4")
    with pytest.raises(InvalidInput):
        rs.revise({"majority": "3/2"}, "Sửa")
    assert rs.version == 1
    rs.revise({"secret_ballot": False}, "Biểu quyết giơ tay")
    assert rs.in_force == ElectionRules(quorum="3/4", secret_ballot=False)
    assert [(v["version"], v["reason"]) for v in rs.versions] == [(1, "Quy chế"),
                                                                   (2, "Biểu quyết giơ tay")]
    assert vars(replayed(rs)) == vars(rs)

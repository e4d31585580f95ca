"""The pure rules of elections and covenants (domain.md §3–4), without a database."""

from __future__ import annotations

from datetime import date

import pytest

from domain.application import Thidua
from domain.covenants.covenant import check_decimal, check_targets
from domain.elections.ballots import new_ballot_key, open_choice, seal_choice, shuffled_ballots
from domain.elections.election import Election
from domain.elections.office import GroupOffice
from domain.elections.rules import (
    ElectionRules,
    check_rotation,
    election_outcome,
    has_majority,
    meeting_term,
    parse_fraction,
    quorum_met,
    seat_outcome,
)
from domain.elections.sources import rule_sources
from domain.kernel.actor import Actor
from domain.kernel.errors import InvalidInput, RuleViolation

RULES = ElectionRules()


def test_default_rules_are_ours_where_letter_4268_is_silent():
    """The defaults, and whose each is: 4268 asks for a rotating head and deputy, and says
    nothing of quorum, majority, secrecy or the rest, which are ours (docs/decisions.md)."""
    assert RULES.to_dict() == {"quorum": "2/3", "majority": "1/2", "secret_ballot": True,
                               "rotation": True, "head_deputy_distinct": True,
                               "next_term_months": [12],
                               "deputy_acts_for_vacant_head": False}
    whose = {s["setting"]: s["source"] for s in rule_sources(RULES.to_dict())}
    assert whose == {"quorum": "ours", "majority": "ours", "secret_ballot": "ours",
                     "rotation": "letters", "head_deputy_distinct": "letters",
                     "next_term_months": "ours", "deputy_acts_for_vacant_head": "ours"}
    changed = {s["setting"]: s for s in rule_sources({**RULES.to_dict(), "quorum": "3/4"})}
    assert changed["quorum"]["source"] == "set" and changed["quorum"]["default"] == "2/3"
    assert changed["quorum"]["default_source"] == "ours"


def test_rules_recorded_before_a_rule_was_added_take_its_default():
    old = {"quorum": "3/4", "majority": "1/2", "secret_ballot": True, "rotation": False,
           "head_deputy_distinct": True}
    rules = ElectionRules.stored(old)
    assert rules.quorum == "3/4" and rules.next_term_months == (12,)
    assert rules.deputy_acts_for_vacant_head is False
    assert ElectionRules.stored(rules.to_dict()) == rules


@pytest.mark.parametrize("months", [[13], [0], [12, 12], "12", [True], [1.5]])
def test_next_term_months_are_months(months):
    with pytest.raises(InvalidInput) as e:
        ElectionRules.from_dict({"next_term_months": months})
    assert e.value.field == "next_term_months"


def test_a_meetings_term_by_its_date():
    # the year's own summary meeting, in the year or early the next, elects the next term
    assert meeting_term(2024, date(2024, 12, 20), None, RULES) == 2025
    assert meeting_term(2024, date(2025, 1, 15), None, RULES) == 2025
    assert meeting_term(2024, date(2024, 12, 20), 2024, RULES) == 2024
    # a December meeting of the year before elects for the group's own term
    assert meeting_term(2025, date(2024, 12, 20), None, RULES) == 2025
    with pytest.raises(RuleViolation) as e:
        meeting_term(2025, date(2024, 12, 20), 2026, RULES)
    assert (e.value.field, e.value.rule) == ("term", "next_term_meeting_term")
    # only in the configured months
    with pytest.raises(RuleViolation) as e:
        meeting_term(2025, date(2024, 11, 30), None, RULES)
    assert (e.value.field, e.value.rule) == ("meeting_date", "next_term_meeting_month")
    november = ElectionRules.from_dict({"next_term_months": [11, 12]})
    assert meeting_term(2025, date(2024, 11, 30), None, november) == 2025
    never = ElectionRules.from_dict({"next_term_months": []})
    with pytest.raises(RuleViolation):
        meeting_term(2025, date(2024, 12, 20), None, never)
    # too early or too late for the year at all
    for day in (date(2023, 12, 20), date(2027, 1, 5)):
        with pytest.raises(InvalidInput) as e:
            meeting_term(2025, day, None, RULES)
        assert e.value.rule == "meeting_in_year"
    with pytest.raises(InvalidInput) as e:
        meeting_term(2025, date(2025, 12, 1), 2031, RULES)
    assert e.value.rule == "term_range"


@pytest.mark.parametrize("text,expected", [("2/3", (2, 3)), ("1/2", (1, 2)), ("1/1", (1, 1))])
def test_fractions(text, expected):
    assert parse_fraction(text, "quorum") == expected


@pytest.mark.parametrize("text", ["0/3", "4/3", "0.66", "2/0", "a/b", "", "2/3/4", 0.5, None])
def test_bad_fractions(text):
    with pytest.raises(InvalidInput) as e:
        parse_fraction(text, "quorum")
    assert e.value.field == "quorum"


def test_rules_from_data_refuse_unknown_or_wrong_kinds():
    assert ElectionRules.from_dict({"quorum": "3/4"}).quorum == "3/4"
    with pytest.raises(InvalidInput) as e:
        ElectionRules.from_dict({"colour": "red"})
    assert e.value.rule == "known_rule"
    with pytest.raises(InvalidInput) as e:
        ElectionRules.from_dict({"rotation": "yes"})
    assert e.value.field == "rotation"


@pytest.mark.parametrize("members,present,met", [
    (6, 4, True), (6, 3, False), (9, 6, True), (9, 5, False), (7, 5, True), (7, 4, False),
    (0, 0, False)])
def test_quorum_at_least_two_thirds(members, present, met):
    assert quorum_met(members, present, "2/3") is met


@pytest.mark.parametrize("votes,cast,won", [(4, 6, True), (3, 6, False), (1, 1, True),
                                            (0, 0, False), (5, 9, True), (4, 9, False)])
def test_majority_more_than_half(votes, cast, won):
    assert has_majority(votes, cast, "1/2") is won


def test_seat_outcomes():
    assert seat_outcome([], [], "1/2")["status"] == "no_candidates"
    assert seat_outcome(["A"], [], "1/2")["status"] == "no_ballots"
    tie = seat_outcome(["A", "B"], ["A", "B"], "1/2")
    assert tie["status"] == "tie" and tie["tied"] == ["A", "B"] and tie["winner"] is None
    short = seat_outcome(["A", "B", "C"], ["A", "A", "B", "C"], "1/2")
    assert short["status"] == "no_majority" and short["leader"] == "A"
    won = seat_outcome(["A", "B"], ["A", "A", "B"], "1/2")
    assert won["status"] == "elected" and won["winner"] == "A"
    assert won["votes"] == {"A": 2, "B": 1}
    # a candidate with no vote is still counted, as zero
    assert seat_outcome(["A", "B"], ["A"], "1/2")["votes"] == {"A": 1, "B": 0}


def test_election_outcomes():
    cands = {"head": ["A", "B"], "deputy": ["C"]}
    out = election_outcome(members=6, present=3, candidates=cands,
                           choices={"head": ["A"] * 3, "deputy": ["C"] * 3}, rules=RULES)
    assert out["outcome"] == "no_quorum" and out["seats"]["head"]["winner"] is None
    out = election_outcome(members=6, present=6, candidates=cands,
                           choices={"head": ["A"] * 4 + ["B"] * 2, "deputy": ["C"] * 6},
                           rules=RULES)
    assert out["outcome"] == "elected"
    out = election_outcome(members=6, present=6, candidates=cands,
                           choices={"head": ["A"] * 3 + ["B"] * 3, "deputy": ["C"] * 6},
                           rules=RULES)
    assert out["outcome"] == "partly_elected" and out["seats"]["head"]["status"] == "tie"
    out = election_outcome(members=6, present=6, candidates={"head": ["A", "B"]},
                           choices={"head": ["A"] * 3 + ["B"] * 3}, rules=RULES)
    assert out["outcome"] == "failed" and out["seats"]["deputy"]["status"] == "no_candidates"
    out = election_outcome(members=6, present=6, candidates={}, choices={}, rules=RULES)
    assert out["outcome"] == "failed"
    # a stricter majority from the year's rules
    strict = ElectionRules(majority="2/3")
    out = election_outcome(members=6, present=6, candidates={"head": ["A", "B"]},
                           choices={"head": ["A"] * 4 + ["B"] * 2}, rules=strict)
    assert out["seats"]["head"]["status"] == "no_majority"


def test_rotation():
    check_rotation("head", "A", "B", RULES, "A")
    check_rotation("deputy", "A", "A", RULES, "A")
    check_rotation("head", "A", None, RULES, "A")
    check_rotation("head", "A", "A", ElectionRules(rotation=False), "A")
    with pytest.raises(RuleViolation) as e:
        check_rotation("head", "A", "A", RULES, "P01")
    assert e.value.rule == "rotation_head_not_repeated" and "P01" in e.value.message


def test_sealed_ballots_open_only_with_their_key_voter_and_seat():
    key = new_ballot_key()
    sealed = seal_choice(key, "e1", "head", "voter", "candidate")
    assert "candidate" not in sealed and "voter" not in sealed
    assert seal_choice(key, "e1", "head", "voter", "candidate") != sealed  # random nonce
    assert open_choice(key, "e1", "head", "voter", sealed) == "candidate"
    for args in [(new_ballot_key(), "e1", "head", "voter"), (key, "e1", "deputy", "voter"),
                 (key, "e1", "head", "other"), (key, "e2", "head", "voter")]:
        with pytest.raises(RuleViolation):
            open_choice(*args, sealed)


def test_counted_ballots_keep_no_order():
    pairs = [("head", f"c{i}") for i in range(200)]
    ballots = shuffled_ballots(pairs)
    assert sorted(b["candidate"] for b in ballots) == sorted(c for _, c in pairs)
    assert [b["ballot_no"] for b in ballots] == sorted(b["ballot_no"] for b in ballots)
    assert [b["candidate"] for b in ballots] != [c for _, c in pairs]
    assert all(set(b) == {"ballot_no", "seat", "candidate"} for b in ballots)


@pytest.mark.parametrize("value,expected", [("98.50", "98.5"), ("100", "100"), (7, "7"),
                                            ("0.000", "0"), ("-2.5", "-2.5")])
def test_decimals(value, expected):
    assert check_decimal(value, "target") == expected


@pytest.mark.parametrize("value", ["abc", "NaN", "Infinity", 1.5, True, None, "1e20"])
def test_bad_decimals(value):
    with pytest.raises(InvalidInput):
        check_decimal(value, "target")


def test_targets():
    good = {"code": "T1", "name": "Thu", "unit_of_measure": "%", "target": "100",
            "direction": "at_least"}
    assert check_targets([good])[0]["target"] == "100"
    with pytest.raises(InvalidInput) as e:
        check_targets([good, good])
    assert e.value.field == "targets[1].code"
    with pytest.raises(InvalidInput) as e:
        check_targets([{**good, "direction": "up"}])
    assert e.value.field == "targets[0].direction"
    with pytest.raises(InvalidInput):
        check_targets([])


def test_an_election_in_memory_seals_and_counts():
    """The whole use case on the in-memory event store (its keys held in memory)."""
    root = Actor(user_id="root", user_name="root", roles=("standing_office", "admin"),
                 unit_id=None)
    app = Thidua(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    for c in ("A", "B", "C"):
        app.register_unit(root, code=c, name=f"Unit {c}", level="central", parent_code=None,
                          effective="2020-01-01")
    gid = app.form_group(root, year=2024, kind="block", code="K1", name="Khối 1",
                         members=["A", "B", "C"]).view["id"]
    eid = app.open_election(root, group_id=gid, year=2024, meeting_date="2024-12-20",
                            place="Hà Nội", present=["A", "B", "C"]).view["id"]
    app.put_forward(root, eid, unit_code="A", seat="head")
    app.put_forward(root, eid, unit_code="B", seat="deputy")
    for c in ("A", "B", "C"):
        voter = Actor(user_id=c, user_name=c, roles=("officer",),
                      unit_id=str(app.unit(c).id), unit_code=c)
        app.cast_ballot(voter, eid, seat="head", candidate_code="A")
        app.cast_ballot(voter, eid, seat="deputy", candidate_code="B")
    result = app.declare_result(root, eid).view
    assert result["outcome"] == "elected"
    assert app.head_units(gid, 2024) == (str(app.unit("A").id), str(app.unit("B").id))
    assert app.ballot_keys().existing(eid) is None


# -- the office of a group line: terms across years, vacancy, acting -----------------------------
OPEN_BALLOT = ElectionRules(secret_ballot=False)
MEMBERS = ("A", "B", "C", "D", "E", "F")


def no_key() -> bytes:
    raise AssertionError("an open ballot is never sealed")


def _round(office: GroupOffice, group_id: str, term: int) -> Election:
    return office.new_round(group_id=group_id, group_code="K1", year=term - 1, term=term,
                            meeting_date=f"{term - 1}-12-20", place="Hà Nội",
                            members=MEMBERS, present=[(m, m) for m in MEMBERS],
                            rules=OPEN_BALLOT, rules_version=1)


def _office_with(head: str = "A", deputy: str = "B", term: int = 2025) -> GroupOffice:
    """An office whose line elected ``head`` and ``deputy`` for ``term``, by open ballot."""
    office = GroupOffice(group_id="g2024", year=2024)
    election = _round(office, "g2024", term)
    election.put_forward("head", head, head, office)
    election.put_forward("deputy", deputy, deputy, office)
    for m in MEMBERS:
        election.cast_ballot("head", m, head, head, key=no_key)
        election.cast_ballot("deputy", m, deputy, deputy, key=no_key)
    election.declare("2024-12-20T03:00:00+00:00", key=lambda: None)
    office.close_round(election)
    return office


def test_an_office_keeps_one_open_round_and_never_puts_an_older_term_over_a_newer():
    office = _office_with(term=2026)
    second = _round(office, "g2025", 2026)
    with pytest.raises(RuleViolation) as e:
        office.open_round(election_id="e3", group_id="g2026", term=2027)
    assert e.value.rule == "one_open_election"
    with pytest.raises(RuleViolation) as e:
        office.close_round(second)
    assert e.value.rule == "election_over"
    second.annul("Triệu tập thiếu thành viên")
    office.close_round(second)
    with pytest.raises(RuleViolation) as e:
        office.open_round(election_id="e3", group_id="g2025", term=2025)
    assert (e.value.field, e.value.rule) == ("term", "term_not_before_sitting")
    with pytest.raises(RuleViolation) as e:
        office.take_office(election_id="e9", term=2025, took_office="2025-12-01T00:00:00+00:00",
                           holders=[{"seat": "head", "unit_id": "C"}])
    assert e.value.rule == "term_not_before_sitting"
    with pytest.raises(RuleViolation) as e:
        office.take_office(election_id="e9", term=2026, took_office="2025-12-01T00:00:00+00:00",
                           holders=[{"seat": "head", "unit_id": "C"},
                                    {"seat": "head", "unit_id": "D"}])
    assert e.value.rule == "one_holder_per_seat"
    # rounds are counted per group-year, the line's elections all in one office
    assert office.rounds_in("g2024") == 1 and office.rounds_in("g2025") == 1
    assert office.rounds_in("g2026") == 0


def test_a_seat_is_vacant_from_the_day_its_units_ends():
    office = _office_with()
    ends = {"A": "2025-07-01"}
    before = office.holders_on(date(2025, 6, 30), ends.get)
    assert before["head"]["status"] == "sitting" and before["head"]["unit_id"] == "A"
    on = office.holders_on(date(2025, 7, 1), ends.get)
    assert on["head"]["status"] == "vacant" and on["head"]["unit_id"] is None
    assert on["head"]["vacant_since"] == "2025-07-01"
    assert office.powers_on(date(2025, 7, 1), ends.get) == ("B",)
    # the deputy acts by itself only where the rules say so
    auto = office.holders_on(date(2025, 7, 1), ends.get, deputy_acts=True)
    assert auto["head"]["status"] == "acting" and auto["head"]["unit_id"] == "B"
    assert auto["head"]["acting"]["automatic"] is True


def _designate(office: GroupOffice, **changes: object) -> None:
    args: dict = {"seat": "head", "unit_id": "C", "unit_code": "C", "group_id": "g2025",
                  "effective": "2025-07-02", "reason": "Giới thiệu",
                  "holder_ended": "2025-07-01", "is_member": True,
                  "active_on_effective": True, **changes}
    office.designate_acting(**args)


@pytest.mark.parametrize("changes,field,rule", [
    ({"holder_ended": None}, "effective", "seat_vacant"),
    ({"effective": "2025-06-30"}, "effective", "seat_vacant"),
    ({"is_member": False}, "unit_code", "acting_is_member"),
    ({"active_on_effective": False}, "unit_code", "acting_unit_active"),
    ({"seat": "chair"}, "seat", "known_seat"),
])
def test_a_designation_is_refused_before_its_event(changes, field, rule):
    office = _office_with()
    version = office.version
    with pytest.raises(RuleViolation) as e:
        _designate(office, **changes)
    assert (e.value.field, e.value.rule) == (field, rule)
    assert office.version == version and office.acting == []


def test_an_acting_head_holds_the_powers_until_the_next_election():
    office = _office_with()
    ends: dict[str, str] = {"A": "2025-07-01"}
    _designate(office)
    with pytest.raises(RuleViolation) as e:
        _designate(office)
    assert e.value.rule == "acting_once"
    assert office.holders_on(date(2025, 7, 1), ends.get)["head"]["status"] == "vacant"
    held = office.holders_on(date(2025, 7, 2), ends.get)["head"]
    assert held["status"] == "acting" and held["unit_id"] == "C"
    assert office.powers_on(date(2025, 7, 2), ends.get) == ("C", "B")
    # an acting unit that ends in turn leaves the seat vacant again
    assert office.holders_on(date(2025, 9, 1), {**ends, "C": "2025-09-01"}.get)["head"][
        "status"] == "vacant"
    # a redesignation replaces the first; the next election ends the designation
    _designate(office, unit_id="D", unit_code="D", effective="2025-08-01")
    assert [a["ended"] for a in office.acting] == ["2025-08-01", None]
    office.open_round(election_id="e2", group_id="g2025", term=2026)
    office.take_office(election_id="e2", term=2026, took_office="2025-12-19T03:00:00+00:00",
                       holders=[{"seat": "head", "unit_id": "E"}])
    assert office.acting_in("head") is None
    assert office.powers_on(date(2025, 12, 20), ends.get) == ("E", "B")
    with pytest.raises(RuleViolation) as e:
        _designate(office, unit_id="F", unit_code="F", holder_ended=None)
    assert e.value.rule == "seat_vacant"

"""The judging's rules without a database: the year's rules as data, how a title is counted
(majority, ranking, a tie across the last place), a round's outcome, and the aggregate's
guards (one open round, members present, candidates before ballots, one title a unit,
ballots within places), the proposals accumulating across rounds, and the events replaying
into an equal aggregate."""

from __future__ import annotations

from typing import Any

import pytest

from domain.judging.awards import award_titles
from domain.judging.judging import Judging
from domain.judging.rules import (
    JudgingRules,
    marks_to_text,
    places,
    round_outcome,
    text_to_marks,
    title_outcome,
)
from domain.kernel.errors import Conflict, InvalidInput, NotAuthorised, RuleViolation

MEMBERS = ["u1", "u2", "u3", "u4", "u5", "u6"]
LABELS = {u: u.upper() for u in MEMBERS}


def rule_of(excinfo: pytest.ExceptionInfo[BaseException]) -> str:
    return str(getattr(excinfo.value, "rule", ""))


# -- the year's rules ---------------------------------------------------------------------------
def test_the_defaults_are_ours_and_read_back_as_stored():
    rules = JudgingRules()
    assert (rules.quorum, rules.majority, rules.majority_of) == ("2/3", "1/2", "cast")
    assert [(t["code"], t["quota"]) for t in rules.titles] == [("flag", 1), ("certificate", 2)]
    assert JudgingRules.stored(rules.to_dict()) == rules
    assert JudgingRules.from_dict(rules.to_dict()) == rules


@pytest.mark.parametrize(("change", "rule", "field"), [
    ({"quorum": "3/2"}, "fraction_range", "quorum"),
    ({"majority": "0.5"}, "fraction_format", "majority"),
    ({"majority_of": "present"}, "known_majority_base", "majority_of"),
    ({"one_title_per_unit": "yes"}, "boolean", "one_title_per_unit"),
    ({"seats": 2}, "known_rule", "seats"),
    ({"titles": []}, "titles_count", "titles"),
    ({"titles": ["flag"]}, "title_object", "titles[0]"),
    ({"titles": [{"code": "1flag", "name": "Cờ", "quota": 1}]}, "title_code", "titles[0].code"),
    ({"titles": [{"code": "flag", "name": " ", "quota": 1}]}, "text_length", "titles[0].name"),
    ({"titles": [{"code": "flag", "name": "Cờ\u202e", "quota": 1}]}, "text_characters",
     "titles[0].name"),
    ({"titles": [{"code": "flag", "name": "Cờ", "quota": -1}]}, "quota_range",
     "titles[0].quota"),
    ({"titles": [{"code": "flag", "name": "Cờ", "quota": True}]}, "quota_range",
     "titles[0].quota"),
    ({"titles": [{"code": "flag", "name": "Cờ", "quota": 1, "quota_share": "1/0"}]},
     "fraction_range", "titles[0].quota_share"),
    ({"titles": [{"code": "flag", "name": "Cờ", "quota": 1, "levels": "excellent"}]},
     "levels_list", "titles[0].levels"),
    ({"titles": [{"code": "flag", "name": "Cờ", "quota": 1, "extra": 1}]}, "known_rule",
     "titles[0].extra"),
    ({"titles": [{"code": "flag", "name": "Cờ", "quota": 1},
                 {"code": "flag", "name": "Cờ 2", "quota": 1}]}, "title_code_unique", "titles"),
])
def test_bad_rules_are_refused_naming_the_field(change, rule, field):
    with pytest.raises(InvalidInput) as e:
        JudgingRules.from_dict({**JudgingRules().to_dict(), **change})
    assert rule_of(e) == rule and field in e.value.errors


def test_a_titles_places_are_its_quota_capped_by_its_share():
    assert places({"quota": 3, "quota_share": None}, 6) == 3
    assert places({"quota": 3, "quota_share": "1/5"}, 6) == 1  # 6 × 1/5 rounded down
    assert places({"quota": 3, "quota_share": "1/5"}, 4) == 0
    assert places({"quota": 1, "quota_share": "1/2"}, 10) == 1


# -- counting -----------------------------------------------------------------------------------
def test_a_title_proposes_by_majority_and_rank_within_its_places():
    cands = ["a", "b", "c"]
    ballots = [["a", "b"], ["a", "b"], ["a", "c"], ["a"], ["b"], []]
    out = title_outcome(cands, ballots, 2, "1/2")
    # a: 4/6, b: 3/6 (not more than half), c: 1/6
    assert out["status"] == "proposed" and out["proposed"] == ["a"]
    assert out["votes"] == {"a": 4, "b": 3, "c": 1} and out["ballots"] == 6
    # the same ballots, the majority of the members (8) instead of the ballots cast
    assert title_outcome(cands, ballots, 2, "1/2", base=8)["status"] == "no_majority"
    # a lower majority lets b in too, ranked by votes
    assert title_outcome(cands, ballots, 2, "1/3")["proposed"] == ["a", "b"]


def test_a_tie_across_the_last_place_proposes_none_of_the_tied():
    cands = ["a", "b", "c"]
    ballots = [["a", "b"], ["a", "c"], ["a", "b"], ["a", "c"], ["b", "c"]]
    out = title_outcome(cands, ballots, 2, "1/2")  # a 4, b 3, c 3: one place for b or c
    assert out["status"] == "tie" and out["proposed"] == ["a"]
    assert sorted(out["tied"]) == ["b", "c"]
    # with three places, the tie is inside them: all proposed
    assert title_outcome(cands, ballots, 3, "1/2")["proposed"] == ["a", "b", "c"]


def test_no_candidates_no_ballots_no_majority():
    assert title_outcome([], [], 1, "1/2")["status"] == "no_candidates"
    assert title_outcome(["a"], [], 1, "1/2")["status"] == "no_ballots"
    assert title_outcome(["a", "b"], [["a"], ["b"]], 1, "1/2")["status"] == "no_majority"


def test_a_rounds_outcome():
    rules = JudgingRules()
    cands = {"flag": ["a", "b"], "certificate": ["c"]}
    marks = {"flag": [["a"]] * 4, "certificate": [["c"]] * 4}
    left = {"flag": 1, "certificate": 2}
    out = round_outcome(members=6, present=4, candidates=cands, marks=marks,
                        places_left=left, rules=rules)
    assert out["outcome"] == "proposed" and out["quorum"]["met"]
    assert out["titles"]["flag"]["proposed"] == ["a"]
    short = round_outcome(members=6, present=3, candidates=cands, marks=marks,
                          places_left=left, rules=rules)
    assert short["outcome"] == "no_quorum"
    assert all(t["status"] == "no_quorum" and t["proposed"] == []
               for t in short["titles"].values())
    split = {"flag": [["a"], ["a"], ["b"], ["b"]], "certificate": [["c"]] * 4}
    part = round_outcome(members=6, present=4, candidates=cands, marks=split,
                         places_left=left, rules=rules)
    assert part["outcome"] == "partly_proposed"
    assert part["titles"]["flag"]["status"] == "no_majority"
    none = round_outcome(members=6, present=4, candidates={"flag": ["a"]},
                         marks={"flag": [[]] * 4}, places_left=left, rules=rules)
    assert none["outcome"] == "failed"


def test_marks_are_sealed_as_a_text_of_one_length_per_title():
    cands = ["a", "b", "c", "d"]
    texts = {marks_to_text(cands, m) for m in ([], ["a"], ["b", "d"], ["a", "b", "c"])}
    assert {len(t) for t in texts} == {4}
    assert text_to_marks(cands, marks_to_text(cands, ["d", "b"])) == ["b", "d"]


# -- the aggregate --------------------------------------------------------------------------------
def judging(**rules: Any) -> Judging:
    j = Judging(group_id="g", year=2024)
    opened(j, rules)
    return j


def opened(j: Judging, rules: dict[str, Any] | None = None, reason: str | None = None,
           present: list[str] | None = None) -> int:
    full = JudgingRules.from_dict({**JudgingRules().to_dict(), **(rules or {})}).to_dict()
    return j.open(meeting_date="2024-12-20", place="Hà Nội", members=MEMBERS,
                  present=MEMBERS if present is None else present, rules=full, rules_version=0,
                  reason=reason, decided=False, labels=LABELS)


def seal(round_no: int, text: str) -> str:
    return f"sealed:{round_no}:{len(text)}"


def cast(j: Judging, voter: str, title: str, marks: list[str]) -> int:
    return j.cast(title=title, voter=voter, marks=marks, labels=LABELS, seal=seal)


def test_a_round_opens_once_for_members_and_not_after_the_decision():
    j = Judging(group_id="g", year=2024)
    with pytest.raises(RuleViolation) as e:
        opened(j, present=["u1", "x9"])
    assert rule_of(e) == "present_is_member" and "present[1]" in e.value.errors
    with pytest.raises(RuleViolation) as e:
        j.open(meeting_date="2024-12-20", place="x", members=MEMBERS, present=MEMBERS,
               rules=JudgingRules().to_dict(), rules_version=0, reason=None, decided=True,
               labels=LABELS)
    assert rule_of(e) == "judging_before_decision"
    assert opened(j) == 1
    with pytest.raises(RuleViolation) as e:
        opened(j, reason="Vòng 2")
    assert rule_of(e) == "one_open_round"
    j.annul("Sai danh sách")
    with pytest.raises(RuleViolation) as e:
        opened(j)
    assert rule_of(e) == "reason_required"
    assert opened(j, reason="Họp lại") == 2


def test_candidates_are_members_before_the_first_ballot_one_title_each():
    j = judging()
    with pytest.raises(RuleViolation) as e:
        j.put_forward(title="flag", unit_id="x9", unit_code="X9", is_member=False)
    assert rule_of(e) == "candidate_is_member"
    with pytest.raises(RuleViolation) as e:
        j.put_forward(title="medal", unit_id="u1", unit_code="U1", is_member=True)
    assert rule_of(e) == "known_title"
    j.put_forward(title="flag", unit_id="u1", unit_code="U1", is_member=True)
    with pytest.raises(RuleViolation) as e:
        j.put_forward(title="flag", unit_id="u1", unit_code="U1", is_member=True)
    assert rule_of(e) == "candidate_once"
    with pytest.raises(RuleViolation) as e:
        j.put_forward(title="certificate", unit_id="u1", unit_code="U1", is_member=True)
    assert rule_of(e) == "one_title_per_unit"
    cast(j, "u2", "flag", ["u1"])
    with pytest.raises(RuleViolation) as e:
        j.put_forward(title="flag", unit_id="u2", unit_code="U2", is_member=True)
    assert rule_of(e) == "candidates_before_ballots"
    # another title's candidates may still be put forward
    j.put_forward(title="certificate", unit_id="u2", unit_code="U2", is_member=True)
    # without one title a unit, the same unit stands for both
    free = judging(one_title_per_unit=False)
    free.put_forward(title="flag", unit_id="u1", unit_code="U1", is_member=True)
    free.put_forward(title="certificate", unit_id="u1", unit_code="U1", is_member=True)


def test_a_title_without_places_takes_no_candidate():
    j = judging(titles=[{"code": "flag", "name": "Cờ", "quota": 1},
                        {"code": "certificate", "name": "Bằng khen", "quota": 2,
                         "quota_share": "1/10"}])
    assert j.open_round["places"] == {"flag": 1, "certificate": 0}
    with pytest.raises(RuleViolation) as e:
        j.put_forward(title="certificate", unit_id="u1", unit_code="U1", is_member=True)
    assert rule_of(e) == "title_has_places"


def test_ballots_are_a_present_members_once_within_the_places():
    j = judging()
    for u in ("u1", "u2", "u3"):
        j.put_forward(title="certificate", unit_id=u, unit_code=u.upper(), is_member=True)
    for voter, marks, exc, rule in (
            ("x9", ["u1"], NotAuthorised, "voter_is_member"),
            ("u1", ["u4"], RuleViolation, "candidate_for_title"),
            ("u1", ["u1", "u1"], RuleViolation, "mark_once"),
            ("u1", ["u1", "u2", "u3"], RuleViolation, "marks_within_places")):
        with pytest.raises(exc) as e:
            cast(j, voter, "certificate", marks)
        assert rule_of(e) == rule
    assert cast(j, "u1", "certificate", ["u1", "u2"]) == 1
    assert cast(j, "u2", "certificate", []) == 2  # a blank ballot counts as cast
    with pytest.raises(Conflict) as e:
        cast(j, "u1", "certificate", ["u3"])
    assert rule_of(e) == "one_ballot_per_title"
    absent = judging()
    absent.annul("x")
    opened(absent, reason="vòng 2", present=["u1", "u2", "u3", "u4"])
    absent.put_forward(title="flag", unit_id="u1", unit_code="U1", is_member=True)
    with pytest.raises(RuleViolation) as e:
        cast(absent, "u5", "flag", ["u1"])
    assert rule_of(e) == "voter_present"


def test_every_ballot_is_counted_and_proposals_fill_places_across_rounds():
    j = judging()
    for u, t in (("u1", "flag"), ("u2", "certificate"), ("u3", "certificate"),
                 ("u4", "certificate")):
        j.put_forward(title=t, unit_id=u, unit_code=u.upper(), is_member=True)
    for v in MEMBERS:
        cast(j, v, "flag", ["u1"])
        cast(j, v, "certificate", ["u2", "u3"] if v < "u4" else ["u2", "u4"])
    with pytest.raises(RuleViolation) as e:
        j.count([])
    assert rule_of(e) == "count_every_ballot"
    rnd = j.open_round
    marks = {"flag": [["u1"]] * 6, "certificate": [["u2", "u3"]] * 3 + [["u2", "u4"]] * 3}
    result = round_outcome(members=6, present=6, candidates=rnd["candidates"], marks=marks,
                           places_left=rnd["places"], rules=Judging.rules_of(rnd))
    j.count([{"ballot_no": str(i), "title": "flag", "marks": ["u1"]} for i in range(12)])
    j.declare(result, declared_at="2024-12-20T10:00:00+07:00")
    assert [(p["title"], p["unit_id"]) for p in j.proposals] == [("flag", "u1"),
                                                                 ("certificate", "u2")]
    # the next round has one certificate place left, and no flag place
    assert opened(j, reason="Bầu thêm Bằng khen") == 2
    assert j.open_round["places"] == {"flag": 0, "certificate": 1}
    with pytest.raises(RuleViolation) as e:
        j.put_forward(title="certificate", unit_id="u2", unit_code="U2", is_member=True)
    assert rule_of(e) == "proposed_once"
    with pytest.raises(RuleViolation) as e:
        j.put_forward(title="certificate", unit_id="u1", unit_code="U1", is_member=True)
    assert rule_of(e) == "proposed_once"  # proposed for the flag: one title a unit
    # a result proposing beyond the places is refused by the aggregate
    over = {"outcome": "proposed", "quorum": {}, "titles": {"certificate": {
        "proposed": ["u3", "u4"], "votes": {"u3": 6, "u4": 6}}}}
    with pytest.raises(RuleViolation) as e:
        j.declare(over, declared_at="2024-12-21T10:00:00+07:00")
    assert rule_of(e) == "places_left"
    j.annul("Hoãn")
    copy = None
    for event in j.collect_events():
        copy = event.mutate(copy)
    assert copy is not None and vars(copy) == vars(j)


def test_every_place_filled_leaves_nothing_to_judge():
    j = judging(titles=[{"code": "flag", "name": "Cờ", "quota": 1}])
    j.put_forward(title="flag", unit_id="u1", unit_code="U1", is_member=True)
    result = {"outcome": "proposed", "quorum": {}, "titles": {"flag": {
        "status": "proposed", "proposed": ["u1"], "votes": {"u1": 6}}}}
    j.declare(result, declared_at="2024-12-20T10:00:00+07:00")
    with pytest.raises(RuleViolation) as e:
        opened(j, {"titles": [{"code": "flag", "name": "Cờ", "quota": 1}]}, reason="lại")
    assert rule_of(e) == "places_left"


# -- titles awarded by the decision --------------------------------------------------------------
PROPOSALS = [
    {"judging_id": "j1", "group_code": "C1", "unit_id": "u1", "code": "P01", "title": "flag",
     "levels": ["excellent"]},
    {"judging_id": "j1", "group_code": "C1", "unit_id": "u2", "code": "P02",
     "title": "certificate", "title_name": "Bằng khen", "levels": []},
]
LEVELS = {"P01": "excellent", "P02": "good", "P03": "excellent"}


def test_a_title_is_awarded_on_a_proposal_to_a_unit_of_the_level_it_needs():
    out = award_titles(year=2024, given=[{"unit_code": "P02", "title": "certificate"}],
                       proposals=PROPOSALS, levels=LEVELS)
    assert out["titles"] == [{"unit_id": "u2", "code": "P02", "title": "certificate",
                              "title_name": "Bằng khen", "group_code": "C1",
                              "judging_id": "j1"}]
    assert [(p["code"], p["outcome"]) for p in out["proposals"]] == [
        ("P01", "not_awarded"), ("P02", "awarded")]
    for given, exc, rule, field in (
            ([{"unit_code": "P09", "title": "flag"}], RuleViolation, "unit_in_cycle",
             "titles[0].unit_code"),
            ([{"unit_code": "P03", "title": "flag"}], RuleViolation, "title_proposed",
             "titles[0]"),
            ([{"unit_code": "P02", "title": "flag"}], RuleViolation, "title_proposed",
             "titles[0]"),
            ([{"unit_code": "P01", "title": "flag"}] * 2, InvalidInput, "title_once",
             "titles[1]"),
            ([{"unit_code": "P01"}], InvalidInput, "title_object", "titles[0]")):
        with pytest.raises(exc) as e:
            award_titles(year=2024, given=given, proposals=PROPOSALS, levels=LEVELS)
        assert rule_of(e) == rule and field in e.value.errors, e.value.errors
    with pytest.raises(RuleViolation) as e:
        award_titles(year=2024, given=[{"unit_code": "P01", "title": "flag"}],
                     proposals=PROPOSALS, levels={**LEVELS, "P01": "good"})
    assert rule_of(e) == "title_level"

"""Who scores whom and which sheets need a leader's approval, stated once
(domain/evaluation/scoring.py), and the rule set's defaults written once (ruleset.py)."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from domain.evaluation.cycle import EvaluationCycle
from domain.evaluation.rules import deadline_of, quota_cap
from domain.evaluation.ruleset import (
    DEFAULT_DEADLINE,
    DEFAULT_QUOTA,
    check_ruleset,
    sample_ruleset,
)
from domain.evaluation.scoring import ScoringPlan, needs_leader_approval

RULES = check_ruleset(sample_ruleset())
UNITS = [{"id": "p1", "code": "P01", "name": "", "level": "province"},
         {"id": "p2", "code": "P02", "name": "", "level": "province"},
         {"id": "c1", "code": "BTHU", "name": "", "level": "central"},
         {"id": "c2", "code": "VTCCB", "name": "", "level": "central"},
         {"id": "c3", "code": "VP", "name": "", "level": "central"}]
MONITORING = [{"unit_id": "c1", "code": "BTHU", "field": "Thu"}]
ORGANISATION = [{"unit_id": "c2", "code": "VTCCB", "subjects": ["c1", "c3"]},
                {"unit_id": "c3", "code": "VP", "subjects": ["c2"]}]


def test_the_plan_lists_every_kind_of_sheet_in_order():
    plan = ScoringPlan.of(UNITS, MONITORING, ORGANISATION)
    assert plan.pairs() == [
        ("self", "p1", "p1"), ("self", "p2", "p2"), ("self", "c1", "c1"),
        ("self", "c2", "c2"), ("self", "c3", "c3"),
        ("central_to_province", "c1", "p1"), ("central_to_province", "c1", "p2"),
        ("organisation_to_central", "c2", "c1"), ("organisation_to_central", "c2", "c3"),
        ("organisation_to_central", "c3", "c2"),
        ("province_to_central", "p1", "c1"), ("province_to_central", "p2", "c1")]


def test_the_cycle_asks_the_plan_of_its_opened_event():
    cycle = EvaluationCycle(year=2024, ruleset={"code": "QD1779", "version": 1}, rules=RULES,
                            deadline="2025-01-10", units=UNITS, monitoring=MONITORING,
                            organisation_scoring=ORGANISATION, field_units=[],
                            standing_office=None, at="2024-12-01T00:00:00")
    opened = cycle.collect_events()[0]
    plan = ScoringPlan.of(opened.units, opened.monitoring, opened.organisation_scoring)
    assert cycle.pairs() == plan.pairs()
    assert cycle.provinces() == ["p1", "p2"]
    assert cycle.scores("c3", "c2") and not cycle.scores("c3", "c1")


def test_an_organisation_scorer_listed_twice_scores_both_lists():
    plan = ScoringPlan.of(UNITS, MONITORING, [{"unit_id": "c2", "subjects": ["c1"]},
                                              {"unit_id": "c2", "subjects": ["c3"]}])
    assert [p for p in plan.pairs() if p[0] == "organisation_to_central"] == [
        ("organisation_to_central", "c2", "c1"), ("organisation_to_central", "c2", "c3")]


IDS = st.sampled_from([f"u{i}" for i in range(8)])


@given(levels=st.dictionaries(IDS, st.sampled_from(["central", "province"]), max_size=8),
       monitors=st.lists(IDS, unique=True, max_size=4),
       organisation=st.dictionaries(IDS, st.lists(IDS, unique=True, max_size=4), max_size=3),
       kind=st.sampled_from(["self", "central_to_province", "organisation_to_central",
                             "province_to_central", "other"]),
       scorer=IDS, subject=IDS)
def test_expects_is_membership_of_the_pairs(levels, monitors, organisation, kind, scorer,
                                            subject):
    plan = ScoringPlan.of([{"id": u, "level": lv} for u, lv in levels.items()],
                          [{"unit_id": m} for m in monitors],
                          [{"unit_id": o, "subjects": s} for o, s in organisation.items()])
    assert plan.expects(kind, scorer, subject) == ((kind, scorer, subject) in plan.pairs())


def test_a_central_units_sheet_needs_its_leaders_approval_a_provinces_does_not():
    assert needs_leader_approval("central") is True
    assert needs_leader_approval("province") is False


def test_a_rule_set_that_says_nothing_of_quota_or_deadline_takes_the_defaults():
    content = sample_ruleset()
    del content["quota"], content["deadline"]
    rules = check_ruleset(content)
    assert rules["quota"] == DEFAULT_QUOTA == RULES["quota"]
    assert rules["deadline"] == DEFAULT_DEADLINE == RULES["deadline"]
    assert deadline_of(rules, 2024) == date(2025, 1, 10)
    assert quota_cap(rules, 10) == 2 and quota_cap(rules, 4) == 1

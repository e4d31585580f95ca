"""A cycle opened after its deadline (warned, or refused by the rule set's ``late_opening``)
and the bound on extensions (``extension_limit_days``): the cycle's own guards, no database."""

from typing import Any

import pytest

from domain.evaluation.cycle import EvaluationCycle, opened_after_deadline
from domain.evaluation.draft import CycleDraft
from domain.evaluation.ruleset import (
    DEFAULT_EXTENSION_LIMIT_DAYS,
    check_ruleset,
    extension_limit_days,
    late_opening,
    sample_ruleset,
)
from domain.kernel.errors import DomainError, InvalidInput


def rules(**settings: Any) -> dict[str, Any]:
    content = sample_ruleset()
    for key in ("extension_limit_days", "late_opening"):
        content.pop(key)
    return check_ruleset({**content, **settings})


def draft(content: dict[str, Any]) -> CycleDraft:
    return CycleDraft(year=2024, ruleset={"code": "QD1779", "version": 1}, rules=content,
                      deadline="2025-01-10", reference_date="2024-12-31",
                      units=[{"id": "p1", "code": "P01", "name": "BHXH tỉnh P01",
                              "level": "province"}],
                      monitoring=[], organisation_scoring=[], field_units=[],
                      standing_office=None)


def test_the_deadline_day_ends_at_midnight_in_hanoi():
    assert not opened_after_deadline("2025-01-10", "2025-01-10T16:59:59+00:00")
    assert opened_after_deadline("2025-01-10", "2025-01-10T17:00:00+00:00")
    assert opened_after_deadline("2025-01-10", "2026-12-07T03:00:00")  # no offset: UTC


def test_a_late_opening_is_warned_by_default_and_refused_when_the_rule_set_says_so():
    on_time = EvaluationCycle.open(draft(rules()), at="2024-11-15T02:00:00+00:00")
    assert on_time.opening_warnings() == []
    late = EvaluationCycle.open(draft(rules()), at="2026-12-07T03:00:00+00:00")
    [warning] = late.opening_warnings()
    assert warning["rule"] == "cycle_opened_before_deadline"
    assert "2025-01-10" in warning["message"] and "30 days" in warning["message"]
    strict = rules(late_opening="refuse")
    assert late_opening(strict) == "refuse" and late_opening(rules()) == "warn"
    EvaluationCycle.open(draft(strict), at="2024-11-15T02:00:00+00:00")  # in time: opens
    with pytest.raises(DomainError) as e:
        EvaluationCycle.open(draft(strict), at="2025-01-10T17:00:00+00:00")
    assert (e.value.field, e.value.rule) == ("deadline", "cycle_opened_before_deadline")


def test_an_extension_runs_at_most_the_rule_sets_days_past_the_deadline():
    assert extension_limit_days(rules()) == DEFAULT_EXTENSION_LIMIT_DAYS == 30
    cycle = EvaluationCycle.open(draft(rules()), at="2024-11-15T02:00:00+00:00")
    cycle.grant_extension(unit_id="p1", unit_code="P01", until="2025-02-09", reason="Công văn",
                          at="t")  # the 30th day
    with pytest.raises(DomainError) as e:
        cycle.grant_extension(unit_id="p1", unit_code="P01", until="2025-02-10",
                              reason="Công văn", at="t")
    assert (e.value.field, e.value.rule) == ("until", "extension_within_limit")
    assert "2025-02-09" in e.value.message
    tight = EvaluationCycle.open(draft(rules(extension_limit_days=3)),
                                 at="2024-11-15T02:00:00+00:00")
    tight.grant_extension(unit_id="p1", unit_code="P01", until="2025-01-13", reason="x",
                          at="t")
    with pytest.raises(DomainError) as e:
        tight.grant_extension(unit_id="p1", unit_code="P01", until="2025-01-14", reason="x",
                              at="t")
    assert e.value.rule == "extension_within_limit"
    # replayed from its events, the cycle is the same
    events = tight.collect_events()
    again = None
    for event in events:
        again = event.mutate(again)
    assert again is not None and again.extensions == tight.extensions


@pytest.mark.parametrize("settings, rule", [
    ({"extension_limit_days": -1}, "extension_limit_format"),
    ({"extension_limit_days": 367}, "extension_limit_format"),
    ({"extension_limit_days": "30"}, "extension_limit_format"),
    ({"extension_limit_days": True}, "extension_limit_format"),
    ({"late_opening": "ignore"}, "late_opening_format"),
])
def test_the_settings_are_checked_on_publication(settings, rule):
    with pytest.raises(InvalidInput) as e:
        rules(**settings)
    assert e.value.rule == rule and e.value.field == next(iter(settings))


def test_a_rule_set_without_the_settings_reads_the_defaults():
    content = rules()
    assert "extension_limit_days" not in content and "late_opening" not in content
    assert check_ruleset(sample_ruleset())["extension_limit_days"] == 30

"""The rules of a cycle through time (issue 14): every unit on the cycle's reference date,
and the amendment of a cycle before its first sent sheet; no database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from domain.evaluation.draft import CycleDraft, reference_date
from domain.evaluation.ruleset import check_ruleset, sample_ruleset
from domain.kernel.errors import DomainError, NotFound

RULES = check_ruleset(sample_ruleset())


@dataclass
class Unit:
    """A unit's life: names by period (start inclusive, end exclusive)."""

    id: str
    code: str
    level: str
    periods: list[tuple[str, str | None, str]]
    end_status: str | None = None

    @property
    def name(self) -> str:
        return self.periods[-1][2]

    @property
    def started(self) -> str:
        return self.periods[0][0]

    @property
    def ended(self) -> str | None:
        return self.periods[-1][1]

    def period_on(self, day: date) -> dict[str, Any] | None:
        for start, end, name in self.periods:
            if date.fromisoformat(start) <= day and (end is None
                                                     or day < date.fromisoformat(end)):
                return {"name": name}
        return None


KNOWN = {u.code: u for u in [
    Unit("p1", "P01", "province", [("2020-01-01", "2026-07-01", "BHXH tỉnh A"),
                                   ("2026-07-01", None, "BHXH tỉnh A mới")]),
    Unit("p2", "P02", "province", [("2020-01-01", "2026-07-01", "BHXH tỉnh B")], "merged"),
    Unit("p3", "P03", "province", [("2027-01-01", None, "BHXH tỉnh C")]),
    Unit("p4", "P04", "province", [("2020-01-01", "2027-01-05", "BHXH tỉnh D")], "merged"),
    Unit("c1", "BTHU", "central", [("2020-01-01", "2025-03-01", "Ban Thu")], "merged"),
    Unit("c2", "BQLT", "central", [("2020-01-01", None, "Ban Quản lý Thu")]),
    Unit("c3", "VP", "central", [("2020-01-01", None, "Văn phòng")]),
]}


def unit_of(code: Any, field: str) -> Unit:
    if code not in KNOWN:
        raise NotFound(f"There is no unit with code '{code}'.", field=field, rule="exists")
    return KNOWN[code]


def draft(**changes: Any) -> CycleDraft:
    given: dict[str, Any] = {
        "year": 2026, "ruleset": {"code": "QD1779", "version": 1}, "rules": RULES,
        "deadline": None, "units": ["P01", "BQLT", "VP"],
        "monitoring": [{"unit_code": "BQLT", "field": "Thu"}],
        "organisation_scoring": [{"unit_code": "VP", "subjects": ["BQLT"]}],
        "field_units": [{"item": 1, "unit_code": "BQLT", "topic": "Thu"}],
        "standing_office_code": "VP", "unit_of": unit_of}
    given.update(changes)
    return CycleDraft.build(**given)


def test_the_reference_date_defaults_to_31_december_and_stays_in_the_year():
    assert reference_date(RULES, 2026, None) == date(2026, 12, 31)
    assert reference_date({**RULES, "reference_day": {"month": 6, "day": 30}}, 2026,
                          None) == date(2026, 6, 30)
    assert reference_date(RULES, 2026, "2026-01-01") == date(2026, 1, 1)
    for given in ("2027-01-01", "2025-12-31", "1990-06-30"):
        with pytest.raises(DomainError) as e:
            reference_date(RULES, 2026, given)
        assert e.value.field == "reference_date", given
    assert draft().reference_date == "2026-12-31"


def test_a_unit_is_taken_under_its_name_on_the_reference_date():
    assert draft().units[0]["name"] == "BHXH tỉnh A mới"
    assert draft(reference="2026-06-30").units[0]["name"] == "BHXH tỉnh A"


@pytest.mark.parametrize("changes, field, words", [
    ({"units": ["P01", "BQLT", "VP", "P02"]}, "units[3]", "ended on 2026-07-01 (merged)"),
    ({"units": ["P01", "BQLT", "VP", "P03"]}, "units[3]", "begins on 2027-01-01"),
    ({"monitoring": [{"unit_code": "BTHU", "field": "Thu"}]}, "monitoring[0].unit_code",
     "ended on 2025-03-01"),
    ({"organisation_scoring": [{"unit_code": "BTHU", "subjects": ["BQLT"]}]},
     "organisation_scoring[0].unit_code", "ended on 2025-03-01"),
    ({"organisation_scoring": [{"unit_code": "VP", "subjects": ["BTHU"]}]},
     "organisation_scoring[0].subjects[0]", "ended on 2025-03-01"),
    ({"field_units": [{"item": 1, "unit_code": "BTHU", "topic": "Thu"}]},
     "field_units[0].unit_code", "ended on 2025-03-01"),
    ({"standing_office_code": "BTHU"}, "standing_office_code", "ended on 2025-03-01"),
])
def test_a_unit_not_active_on_the_reference_date_is_refused_by_name(changes, field, words):
    with pytest.raises(DomainError) as e:
        draft(**changes)
    assert (e.value.field, e.value.rule) == (field, "unit_active_on_reference_date")
    assert words in e.value.message and "2026-12-31" in e.value.message


def test_the_reference_date_decides_not_today():
    """P02 merged on 1 July 2026: a cycle counting on 30 June takes it; P04 ends after the
    reference date (5 January 2027, during the cycle) and is taken."""
    assert [u["code"] for u in draft(units=["P01", "P02", "BQLT", "VP"],
                                     reference="2026-06-30").units][:2] == ["P01", "P02"]
    assert "P04" in [u["code"] for u in draft(units=["P01", "P04", "BQLT", "VP"]).units]
    # a unit that is not listed, active or not known at all, is named as not in the cycle
    with pytest.raises(DomainError) as e:
        draft(monitoring=[{"unit_code": "NOPE", "field": "x"}])
    assert e.value.rule == "unit_in_cycle"


def test_a_cycle_is_amended_only_while_open_and_before_its_first_sent_sheet():
    from domain.evaluation.cycle import EvaluationCycle

    cycle = EvaluationCycle.open(draft(), at="2026-12-01T02:00:00+00:00")
    lists = cycle.lists()
    assert lists["units"] == ["P01", "BQLT", "VP"]
    assert lists["organisation_scoring"] == [{"unit_code": "VP", "subjects": ["BQLT"]}]
    with pytest.raises(DomainError) as e:
        cycle.amend(draft(), reason="Không đổi", at="t")
    assert e.value.rule == "amendment_changes"
    cycle.amend(draft(units=["P01", "P04", "BQLT", "VP"]), reason="Bổ sung P04", at="t1")
    assert cycle.amendments[-1] == {"reason": "Bổ sung P04", "at": "t1", "added": ["P04"],
                                    "removed": []}
    assert "p4" in cycle.units and cycle.expects("self", "p4", "p4")
    assert cycle.note_sent(sheet_id="s1", scorer_code="P01", at="t2") is True
    assert cycle.note_sent(sheet_id="s2", scorer_code="P04", at="t3") is False
    assert cycle.first_sent == {"sheet_id": "s1", "scorer_code": "P01", "at": "t2"}
    with pytest.raises(DomainError) as e:
        cycle.amend(draft(), reason="Muộn", at="t4")
    assert (e.value.field, e.value.rule) == ("year", "amend_before_first_sheet")
    other = EvaluationCycle.open(draft(), at="2026-12-02T02:00:00+00:00")
    other.close(at="t5")
    with pytest.raises(DomainError) as e:
        other.amend(draft(units=["P01", "P04", "BQLT", "VP"]), reason="Đã đóng", at="t6")
    assert e.value.rule == "cycle_open"

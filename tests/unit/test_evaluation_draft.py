"""A cycle as the standing office drafts it (domain/evaluation/draft.py CycleDraft), checked
whole before it opens, and the cycle's own guard on extensions: no database."""

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from domain.evaluation.cycle import EvaluationCycle
from domain.evaluation.draft import CycleDraft
from domain.evaluation.ruleset import check_ruleset, sample_ruleset
from domain.kernel.errors import DomainError, NotFound

RULES = check_ruleset(sample_ruleset())


@dataclass
class FakeUnit:
    id: str
    code: str
    name: str
    level: str
    started: str = "2020-01-01"
    ended: str | None = None
    end_status: str | None = None

    def period_on(self, day: date) -> dict[str, Any] | None:
        if date.fromisoformat(self.started) <= day and (
                self.ended is None or day < date.fromisoformat(self.ended)):
            return {"name": self.name}
        return None


KNOWN = {u.code: u for u in [FakeUnit("p1", "P01", "BHXH tỉnh P01", "province"),
                             FakeUnit("p2", "P02", "BHXH tỉnh P02", "province"),
                             FakeUnit("c1", "BTHU", "Ban Thu", "central"),
                             FakeUnit("c2", "VTCCB", "Vụ Tổ chức cán bộ", "central"),
                             FakeUnit("c3", "VP", "Văn phòng", "central"),
                             FakeUnit("d1", "D01", "BHXH huyện D01", "district")]}
LOOKED_UP: list[str] = []


def unit_of(code: Any, field: str) -> FakeUnit:
    LOOKED_UP.append(code)
    if code not in KNOWN:
        raise NotFound(f"There is no unit with code '{code}'.", field=field, rule="exists")
    return KNOWN[code]


def draft(**changes: Any) -> CycleDraft:
    given: dict[str, Any] = {
        "year": 2024, "ruleset": {"code": "QD1779", "version": 1}, "rules": RULES,
        "deadline": None, "units": ["P01", "P02", "BTHU", "VTCCB", "VP"],
        "monitoring": [{"unit_code": "BTHU", "field": "Thu"}],
        "organisation_scoring": [{"unit_code": "VTCCB", "subjects": ["BTHU", "VP"]},
                                 {"unit_code": "VP", "subjects": ["VTCCB"]}],
        "field_units": [{"item": 1, "unit_code": "BTHU", "topic": "Kế hoạch thu"}],
        "standing_office_code": "VTCCB", "unit_of": unit_of}
    given.update(changes)
    return CycleDraft.build(**given)


def test_a_draft_opens_the_cycle_it_describes():
    d = draft()
    assert d.deadline == "2025-01-10"
    assert [u["code"] for u in d.units] == ["P01", "P02", "BTHU", "VTCCB", "VP"]
    assert d.organisation_scoring == [
        {"unit_id": "c2", "code": "VTCCB", "subjects": ["c1", "c3"]},
        {"unit_id": "c3", "code": "VP", "subjects": ["c2"]}]
    assert d.standing_office == "c2"
    cycle = EvaluationCycle.open(d, at="2024-11-15T02:00:00+00:00")
    assert (cycle.year, cycle.state, cycle.deadline) == (2024, "open", "2025-01-10")
    assert len(cycle.pairs()) == 5 + 2 + 3 + 2
    assert cycle.field_units == [{"item": 1, "unit_id": "c1", "code": "BTHU",
                                  "topic": "Kế hoạch thu"}]


@pytest.mark.parametrize("changes, field, rule", [
    ({"deadline": "2024-11-30"}, "deadline", "deadline_range"),
    ({"deadline": "2026-01-01"}, "deadline", "deadline_range"),
    ({"units": []}, "units", "cycle_has_units"),
    ({"units": ["P01", "P01"]}, "units", "unit_once"),
    ({"units": ["P01", "NOPE"]}, "units[1]", "exists"),
    ({"units": ["P01", "D01"]}, "units[1]", "evaluated_level"),
    ({"monitoring": [{"unit_code": "P02", "field": "x"}]}, "monitoring[0].unit_code",
     "scorer_level"),
    ({"monitoring": [{"unit_code": "BTHU", "field": "x"}, {"unit_code": "BTHU",
                                                           "field": "y"}]},
     "monitoring[1]", "unit_once"),
    ({"monitoring": [{"unit_code": "BTHU", "field": "  "}]}, "monitoring[0].field",
     "text_required"),
    ({"organisation_scoring": [{"unit_code": "VTCCB", "subjects": ["VTCCB"]}]},
     "organisation_scoring[0].subjects[0]", "organisation_subject_once"),
    ({"organisation_scoring": [{"unit_code": "VTCCB", "subjects": ["BTHU"]},
                               {"unit_code": "VP", "subjects": ["BTHU"]}]},
     "organisation_scoring[1].subjects[0]", "organisation_subject_once"),
    ({"organisation_scoring": [{"unit_code": "VTCCB", "subjects": ["P01"]}]},
     "organisation_scoring[0].subjects[0]", "scorer_level"),
    ({"field_units": [{"item": 1, "unit_code": "BTHU", "topic": "a"},
                      {"item": 1, "unit_code": "VP", "topic": "b"}]}, "field_units[1].item",
     "item_number"),
    ({"field_units": [{"item": True, "unit_code": "BTHU", "topic": "a"}]},
     "field_units[0].item", "item_number"),
    ({"field_units": [{"item": 2, "unit_code": "GONE", "topic": "a"}]},
     "field_units[0].unit_code", "unit_in_cycle"),
    ({"standing_office_code": "P01"}, "standing_office_code", "evaluated_level"),
])
def test_a_draft_is_refused_naming_the_rule_and_the_field(changes, field, rule):
    with pytest.raises(DomainError) as e:
        draft(**changes)
    assert (e.value.field, e.value.rule) == (field, rule), e.value.message


def test_the_first_rule_broken_is_the_one_named():
    """A wrong deadline is named before the units are looked up; the standing office is
    looked up after every list is checked."""
    LOOKED_UP.clear()
    with pytest.raises(DomainError) as e:
        draft(deadline="2024-01-01", units=["NOPE"])
    assert e.value.rule == "deadline_range" and LOOKED_UP == []
    with pytest.raises(DomainError) as e:
        draft(field_units=[{"item": 0, "unit_code": "BTHU", "topic": "a"}],
              standing_office_code="NOPE")
    assert e.value.rule == "item_number" and "NOPE" not in LOOKED_UP


def test_an_extension_is_for_a_unit_of_an_open_cycle_past_its_deadline():
    cycle = EvaluationCycle.open(draft(), at="2024-11-15T02:00:00+00:00")
    for unit_id, until, field, rule in [("x9", "2025-01-15", "unit_code", "unit_in_cycle"),
                                        ("p1", "2025-01-10", "until",
                                         "extension_after_deadline")]:
        with pytest.raises(DomainError) as e:
            cycle.grant_extension(unit_id=unit_id, unit_code="P01", until=until,
                                  reason="Công văn", at="t")
        assert (e.value.field, e.value.rule) == (field, rule)
    cycle.grant_extension(unit_id="p1", unit_code="P01", until="2025-01-11", reason="Công văn",
                          at="t")
    assert cycle.extensions["p1"]["until"] == "2025-01-11"
    cycle.close(at="t2")
    with pytest.raises(DomainError) as e:
        cycle.grant_extension(unit_id="p2", unit_code="P02", until="2025-01-11",
                              reason="Công văn", at="t3")
    assert e.value.rule == "cycle_open"

"""Comparable groups (nhóm tương đồng) of the sector's cycle, without a database: declared by
the standing office before the first sheet is sent, each unit in one group of its level; the
quota then caps the excellent level within each group instead of each level."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from domain.evaluation.ruleset import sample_ruleset
from domain.kernel.errors import NotAuthorised, RuleViolation
from tests.support.core import ROOT
from tests.support.memory import officer_of

YEAR = 2026
PROVINCES = [f"P{i:02d}" for i in range(1, 6)]
RULES = sample_ruleset()


def full(total_minus: str = "0") -> dict[str, str]:
    scores = {c["code"]: (c["max"] if c["kind"] == "base" else "0") for c in RULES["criteria"]}
    scores["M01"] = total_minus
    return scores


@pytest.fixture
def cycle_app(memory_app: Any) -> Any:
    """Five provinces and a central unit in a 2026 cycle with no monitor: each unit's score
    is its self score."""
    app = memory_app
    app.clock = lambda: datetime(2026, 12, 20, 3, tzinfo=UTC)
    app.register_unit(ROOT, code="VP", name="Văn phòng", level="central", parent_code=None,
                      effective="2020-01-01")
    for p in PROVINCES:
        app.register_unit(ROOT, code=p, name=f"BHXH tỉnh {p}", level="province",
                          parent_code=None, effective="2020-01-01")
    app.publish_ruleset(ROOT, content=RULES)
    app.open_cycle(ROOT, year=YEAR, ruleset_code=RULES["code"], units=["VP", *PROVINCES],
                   monitoring=[], organisation_scoring=[])
    return app


def groups(*parts: list[str]) -> list[dict[str, Any]]:
    return [{"code": f"G{i + 1}", "name": f"Nhóm {i + 1}", "members": m}
            for i, m in enumerate(parts)]


def refused(call: Any, rule: str, error: type[Exception] = RuleViolation) -> None:
    with pytest.raises(error) as caught:
        call()
    assert caught.value.rule == rule, caught.value  # type: ignore[attr-defined]


def send_self(app: Any, code: str, minus: str) -> None:
    who = officer_of(app, code)
    sid = app.write_sheet(who, year=YEAR, kind="self", subject_code=code,
                          scores=full(minus)).view["id"]
    app.submit_sheet(who, sid)
    app.send_sheet(who, sid)


def test_groups_are_checked_whole(cycle_app):
    declare = cycle_app.declare_comparable_groups
    reason = "Phân nhóm theo quy mô thu."
    refused(lambda: declare(ROOT, year=YEAR, groups=groups(["VP", "P01"], PROVINCES[1:]),
                            reason=reason), "comparable_group_one_level")
    refused(lambda: declare(ROOT, year=YEAR, groups=groups(["VP"], PROVINCES[:2]),
                            reason=reason), "comparable_groups_cover")
    refused(lambda: declare(ROOT, year=YEAR, groups=groups(["VP"], PROVINCES, ["P01"]),
                            reason=reason), "one_comparable_group")
    refused(lambda: declare(ROOT, year=YEAR, groups=groups(["VP"], [*PROVINCES, "P99"]),
                            reason=reason), "unit_in_cycle")
    refused(lambda: declare(officer_of(cycle_app, "P01"), year=YEAR,
                            groups=groups(["VP"], PROVINCES), reason=reason),
            "cycle.manage", NotAuthorised)
    done = declare(ROOT, year=YEAR, groups=groups(["VP"], PROVINCES[:2], PROVINCES[2:]),
                   reason=reason).view
    assert [g["members"] for g in done["comparable_groups"]] == [["VP"], ["P01", "P02"],
                                                                 ["P03", "P04", "P05"]]
    refused(lambda: declare(ROOT, year=YEAR,
                            groups=groups(["VP"], PROVINCES[:2], PROVINCES[2:]),
                            reason=reason), "amendment_changes")


def test_without_groups_the_quota_caps_each_level(cycle_app):
    for p in PROVINCES:
        send_self(cycle_app, p, "0")
    table = {r["code"]: r for r in cycle_app.compiled_table(YEAR)}
    # five provinces at 100: ⌊20% × 5⌋ = 1 keeps one (by code) excellent
    assert [c for c, r in table.items() if r["proposed_level"] == "excellent"] == ["P01"]
    assert "comparable_group" not in table["P01"]


def test_declared_groups_cap_within_each_group_and_are_fixed_by_the_first_sheet(cycle_app):
    cycle_app.declare_comparable_groups(ROOT, year=YEAR,
                                        groups=groups(["VP"], PROVINCES[:2], PROVINCES[2:]),
                                        reason="Phân nhóm theo quy mô thu.")
    send_self(cycle_app, "P02", "1")  # 99
    refused(lambda: cycle_app.declare_comparable_groups(
        ROOT, year=YEAR, groups=[], reason="Bỏ phân nhóm."), "amend_before_first_sheet")
    for p in ("P01", "P03", "P04", "P05"):
        send_self(cycle_app, p, "0")
    table = {r["code"]: r for r in cycle_app.compiled_table(YEAR)}
    # G2 (P01 100, P02 99) keeps P01; G3 (three at 100) keeps P03: one each, by score then code
    assert [c for c, r in table.items() if r["proposed_level"] == "excellent"] == [
        "P01", "P03"]
    assert {c: r["comparable_group"] for c, r in table.items()} == {
        "VP": "G1", "P01": "G2", "P02": "G2", "P03": "G3", "P04": "G3", "P05": "G3"}
    assert table["P02"]["quota_applied"] and table["P04"]["quota_applied"]

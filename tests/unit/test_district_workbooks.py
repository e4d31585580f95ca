"""A district cycle's score-sheet workbook on the use cases without a database: an office
counted by two provinces' cycles (moved during the year, the two reference dates on either
side of the move) has one self sheet a year, kept by the cycle that started it; the other
province's workbook shows it locked, and an upload changing it is refused by its cell, as
the district sheet's write refuses it (sheet_of_cycle)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from domain.evaluation.sheet_workbook import layout
from domain.kernel.errors import InvalidInput, RuleViolation
from tests.support.core import ROOT
from tests.support.district import DISTRICT_RULES, YEAR, district_scores
from tests.support.memory import officer_of
from tests.support.workbooks import book, fill_scores, score_rows
from web.resources.evaluation.workbooks import score_workbook


@pytest.fixture
def moved(memory_app: Any) -> Any:
    """PA counts its offices on 30 June, PB on 31 December; PAD3 moves from PA to PB on 1
    July, so both cycles count it. PAD3 starts its self sheet in PA's cycle."""
    app = memory_app
    app.clock = lambda: datetime(2026, 12, 20, 3, tzinfo=UTC)
    for province, offices in (("PA", 3), ("PB", 2)):
        app.register_unit(ROOT, code=province, name=f"BHXH tỉnh {province}",
                          level="province", parent_code=None, effective="2020-01-01")
        for i in range(1, offices + 1):
            app.register_unit(ROOT, code=f"{province}D{i}", name=f"BHXH cơ sở {province}D{i}",
                              level="district", parent_code=province, effective="2020-01-01")
        app.publish_district_ruleset(officer_of(app, province), province_code=province,
                                     content=DISTRICT_RULES)
    app.open_district_cycle(officer_of(app, "PA"), year=YEAR, province_code="PA",
                            ruleset_code="TCHUYEN", reference_date=f"{YEAR}-06-30")
    app.move_unit(ROOT, "PAD3", parent_code="PB", effective=f"{YEAR}-07-01")
    app.open_district_cycle(officer_of(app, "PB"), year=YEAR, province_code="PB",
                            ruleset_code="TCHUYEN")
    app.write_district_sheet(officer_of(app, "PAD3"), year=YEAR, province_code="PA",
                             kind="self", subject_code="PAD3", scores=district_scores(T01="20"))
    return app


def workbook(app: Any, province: str, code: str) -> bytes:
    return score_workbook(layout(app.district_score_workbook(YEAR, province, code)))


def test_a_sheet_of_another_provinces_cycle_is_shown_locked_and_never_written(moved):
    app = moved
    pad3 = officer_of(app, "PAD3")
    data = workbook(app, "PB", "PAD3")
    block = score_rows(data)[("self", "PAD3")]
    assert block["version"] == 2 and block["cells"]["T01"][1] == 20
    sheet = book(data).active
    assert all(sheet[where].protection.locked for where, _ in block["cells"].values())
    # the district sheet's write refuses it; so does the workbook, by the block's cell
    with pytest.raises(RuleViolation) as refused:
        app.write_district_sheet(pad3, year=YEAR, province_code="PB", kind="self",
                                 subject_code="PAD3", scores=district_scores(T01="21"))
    assert refused.value.rule == "sheet_of_cycle"
    changed = fill_scores(data, {("self", "PAD3"): {"T01": 21}})
    with pytest.raises(InvalidInput) as caught:
        app.write_district_score_workbook(pad3, year=YEAR, province_code="PB",
                                          scorer_code="PAD3", content=changed,
                                          filename="bang.xlsx")
    assert caught.value.rules == {f"B{block['row']}": "sheet_of_cycle"}
    assert "belongs to PA's 2026 evaluation" in caught.value.errors[f"B{block['row']}"][0]
    assert score_rows(workbook(app, "PB", "PAD3"))[("self", "PAD3")]["version"] == 2

    # in the cycle that started it, its workbook writes it
    data = workbook(app, "PA", "PAD3")
    done = app.write_district_score_workbook(
        pad3, year=YEAR, province_code="PA", scorer_code="PAD3",
        content=fill_scores(data, {("self", "PAD3"): {"T01": 21}}), filename="bang.xlsx")
    [written] = done.view["written"]
    assert (written["version"], written["total"]) == (3, "96.00")

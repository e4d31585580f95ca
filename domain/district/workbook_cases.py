"""Score sheets of a province's district cycle as a workbook (Excel in and out), as the
sector's are (domain/evaluation/score_workbook.py holds what both share): a BHXH cơ sở's
self sheet, or its province's sheets of every office, in one workbook per cycle; its upload
written back as drafts in one act, all or nothing, every bad cell named. The workbook names
its cycle (the province) in its header, so one of the sector's cycle, or of another
province's, is refused whole."""

from __future__ import annotations

from typing import IO, Any

from domain.district.base import DistrictLookups
from domain.district.cycle import DistrictCycle
from domain.evaluation.score_workbook import (
    OwedSheets,
    ScoreWorkbookBase,
    check_header,
    read_upload,
)
from domain.evaluation.workbook import Findings
from domain.kernel.actor import Actor
from domain.kernel.errors import RuleViolation
from domain.kernel.result import Done
from domain.organisation.units import Unit

TITLE = "BẢNG CHẤM ĐIỂM THI ĐUA, ĐÁNH GIÁ XẾP LOẠI BHXH CƠ SỞ NĂM {year}"


def district_owed(cycle: DistrictCycle, scorer: Unit) -> OwedSheets:
    """Every sheet the scorer owes in the province's cycle (an office: its self sheet; the
    province: its sheet of each office); refused for a unit outside the cycle."""
    sid = str(scorer.id)
    if cycle.level(sid) is None:
        raise RuleViolation(f"{scorer.code} does not take part in {cycle.label}.",
                            field="code", rule="unit_in_cycle")
    units = {uid: (str(u["code"]), str(u["name"])) for uid, u in cycle.units.items()}
    units[cycle.province_id] = (cycle.province_code, cycle.province_name)
    return OwedSheets(
        year=cycle.year, scorer_id=sid, scorer_code=scorer.code, scorer_name=units[sid][1],
        pairs=tuple((kind, subject) for kind, by, subject in cycle.pairs() if by == sid),
        units=units, rules=cycle.rules, ruleset=cycle.ruleset, deadline=cycle.deadline,
        needs_approval=False,  # a district sheet needs no leader's approval
        province=cycle.province_code,
        cycle_name=f"Đánh giá, xếp loại BHXH cơ sở của {cycle.province_name}",
        title=TITLE.format(year=cycle.year))


class DistrictWorkbookCases(DistrictLookups, ScoreWorkbookBase):
    """Bảng chấm điểm of a province's district cycle: a scorer's sheets, out and back in."""

    def district_score_workbook(self, year: int, province_code: str,
                                scorer_code: str) -> dict[str, Any]:
        """What the scorer's workbook of the province's cycle holds."""
        cycle = self.district_cycle(year, province_code, readonly=True)
        scorer = self.unit(scorer_code, "code", readonly=True)
        return self.owed_workbook(district_owed(cycle, scorer))

    def write_district_score_workbook(self, actor: Actor, *, year: int, province_code: str,
                                      scorer_code: str, content: bytes | IO[bytes],
                                      filename: str) -> Done:
        """Write every changed sheet of the uploaded workbook as a draft of the province's
        cycle, in one act: all of them or none, each bad cell named. The file is read once
        the right to write the scorer's sheets is granted."""
        scorer = self.unit(scorer_code, "code", readonly=True)
        province = self.province(province_code)

        def work() -> tuple[dict[str, Any], list[Any]]:
            found = Findings()
            upload = read_upload(content, filename, found)
            check_header(upload, year, scorer.code, province.code)
            cycle = self.district_cycle(year, province.code, readonly=True)
            cycle.check_open("score sheets")
            return self.write_owed(district_owed(cycle, scorer), upload, found)

        return self.act(actor, "sheet.write", work, unit_id=str(scorer.id))

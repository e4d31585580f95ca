"""Score sheets of the sector's cycle as a workbook (Excel in and out): the sheets a scorer
owes in the year's cycle (domain/evaluation/score_workbook.py holds what the sector's and
the district cycles' workbooks share), and its upload written back as drafts in one act.
Field reports have their workbook too (report_workbook_cases.py)."""

from __future__ import annotations

from typing import IO, Any

from domain.evaluation.cycle import EvaluationCycle
from domain.evaluation.report_workbook_cases import FieldReportWorkbookCases
from domain.evaluation.rules import SHEET_KINDS
from domain.evaluation.score_workbook import (
    OwedSheets,
    ScoreWorkbookBase,
    check_header,
    read_upload,
)
from domain.evaluation.scoring import needs_leader_approval
from domain.evaluation.workbook import Findings
from domain.kernel.actor import Actor
from domain.kernel.errors import RuleViolation
from domain.kernel.result import Done
from domain.organisation.units import Unit


def sector_owed(cycle: EvaluationCycle, scorer: Unit) -> OwedSheets:
    """Every sheet the scorer owes in the year's cycle, kind by kind, subjects in the
    cycle's order (the cycle's ScoringPlan); refused for a unit outside the cycle."""
    sid = str(scorer.id)
    if sid not in cycle.units:
        raise RuleViolation(f"{scorer.code} does not take part in the {cycle.year} "
                            "evaluation.", field="code", rule="unit_in_cycle")
    plan = cycle.plan()
    return OwedSheets(
        year=cycle.year, scorer_id=sid, scorer_code=scorer.code,
        scorer_name=str(cycle.units[sid]["name"]),
        pairs=tuple((kind, subject) for kind in SHEET_KINDS
                    for subject in plan.subjects(kind, sid)),
        units={uid: (str(u["code"]), str(u["name"])) for uid, u in cycle.units.items()},
        rules=cycle.rules, ruleset=cycle.ruleset, deadline=cycle.deadline,
        needs_approval=needs_leader_approval(scorer.level))


class EvaluationWorkbookCases(FieldReportWorkbookCases, ScoreWorkbookBase):
    """Bảng chấm điểm: a scorer's sheets of the year's cycle as one workbook, out and in."""

    def score_workbook(self, year: int, scorer_code: str) -> dict[str, Any]:
        """What the scorer's workbook holds (ScoreWorkbookBase.owed_workbook)."""
        cycle = self.cycle(year, readonly=True)
        scorer = self.unit(scorer_code, "code", readonly=True)
        return self.owed_workbook(sector_owed(cycle, scorer))

    def write_score_workbook(self, actor: Actor, *, year: int, scorer_code: str,
                             content: bytes | IO[bytes], filename: str) -> Done:
        """Write every changed sheet of the uploaded workbook as a draft, in one act: all of
        them or none, each bad cell named by its reference. The file is read once the right
        to write the scorer's sheets is granted."""
        scorer = self.unit(scorer_code, "code", readonly=True)

        def work() -> tuple[dict[str, Any], list[Any]]:
            found = Findings()
            upload = read_upload(content, filename, found)
            check_header(upload, year, scorer.code, None)
            cycle = self.cycle(year, readonly=True)
            cycle.check_open("score sheets")
            return self.write_owed(sector_owed(cycle, scorer), upload, found)

        return self.act(actor, "sheet.write", work, unit_id=str(scorer.id))

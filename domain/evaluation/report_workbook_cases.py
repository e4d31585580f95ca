"""Field reports as a workbook (cung cấp thông tin, Excel in and out): what a central unit's
workbook holds, and its upload submitted in one act, all or nothing, every bad cell named.

The upload follows the rules of a report's submission (submission_cases.py): the unit's
officer or head (``field_report.write``), an open cycle, and who reports on whom as the
cycle's ``reporting()`` says it for both (domain/evaluation/reporting.py: an appendix unit on
the levels its item covers, any central unit on provinces beyond the appendix); the deadline
(late only with a running extension), a reason for a report sent again, and the version each
block was made at. A block left empty (or unchanged) submits nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import IO, Any

from domain.evaluation import report_workbook as layout
from domain.evaluation.base import EvaluationLookups
from domain.evaluation.cycle import EvaluationCycle
from domain.evaluation.items import FieldReport
from domain.evaluation.reporting import Reach
from domain.evaluation.submission_cases import check_figures, check_lists
from domain.evaluation.workbook import (
    WORKBOOK_LIMITS,
    XLSX_ONLY,
    CellError,
    Findings,
    day_text,
    made_at,
    number,
    quoted,
    words,
)
from domain.kernel.actor import Actor
from domain.kernel.errors import RuleViolation
from domain.kernel.result import Done
from domain.kernel.tabular import read_table

ASSESSMENT_CHARS = 10_000


def appendix_entry(cycle: EvaluationCycle, reporter_id: str) -> dict[str, Any] | None:
    """The reporter's entry in the cycle's appendix (its item and topic), if it has one."""
    return next((f for f in cycle.field_units if f["unit_id"] == reporter_id), None)


def subjects(cycle: EvaluationCycle, reporter_id: str, code: str) -> list[tuple[str, Reach]]:
    """The units the reporter may report on, as the field report's use case allows them."""
    plan = cycle.reporting()
    plan.check_reporter(reporter_id, code, "code")
    return plan.subjects(reporter_id)


def same_report(report: FieldReport, figures: Mapping[str, str],
                lists: Mapping[str, list[dict[str, str]]], assessment: str) -> bool:
    """Whether the block says what the report says (figures compared as numbers)."""
    return ({k: Decimal(v) for k, v in report.figures.items()}
            == {k: Decimal(v) for k, v in figures.items()}
            and report.lists == dict(lists) and report.assessment == assessment)


class FieldReportWorkbookCases(EvaluationLookups):
    """Cung cấp thông tin: a central unit's reports on every unit it may report on, as one
    workbook."""

    def report_workbook(self, year: int, reporter_code: str) -> dict[str, Any]:
        """What the unit's workbook holds: for every unit it may report on this year, its
        report as recorded (figures, lists, assessment, version) and the item it falls
        under, and the figure names the unit used this year, offered on every block."""
        cycle = self.cycle(year, readonly=True)
        reporter = self.unit(reporter_code, "code", readonly=True)
        rid = str(reporter.id)
        reach = dict(subjects(cycle, rid, reporter.code))
        entry = appendix_entry(cycle, rid)
        with self.prefetched(*[FieldReport.create_id(year, rid, s) for s in reach]):
            reports = {s: self.find(FieldReport, FieldReport.create_id(year, rid, s))
                       for s in reach}
        names = list(dict.fromkeys(n for r in reports.values() if r is not None
                                   for n in r.figures))
        blocks = [{"subject_code": cycle.code_of(s), "subject_name": cycle.units[s]["name"],
                   "level": reach[s].level, "item": reach[s].item,
                   "version": r.version if r else None, "submissions": r.submissions if r else 0,
                   "assessment": r.assessment if r else None,
                   "figures": {k: Decimal(v) for k, v in (r.figures if r else {}).items()},
                   "lists": r.lists if r else {}} for s, r in reports.items()]
        return {"year": year, "reporter": {"code": reporter.code,
                                           "name": cycle.units[rid]["name"]},
                "item": entry["item"] if entry else None,
                "topic": entry["topic"] if entry else None, "deadline": cycle.deadline,
                "deadline_text": day_text(cycle.deadline), "figure_names": names,
                "blocks": blocks, "made_at": made_at(self.now())}

    def write_report_workbook(self, actor: Actor, *, year: int, reporter_code: str,
                              content: bytes | IO[bytes], filename: str) -> Done:
        """Submit every new or changed report of the uploaded workbook in one act: all of
        them or none, each bad cell named. The file is read once the right is granted."""
        reporter = self.unit(reporter_code, "code", readonly=True)
        rid = str(reporter.id)

        def work() -> tuple[dict[str, Any], list[Any]]:
            found = Findings()
            upload = layout.read(read_table(content, filename, WORKBOOK_LIMITS,
                                            formulas=True, kinds=XLSX_ONLY), found)
            self._report_header(upload, year, reporter.code)
            cycle = self.cycle(year, readonly=True)
            cycle.check_open("field reports")
            cycle.reporting().check_reporter(rid, reporter.code, "code")
            blocks = self._report_blocks(cycle, rid, reporter.code, upload, found)
            with self.prefetched(*[FieldReport.create_id(year, rid, s) for s in blocks]):
                writes, unchanged = self._report_writes(cycle, rid, blocks, found)
            found.raise_any("report(s)")
            late = cycle.judge(rid, self.now(), reporter.code) if writes else False
            now = self.now().isoformat()
            changed = []
            for sid, (report, block, figures, lists) in writes.items():
                if report is None:
                    reach = blocks[sid][1]
                    report = FieldReport(year=year, reporter_id=rid,
                                         reporter_code=reporter.code, province_id=sid,
                                         province_code=cycle.code_of(sid), item=reach.item,
                                         figures=figures, lists=lists,
                                         assessment=block.assessment, late=late, at=now,
                                         subject_level=reach.level)
                else:
                    report.resubmit(figures=figures, lists=lists, assessment=block.assessment,
                                    late=late, reason=block.reason, at=now)
                changed.append(report)
            entry = appendix_entry(cycle, rid)
            return {"year": year, "reporter_code": reporter.code,
                    "item": entry["item"] if entry else None,
                    "reports": len(blocks), "unchanged": unchanged,
                    "written": [{"id": str(r.id), "subject_code": r.subject_code,
                                 "subject_level": r.subject_level,
                                 "province_code": r.subject_code, "item": r.item,
                                 "submissions": r.submissions, "late": r.late,
                                 "version": r.version} for r in changed]}, changed

        return self.act(actor, "field_report.write", work, unit_id=rid)

    @staticmethod
    def _report_header(upload: layout.Upload, year: int, code: str) -> None:
        try:
            given_year = number(upload.year)
        except CellError:
            given_year = None
        if given_year != year:
            raise RuleViolation(f"{upload.year_ref}: this workbook is for "
                                f"{quoted(upload.year)}, not the {year} evaluation.",
                                field=upload.year_ref, rule="workbook_year")
        try:
            given = words(upload.reporter).upper()
        except CellError:
            given = quoted(upload.reporter)
        if given != code:
            raise RuleViolation(f"{upload.reporter_ref}: this workbook holds the reports of "
                                f"{given or 'no unit'}, not of {code}; each unit sends its "
                                "own.", field=upload.reporter_ref, rule="workbook_scorer")

    @staticmethod
    def _report_blocks(cycle: EvaluationCycle, rid: str, code: str, upload: layout.Upload,
                       found: Findings) -> dict[str, tuple[layout.Block, Reach]]:
        """Each block by the unit it is about, once, with the reach of a report on it: the
        rule of the field report's use case, its refusal named at the block's unit cell."""
        plan = cycle.reporting()
        units = {str(u["code"]): uid for uid, u in cycle.units.items()}
        out: dict[str, tuple[layout.Block, Reach]] = {}
        for block in upload.blocks:
            try:
                subject = words(block.subject).upper()
            except CellError as e:
                found.add(block.subject_ref, e.why, e.rule)
                continue
            block.subject = subject
            if not subject:
                found.add(block.subject_ref, "a block names no unit: type the code of the "
                                             "unit it reports on", "workbook_layout")
                continue
            sid = units.get(subject, subject)  # not a unit of the cycle: refused as such
            try:
                reach = plan.check(rid, sid, code, subject, block.subject_ref)
            except RuleViolation as e:
                found.add(block.subject_ref, e.message, e.rule or "report_on_province")
                continue
            if sid in out:
                found.add(block.subject_ref, f"{subject}: this unit appears twice in the "
                                             "workbook", "workbook_layout")
            else:
                out[sid] = (block, reach)
        return out

    def _report_writes(self, cycle: EvaluationCycle, rid: str,
                       blocks: Mapping[str, tuple[layout.Block, Reach]], found: Findings
                       ) -> tuple[dict[str, tuple[Any, layout.Block, dict[str, str],
                                                  dict[str, list[dict[str, str]]]]], int]:
        """The reports to submit (the aggregate, None for a new one), after each block's
        version, assessment, reason and lists are checked; and how many change nothing."""
        writes: dict[str, Any] = {}
        unchanged = 0
        for sid, (block, _) in blocks.items():
            report = self.find(FieldReport, FieldReport.create_id(cycle.year, rid, sid))
            given_at = layout.version_of(block, found)
            now = report.version if report is not None else None
            if given_at != now:
                found.changed(block.version_ref, f"{block.label}: the report is at version "
                                                 f"{now or 'none (not sent)'}, this workbook "
                                                 f"was made at {given_at or 'none'}")
                continue
            lists = self._lists(block, found)
            if lists is None:
                continue
            if report is None and not (block.assessment or block.figures or lists):
                unchanged += 1
                continue
            if report is not None and same_report(report, block.figures, lists,
                                                  block.assessment):
                unchanged += 1
                continue
            if not block.assessment or len(block.assessment) > ASSESSMENT_CHARS:
                found.add(block.assessment_ref or block.subject_ref,
                          f"{block.label}: a report gives the assessment (Nhận xét, đánh "
                          f"giá), 1–{ASSESSMENT_CHARS:,} characters", "text_required")
                continue
            if report is not None and not block.reason:
                found.add(block.reason_ref or block.subject_ref,
                          f"{block.label}: the report was sent before; "
                          "give the reason it is sent again (Lý do gửi lại)", "reason_required")
                continue
            writes[sid] = (report, block, check_figures(block.figures),
                           check_lists(lists))
        return writes, unchanged

    @staticmethod
    def _lists(block: layout.Block, found: Findings) -> dict[str, list[dict[str, str]]] | None:
        """The block's named lists with their entries (a list with no name and no entry is
        the spare one, left out); None if one is wrong."""
        out: dict[str, list[dict[str, str]]] = {}
        ok = True
        for listed in block.lists:
            if not listed.name:
                if listed.entries:
                    found.add(listed.name_ref, f"{block.label}: a list with entries needs a "
                                               "name", "workbook_layout")
                    ok = False
                continue
            if listed.name in out:
                found.add(listed.name_ref, f"{block.label}: the list {quoted(listed.name)} is "
                                           "given twice", "workbook_layout")
                ok = False
            elif len(listed.entries) > 1000:
                found.add(listed.name_ref, f"{block.label}, {quoted(listed.name)}: a list holds "
                                           "at most 1,000 entries", "list_format")
                ok = False
            else:
                out[listed.name] = listed.entries
        return out if ok else None

"""Field reports as a workbook (cung cấp thông tin, Excel in and out): what a field unit's
workbook holds, and its upload submitted in one act, all or nothing, every bad cell named.

The upload follows the rules of a report's submission (submission_cases.py): the field
unit's officer or head (``field_report.write``), an open cycle, a unit that provides field
information this year, reports on the cycle's provinces, the deadline (late only with a
running extension), a reason for a report sent again, and the version each block was made
at. A block left empty (or unchanged) submits nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import IO, Any

from domain.evaluation import report_workbook as layout
from domain.evaluation.base import EvaluationLookups
from domain.evaluation.cycle import EvaluationCycle
from domain.evaluation.items import FieldReport
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


def field_item(cycle: EvaluationCycle, reporter_id: str, code: str) -> dict[str, Any]:
    """The appendix's item the unit reports on this year, or the refusal."""
    found = next((f for f in cycle.field_units if f["unit_id"] == reporter_id), None)
    if found is None:
        raise RuleViolation(f"{code} is not one of the units that provide field information "
                            f"in {cycle.year} (the appendix).", field="code",
                            rule="field_reporter")
    return found


def report_provinces(cycle: EvaluationCycle) -> list[str]:
    """The units a field report is about: the cycle's provinces."""
    return cycle.provinces()


def same_report(report: FieldReport, figures: Mapping[str, str],
                lists: Mapping[str, list[dict[str, str]]], assessment: str) -> bool:
    """Whether the block says what the report says (figures compared as numbers)."""
    return ({k: Decimal(v) for k, v in report.figures.items()}
            == {k: Decimal(v) for k, v in figures.items()}
            and report.lists == dict(lists) and report.assessment == assessment)


class FieldReportWorkbookCases(EvaluationLookups):
    """Cung cấp thông tin: a field unit's reports on every province as one workbook."""

    def report_workbook(self, year: int, reporter_code: str) -> dict[str, Any]:
        """What the field unit's workbook holds: for every province of the cycle, its report
        as recorded (figures, lists, assessment, version), and the figure names the unit
        used this year, offered on every province's block."""
        cycle = self.cycle(year, readonly=True)
        reporter = self.unit(reporter_code, "code", readonly=True)
        rid = str(reporter.id)
        item = field_item(cycle, rid, reporter.code)
        provinces = report_provinces(cycle)
        with self.prefetched(*[FieldReport.create_id(year, rid, p) for p in provinces]):
            reports = {p: self.find(FieldReport, FieldReport.create_id(year, rid, p))
                       for p in provinces}
        names = list(dict.fromkeys(n for r in reports.values() if r is not None
                                   for n in r.figures))
        blocks = [{"province_code": cycle.code_of(p), "province_name": cycle.units[p]["name"],
                   "version": r.version if r else None, "submissions": r.submissions if r else 0,
                   "assessment": r.assessment if r else None,
                   "figures": {k: Decimal(v) for k, v in (r.figures if r else {}).items()},
                   "lists": r.lists if r else {}} for p, r in reports.items()]
        return {"year": year, "reporter": {"code": reporter.code,
                                           "name": cycle.units[rid]["name"]},
                "item": item["item"], "topic": item["topic"], "deadline": cycle.deadline,
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
            item = field_item(cycle, rid, reporter.code)["item"]
            blocks = self._report_blocks(cycle, upload, found)
            with self.prefetched(*[FieldReport.create_id(year, rid, p) for p in blocks]):
                writes, unchanged = self._report_writes(cycle, rid, blocks, found)
            found.raise_any("report(s)")
            late = cycle.judge(rid, self.now()) if writes else False
            now = self.now().isoformat()
            changed = []
            for pid, (report, block, figures, lists) in writes.items():
                if report is None:
                    report = FieldReport(year=year, reporter_id=rid,
                                         reporter_code=reporter.code, province_id=pid,
                                         province_code=cycle.code_of(pid), item=item,
                                         figures=figures, lists=lists,
                                         assessment=block.assessment, late=late, at=now)
                else:
                    report.resubmit(figures=figures, lists=lists, assessment=block.assessment,
                                    late=late, reason=block.reason, at=now)
                changed.append(report)
            return {"year": year, "reporter_code": reporter.code, "item": item,
                    "reports": len(blocks), "unchanged": unchanged,
                    "written": [{"id": str(r.id), "province_code": r.province_code,
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
    def _report_blocks(cycle: EvaluationCycle, upload: layout.Upload,
                       found: Findings) -> dict[str, layout.Block]:
        """Each block by the province it is about (a province of the cycle, once)."""
        provinces = {cycle.code_of(p): p for p in report_provinces(cycle)}
        out: dict[str, layout.Block] = {}
        for block in upload.blocks:
            try:
                code = words(block.province).upper()
            except CellError as e:
                found.add(block.province_ref, e.why, e.rule)
                continue
            block.province = code
            pid = provinces.get(code)
            if pid is None:
                found.add(block.province_ref, f"{code or '?'}: not a province of the "
                                              f"{cycle.year} cycle", "report_on_province")
            elif pid in out:
                found.add(block.province_ref, f"{code}: this province appears twice in the "
                                              "workbook", "workbook_layout")
            else:
                out[pid] = block
        return out

    def _report_writes(self, cycle: EvaluationCycle, rid: str,
                       blocks: Mapping[str, layout.Block], found: Findings
                       ) -> tuple[dict[str, tuple[Any, layout.Block, dict[str, str],
                                                  dict[str, list[dict[str, str]]]]], int]:
        """The reports to submit (the aggregate, None for a new one), after each block's
        version, assessment, reason and lists are checked; and how many change nothing."""
        writes: dict[str, Any] = {}
        unchanged = 0
        for pid, block in blocks.items():
            report = self.find(FieldReport, FieldReport.create_id(cycle.year, rid, pid))
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
                found.add(block.assessment_ref or block.province_ref,
                          f"{block.label}: a report gives the assessment (Nhận xét, đánh "
                          f"giá), 1–{ASSESSMENT_CHARS:,} characters", "text_required")
                continue
            if report is not None and not block.reason:
                found.add(block.reason_ref or block.province_ref,
                          f"{block.label}: the report was sent before; "
                          "give the reason it is sent again (Lý do gửi lại)", "reason_required")
                continue
            writes[pid] = (report, block, check_figures(block.figures),
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

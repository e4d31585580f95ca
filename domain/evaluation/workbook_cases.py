"""Score sheets as a workbook (Excel in and out): what the workbook of a scorer holds, and its
upload written back as drafts in one act, all or nothing, every bad cell named.

The upload follows the rules of a sheet's write (domain/evaluation/sheet_cases.py): the
scorer unit's officer or head (``sheet.write``), an open cycle, only the sheets the cycle
expects of the scorer, scores within the rule set's maxima, the version a block was made
at, and never a sheet that is no longer a draft (a sent sheet is corrected by a revision).
Field reports have their workbook too (report_workbook_cases.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import IO, Any

from domain.evaluation import sheet_workbook as layout
from domain.evaluation.base import EvaluationLookups
from domain.evaluation.cycle import EvaluationCycle
from domain.evaluation.report_workbook_cases import FieldReportWorkbookCases
from domain.evaluation.rules import SHEET_KINDS, check_scores, fmt, level_of, sheet_total
from domain.evaluation.scoring import needs_leader_approval
from domain.evaluation.sheets import EDITABLE, ScoreSheet, sheet_id
from domain.evaluation.workbook import (
    WORKBOOK_LIMITS,
    XLSX_ONLY,
    CellError,
    Findings,
    day_text,
    made_at,
    number,
    plain,
    quoted,
    words,
)
from domain.kernel.actor import Actor
from domain.kernel.errors import InvalidInput, RuleViolation
from domain.kernel.result import Done
from domain.kernel.tabular import read_table

Pair = tuple[str, str]  # (kind, subject id)


def owed(cycle: EvaluationCycle, scorer_id: str) -> list[Pair]:
    """Every sheet the scorer owes in the cycle, kind by kind, subjects in the cycle's order."""
    plan = cycle.plan()
    return [(kind, subject) for kind in SHEET_KINDS for subject in plan.subjects(kind, scorer_id)]


def in_cycle(cycle: EvaluationCycle, scorer_id: str, code: str) -> None:
    if scorer_id not in cycle.units:
        raise RuleViolation(f"{code} does not take part in the {cycle.year} evaluation.",
                            field="code", rule="unit_in_cycle")


def check_header(upload: layout.Upload, year: int, scorer: str) -> None:
    """A workbook of another year or another scorer is refused whole, naming the cell."""
    try:
        given_year = number(upload.year)
    except CellError:
        given_year = None
    if given_year != year:
        raise RuleViolation(f"{upload.year_ref}: this workbook is for {quoted(upload.year)}, not "
                            f"the {year} evaluation; download the {year} workbook.",
                            field=upload.year_ref, rule="workbook_year")
    try:
        given = words(upload.scorer).upper()
    except CellError:
        given = quoted(upload.scorer)
    if given != scorer:
        raise RuleViolation(f"{upload.scorer_ref}: this workbook holds the sheets of "
                            f"{given or 'no unit'}, not of {scorer}; each unit sends its own.",
                            field=upload.scorer_ref, rule="workbook_scorer")


def checked_score(value: Any, criterion: Mapping[str, Any], label: str, where: str,
                  found: Findings) -> str | None:
    """A score cell: None when empty; the score as the record writes it; or a bad cell
    ("P12, C07: 31 is above the maximum 30")."""
    code = criterion["code"]
    try:
        points = number(value)
    except CellError as e:
        found.add(where, f"{label}, {code}: {e.why}", e.rule)
        return None
    if points is None:
        return None
    if points < 0:
        found.add(where, f"{label}, {code}: {plain(points)} is below zero", "score_format")
    elif points > Decimal(criterion["max"]):
        found.add(where, f"{label}, {code}: {plain(points)} is above the maximum "
                         f"{criterion['max']}", "score_above_maximum")
    elif points.normalize().as_tuple().exponent < -2:  # type: ignore[operator]
        found.add(where, f"{label}, {code}: {plain(points)} has more than two decimals",
                  "score_format")
    else:
        return plain(points)
    return None


def same_scores(a: Mapping[str, str], b: Mapping[str, str]) -> bool:
    return {k: Decimal(v) for k, v in a.items()} == {k: Decimal(v) for k, v in b.items()}


class EvaluationWorkbookCases(FieldReportWorkbookCases, EvaluationLookups):
    """Bảng chấm điểm: a scorer's sheets as one workbook, out and back in."""

    def score_workbook(self, year: int, scorer_code: str) -> dict[str, Any]:
        """What the scorer's workbook holds: the rule set's criteria and, for every sheet it
        owes, the subject, state, version and the current revision's scores (read from the
        record, so a block's version is what its upload is checked against)."""
        cycle = self.cycle(year, readonly=True)
        scorer = self.unit(scorer_code, "code", readonly=True)
        sid = str(scorer.id)
        in_cycle(cycle, sid, scorer.code)
        pairs = owed(cycle, sid)
        with self.prefetched(*[sheet_id(year, k, sid, s) for k, s in pairs]):
            blocks = []
            for kind, subject in pairs:
                sheet = self.find_sheet(year, kind, sid, subject)
                current = sheet.current if sheet is not None else None
                blocks.append({
                    "kind": kind, "subject_code": cycle.code_of(subject),
                    "subject_name": cycle.units[subject]["name"],
                    "version": sheet.version if sheet is not None else None,
                    "state": current["state"] if current else None,
                    "editable": current is None or current["state"] in EDITABLE,
                    "scores": {k: Decimal(v) for k, v in (current or {}).get("scores",
                                                                             {}).items()}})
        return {"year": year, "scorer": {"code": scorer.code, "name": cycle.units[sid]["name"]},
                "deadline": cycle.deadline, "deadline_text": day_text(cycle.deadline),
                "ruleset": cycle.ruleset,
                "criteria": cycle.rules["criteria"],
                "total_points": cycle.rules["total_points"], "blocks": blocks,
                "made_at": made_at(self.now())}

    def write_score_workbook(self, actor: Actor, *, year: int, scorer_code: str,
                             content: bytes | IO[bytes], filename: str) -> Done:
        """Write every changed sheet of the uploaded workbook as a draft, in one act: all of
        them or none, each bad cell named by its reference. The file is read once the right
        to write the scorer's sheets is granted."""
        scorer = self.unit(scorer_code, "code", readonly=True)
        sid = str(scorer.id)

        def work() -> tuple[dict[str, Any], list[Any]]:
            found = Findings()
            upload = layout.read(read_table(content, filename, WORKBOOK_LIMITS,
                                            formulas=True, kinds=XLSX_ONLY), found)
            check_header(upload, year, scorer.code)
            cycle = self.cycle(year, readonly=True)
            cycle.check_open("score sheets")
            in_cycle(cycle, sid, scorer.code)
            if not upload.blocks:
                raise InvalidInput("The workbook holds no sheet (no 'Loại phiếu' row).",
                                   field="file", rule="workbook_layout")
            wanted = self._blocks(cycle, sid, upload, found)
            with self.prefetched(*[sheet_id(year, k, sid, s) for k, s in wanted]):
                writes, unchanged = self._writes(cycle, sid, wanted, found)
            found.raise_any("sheet(s)")
            now = self.now().isoformat()
            changed = []
            for (kind, subject), (sheet, scores) in writes.items():
                if sheet is None:
                    sheet = ScoreSheet(year=year, kind=kind, scorer_id=sid,
                                       scorer_code=scorer.code, subject_id=subject,
                                       subject_code=cycle.code_of(subject),
                                       needs_approval=needs_leader_approval(scorer.level),
                                       ruleset=dict(cycle.ruleset), at=now)
                clean = check_scores(cycle.rules, scores, complete=False)
                total = sheet_total(cycle.rules, clean)
                sheet.write(scores=clean, total=fmt(total) or "0.00",
                            level=level_of(cycle.rules, total), at=now)
                changed.append(sheet)
            return {"year": year, "scorer_code": scorer.code, "sheets": len(wanted),
                    "unchanged": unchanged,
                    "written": [{"id": str(s.id), "kind": s.kind,
                                 "subject_code": s.subject_code, "version": s.version,
                                 "revision": s.current["revision"], "state": s.current["state"],
                                 "total": s.current["total"], "level": s.current["level"]}
                                for s in changed]}, changed

        return self.act(actor, "sheet.write", work, unit_id=sid)

    def _blocks(self, cycle: EvaluationCycle, sid: str, upload: layout.Upload,
                found: Findings) -> dict[Pair, tuple[layout.Block, dict[str, str | None]]]:
        """Each block of the upload as (kind, subject) owed by the scorer, with its checked
        scores (None where a criterion is left empty)."""
        owes = set(owed(cycle, sid))
        codes = {str(u["code"]): uid for uid, u in cycle.units.items()}
        criteria = {c["code"]: c for c in cycle.rules["criteria"]}
        out: dict[Pair, tuple[layout.Block, dict[str, str | None]]] = {}
        for block in upload.blocks:
            kind = layout.KINDS.get(layout.fold(block.kind))
            try:
                code = words(block.subject).upper()
            except CellError as e:
                found.add(block.subject_ref, e.why, e.rule)
                continue
            block.subject = code
            if kind is None:
                found.add(block.kind_ref, f"{code}: '{quoted(block.kind)}' is not a kind of "
                                          "score sheet", "workbook_layout")
                continue
            subject = codes.get(code)
            if subject is None or (kind, subject) not in owes:
                found.add(block.subject_ref, f"{code}: {cycle.code_of(sid)} owes no "
                                             f"'{layout.SHEET_KIND_NAMES[kind]}' sheet for "
                                             f"{code or 'this unit'} in {cycle.year}",
                          f"{kind}_pair")
                continue
            if (kind, subject) in out:
                found.add(block.kind_ref, f"{code}: this sheet appears twice in the workbook",
                          "workbook_layout")
                continue
            scores: dict[str, str | None] = {}
            for c, (where, value) in block.scores.items():
                if c not in criteria:
                    found.add(where, f"{code}, {quoted(c)}: not a criterion of rule set "
                                     f"{cycle.rules['code']}", "unknown_criterion")
                    continue
                scores[c] = checked_score(value, criteria[c], code, where, found)
            missing = [c for c in criteria if c not in block.scores]
            if missing:
                found.add(block.kind_ref, f"{code}: the row(s) of {', '.join(missing)} are "
                                          "missing; download the workbook again",
                          "workbook_layout")
            out[(kind, subject)] = (block, scores)
        return out

    def _writes(self, cycle: EvaluationCycle, sid: str,
                wanted: Mapping[Pair, tuple[layout.Block, dict[str, str | None]]],
                found: Findings) -> tuple[dict[Pair, tuple[Any, dict[str, str]]], int]:
        """The sheets to write (their aggregate, None for a new one, and scores), after each
        block's version and state are checked; and how many blocks change nothing."""
        writes: dict[Pair, tuple[Any, dict[str, str]]] = {}
        unchanged = 0
        for (kind, subject), (block, given) in wanted.items():
            scores = {c: v for c, v in given.items() if v is not None}
            sheet = self.find_sheet(cycle.year, kind, sid, subject)
            given_at = layout.version_of(block, found)
            now = sheet.version if sheet is not None else None
            if given_at != now:
                found.changed(block.version_ref, f"{block.label}: the sheet is at version "
                                                 f"{now or 'none (no sheet)'}, this workbook "
                                                 f"was made at {given_at or 'none'}")
                continue
            current = sheet.current if sheet is not None else None
            if current is None and not scores:
                unchanged += 1
                continue
            if current is not None and same_scores(current["scores"], scores):
                unchanged += 1
                continue
            if current is not None and current["state"] not in EDITABLE:
                state = layout.STATES.get(current["state"], current["state"])
                found.add(block.kind_ref, f"{block.label}: the sheet is '{state}'; only a "
                                          "draft, a returned or a revised sheet is written "
                                          "(a sent sheet is corrected by a new revision)",
                          "sheet_write_state")
                continue
            writes[(kind, subject)] = (sheet, scores)
        return writes, unchanged

"""A scorer's sheets of one cycle as a workbook (bảng chấm điểm), whichever cycle owes them:
the sector's of a year (workbook_cases.py) or a province's evaluation of its district offices
(domain/district/workbook_cases.py). Each builds an :class:`OwedSheets` from its cycle; what
the workbook holds and how its upload is written back are the same: drafts in one act, all
or nothing, every bad cell named by its reference.

The upload follows the rules of a sheet's write (sheet_cases.py, domain/district/
sheet_cases.py): the scorer unit's officer or head (``sheet.write``), an open cycle, only the
sheets the cycle expects of the scorer, each scoring the criteria its sheet scores (a
monitor's own field under the rule set's ``monitor_fields``: domain/evaluation/fields.py)
within their maxima, the version a block was made at, never a sheet that is no longer a draft
(a sent sheet is corrected by a revision), and never a sheet of another cycle.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from domain.evaluation import sheet_workbook as layout
from domain.evaluation.base import EvaluationLookups
from domain.evaluation.fields import criteria_scored, scheme_of
from domain.evaluation.rules import check_scores, fmt, level_of, sheet_total
from domain.evaluation.sheets import EDITABLE, ScoreSheet, sheet_id, sheet_province
from domain.evaluation.workbook import (
    WORKBOOK_LIMITS,
    XLSX_ONLY,
    CellError,
    Findings,
    day_text,
    empty,
    made_at,
    number,
    plain,
    quoted,
    words,
)
from domain.kernel.errors import InvalidInput, RuleViolation
from domain.kernel.tabular import read_table

Pair = tuple[str, str]  # (kind, subject id)
Wanted = dict[Pair, tuple[layout.Block, dict[str, str | None]]]


@dataclass(frozen=True)
class OwedSheets:
    """The sheets one scorer owes in one cycle, and what their workbook needs of the cycle."""

    year: int
    scorer_id: str
    scorer_code: str
    scorer_name: str
    pairs: tuple[Pair, ...]  # what the scorer owes, in the cycle's order
    units: Mapping[str, tuple[str, str]]  # unit id -> (code, name), the subjects among them
    rules: Mapping[str, Any]
    ruleset: Mapping[str, Any]
    deadline: str
    needs_approval: bool
    province: str | None = None  # a district cycle's province (its code); None: the sector's
    cycle_name: str | None = None  # how the workbook names a district cycle
    title: str | None = None

    @property
    def label(self) -> str:
        if self.province is None:
            return f"the {self.year} evaluation"
        return f"{self.province}'s {self.year} evaluation of its district offices"

    def code(self, unit: str) -> str:
        return self.units[unit][0]

    def criteria(self, kind: str) -> Sequence[Mapping[str, Any]]:
        """The criteria a sheet of ``kind`` scores: a monitor's field under a mapping."""
        return criteria_scored(self.rules, kind, self.scorer_code) or list(
            self.rules["criteria"])

    def scheme(self, kind: str) -> dict[str, Any]:
        """As ``check_scores`` takes it (empty: the whole scheme)."""
        return scheme_of(self.rules, kind, self.scorer_code)


def read_upload(content: bytes | IO[bytes], filename: str, found: Findings) -> layout.Upload:
    """The uploaded workbook by its labels, within the workbooks' bounds (XLSX only)."""
    return layout.read(read_table(content, filename, WORKBOOK_LIMITS, formulas=True,
                                  kinds=XLSX_ONLY), found)


def check_header(upload: layout.Upload, year: int, scorer: str, province: str | None) -> None:
    """A workbook of another year, another scorer or another cycle (the sector's, a
    province's district cycle) is refused whole, naming the cell."""
    try:
        given_year = number(upload.year)
    except CellError:
        given_year = None
    if given_year != year:
        raise RuleViolation(f"{upload.year_ref}: this workbook is for {quoted(upload.year)}, not "
                            f"the {year} evaluation; download the {year} workbook.",
                            field=upload.year_ref, rule="workbook_year")
    given = _code(upload.scorer)
    if given != scorer:
        raise RuleViolation(f"{upload.scorer_ref}: this workbook holds the sheets of "
                            f"{given or 'no unit'}, not of {scorer}; each unit sends its own.",
                            field=upload.scorer_ref, rule="workbook_scorer")
    scope = _code(upload.cycle) if upload.cycle_ref else None
    if scope == province:
        return
    where = upload.cycle_ref or "file"
    made = (f"{scope or 'no province'}'s evaluation of its district offices" if upload.cycle_ref
            else "the sector's evaluation")
    meant = (f"{province}'s evaluation of its district offices" if province
             else "the sector's evaluation")
    raise RuleViolation(f"{where}: this workbook holds sheets of {made}, not of {meant}; "
                        "send each workbook to the address it was downloaded from.",
                        field=where, rule="workbook_cycle")


def _code(value: Any) -> str:
    try:
        return words(value).upper()
    except CellError:
        return quoted(value)


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


def base_points(criteria: Sequence[Mapping[str, Any]]) -> str:
    """The most a set of criteria gives without bonus: what a field's block totals to."""
    return plain(sum((Decimal(c["max"]) for c in criteria if c["kind"] == "base"), Decimal(0)))


def wanted_blocks(owed: OwedSheets, upload: layout.Upload, found: Findings) -> Wanted:
    """Each block of the upload as (kind, subject) owed by the scorer, with its checked
    scores (None where a criterion is left empty). A score in a row of a criterion the sheet
    does not score (another monitor's field) is refused by its cell; such a row left empty
    is let be (a workbook made before the fields were mapped has them)."""
    owes = set(owed.pairs)
    codes = {code: uid for uid, (code, _) in owed.units.items()}
    known = {c["code"] for c in owed.rules["criteria"]}
    out: Wanted = {}
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
            found.add(block.subject_ref, f"{code}: {owed.scorer_code} owes no "
                                         f"'{layout.SHEET_KIND_NAMES[kind]}' sheet for "
                                         f"{code or 'this unit'} in {owed.label}",
                      f"{kind}_pair")
            continue
        if (kind, subject) in out:
            found.add(block.kind_ref, f"{code}: this sheet appears twice in the workbook",
                      "workbook_layout")
            continue
        mine = {c["code"]: c for c in owed.criteria(kind)}
        scores: dict[str, str | None] = {}
        for c, (where, value) in block.scores.items():
            if c not in known:
                found.add(where, f"{code}, {quoted(c)}: not a criterion of rule set "
                                 f"{owed.rules['code']}", "unknown_criterion")
            elif c not in mine:
                if not empty(value):
                    found.add(where, f"{code}, {c}: not among the criteria of "
                                     f"{owed.scorer_code}'s field ({', '.join(mine)}); a "
                                     "monitor scores a province on its own field only",
                              "criterion_in_field")
            else:
                scores[c] = checked_score(value, mine[c], code, where, found)
        missing = [c for c in mine if c not in block.scores]
        if missing:
            found.add(block.kind_ref, f"{code}: the row(s) of {', '.join(missing)} are "
                                      "missing; download the workbook again",
                      "workbook_layout")
        out[(kind, subject)] = (block, scores)
    return out


class ScoreWorkbookBase(EvaluationLookups):
    """What the sector's and a district cycle's score-sheet workbooks share: their content
    from the record, and an upload written back in one act (the caller's ``act``)."""

    def owed_workbook(self, owed: OwedSheets) -> dict[str, Any]:
        """What the workbook holds: for every sheet the scorer owes, the subject, state,
        version, the criteria the sheet scores and the current revision's scores (read from
        the record, so a block's version is what its upload is checked against)."""
        blocks = []
        ids = [sheet_id(owed.year, k, owed.scorer_id, s) for k, s in owed.pairs]
        with self.prefetched(*ids):
            for kind, subject in owed.pairs:
                sheet = self.find_sheet(owed.year, kind, owed.scorer_id, subject)
                current = sheet.current if sheet is not None else None
                ours = sheet is None or sheet_province(sheet) == owed.province
                criteria = owed.criteria(kind)
                field = bool(owed.scheme(kind))
                blocks.append({
                    "kind": kind, "subject_code": owed.code(subject),
                    "subject_name": owed.units[subject][1],
                    "version": sheet.version if sheet is not None else None,
                    "state": current["state"] if current else None,
                    "editable": ours and (current is None or current["state"] in EDITABLE),
                    "criteria": criteria,
                    "total_points": base_points(criteria) if field
                    else owed.rules["total_points"],
                    "note": (f"Chỉ các tiêu chí thuộc lĩnh vực của {owed.scorer_code} "
                             f"({len(criteria)}/{len(owed.rules['criteria'])} tiêu chí)")
                    if field else None,
                    "scores": {k: Decimal(v) for k, v in (current or {}).get(
                        "scores", {}).items()}})
        return {"year": owed.year, "scorer": {"code": owed.scorer_code,
                                              "name": owed.scorer_name},
                "cycle": ({"code": owed.province, "name": owed.cycle_name}
                          if owed.province else None),
                "title": owed.title, "deadline": owed.deadline,
                "deadline_text": day_text(owed.deadline), "ruleset": dict(owed.ruleset),
                "criteria": owed.rules["criteria"], "total_points": owed.rules["total_points"],
                "blocks": blocks, "made_at": made_at(self.now())}

    def write_owed(self, owed: OwedSheets, upload: layout.Upload,
                   found: Findings) -> tuple[dict[str, Any], list[Any]]:
        """Every changed block of the upload written as a draft (the work of one act): all of
        them, or the refusal naming every bad cell (or every stale block)."""
        if not upload.blocks:
            raise InvalidInput("The workbook holds no sheet (no 'Loại phiếu' row).",
                               field="file", rule="workbook_layout")
        wanted = wanted_blocks(owed, upload, found)
        with self.prefetched(*[sheet_id(owed.year, k, owed.scorer_id, s) for k, s in wanted]):
            writes, unchanged = self._owed_writes(owed, wanted, found)
        found.raise_any("sheet(s)")
        now = self.now().isoformat()
        changed = []
        for (kind, subject), (sheet, scores) in writes.items():
            if sheet is None:
                sheet = ScoreSheet(year=owed.year, kind=kind, scorer_id=owed.scorer_id,
                                   scorer_code=owed.scorer_code, subject_id=subject,
                                   subject_code=owed.code(subject),
                                   needs_approval=owed.needs_approval,
                                   ruleset=dict(owed.ruleset), at=now)
            scheme = owed.scheme(kind)  # a monitor's field, if mapped
            clean = check_scores(owed.rules, scores, complete=False, **scheme)
            total = sheet_total(owed.rules, clean)
            # a field's points are part of a score, not one to rate by the thresholds
            sheet.write(scores=clean, total=fmt(total) or "0.00",
                        level=None if scheme else level_of(owed.rules, total), at=now)
            changed.append(sheet)
        answer: dict[str, Any] = {"year": owed.year, "scorer_code": owed.scorer_code}
        if owed.province:
            answer["province_code"] = owed.province
        return {**answer, "sheets": len(wanted), "unchanged": unchanged,
                "written": [{"id": str(s.id), "kind": s.kind, "subject_code": s.subject_code,
                             "version": s.version, "revision": s.current["revision"],
                             "state": s.current["state"], "total": s.current["total"],
                             "level": s.current["level"]} for s in changed]}, changed

    def _owed_writes(self, owed: OwedSheets, wanted: Wanted, found: Findings
                     ) -> tuple[dict[Pair, tuple[Any, dict[str, str]]], int]:
        """The sheets to write (their aggregate, None for a new one, and scores), after each
        block's cycle, version and state are checked; and how many blocks change nothing."""
        writes: dict[Pair, tuple[Any, dict[str, str]]] = {}
        unchanged = 0
        for (kind, subject), (block, given) in wanted.items():
            scores = {c: v for c, v in given.items() if v is not None}
            sheet = self.find_sheet(owed.year, kind, owed.scorer_id, subject)
            if sheet is not None and sheet_province(sheet) != owed.province:
                owner = sheet_province(sheet) or "the sector"
                found.add(block.kind_ref, f"{block.label}: this sheet belongs to {owner}'s "
                                          f"{owed.year} evaluation, not to {owed.label}",
                          "sheet_of_cycle")
                continue
            given_at = layout.version_of(block, found)
            now = sheet.version if sheet is not None else None
            if given_at != now:
                found.changed(block.version_ref, f"{block.label}: the sheet is at version "
                                                 f"{now or 'none (no sheet)'}, this workbook "
                                                 f"was made at {given_at or 'none'}")
                continue
            current = sheet.current if sheet is not None else None
            if (current is None and not scores) or (
                    current is not None and same_scores(current["scores"], scores)):
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

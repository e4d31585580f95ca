"""Filling the evaluation's workbooks as an office does in Excel (openpyxl here), and reading
them back: shared by the workbook tests and the rights matrix."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

from openpyxl import Workbook, load_workbook

from domain.evaluation import report_workbook as reports
from domain.evaluation import sheet_workbook as sheets
from domain.evaluation.rules import SHEET_KIND_NAMES

KIND_OF = {name: kind for kind, name in SHEET_KIND_NAMES.items()}
Pair = tuple[str, str]  # (kind, subject code)


def book(data: bytes) -> Workbook:
    return load_workbook(io.BytesIO(data))


def saved(workbook: Workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def score_rows(data: bytes) -> dict[Pair, dict[str, Any]]:
    """Each block of a score-sheet workbook: (kind, subject) -> {"version", "row" (of its
    'Loại phiếu'), "cells": {criterion code: (reference, value)}}."""
    sheet = book(data)[sheets.WORKSHEET]
    found: dict[Pair, dict[str, Any]] = {}
    current: dict[str, Any] | None = None
    kind = None
    in_criteria = False
    for row in sheet.iter_rows():
        label = row[0].value
        if label == sheets.KIND:
            kind = KIND_OF[row[1].value]
            current, in_criteria = {"row": row[0].row, "cells": {}}, False
        elif label == sheets.SUBJECT and current is not None:
            found[(str(kind), row[1].value)] = current
        elif label == sheets.VERSION and current is not None:
            current["version"] = row[1].value
            current["state"] = row[2].value
        elif label == sheets.COLUMNS[0]:
            in_criteria = True
        elif label == sheets.TOTAL:
            in_criteria = False
            if current is not None:
                current["total"] = row[sheets.SCORE].value
        elif in_criteria and label and current is not None:
            score = row[sheets.SCORE]
            current["cells"][label] = (score.coordinate, score.value)
    return found


def fill_scores(data: bytes, values: Mapping[Pair, Mapping[str, Any]]) -> bytes:
    """The workbook with the scores typed in: (kind, subject) -> {criterion: value}."""
    blocks = score_rows(data)
    workbook = book(data)
    sheet = workbook[sheets.WORKSHEET]
    for pair, scores in values.items():
        for code, value in scores.items():
            sheet[blocks[pair]["cells"][code][0]] = value
    return saved(workbook)


def set_cells(data: bytes, cells: Mapping[str, Any], worksheet: str | None = None) -> bytes:
    """The workbook with these cells (by reference) set, as typed."""
    workbook = book(data)
    sheet = workbook[worksheet] if worksheet else workbook.worksheets[0]
    for where, value in cells.items():
        sheet[where] = value
    return saved(workbook)


def report_rows(data: bytes) -> dict[str, dict[str, Any]]:
    """Each block of a field-report workbook (on a province or a central unit): code -> the
    reference of its cells ('version', 'assessment', 'reason', the figure rows' 'figures':
    [(name ref, value ref)], 'lists': {name: {"columns": row, "entries": [row numbers]}}),
    its first label ('label') and what it falls under ('reach': "Phụ lục, mục 4")."""
    sheet = book(data)[reports.WORKSHEET]
    found: dict[str, dict[str, Any]] = {}
    block: dict[str, Any] | None = None
    section = ""
    for row in sheet.iter_rows():
        label, n = row[0].value, row[0].row
        if label in (reports.PROVINCE, reports.CENTRAL):
            block = {"row": n, "figures": [], "lists": {}, "province_cell": f"B{n}",
                     "label": label, "reach": row[3].value}
            found[row[1].value] = block
        elif block is None:
            continue
        elif label == reports.VERSION:
            block["version"] = f"B{n}"
        elif label == reports.ASSESSMENT:
            block["assessment"] = f"B{n}"
        elif label == reports.REASON:
            block["reason"] = f"B{n}"
        elif label == reports.FIGURES[0]:
            section = "figures"
        elif label == reports.LIST:
            section = "list"
            block["lists"][row[1].value] = {"name": f"B{n}", "entries": []}
            block["last_list"] = row[1].value
        elif label == reports.COLUMNS:
            section = "entries"
            block["lists"][block["last_list"]]["columns"] = n
        elif label is None and section == "figures":
            block["figures"].append((f"B{n}", f"C{n}", row[1].value))
        elif label is None and section == "entries":
            block["lists"][block["last_list"]]["entries"].append(n)
    return found


def fill_report(data: bytes, province: str, *, assessment: str | None = None,
                figures: dict[str, Any] | None = None,
                lists: dict[str, list[dict[str, Any]]] | None = None,
                reason: str | None = None) -> bytes:
    """Type a province's report into its block: figures into the figure rows (existing names
    first, then the spare rows), a list into the spare list at the end of the block."""
    block = report_rows(data)[province]
    cells: dict[str, Any] = {}
    if assessment is not None:
        cells[block["assessment"]] = assessment
    if reason is not None:
        cells[block["reason"]] = reason
    rows = list(block["figures"])
    for name, value in (figures or {}).items():
        at = next((r for r in rows if r[2] == name), None) or next(r for r in rows if not r[2])
        rows.remove(at)
        cells[at[0]], cells[at[1]] = name, value
    spare = block["lists"][None]
    for name, entries in (lists or {}).items():
        cells[spare["name"]] = name
        keys = list(dict.fromkeys(k for e in entries for k in e))
        for i, key in enumerate(keys):
            cells[f"{chr(66 + i)}{spare['columns']}"] = key
        free = list(spare["entries"])
        assert len(free) >= len(entries), "the block offers two spare rows per list"
        for row, entry in zip(free, entries, strict=False):
            for i, key in enumerate(keys):
                if key in entry:
                    cells[f"{chr(66 + i)}{row}"] = entry[key]
    return set_cells(data, cells, reports.WORKSHEET)

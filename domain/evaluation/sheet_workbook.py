"""The score-sheet workbook (bảng chấm điểm): every sheet a scorer owes in one cycle (the
sector's of a year, or a province's district cycle) on one worksheet, a block per sheet, in
Vietnamese. :func:`layout` says what each row holds (web/resources/evaluation/workbooks.py
gives it its look); :func:`read` reads an upload back by the same labels, so the two cannot
drift apart. A block lists the criteria its sheet scores: under the rule set's
``monitor_fields``, a monitor's sheet of a province lists its field's only.

A block::

    Loại phiếu        | Đơn vị trực thuộc chấm điểm BHXH tỉnh | (the field, if any)
    Đơn vị được chấm  | P12 | BHXH tỉnh P12
    Phiên bản phiếu   | 3   | Trạng thái: Nháp
    Mã tiêu chí | Nhóm tiêu chí | Nội dung tiêu chí | Loại điểm | Điểm tối đa | Điểm chấm
    C01         | I. ...        | ...               | Điểm chuẩn | 30         | 28.5
    ...
    Tổng điểm   |               |                   |            | 100        | (formula)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from domain.evaluation.rules import SHEET_KIND_NAMES
from domain.evaluation.workbook import (
    CellError,
    Findings,
    cell,
    fold,
    number,
    quoted,
    ref,
    words,
)

WORKSHEET = "Phiếu chấm điểm"
GUIDE = "Hướng dẫn"
TITLE = "BẢNG CHẤM ĐIỂM THI ĐUA, ĐÁNH GIÁ XẾP LOẠI NĂM {year}"
YEAR = "Năm đánh giá"
SCORER = "Đơn vị chấm điểm"
DEADLINE = "Hạn gửi"
MADE = "Lập lúc"
CYCLE = "Kỳ đánh giá"  # a district cycle's workbook names its province here
KIND = "Loại phiếu"
SUBJECT = "Đơn vị được chấm"
VERSION = "Phiên bản phiếu"
COLUMNS = ("Mã tiêu chí", "Nhóm tiêu chí", "Nội dung tiêu chí", "Loại điểm", "Điểm tối đa",
           "Điểm chấm")
TOTAL = "Tổng điểm"
SCORE = COLUMNS.index("Điểm chấm")
MAXIMUM = COLUMNS.index("Điểm tối đa")
CRITERION_KINDS = {"base": "Điểm chuẩn", "bonus": "Điểm thưởng", "minus": "Điểm trừ"}
STATES = {"draft": "Nháp", "revised": "Đang sửa lại", "returned": "Bị trả lại",
          "submitted": "Đã nộp, chờ phê duyệt", "approved": "Đã phê duyệt, chờ gửi",
          "sent": "Đã gửi"}
NOT_EDITABLE = "không sửa trong bảng này"
KINDS = {fold(name): kind for kind, name in SHEET_KIND_NAMES.items()} | {
    fold(kind): kind for kind in SHEET_KIND_NAMES}


@dataclass(frozen=True)
class Line:
    """One row of the worksheet: what it is (``title``, ``field``, ``kind``, ``subject``,
    ``version``, ``columns``, ``criterion``, ``total``, ``blank``; a field report's
    ``text``, ``figure``, ``list``, ``entry``), its cells, and whether a person types in it
    (for a criterion, its score, up to ``maximum``)."""

    role: str
    cells: tuple[Any, ...] = ()
    editable: bool = False
    maximum: str | None = None


def layout(content: Mapping[str, Any]) -> list[Line]:
    """The rows of the workbook for ``content`` (EvaluationWorkbookCases.score_workbook)."""
    scorer, scope = content["scorer"], content.get("cycle")
    lines = [Line("title", (content.get("title") or TITLE.format(year=content["year"]),)),
             Line("field", (YEAR, content["year"])),
             Line("field", (SCORER, scorer["code"], scorer["name"])),
             Line("field", (DEADLINE, content["deadline_text"])),
             Line("field", (MADE, content["made_at"]))]
    if scope:
        lines.append(Line("field", (CYCLE, scope["code"], scope["name"])))
    lines.append(Line("blank"))
    for block in content["blocks"]:
        editable = block["editable"]
        state = STATES.get(block["state"], block["state"]) if block["state"] else "Chưa có"
        lines += [Line("kind", (KIND, SHEET_KIND_NAMES[block["kind"]], block.get("note"))),
                  Line("subject", (SUBJECT, block["subject_code"], block["subject_name"])),
                  Line("version", (VERSION, block["version"],
                                   f"Trạng thái: {state}" + ("" if editable
                                                             else f" ({NOT_EDITABLE})"))),
                  Line("columns", COLUMNS)]
        for c in block.get("criteria", content["criteria"]):
            score = block["scores"].get(c["code"])
            lines.append(Line("criterion", (c["code"], c["group"], c["name"],
                                            CRITERION_KINDS[c["kind"]], Decimal(c["max"]),
                                            score),
                              editable=editable, maximum=c["max"]))
        points = block.get("total_points", content["total_points"])
        lines += [Line("total", (TOTAL, None, None, None, Decimal(points), None)),
                  Line("blank")]
    return lines


@dataclass
class Block:
    """A sheet's block as read back: its labels' cells, and each criterion row's score."""

    kind: Any
    kind_ref: str
    subject: Any = None
    subject_ref: str = ""
    version: Any = None
    version_ref: str = ""
    scores: dict[str, tuple[str, Any]] = field(default_factory=dict)  # code -> (ref, value)
    in_criteria: bool = False

    @property
    def label(self) -> str:
        return str(self.subject or "?")


@dataclass
class Upload:
    """A score-sheet workbook as read back."""

    year: Any = None
    year_ref: str = "B2"
    scorer: Any = None
    scorer_ref: str = "B3"
    cycle: Any = None  # the province of a district cycle's workbook (None: the sector's)
    cycle_ref: str | None = None
    blocks: list[Block] = field(default_factory=list)


def read(rows: list[list[Any]], found: Findings) -> Upload:
    """The header and the blocks of an uploaded workbook, by their labels in column A; a
    score typed where no criterion is named is a bad cell."""
    upload = Upload()
    block: Block | None = None
    for n, values in enumerate(rows, start=1):
        label = fold(cell(rows, n, 0))
        if label == fold(YEAR):
            upload.year, upload.year_ref = cell(rows, n, 1), ref(n, 1)
        elif label == fold(SCORER):
            upload.scorer, upload.scorer_ref = cell(rows, n, 1), ref(n, 1)
        elif label == fold(CYCLE) and block is None:
            upload.cycle, upload.cycle_ref = cell(rows, n, 1), ref(n, 1)
        elif label == fold(KIND):
            block = Block(kind=cell(rows, n, 1), kind_ref=ref(n, 1))
            upload.blocks.append(block)
        elif block is not None and label == fold(SUBJECT):
            block.subject, block.subject_ref = cell(rows, n, 1), ref(n, 1)
        elif block is not None and label == fold(VERSION):
            block.version, block.version_ref = cell(rows, n, 1), ref(n, 1)
        elif block is not None and label == fold(COLUMNS[0]):
            block.in_criteria = True
        elif label == fold(TOTAL):
            if block is not None:
                block.in_criteria = False
        elif block is not None and block.in_criteria and values:
            _criterion(rows, n, block, found)
    return upload


def _criterion(rows: list[list[Any]], n: int, block: Block, found: Findings) -> None:
    where, value = ref(n, SCORE), cell(rows, n, SCORE)
    try:
        code = words(cell(rows, n, 0))
    except CellError as e:
        found.add(ref(n, 0), f"{block.label}: {e.why}", e.rule)
        return
    if not code:
        if value not in (None, ""):
            found.add(where, f"{block.label}: a score in a row that names no criterion "
                             f"('{quoted(value)}'); type it in its criterion's row",
                      "workbook_layout")
        return
    if code in block.scores:
        found.add(ref(n, 0), f"{block.label}: criterion {quoted(code)} appears twice in the "
                             "sheet", "workbook_layout")
        return
    block.scores[code] = (where, value)


def version_of(block: Block, found: Findings) -> int | None:
    """The sheet's version the workbook was made at (None: no sheet yet)."""
    try:
        value = number(block.version)
    except CellError as e:
        found.add(block.version_ref, f"{block.label}: {e.why}", e.rule)
        return None
    if value is None:
        return None
    if value != value.to_integral_value() or value < 1:
        found.add(block.version_ref, f"{block.label}: the version is a whole number "
                                     f"({quoted(block.version)})", "workbook_layout")
        return None
    return int(value)

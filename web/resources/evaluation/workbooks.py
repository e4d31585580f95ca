"""The evaluation's workbooks as XLSX: the rows the domain lays out
(domain/evaluation/sheet_workbook.py, report_workbook.py), given the look of an office form.
Every text cell is typed as text (never a formula); the only formula is the total of a score
sheet's block, which the upload never reads. Score cells carry data validation for their
range; on the score-sheet worksheet everything but them is locked (no password: it guards
against slips, not people)."""

from __future__ import annotations

import io
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, TYPE_STRING
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from domain.evaluation import report_workbook, sheet_workbook
from domain.evaluation.sheet_workbook import Line

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BLOCK_FILL = PatternFill("solid", fgColor="DDEBF7")
HEAD_FILL = PatternFill("solid", fgColor="EDEDED")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
WIDTHS = {"A": 18, "B": 30, "C": 58, "D": 16, "E": 13, "F": 13}
WRAP = Alignment(wrap_text=True, vertical="top")

SHEET_GUIDE = [
    "HƯỚNG DẪN ĐIỀN BẢNG CHẤM ĐIỂM",
    "1. Mỗi khối trên trang 'Phiếu chấm điểm' là một phiếu đơn vị phải chấm trong năm.",
    "2. Chỉ nhập điểm vào cột 'Điểm chấm' (ô nền vàng): số từ 0 đến điểm tối đa của tiêu chí, "
    "tối đa hai chữ số thập phân. Ô để trống là tiêu chí chưa chấm.",
    "3. Không sửa các cột, nhãn và số phiên bản; không nhập công thức vào ô điểm.",
    "4. Phiếu đã nộp, đã phê duyệt hoặc đã gửi không sửa trong bảng này; phiếu đã gửi muốn "
    "sửa thì mở bản sửa (correction) trước, rồi tải lại bảng.",
    "5. Gửi lại tệp cho hệ thống (POST cùng địa chỉ): mọi phiếu thay đổi được ghi thành bản "
    "nháp trong một lần; nếu có ô sai, không phiếu nào được ghi và hệ thống chỉ rõ từng ô.",
    "6. Nếu phiếu đã thay đổi kể từ khi tải bảng (phiên bản khác), tải lại bảng mới.",
    "7. Ghi nháp không phải là nộp: sau khi ghi, nộp (submit) từng phiếu như thường lệ.",
    "8. Khi bộ tiêu chí phân lĩnh vực cho các đơn vị theo dõi (monitor_fields), khối phiếu đơn "
    "vị trực thuộc chấm BHXH tỉnh chỉ gồm các tiêu chí thuộc lĩnh vực của đơn vị; điểm ở tiêu "
    "chí của lĩnh vực khác không được nhận.",
]
REPORT_GUIDE = [
    "HƯỚNG DẪN ĐIỀN BẢNG CUNG CẤP THÔNG TIN",
    "1. Mỗi khối trên trang 'Cung cấp thông tin' là báo cáo về một đơn vị: BHXH tỉnh ('Tỉnh'), "
    "hoặc đơn vị trực thuộc ('Đơn vị trực thuộc') khi mục của Phụ lục bao gồm cả đơn vị trực "
    "thuộc. Đơn vị không thuộc Phụ lục cung cấp thông tin khác về BHXH tỉnh (nếu có).",
    "2. 'Nhận xét, đánh giá' là bắt buộc khi gửi báo cáo; khối để trống không được gửi.",
    "3. 'Số liệu': tên chỉ tiêu ở cột B, giá trị (số) ở cột C; có thể thêm dòng.",
    "4. 'Danh sách': tên danh sách ở cột B; dòng 'Cột' ghi tên các cột; mỗi dòng dưới là một "
    "mục. Thêm danh sách mới bằng một dòng 'Danh sách' và một dòng 'Cột'.",
    "5. Báo cáo đã gửi, nay sửa: ghi 'Lý do gửi lại'. Báo cáo không đổi thì không gửi lại.",
    "6. Gửi lại tệp cho hệ thống (POST cùng địa chỉ): mọi báo cáo được gửi trong một lần; nếu "
    "có ô sai, không báo cáo nào được gửi và hệ thống chỉ rõ từng ô.",
    "7. Sau hạn gửi, chỉ gửi được khi Thường trực Hội đồng đã gia hạn cho đơn vị.",
]


def _value(value: Any) -> Any:
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    if isinstance(value, Decimal):
        return value.normalize() if value == value.to_integral_value() else value
    return value


def _put(sheet: Worksheet, row: int, values: Iterable[Any]) -> None:
    for column, value in enumerate(values, start=1):
        if value is None:
            continue
        target = sheet.cell(row=row, column=column, value=_value(value))
        if isinstance(target.value, str):
            target.data_type = TYPE_STRING  # text, never a formula, whatever it begins with


def _style(sheet: Worksheet, row: int, line: Line, width: int) -> None:
    cells = [sheet.cell(row=row, column=c) for c in range(1, width + 1)]
    if line.role == "title":
        cells[0].font = Font(bold=True, size=14)
    elif line.role in ("field", "subject", "version", "list"):
        cells[0].font = Font(bold=True)
    elif line.role == "kind":
        for c in cells:
            c.fill, c.font = BLOCK_FILL, Font(bold=True)
    elif line.role == "columns":
        for c in cells[:max(len(line.cells), 1)]:
            c.fill, c.font, c.border, c.alignment = HEAD_FILL, Font(bold=True), BOX, WRAP
    elif line.role in ("criterion", "figure", "entry"):
        for c in cells[:max(len(line.cells), 2)]:
            c.border, c.alignment = BOX, WRAP
    elif line.role == "total":
        for c in cells:
            c.font, c.border = Font(bold=True), BOX
    elif line.role == "text":
        cells[0].font = Font(bold=True)
        cells[1].alignment = WRAP
        sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=width)


def _editable(sheet: Worksheet, row: int, columns: Iterable[int]) -> None:
    for column in columns:
        target = sheet.cell(row=row, column=column)
        target.protection = Protection(locked=False)
        target.fill = INPUT_FILL


def _guide(book: Workbook, lines: list[str]) -> None:
    guide = book.create_sheet(sheet_workbook.GUIDE)
    guide.column_dimensions["A"].width = 110
    for n, text in enumerate(lines, start=1):
        target = guide.cell(row=n, column=1, value=text)
        target.data_type = TYPE_STRING
        target.alignment = WRAP
        if n == 1:
            target.font = Font(bold=True)


def _save(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def score_workbook(lines: list[Line]) -> bytes:
    """The score-sheet workbook: the blocks, each criterion's score cell validated against
    its maximum, each block's total a formula, the rest locked."""
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_workbook.WORKSHEET
    for column, width in WIDTHS.items():
        sheet.column_dimensions[column].width = width
    score = sheet_workbook.SCORE + 1
    letter = chr(64 + score)
    kind_letter = chr(65 + sheet_workbook.COLUMNS.index("Loại điểm"))
    ranges: dict[str, list[str]] = {}
    first = None
    for row, line in enumerate(lines, start=1):
        _put(sheet, row, line.cells)
        _style(sheet, row, line, len(sheet_workbook.COLUMNS))
        if line.role == "columns":
            first = row + 1
        elif line.role == "criterion":
            sheet.cell(row=row, column=score).number_format = "0.##"
            if line.editable and line.maximum is not None:
                _editable(sheet, row, [score])
                ranges.setdefault(line.maximum, []).append(f"{letter}{row}")
        elif line.role == "total" and first is not None:
            span = (f"{kind_letter}{first}:{kind_letter}{row - 1}",
                    f"{letter}{first}:{letter}{row - 1}")
            minus = sheet_workbook.CRITERION_KINDS["minus"]
            sheet.cell(row=row, column=score, value=(
                f'=MAX(0,SUMIF({span[0]},"<>{minus}",{span[1]})'
                f'-SUMIF({span[0]},"{minus}",{span[1]}))')).number_format = "0.##"
    for maximum, cells in ranges.items():
        rule = DataValidation(type="decimal", operator="between", formula1="0",
                              formula2=maximum, allow_blank=True, showErrorMessage=True,
                              errorTitle="Điểm không hợp lệ",
                              error=f"Điểm là số từ 0 đến {maximum}, tối đa hai chữ số "
                                    "thập phân.",
                              showInputMessage=True, promptTitle="Điểm chấm",
                              prompt=f"Từ 0 đến {maximum} điểm.")
        sheet.add_data_validation(rule)
        for target in cells:
            rule.add(target)
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    _guide(book, SHEET_GUIDE)
    return _save(book)


def report_workbook_xlsx(lines: list[Line]) -> bytes:
    """The field-report workbook: the blocks, figure values validated as numbers; open to
    editing (an office adds rows and lists)."""
    book = Workbook()
    sheet = book.active
    sheet.title = report_workbook.WORKSHEET
    for column, width in WIDTHS.items():
        sheet.column_dimensions[column].width = width
    figures = DataValidation(type="decimal", operator="between", formula1="-1E+18",
                             formula2="1E+18", allow_blank=True, showErrorMessage=True,
                             errorTitle="Số liệu không hợp lệ",
                             error="Giá trị là một số (tối đa bốn chữ số thập phân).")
    sheet.add_data_validation(figures)
    for row, line in enumerate(lines, start=1):
        _put(sheet, row, line.cells)
        _style(sheet, row, line, len(sheet_workbook.COLUMNS))
        if line.role == "figure":
            figures.add(f"C{row}")
            _editable(sheet, row, [2, 3])
        elif line.role == "text":
            _editable(sheet, row, [2])
    _guide(book, REPORT_GUIDE)
    return _save(book)

"""The compiled table (bảng tổng hợp kết quả đánh giá, xếp loại) as CSV and XLSX, with
Vietnamese headers. CSV is UTF-8 with a BOM (Excel); a cell that a spreadsheet would read as
a formula is neutralised; XLSX cells are typed strings or numbers, never formulas."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Collection, Iterable, Mapping
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, TYPE_STRING

from domain.evaluation.ruleset import DEFAULT_LEVELS

UNIT_LEVELS = {"central": "Đơn vị trực thuộc", "province": "BHXH tỉnh"}
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


END_STATUS = {"merged": "hợp nhất", "dissolved": "giải thể"}
MONITORS_AVERAGE = "Điểm bình quân do đơn vị trực thuộc chấm"


def _day(value: Any) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else (value or "")


def _successor(r: dict[str, Any]) -> str:
    """The unit that continues an ended one ("P01 - BHXH tỉnh A (hợp nhất)"), or how it
    ended when nothing continues it (a dissolution)."""
    if not r.get("ended_on"):
        return ""
    how = END_STATUS.get(r.get("end_status") or "", r.get("end_status") or "")
    if r.get("successor_code"):
        return f"{r['successor_code']} - {r['successor_name']} ({how})"
    return f"không có ({how})"


# What a unit sent late, as the compiled table names it ("self:P01", "summary:C1"), in words.
LATE_WHAT = {
    "self": "Phiếu tự chấm điểm",
    "central_to_province": "Phiếu chấm điểm BHXH tỉnh",
    "organisation_to_central": "Phiếu chấm điểm đơn vị",
    "province_to_central": "Phiếu chấm điểm đơn vị trực thuộc",
    "nomination": "Đề xuất",
    "field_report": "Cung cấp thông tin về",
    "summary": "Tổng hợp của Cụm",
    "province_to_district": "Phiếu chấm điểm BHXH cấp huyện",
}
ON_TIME = {True: "Gửi muộn", False: "Đúng hạn"}


def late_label(entry: str) -> str:
    """'central_to_province:P02' -> 'Phiếu chấm điểm BHXH tỉnh P02'; anything else as it is."""
    kind, _, code = entry.partition(":")
    what = LATE_WHAT.get(kind)
    if what is None or not code:
        return entry
    return what if kind == "self" else f"{what} {code}"


def _received(kind: str) -> Callable[[dict[str, Any]], Any]:
    return lambda r: (r["received"].get(kind) or {}).get("average")


def _level(key: str) -> Callable[[dict[str, Any]], Any]:
    """The name of a level, as the cycle's rule set names it."""
    return lambda r: r["_names"].get(r.get(key), r.get(key)) if r.get(key) else ""


COLUMNS: list[tuple[str, Callable[[dict[str, Any]], Any]]] = [
    ("STT", lambda r: r["_n"]),
    ("Mã đơn vị", lambda r: r["code"]),
    ("Tên đơn vị", lambda r: r["name"]),
    ("Loại đơn vị", lambda r: UNIT_LEVELS.get(r["unit_level"], r["unit_level"])),
    ("Điểm tự chấm", lambda r: r["self_score"]),
    (MONITORS_AVERAGE, _received("central_to_province")),
    ("Điểm bình quân do Vụ TCCB, Văn phòng chấm", _received("organisation_to_central")),
    ("Điểm bình quân do BHXH tỉnh chấm", _received("province_to_central")),
    ("Điểm xét xếp loại", lambda r: r["score"]),
    ("Số đề xuất tự đề xuất", lambda r: r["nominations"]["self"]),
    ("Số đề xuất của đơn vị chấm điểm", lambda r: r["nominations"]["scorer"]),
    ("Số BHXH tỉnh đề xuất", lambda r: r["nominations"]["province"]),
    ("Thông tin lĩnh vực", lambda r: len(r["field_findings"])),
    ("Tình trạng gửi", lambda r: ON_TIME[bool(r["late_count"])]),
    ("Số lần gửi muộn", lambda r: r["late_count"]),
    ("Các lần gửi muộn", lambda r: "; ".join(late_label(x) for x in r["late"])),
    ("Mức xếp loại theo điểm", _level("implied_level")),
    ("Mức xếp loại đề xuất (sau hạn mức)", _level("proposed_level")),
    ("Mức xếp loại theo Quyết định", _level("_decided")),
    ("Hoàn thành xuất sắc nhiệm vụ, có thành tích nổi trội",
     lambda r: "x" if r.get("_outstanding") else ""),
    ("Ngừng hoạt động từ ngày", lambda r: _day(r.get("ended_on"))),
    ("Đơn vị kế thừa", lambda r: _successor(r)),
]
HEADERS = [h for h, _ in COLUMNS]
# Where the monitors score their own fields, the province's score from them is the fields
# combined, not an average (domain/evaluation/fields.py): its column says so.
MONITORS_FIELDS = "Điểm do đơn vị trực thuộc chấm (tổng hợp theo lĩnh vực)"
NUMERIC = {"Điểm tự chấm", MONITORS_AVERAGE, MONITORS_FIELDS,
           "Điểm bình quân do Vụ TCCB, Văn phòng chấm", "Điểm bình quân do BHXH tỉnh chấm",
           "Điểm xét xếp loại"}


def headers(by_field: bool = False) -> list[str]:
    """The columns' headers; ``by_field``: the cycle's monitors score their own fields."""
    return [MONITORS_FIELDS if by_field and h == MONITORS_AVERAGE else h for h in HEADERS]


def rows_of(table: list[dict[str, Any]], decision: dict[str, Any] | None,
            levels: Iterable[Mapping[str, Any]] = DEFAULT_LEVELS) -> list[list[Any]]:
    """The table's cells, its levels named by ``levels`` (the cycle's rule set's)."""
    names = {lv["code"]: lv["name"] for lv in levels}
    decided = {r["code"]: r["level"] for r in (decision or {}).get("levels", [])}
    outstanding = set((decision or {}).get("outstanding", []))
    out = []
    for n, r in enumerate(table, start=1):
        row = {**r, "_n": n, "_decided": decided.get(r["code"]), "_names": names,
               "_outstanding": r["code"] in outstanding}
        out.append([get(row) for _, get in COLUMNS])
    return out


def neutralise(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(DANGEROUS):
        return "'" + value
    return value


def to_csv(rows: list[list[Any]], names: list[str] = HEADERS) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(names)
    for row in rows:
        writer.writerow(["" if v is None else neutralise(v) for v in row])
    return ("\ufeff" + text.getvalue()).encode("utf-8")


def to_xlsx(rows: list[list[Any]], title: str, names: list[str] = HEADERS,
            numeric: Collection[str] = NUMERIC) -> bytes:
    """The rows under ``names``, the columns named in ``numeric`` as numbers."""
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(names)
    for row in rows:
        cells = []
        for header, value in zip(names, row, strict=True):
            if header in numeric and value is not None:
                cells.append(Decimal(str(value)))
            elif isinstance(value, str):  # XML holds no C0 control: an old name's is U+FFFD
                cells.append(ILLEGAL_CHARACTERS_RE.sub("\ufffd", value))
            else:
                cells.append(value)
        sheet.append(cells)
    for row in sheet.iter_rows(min_row=1):
        for cell in row:
            if isinstance(cell.value, str):  # typed as text: never read as a formula
                cell.data_type = TYPE_STRING
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

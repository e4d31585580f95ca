"""The field-report workbook (cung cấp thông tin, the appendix): a central unit's reports on
every unit it may report on this year (domain/evaluation/reporting.py: the provinces, and the
central units where its appendix item covers them) on one worksheet, a block per unit, in
Vietnamese. :func:`layout` says what each row holds; :func:`read` reads an upload back by the
same labels in column A.

A block (on a central unit, its first label is "Đơn vị trực thuộc")::

    Tỉnh                 | P12 | BHXH tỉnh P12 | Phụ lục, mục 1
    Phiên bản báo cáo    | 2   | Đã gửi 1 lần
    Nhận xét, đánh giá   | (the assessment)
    Lý do gửi lại        | (needed when a report sent before is changed)
    Số liệu              | Tên chỉ tiêu | Giá trị
                         | Số nợ BHXH   | 1250000000
    Danh sách            | ky_luat
    Cột                  | ho_ten       | hinh_thuc
                         | Nguyễn Văn B | Khiển trách
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from domain.evaluation.sheet_workbook import Line
from domain.evaluation.submission_cases import FIGURE
from domain.evaluation.workbook import (
    CellError,
    Findings,
    cell,
    fold,
    number,
    plain,
    quoted,
    ref,
    words,
)

WORKSHEET = "Cung cấp thông tin"
TITLE = "CUNG CẤP THÔNG TIN PHỤC VỤ ĐÁNH GIÁ, XẾP LOẠI NĂM {year}"
YEAR = "Năm đánh giá"
REPORTER = "Đơn vị cung cấp thông tin"
TOPIC = "Nội dung (Phụ lục, mục {item})"
BEYOND = "Nội dung"
BEYOND_TOPIC = "Thông tin khác về BHXH tỉnh, ngoài Phụ lục (nếu có)"
DEADLINE = "Hạn gửi"
MADE = "Lập lúc"
PROVINCE = "Tỉnh"
CENTRAL = "Đơn vị trực thuộc"
SUBJECTS = {"province": PROVINCE, "central": CENTRAL}  # a block's first label, by level
VERSION = "Phiên bản báo cáo"
ASSESSMENT = "Nhận xét, đánh giá"
REASON = "Lý do gửi lại"
FIGURES = ("Số liệu", "Tên chỉ tiêu", "Giá trị")
LIST = "Danh sách"
COLUMNS = "Cột"
SPARE_FIGURES = 3  # empty figure rows a block offers
SPARE_ENTRIES = 2  # empty rows under each list
ENTRY_CHARS = 2000  # a list entry's value, as submission_cases.check_lists holds it


def layout(content: Mapping[str, Any]) -> list[Line]:
    """The rows of the workbook for ``content`` (FieldReportWorkbookCases.report_workbook)."""
    reporter = content["reporter"]
    topic = (Line("field", (TOPIC.format(item=content["item"]), content["topic"]))
             if content["item"] is not None else Line("field", (BEYOND, BEYOND_TOPIC)))
    lines = [Line("title", (TITLE.format(year=content["year"]),)),
             Line("field", (YEAR, content["year"])),
             Line("field", (REPORTER, reporter["code"], reporter["name"])),
             topic,
             Line("field", (DEADLINE, content["deadline_text"])),
             Line("field", (MADE, content["made_at"])),
             Line("blank")]
    for block in content["blocks"]:
        sent = (f"Đã gửi {block['submissions']} lần" if block["submissions"]
                else "Chưa gửi")
        reach = (f"Phụ lục, mục {block['item']}" if block["item"] is not None
                 else "Ngoài Phụ lục")
        lines += [Line("kind", (SUBJECTS[block["level"]], block["subject_code"],
                                block["subject_name"], reach)),
                  Line("version", (VERSION, block["version"], sent)),
                  Line("text", (ASSESSMENT, block["assessment"]), editable=True),
                  Line("text", (REASON, None), editable=True),
                  Line("columns", FIGURES)]
        names = list(block["figures"]) + [n for n in content["figure_names"]
                                          if n not in block["figures"]]
        for name in names:
            lines.append(Line("figure", (None, name, block["figures"].get(name)),
                              editable=True))
        lines += [Line("figure", (None, None, None), editable=True)] * SPARE_FIGURES
        for name, entries in [*block["lists"].items(), (None, [])]:
            keys = list(dict.fromkeys(k for e in entries for k in e))
            lines += [Line("list", (LIST, name), editable=True),
                      Line("columns", (COLUMNS, *keys), editable=True)]
            lines += [Line("entry", (None, *[e.get(k) for k in keys]), editable=True)
                      for e in entries]
            lines += [Line("entry", (None,), editable=True)] * SPARE_ENTRIES
        lines.append(Line("blank"))
    return lines


@dataclass
class ListRead:
    name: str
    name_ref: str
    columns: list[str] = field(default_factory=list)
    entries: list[dict[str, str]] = field(default_factory=list)


@dataclass
class Block:
    """A block as read back: the unit it is on (its code's cell), and what it says."""

    subject: Any
    subject_ref: str
    version: Any = None
    version_ref: str = ""
    assessment: str = ""
    assessment_ref: str = ""
    reason: str = ""
    reason_ref: str = ""
    figures: dict[str, str] = field(default_factory=dict)
    lists: list[ListRead] = field(default_factory=list)
    section: str = ""

    @property
    def label(self) -> str:
        return str(self.subject or "?")


@dataclass
class Upload:
    year: Any = None
    year_ref: str = "B2"
    reporter: Any = None
    reporter_ref: str = "B3"
    blocks: list[Block] = field(default_factory=list)


def read(rows: list[list[Any]], found: Findings) -> Upload:
    """The header and the blocks of an uploaded workbook (each begins with the label of its
    unit's level); each bad cell is added to ``found`` by its reference."""
    upload = Upload()
    block: Block | None = None
    for n, values in enumerate(rows, start=1):
        label = fold(cell(rows, n, 0))
        if label == fold(YEAR):
            upload.year, upload.year_ref = cell(rows, n, 1), ref(n, 1)
        elif label == fold(REPORTER):
            upload.reporter, upload.reporter_ref = cell(rows, n, 1), ref(n, 1)
        elif label in (fold(PROVINCE), fold(CENTRAL)):
            block = Block(subject=cell(rows, n, 1), subject_ref=ref(n, 1))
            upload.blocks.append(block)
        elif block is None:
            continue
        elif label == fold(VERSION):
            block.version, block.version_ref = cell(rows, n, 1), ref(n, 1)
        elif label in (fold(ASSESSMENT), fold(REASON)):
            try:
                said = words(cell(rows, n, 1), multiline=True)
            except CellError as e:
                found.add(ref(n, 1), f"{block.label}: {e.why}", e.rule)
                continue
            if label == fold(ASSESSMENT):
                block.assessment, block.assessment_ref = said, ref(n, 1)
            else:
                block.reason, block.reason_ref = said, ref(n, 1)
        elif label == fold(FIGURES[0]):
            block.section = "figures"
        elif label == fold(LIST):
            _new_list(rows, n, block, found)
        elif label == fold(COLUMNS) and block.lists:
            _columns(rows, n, block, found)
        elif label:
            block.section = ""  # a row of our own labels (or an office's note): no data
        elif values and block.section == "figures":
            _figure(rows, n, block, found)
        elif values and block.section == "entries":
            _entry(rows, n, block, found)
    return upload


def _text(rows: list[list[Any]], n: int, column: int, block: Block,
          found: Findings) -> str | None:
    try:
        return words(cell(rows, n, column))
    except CellError as e:
        found.add(ref(n, column), f"{block.label}: {e.why}", e.rule)
        return None


def _figure(rows: list[list[Any]], n: int, block: Block, found: Findings) -> None:
    name, raw = _text(rows, n, 1, block, found), cell(rows, n, 2)
    try:
        value = number(raw)
    except CellError as e:
        found.add(ref(n, 2), f"{block.label}, {name or '?'}: {e.why}", e.rule)
        return
    if name is None:
        return
    if not name:
        if value is not None:
            found.add(ref(n, 2), f"{block.label}: a figure without a name ({plain(value)}); "
                                 "name it in column B", "workbook_layout")
        return
    if value is None:
        return  # a figure offered but not given
    text = plain(value)
    if len(name) > 100 or not FIGURE.fullmatch(text):
        found.add(ref(n, 2) if len(name) <= 100 else ref(n, 1),
                  f"{block.label}, {quoted(name)}: a figure is a number of at most 18 digits "
                  "and four decimals, named in at most 100 characters", "figure_format")
    elif name in block.figures:
        found.add(ref(n, 1), f"{block.label}: the figure {quoted(name)} is given twice",
                  "workbook_layout")
    else:
        block.figures[name] = text


def _new_list(rows: list[list[Any]], n: int, block: Block, found: Findings) -> None:
    name = _text(rows, n, 1, block, found)
    block.section = ""
    if name is not None:
        block.lists.append(ListRead(name=name, name_ref=ref(n, 1)))


def _columns(rows: list[list[Any]], n: int, block: Block, found: Findings) -> None:
    listed = block.lists[-1]
    names = [_text(rows, n, c, block, found) or "" for c in range(1, len(rows[n - 1]))]
    while names and not names[-1]:
        names.pop()
    listed.columns = names
    block.section = "entries"
    for c, name in enumerate(names, start=1):
        if not name:
            found.add(ref(n, c), f"{block.label}, {listed.name or 'a list'}: a column without "
                                 "a name", "workbook_layout")
        elif names.index(name) != c - 1:
            found.add(ref(n, c), f"{block.label}, {listed.name}: the column {quoted(name)} "
                                 "is named twice", "workbook_layout")


def _entry(rows: list[list[Any]], n: int, block: Block, found: Findings) -> None:
    listed = block.lists[-1]
    entry: dict[str, str] = {}
    for c in range(1, len(rows[n - 1])):
        value = _text(rows, n, c, block, found)
        if not value:
            continue
        if len(value) > ENTRY_CHARS:
            found.add(ref(n, c), f"{block.label}, {listed.name or 'a list'}: an entry's value "
                                 f"is at most {ENTRY_CHARS:,} characters", "entry_format")
            continue
        if c > len(listed.columns):
            found.add(ref(n, c), f"{block.label}, {listed.name or 'a list'}: a value in a "
                                 "column that has no name in the 'Cột' row", "workbook_layout")
            continue
        entry[listed.columns[c - 1]] = value
    if entry:
        listed.entries.append(entry)


def version_of(block: Block, found: Findings) -> int | None:
    """The report's version the workbook was made at (None: none yet)."""
    try:
        value = number(block.version)
    except CellError as e:
        found.add(block.version_ref, f"{block.label}: {e.why}", e.rule)
        return None
    if value is None:
        return None
    if value != value.to_integral_value() or value < 1:
        found.add(block.version_ref, f"{block.label}: the version is a whole number",
                  "workbook_layout")
        return None
    return int(value)

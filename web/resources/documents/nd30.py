"""What every document of the year shares, in the administrative format of Nghị định
30/2020/NĐ-CP: an A4 page with the decree's margins in Times New Roman, the letterhead (the
issuer on the left with the number and sign; the national motto, place and date on the
right), centred titles, the signature block with its recipients, and the line stating the
log position the document was made from (also in its properties)."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
Lines = list[tuple[str, dict[str, Any]]]


def new_document(*, title: str, subject: str, position: int) -> Any:
    """An A4 document with the decree's margins and font, its properties naming what it is
    and the log position it was made from."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(14)
    doc.core_properties.title = title
    doc.core_properties.subject = subject
    doc.core_properties.comments = source(position)
    return doc


def source(position: int) -> str:
    return f"Lập từ nhật ký sự kiện đến vị trí {position}"


def para(doc: Any, text: str = "", *, bold: bool = False, italic: bool = False,
         size: float = 14, align: Any = WD_ALIGN_PARAGRAPH.JUSTIFY, underline: bool = False,
         space_after: float = 3) -> Any:
    p = doc.add_paragraph()
    p.alignment = align
    p.paragraph_format.space_after = Pt(space_after)
    run = p.add_run(text)
    run.bold, run.italic, run.underline = bold, italic, underline
    run.font.size = Pt(size)
    return p


def centred(doc: Any, text: str, **style: Any) -> Any:
    return para(doc, text, align=WD_ALIGN_PARAGRAPH.CENTER, **style)


def cell(target: Any, lines: Lines, align: Any = WD_ALIGN_PARAGRAPH.CENTER) -> None:
    """Fill a table cell with lines, each in its style (bold, italic, underline, size)."""
    target.paragraphs[0].text = ""
    first = True
    for text, style in lines:
        p = target.paragraphs[0] if first else target.add_paragraph()
        first = False
        p.alignment = align
        p.paragraph_format.space_after = Pt(0)
        run = p.add_run(text)
        run.bold = style.get("bold", False)
        run.italic = style.get("italic", False)
        run.underline = style.get("underline", False)
        run.font.size = Pt(style.get("size", 13))


def date_line(place: str, day: date | None) -> str:
    """'Hà Nội, ngày 05 tháng 02 năm 2025'; a day not known is left for the office to write."""
    if day is None:
        return f"{place}, ngày      tháng      năm"
    return f"{place}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def letterhead(doc: Any, left: Lines, place: str, day: date | None) -> None:
    """The two-column head: the issuer's lines (superior, issuer, number) on the left; the
    motto, place and date on the right."""
    top = doc.add_table(rows=1, cols=2)
    top.alignment = WD_TABLE_ALIGNMENT.CENTER
    cell(top.rows[0].cells[0], left)
    cell(top.rows[0].cells[1], [
        (MOTTO[0], {"bold": True, "size": 13}),
        (MOTTO[1], {"bold": True, "underline": True, "size": 14}), ("", {}),
        (date_line(place, day), {"italic": True, "size": 14})])


def grid(doc: Any, headers: tuple[str, ...], rows: list[list[str]]) -> Any:
    """A bordered table: a bold header row, then the rows."""
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for target, text in zip(table.rows[0].cells, headers, strict=True):
        cell(target, [(text, {"bold": True, "size": 12})])
    for values in rows:
        for target, text in zip(table.add_row().cells, values, strict=True):
            cell(target, [(text, {"size": 12})])
    return table


def signatures(doc: Any, left: Lines, right: Lines) -> None:
    """The closing row: recipients (or a second signer) on the left, the signer on the
    right."""
    sign = doc.add_table(rows=1, cols=2)
    cell(sign.rows[0].cells[0], left)
    cell(sign.rows[0].cells[1], right)


def recipients(names: tuple[str, ...]) -> Lines:
    return [("Nơi nhận:", {"bold": True, "italic": True, "size": 12})] + [
        (f"- {r}", {"size": 11}) for r in names]


def left_aligned(doc: Any) -> None:
    """The last table's first cell aligned left (the recipients)."""
    for p in doc.tables[-1].rows[0].cells[0].paragraphs:
        p.alignment = WD_ALIGN_PARAGRAPH.LEFT


def made_from(doc: Any, position: int) -> None:
    para(doc, "")
    para(doc, f"Lập từ nhật ký sự kiện của thidua đến vị trí {position}.", italic=True,
         size=10)


def saved(doc: Any) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def read_back(data: bytes) -> dict[str, Any]:
    """What a reader of the DOCX finds: its paragraphs' text, the letterhead's cells, every
    table's rows and the last table's (the attached list), and its properties (used by the
    tests, and by an office that checks a document against the record)."""
    doc = Document(io.BytesIO(data))
    tables = doc.tables
    listed = [[c.text for c in row.cells] for row in tables[-1].rows] if tables else []
    return {"paragraphs": [p.text for p in doc.paragraphs],
            "header_cells": [c.text for c in tables[0].rows[0].cells] if tables else [],
            "tables": [[[c.text for c in row.cells] for row in t.rows] for t in tables],
            "list": listed, "comments": doc.core_properties.comments,
            "title": doc.core_properties.title}

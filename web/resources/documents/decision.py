"""The General Director's decision on the year's levels, as an editable DOCX in the
administrative format of Nghị định 30/2020/NĐ-CP: the national motto, the number and sign,
place and date, the bases (the cycle's rule set names them), the articles, the recipients,
the signature block, and the attached list (Danh sách kèm theo). Generated from the views;
it states the log position it was made from, so it can be made again and checked."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Cm, Pt

MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
LIST_HEADERS = ("STT", "Mã đơn vị", "Tên đơn vị", "Điểm xét xếp loại", "Mức xếp loại",
                "Ghi chú")
OUTSTANDING_NOTE = "Hoàn thành xuất sắc nhiệm vụ, có thành tích nổi trội"


@dataclass(frozen=True)
class Letterhead:
    """Who issues the decision (data, not code: the superior agency changed on 1 March 2025,
    when BHXH Việt Nam passed under the Ministry of Finance)."""

    superior: str | None  # cơ quan chủ quản, the line above the issuer; None for none
    issuer: str
    signer_title: str
    place: str
    recipients: tuple[str, ...]


# the superior agency of BHXH Việt Nam from a date (Quyết định 391/QĐ-BTC: from 1 March 2025
# under the Ministry of Finance); before the first date, none
SUPERIORS: tuple[tuple[date, str], ...] = ((date(2025, 3, 1), "BỘ TÀI CHÍNH"),)


def letterhead_for(signed_on: date, *, superior: str | None = None,
                   place: str | None = None) -> Letterhead:
    """The letterhead on the decision's date. ``superior``: None for the one of that date,
    "-" for none, or the agency's name; ``place``: the date line's place (Hà Nội)."""
    if superior is None:
        found = [name for since, name in SUPERIORS if signed_on >= since]
        superior = found[-1] if found else None
    elif superior.strip() in ("", "-"):
        superior = None
    return Letterhead(superior=superior, issuer="BẢO HIỂM XÃ HỘI VIỆT NAM",
                      signer_title="TỔNG GIÁM ĐỐC", place=place or "Hà Nội",
                      recipients=("Như Điều 3;", "Tổng Giám đốc (để báo cáo);",
                                  "Lưu: VT, TĐKT."))


def _para(doc: Any, text: str = "", *, bold: bool = False, italic: bool = False,
          size: float = 14, align: Any = WD_ALIGN_PARAGRAPH.JUSTIFY, underline: bool = False,
          space_after: float = 3) -> Any:
    p = doc.add_paragraph()
    p.alignment = align
    p.paragraph_format.space_after = Pt(space_after)
    run = p.add_run(text)
    run.bold, run.italic, run.underline = bold, italic, underline
    run.font.size = Pt(size)
    return p


def _cell(cell: Any, lines: list[tuple[str, dict[str, Any]]]) -> None:
    cell.paragraphs[0].text = ""
    first = True
    for text, style in lines:
        p = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_after = Pt(0)
        run = p.add_run(text)
        run.bold = style.get("bold", False)
        run.italic = style.get("italic", False)
        run.underline = style.get("underline", False)
        run.font.size = Pt(style.get("size", 13))


def render(*, year: int, decision: dict[str, Any], rows: list[dict[str, Any]],
           level_names: dict[str, str], legal_basis: list[dict[str, str]], position: int,
           head: Letterhead) -> bytes:
    """The decision and its attached list, as DOCX bytes."""
    signed = date.fromisoformat(decision["signed_on"])
    by_code = {r["code"]: r for r in rows}
    decided = {d["code"]: d["level"] for d in decision["levels"]}
    outstanding = [c for c in decision["outstanding"] if c in by_code]
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)  # A4, the decree's margins
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(14)
    doc.core_properties.title = f"Quyết định {decision['number']}"
    doc.core_properties.subject = f"Kết quả đánh giá, xếp loại năm {year}"
    doc.core_properties.comments = f"Lập từ nhật ký sự kiện đến vị trí {position}"

    top = doc.add_table(rows=1, cols=2)
    top.alignment = WD_TABLE_ALIGNMENT.CENTER
    left: list[tuple[str, dict[str, Any]]] = []
    if head.superior:
        left.append((head.superior, {"size": 13}))
    left += [(head.issuer, {"bold": True, "size": 13}), ("", {}),
             (f"Số: {decision['number']}", {"size": 13})]
    _cell(top.rows[0].cells[0], left)
    _cell(top.rows[0].cells[1], [
        (MOTTO[0], {"bold": True, "size": 13}), (MOTTO[1], {"bold": True, "underline": True,
                                                         "size": 14}), ("", {}),
        (f"{head.place}, ngày {signed.day:02d} tháng {signed.month:02d} năm {signed.year}",
         {"italic": True, "size": 14})])

    _para(doc, "")
    _para(doc, "QUYẾT ĐỊNH", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    _para(doc, f"Về việc công nhận kết quả đánh giá, xếp loại thi đua năm {year}", bold=True,
          align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, "")
    _para(doc, f"{head.signer_title} {head.issuer}", bold=True,
          align=WD_ALIGN_PARAGRAPH.CENTER)
    for doc_ in legal_basis:
        d = date.fromisoformat(doc_["date"])
        _para(doc, f"Căn cứ {doc_['number']} ngày {d.day:02d}/{d.month:02d}/{d.year} "
                   f"{doc_['title']};", italic=True)
    _para(doc, f"Căn cứ kết quả chấm điểm, đánh giá, xếp loại năm {year} của các đơn vị;",
          italic=True)
    _para(doc, "Theo đề nghị của Hội đồng Thi đua - Khen thưởng.", italic=True)
    _para(doc, "QUYẾT ĐỊNH:", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)

    counts: dict[str, int] = {}
    for code in by_code:
        counts[decided.get(code, "")] = counts.get(decided.get(code, ""), 0) + 1
    summary = "; ".join(f"{level_names.get(k, k)}: {n} đơn vị" for k, n in counts.items() if k)
    _para(doc, f"Điều 1. Công nhận kết quả đánh giá, xếp loại năm {year} đối với "
               f"{len(by_code)} đơn vị ({summary}), theo Danh sách kèm theo Quyết định này.")
    if outstanding:
        names = ", ".join(by_code[c]["name"] for c in outstanding)
        _para(doc, f"Điều 2. Công nhận {len(outstanding)} đơn vị {OUTSTANDING_NOTE} năm "
                   f"{year}: {names}.")
    else:
        _para(doc, f"Điều 2. Năm {year} không có đơn vị được công nhận {OUTSTANDING_NOTE}.")
    article = 3
    for name, units in _titles(decision, by_code).items():  # awarded on the judgings' proposals
        _para(doc, f"Điều {article}. Tặng {name} năm {year} cho {len(units)} đơn vị dẫn đầu "
                   f"phong trào thi đua của Khối, Cụm: {', '.join(units)}.")
        article += 1
    _para(doc, f"Điều {article}. Quyết định này có hiệu lực kể từ ngày ký. Thủ trưởng các đơn "
               "vị có tên tại Điều 1 và các đơn vị liên quan chịu trách nhiệm thi hành Quyết "
               "định này.")
    if decision.get("reason"):
        _para(doc, f"Ghi chú: {decision['reason']}", italic=True, size=12)

    sign = doc.add_table(rows=1, cols=2)
    _cell(sign.rows[0].cells[0], [("Nơi nhận:", {"bold": True, "italic": True, "size": 12})]
          + [(f"- {r}", {"size": 11}) for r in head.recipients])
    sign.rows[0].cells[0].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.LEFT
    for p in sign.rows[0].cells[0].paragraphs[1:]:
        p.alignment = WD_ALIGN_PARAGRAPH.LEFT
    _cell(sign.rows[0].cells[1], [(head.signer_title, {"bold": True, "size": 14}), ("", {}),
                                  ("", {}), (decision["signer"], {"bold": True, "size": 14})])

    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _para(doc, "DANH SÁCH KÈM THEO", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER,
          space_after=0)
    _para(doc, f"(Kèm theo Quyết định số {decision['number']} ngày "
               f"{signed.day:02d}/{signed.month:02d}/{signed.year})", italic=True,
          align=WD_ALIGN_PARAGRAPH.CENTER)
    table = doc.add_table(rows=1, cols=len(LIST_HEADERS))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, LIST_HEADERS, strict=True):
        _cell(cell, [(text, {"bold": True, "size": 12})])
    for n, code in enumerate(sorted(by_code), start=1):
        r = by_code[code]
        cells = table.add_row().cells
        values = [str(n), code, r["name"], "" if r.get("score") is None else str(r["score"]),
                  level_names.get(decided.get(code, ""), decided.get(code, "")),
                  OUTSTANDING_NOTE if code in outstanding else ""]
        for cell, text in zip(cells, values, strict=True):
            _cell(cell, [(text, {"size": 12})])
    _para(doc, "")
    _para(doc, f"Lập từ nhật ký sự kiện của thidua đến vị trí {position}.", italic=True,
          size=10)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _titles(decision: dict[str, Any], by_code: dict[str, dict[str, Any]]
            ) -> dict[str, list[str]]:
    """The titles the decision awarded (none before decisions named them), by title: each
    unit's name and its group's code."""
    out: dict[str, list[str]] = {}
    for t in decision.get("titles") or ():
        name = by_code.get(t["code"], {}).get("name", t["code"])
        out.setdefault(t.get("title_name") or t["title"], []).append(
            f"{name} ({t['group_code']})")
    return out


def read_back(data: bytes) -> dict[str, Any]:
    """What a reader of the DOCX finds: its paragraphs' text and the attached list's rows
    (used by the tests, and by an office that checks a document against the record)."""
    doc = Document(io.BytesIO(data))
    tables = doc.tables
    listed = [[c.text for c in row.cells] for row in tables[-1].rows] if tables else []
    return {"paragraphs": [p.text for p in doc.paragraphs],
            "header_cells": [c.text for c in tables[0].rows[0].cells] if tables else [],
            "list": listed, "comments": doc.core_properties.comments}

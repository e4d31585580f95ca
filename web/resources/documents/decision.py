"""The General Director's decision on the year's levels, as an editable DOCX in the
administrative format of Nghị định 30/2020/NĐ-CP: the national motto, the number and sign,
place and date, the bases (the cycle's rule set names them), the articles, the recipients,
the signature block, and the attached list (Danh sách kèm theo). :func:`compose` writes any
decision on a year's levels in that form (a province's on its district offices:
district_decision.py). Generated from the views; it states the log position it was made
from, so it can be made again and checked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK

from domain.kernel.legal import basis_line
from web.resources.documents.nd30 import (
    grid,
    left_aligned,
    letterhead,
    made_from,
    new_document,
    recipients,
    saved,
    signatures,
)
from web.resources.documents.nd30 import para as _para
from web.resources.documents.nd30 import read_back as read_back

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


@dataclass(frozen=True)
class Words:
    """What a decision on a year's levels says that depends on who issues it: the sector's
    General Director, or a province's director on its district offices."""

    subject: str  # the line under QUYẾT ĐỊNH
    results: str  # the basis of the year's results
    proposer: str  # on whose proposal
    groups: str  # whose emulation the units awarded a title lead
    closing: str  # who carries the decision out
    list_headers: tuple[str, ...]


def render(*, year: int, decision: dict[str, Any], rows: list[dict[str, Any]],
           level_names: dict[str, str], legal_basis: list[dict[str, str]], position: int,
           head: Letterhead) -> bytes:
    """The General Director's decision and its attached list, as DOCX bytes."""
    words = Words(
        subject=f"Về việc công nhận kết quả đánh giá, xếp loại thi đua năm {year}",
        results=f"Căn cứ kết quả chấm điểm, đánh giá, xếp loại năm {year} của các đơn vị;",
        proposer="Theo đề nghị của Hội đồng Thi đua - Khen thưởng.", groups="Khối, Cụm",
        closing="Thủ trưởng các đơn vị có tên tại Điều 1 và các đơn vị liên quan chịu trách "
                "nhiệm thi hành Quyết định này.", list_headers=LIST_HEADERS)
    by_code = {r["code"]: r for r in rows}
    decided = {d["code"]: d["level"] for d in decision["levels"]}
    outstanding = set(decision["outstanding"])
    listed = [[str(n), code, by_code[code]["name"],
               "" if by_code[code].get("score") is None else str(by_code[code]["score"]),
               level_names.get(decided.get(code, ""), decided.get(code, "")),
               OUTSTANDING_NOTE if code in outstanding else ""]
              for n, code in enumerate(sorted(by_code), start=1)]
    return compose(year=year, decision=decision, rows=rows, level_names=level_names,
                   legal_basis=legal_basis, position=position, head=head, words=words,
                   listed=listed)


def compose(*, year: int, decision: dict[str, Any], rows: list[dict[str, Any]],
            level_names: dict[str, str], legal_basis: list[dict[str, str]], position: int,
            head: Letterhead, words: Words, listed: list[list[str]]) -> bytes:
    """A decision on the year's levels and its attached list (``listed``, under
    ``words.list_headers``), as DOCX bytes."""
    signed = date.fromisoformat(decision["signed_on"])
    by_code = {r["code"]: r for r in rows}
    decided = {d["code"]: d["level"] for d in decision["levels"]}
    outstanding = [c for c in decision["outstanding"] if c in by_code]
    doc = new_document(title=f"Quyết định {decision['number']}",
                       subject=f"Kết quả đánh giá, xếp loại năm {year}", position=position)
    left: list[tuple[str, dict[str, Any]]] = []
    if head.superior:
        left.append((head.superior, {"size": 13}))
    left += [(head.issuer, {"bold": True, "size": 13}), ("", {}),
             (f"Số: {decision['number']}", {"size": 13})]
    letterhead(doc, left, head.place, signed)

    _para(doc, "")
    _para(doc, "QUYẾT ĐỊNH", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    _para(doc, words.subject, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, "")
    _para(doc, f"{head.signer_title} {head.issuer}", bold=True,
          align=WD_ALIGN_PARAGRAPH.CENTER)
    for doc_ in legal_basis:  # number, date, issuer (when named) and title
        _para(doc, f"{basis_line(doc_)};", italic=True)
    _para(doc, words.results, italic=True)
    _para(doc, words.proposer, italic=True)
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
    for name, units in titles_awarded(decision, by_code).items():  # on judging proposals
        _para(doc, f"Điều {article}. Tặng {name} năm {year} cho {len(units)} đơn vị dẫn đầu "
                   f"phong trào thi đua của {words.groups}: {', '.join(units)}.")
        article += 1
    _para(doc, f"Điều {article}. Quyết định này có hiệu lực kể từ ngày ký. {words.closing}")
    if decision.get("reason"):
        _para(doc, f"Ghi chú: {decision['reason']}", italic=True, size=12)

    # a recipient "Như Điều {last}" names the closing article, whatever its number
    signatures(doc, recipients(tuple(r.replace("{last}", str(article))
                                     for r in head.recipients)),
               [(head.signer_title, {"bold": True, "size": 14}), ("", {}), ("", {}),
                (decision["signer"], {"bold": True, "size": 14})])
    left_aligned(doc)

    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _para(doc, "DANH SÁCH KÈM THEO", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER,
          space_after=0)
    _para(doc, f"(Kèm theo Quyết định số {decision['number']} ngày "
               f"{signed.day:02d}/{signed.month:02d}/{signed.year})", italic=True,
          align=WD_ALIGN_PARAGRAPH.CENTER)
    grid(doc, words.list_headers, listed)
    made_from(doc, position)
    return saved(doc)


def titles_awarded(decision: dict[str, Any], by_code: dict[str, dict[str, Any]]
                   ) -> dict[str, list[str]]:
    """The titles the decision awarded (none before decisions named them), by title: each
    unit's name and its group's code."""
    out: dict[str, list[str]] = {}
    for t in decision.get("titles") or ():
        name = by_code.get(t["code"], {}).get("name", t["code"])
        out.setdefault(t.get("title_name") or t["title"], []).append(
            f"{name} ({t['group_code']})")
    return out

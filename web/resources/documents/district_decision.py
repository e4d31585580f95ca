"""A province's decision on its district offices' levels (Quyết định công nhận kết quả đánh
giá, xếp loại BHXH cấp huyện), as the General Director's is written (decision.py
:func:`compose`, Nghị định 30/2020/NĐ-CP): under the province's letterhead, signed by its
director, with its district rule set's bases, the titles awarded on its district clusters'
proposals, and the attached list in the compiled table's order (by comparable group)."""

from __future__ import annotations

from datetime import date
from typing import Any

from web.resources.documents.decision import (
    OUTSTANDING_NOTE,
    Letterhead,
    Words,
    compose,
)

LIST_HEADERS = ("STT", "Mã đơn vị", "Tên đơn vị", "Nhóm tương đồng", "Điểm xét xếp loại",
                "Mức xếp loại", "Ghi chú")
# What the district offices are called on a decision's date: BHXH cấp huyện, then BHXH cơ sở
# (the 2025 reorganisation renamed them by 30 September 2025: domain.md §7). Data, not code.
OFFICE_NAMES: tuple[tuple[date, str], ...] = ((date(2025, 9, 30), "BHXH cơ sở"),)
OFFICE_NAME_BEFORE = "BHXH cấp huyện"
SUPERIOR = "BẢO HIỂM XÃ HỘI VIỆT NAM"
PREFIXES = ("tỉnh ", "thành phố ")


def offices_named(signed_on: date) -> str:
    found = [name for since, name in OFFICE_NAMES if signed_on >= since]
    return found[-1] if found else OFFICE_NAME_BEFORE


def issuer_of(province_name: str) -> str:
    """'BHXH tỉnh Nghệ An' -> 'BẢO HIỂM XÃ HỘI TỈNH NGHỆ AN' (the decree writes the issuer
    in full, in capitals)."""
    name = province_name.strip()
    if name.startswith("BHXH "):
        name = "Bảo hiểm xã hội " + name[len("BHXH "):]
    return name.upper()


def place_of(province_name: str) -> str:
    """The date line's place: the province's name without 'BHXH tỉnh' ('Nghệ An')."""
    name = province_name.strip().removeprefix("BHXH").strip()
    for prefix in PREFIXES:
        if name.lower().startswith(prefix):
            return name[len(prefix):].strip() or name
    return name


def letterhead_for(province_name: str, *, superior: str | None = None,
                   place: str | None = None) -> Letterhead:
    """The province's letterhead: BHXH Việt Nam above it (``superior``: another name, or
    "-" for none), the province as issuer, its director signing; ``place``: the date
    line's (default: the province's own name)."""
    if superior is None:
        above: str | None = SUPERIOR
    elif superior.strip() in ("", "-"):
        above = None
    else:
        above = superior
    return Letterhead(superior=above, issuer=issuer_of(province_name), signer_title="GIÁM ĐỐC",
                      place=place or place_of(province_name),
                      recipients=("Như Điều {last};", "BHXH Việt Nam (để báo cáo);",
                                  "Lưu: VT, TĐKT."))


def render(*, year: int, province_name: str, decision: dict[str, Any],
           rows: list[dict[str, Any]], level_names: dict[str, str],
           group_names: dict[str, str], legal_basis: list[dict[str, str]], position: int,
           head: Letterhead) -> bytes:
    """The province's decision and its attached list, as DOCX bytes."""
    offices = offices_named(date.fromisoformat(decision["signed_on"]))
    words = Words(
        subject=f"Về việc công nhận kết quả đánh giá, xếp loại {offices} năm {year}",
        results=f"Căn cứ kết quả chấm điểm, đánh giá, xếp loại năm {year} của các {offices} "
                f"và của {province_name};",
        proposer="Theo đề nghị của Hội đồng Thi đua - Khen thưởng.", groups="Cụm thi đua",
        closing=f"Trưởng các phòng nghiệp vụ, Giám đốc các {offices} có tên tại Điều 1 và các "
                "đơn vị liên quan chịu trách nhiệm thi hành Quyết định này.",
        list_headers=LIST_HEADERS)
    decided = {d["code"]: d["level"] for d in decision["levels"]}
    outstanding = set(decision["outstanding"])
    awarded: dict[str, list[str]] = {}
    for t in decision.get("titles") or ():
        awarded.setdefault(t["code"], []).append(t.get("title_name") or t["title"])
    listed = []
    for n, r in enumerate(rows, start=1):
        group = r["comparable_group"]
        notes = ([OUTSTANDING_NOTE] if r["code"] in outstanding else []) + \
            awarded.get(r["code"], [])
        listed.append([str(n), r["code"], r["name"],
                       "" if group == "district" else group_names.get(group, group),
                       "" if r.get("score") is None else str(r["score"]),
                       level_names.get(decided.get(r["code"], ""), decided.get(r["code"], "")),
                       "; ".join(notes)])
    return compose(year=year, decision=decision, rows=rows, level_names=level_names,
                   legal_basis=legal_basis, position=position, head=head, words=words,
                   listed=listed)

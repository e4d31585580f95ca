"""A province's compiled table of its district offices (bảng tổng hợp kết quả đánh giá, xếp
loại BHXH cấp huyện) as CSV and XLSX, as the sector's table is exported
(web/resources/evaluation/export.py): Vietnamese headers, levels as the cycle's rule set
names them, lateness and bases in words, the titles the decision awarded by name; CSV in
UTF-8 with a BOM and formula-like cells neutralised, XLSX cells typed, never formulas."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from web.resources.evaluation.export import ON_TIME, late_label

# What an office's score rests on (the table's score_basis), in words.
BASIS = {"province_to_district": "Phiếu chấm điểm của BHXH tỉnh",
         "self": "Phiếu tự chấm điểm (BHXH tỉnh chưa gửi phiếu)"}
NO_GROUP = "Không phân nhóm"  # a cycle that declares no comparable group
Row = dict[str, Any]


def _level(key: str) -> Callable[[Row], Any]:
    return lambda r: r["_names"].get(r.get(key), r.get(key)) if r.get(key) else ""


def _province_score(r: Row) -> Any:
    return (r["received"].get("province_to_district") or {}).get("average")


COLUMNS: list[tuple[str, Callable[[Row], Any]]] = [
    ("STT", lambda r: r["_n"]),
    ("Mã đơn vị", lambda r: r["code"]),
    ("Tên đơn vị", lambda r: r["name"]),
    ("Nhóm tương đồng", lambda r: r["_group"]),
    ("Cụm thi đua", lambda r: r.get("cluster_code") or ""),
    ("Điểm tự chấm", lambda r: r["self_score"]),
    ("Điểm BHXH tỉnh chấm", _province_score),
    ("Điểm xét xếp loại", lambda r: r["score"]),
    ("Căn cứ điểm xét", lambda r: "; ".join(BASIS.get(b, b) for b in r["score_basis"])),
    ("Số đề xuất tự đề xuất", lambda r: r["nominations"]["self"]),
    ("Số đề xuất của BHXH tỉnh", lambda r: r["nominations"]["province"]),
    ("Số đề xuất của đơn vị cùng Cụm", lambda r: r["nominations"]["peer"]),
    ("Nhiệm vụ đột xuất được giao", lambda r: "; ".join(r["tasks"])),
    ("Tình trạng gửi", lambda r: ON_TIME[bool(r["late_count"])]),
    ("Số lần gửi muộn", lambda r: r["late_count"]),
    ("Các lần gửi muộn", lambda r: "; ".join(late_label(x) for x in r["late"])),
    ("Mức xếp loại theo điểm", _level("implied_level")),
    ("Mức xếp loại đề xuất (sau hạn mức)", _level("proposed_level")),
    ("Mức xếp loại theo Quyết định", _level("_decided")),
    ("Hoàn thành xuất sắc nhiệm vụ, có thành tích nổi trội",
     lambda r: "x" if r["_outstanding"] else ""),
    ("Danh hiệu thi đua được tặng", lambda r: "; ".join(r["_titles"])),
]
HEADERS = [h for h, _ in COLUMNS]
NUMERIC = {"Điểm tự chấm", "Điểm BHXH tỉnh chấm", "Điểm xét xếp loại"}


def rows_of(table: list[Row], decision: Mapping[str, Any] | None,
            levels: Iterable[Mapping[str, Any]], groups: Mapping[str, str]) -> list[list[Any]]:
    """The table's cells: levels named by ``levels`` (the cycle's rule set's), comparable
    groups by ``groups`` (code -> name), what the decision made of each office."""
    names = {lv["code"]: lv["name"] for lv in levels}
    decided = {r["code"]: r["level"] for r in (decision or {}).get("levels", [])}
    outstanding = set((decision or {}).get("outstanding", []))
    titles: dict[str, list[str]] = {}
    for t in (decision or {}).get("titles") or ():
        titles.setdefault(t["code"], []).append(t.get("title_name") or t["title"])
    out = []
    for n, r in enumerate(table, start=1):
        group = r["comparable_group"]
        row = {**r, "_n": n, "_names": names, "_decided": decided.get(r["code"]),
               "_outstanding": r["code"] in outstanding, "_titles": titles.get(r["code"], []),
               "_group": NO_GROUP if group == "district" else
               f"{group} - {groups[group]}" if group in groups else group}
        out.append([get(row) for _, get in COLUMNS])
    return out

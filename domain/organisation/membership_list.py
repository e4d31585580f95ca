"""Reading a membership list (Danh sách ban hành kèm theo) from CSV or XLSX.

One row per member: the group's kind, code and name, the member unit's code, and for a
district cluster the province's code. Headers may be English or Vietnamese.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any

from domain.kernel import text
from domain.kernel.errors import InvalidInput
from domain.kernel.tabular import Limits, read_table

# A header and up to 20,000 members (a national list has about 800), of 5 columns.
LIMITS = Limits(rows=20_001, columns=50, cell_chars=1_000)

HEADERS = {
    "kind": ("kind", "loai", "loai nhom"),
    "group_code": ("group_code", "ma nhom", "ma khoi, cum", "ma khoi cum"),
    "group_name": ("group_name", "ten nhom", "ten khoi, cum", "ten khoi cum"),
    "unit_code": ("unit_code", "ma don vi"),
    "province_code": ("province_code", "ma tinh"),
}
KIND_WORDS = {
    "block": "block", "khoi": "block", "khoi thi dua": "block",
    "provincial_cluster": "provincial_cluster", "cum": "provincial_cluster",
    "cum thi dua": "provincial_cluster",
    "district_cluster": "district_cluster", "cum cap huyen": "district_cluster",
    "cum thi dua cap huyen": "district_cluster",
}


def _fold(text: str) -> str:
    """Lower-case, without Vietnamese diacritics, so 'Mã đơn vị' matches 'ma don vi'."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text.strip().lower())
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


@dataclass(frozen=True)
class MembershipRow:
    row: int
    kind: str
    group_code: str
    group_name: str
    unit_code: str
    province_code: str | None


def parse_membership_list(content: bytes | IO[bytes], filename: str) -> list[MembershipRow]:
    """Read the list within :data:`LIMITS`, check every row; raise one error naming every
    bad row."""
    rows = read_table(content, filename, LIMITS)
    rows = [r for r in rows if any(c not in (None, "") for c in r)]
    if not rows:
        raise InvalidInput("The list is empty.", field="file", rule="list_not_empty")
    header = [_fold(str(c or "")) for c in rows[0]]
    columns: dict[str, int] = {}
    for key, aliases in HEADERS.items():
        for i, h in enumerate(header):
            if h in aliases:
                columns[key] = i
    missing = [k for k in ("kind", "group_code", "group_name", "unit_code") if k not in columns]
    if missing:
        raise InvalidInput(f"Missing column(s): {', '.join(missing)}.", field="file",
                           rule="list_columns")
    result: list[MembershipRow] = []
    errors: dict[str, list[str]] = {}
    bad_text = False

    for number, r in enumerate(rows[1:], start=2):
        cells, problems = _cells(r, columns)
        if problems:  # a text the record cannot keep: say which, and nothing more of it
            errors[f"row {number}"] = problems
            bad_text = True
            continue
        kind = KIND_WORDS.get(_fold(cells["kind"]))
        if kind is None:
            problems.append(f"kind '{cells['kind']}' is not block, provincial_cluster or "
                            "district_cluster")
        for key in ("group_code", "group_name", "unit_code"):
            if not cells[key]:
                problems.append(f"{key} is empty")
        province = cells["province_code"] or None
        if kind == "district_cluster" and not province:
            problems.append("a district cluster row needs province_code")
        if problems:
            errors[f"row {number}"] = problems
            continue
        assert kind is not None
        result.append(MembershipRow(number, kind, cells["group_code"].upper(),
                                    cells["group_name"], cells["unit_code"].upper(),
                                    province.upper() if province else None))
    if errors:
        raise InvalidInput(f"{len(errors)} row(s) of the list are wrong; nothing was applied.",
                           errors=errors, rule=text.RULE if bad_text else "list_rows")
    return result


def _cells(r: list[Any], columns: dict[str, int]) -> tuple[dict[str, str], list[str]]:
    """A row's cells by column, as NFC text without surrounding spaces; and, for every cell
    holding a character no single-line text keeps (domain.kernel.text), what is wrong with it."""
    cells, problems = {}, []
    for key in HEADERS:
        i = columns.get(key)
        value = r[i] if i is not None and i < len(r) else None
        value = "" if value is None else text.normalise(str(value))
        why = text.problem(value)
        if why is not None:
            problems.append(f"{key}: {why}")
        cells[key] = value.strip()
    return cells, problems


def list_fingerprint(number: str, document_date: str, day: str,
                     entries: Iterable[tuple[str, str, str, str]]) -> str:
    """What makes two membership lists the same list: the document (number, date), the day
    it takes effect and its memberships, each ``(group id, kind, group name, unit id)``
    (a group under the first name given), in no particular order."""
    groups: dict[str, list[Any]] = {}
    for gid, kind, name, member in entries:
        groups.setdefault(gid, [kind, name, set()])[2].add(member)
    canonical = [number, document_date, day,
                 sorted([gid, kind, name, sorted(members)]
                        for gid, (kind, name, members) in groups.items())]
    return hashlib.sha256(json.dumps(canonical, ensure_ascii=False).encode()).hexdigest()

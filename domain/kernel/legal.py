"""Legal documents (văn bản) a rule set rests on: number, date, issuer and title, checked;
and the documents the two letters cite, as they cite them (docs/decisions.md, "A rule set
names its legal basis")."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from domain.kernel.dates import parse_date
from domain.kernel.errors import InvalidInput
from domain.kernel.text import clean

# A document number as Vietnamese documents write it: "1779/QĐ-BHXH", "34-CT/TW",
# "1640/HD-BTĐKT", "98/2023/NĐ-CP" (the whole number: fullmatch).
NUMBER = re.compile(r"[0-9]{1,6}(/[0-9]{4})?[-/]\w+([-/.]\w+)*")
_AROUND = re.compile(r"\s*([-/])\s*")
_ABBREVIATION = re.compile(r"[0-9]{1,6}(?:/[0-9]{4})?[-/](\w+)")
# The kind of a document, from the abbreviation after its number.
KINDS = {"QĐ": "Quyết định", "CT": "Chỉ thị", "HD": "Hướng dẫn", "NĐ": "Nghị định",
         "NQ": "Nghị quyết", "TT": "Thông tư", "KH": "Kế hoạch", "TB": "Thông báo"}
MOST = 20

# The documents the letters cite (seeds/: letter 4268/BHXH-TĐKT of 22/12/2021 and the 2023
# evaluation letter), with the number, date and issuer they give. The 1738 decision's issuer
# is not written in the letter: a QĐ-BHXH is the General Director's decision.
CITED: dict[str, dict[str, str]] = {d["number"]: d for d in (
    {"number": "34-CT/TW", "date": "2014-04-07", "issuer": "Bộ Chính trị",
     "title": "Về tiếp tục đổi mới công tác thi đua, khen thưởng"},
    {"number": "1640/HD-BTĐKT", "date": "2016-08-17",
     "issuer": "Ban Thi đua - Khen thưởng Trung ương",
     "title": "Về tổ chức khối, cụm thi đua của các bộ, ban, ngành, Mặt trận tổ quốc, tổ chức "
              "chính trị - xã hội và đề nghị tặng “Cờ thi đua của Chính phủ”, Cờ thi đua cấp "
              "bộ, ban, ngành, đoàn thể Trung ương"},
    {"number": "1595/HD-BTĐKT", "date": "2018-07-17",
     "issuer": "Ban Thi đua - Khen thưởng Trung ương",
     "title": "Về tổ chức hoạt động và bình xét thi đua của Khối thi đua các bộ, ban, ngành, "
              "Mặt trận Tổ quốc, đoàn thể chính trị xã hội Trung ương"},
    {"number": "2418/QĐ-BHXH", "date": "2020-12-24", "issuer": "Tổng Giám đốc BHXH Việt Nam",
     "title": "Ban hành Quy chế Thi đua, khen thưởng của Bảo hiểm xã hội Việt Nam"},
    {"number": "1738/QĐ-BHXH", "date": "2020-12-15", "issuer": "Tổng Giám đốc BHXH Việt Nam",
     "title": "Ban hành Quy định về đánh giá và xếp loại chất lượng công chức, viên chức hằng "
              "năm ngành BHXH Việt Nam"},
    {"number": "1779/QĐ-BHXH", "date": "2021-12-31", "issuer": "Tổng Giám đốc BHXH Việt Nam",
     "title": "Quy định về đánh giá và xếp loại thực hiện chi tiền thưởng, chi bổ sung thu "
              "nhập đối với đơn vị, công chức, viên chức, người lao động thuộc hệ thống BHXH "
              "Việt Nam"},
    {"number": "1686/QĐ-BHXH", "date": "2023-11-24", "issuer": "Tổng Giám đốc BHXH Việt Nam",
     "title": "Sửa đổi, bổ sung một số điều của Quy định về đánh giá và xếp loại chất lượng "
              "công chức, viên chức hằng năm ngành BHXH Việt Nam ban hành kèm theo Quyết định "
              "số 1738/QĐ-BHXH ngày 15/12/2020"},
    {"number": "4268/BHXH-TĐKT", "date": "2021-12-22", "issuer": "BHXH Việt Nam",
     "title": "Hướng dẫn hoạt động Khối, Cụm thi đua trong ngành BHXH Việt Nam"},
)}


def cited(*numbers: str) -> list[dict[str, str]]:
    """The letters' documents of these numbers, as a rule set names them."""
    return [dict(CITED[n]) for n in numbers]


def kind_of(number: str) -> str | None:
    """The kind a number's abbreviation names ("1779/QĐ-BHXH": Quyết định), or None."""
    found = _ABBREVIATION.match(number)
    return KINDS.get(found.group(1)) if found else None


def _text(doc: Mapping[str, Any], key: str, field: str, limit: int,
          required: bool = True) -> str | None:
    value = doc.get(key)
    if value is None and not required:
        return None
    value = clean(value, field, multiline=False) if isinstance(value, str) else value
    if not isinstance(value, str) or not value.strip() or len(value.strip()) > limit:
        raise InvalidInput(f"A document's {key} is text of 1–{limit} characters"
                           f"{'' if required else ' (or leave it out)'}.", field=field,
                           rule="text_required")
    return value.strip()


def check_number(value: Any, field: str) -> str:
    """A document's number, spaces around '/' and '-' dropped ("1640/HD- BTĐKT" is
    "1640/HD-BTĐKT")."""
    text = _text({"number": value}, "number", field, 100)
    number = _AROUND.sub(r"\1", text or "")
    if not NUMBER.fullmatch(number):
        raise InvalidInput(f"'{value}' is not a document number: digits, then '/' or '-' and "
                           "the document's abbreviations, e.g. 1779/QĐ-BHXH, 34-CT/TW.",
                           field=field, rule="document_number")
    return number


def check_document(doc: Any, where: str) -> dict[str, str | None]:
    """One document: number, date (YYYY-MM-DD), issuer (optional: null when not named) and
    title, each checked; the number written as above."""
    if not isinstance(doc, Mapping):
        raise InvalidInput("A document is an object: number, date, issuer, title.",
                           field=where, rule="object")
    unknown = sorted(set(doc) - {"number", "date", "issuer", "title"})
    if unknown:
        raise InvalidInput(f"A document has a number, date, issuer and title; not "
                           f"{', '.join(unknown)}.", field=f"{where}.{unknown[0]}",
                           rule="known_field")
    return {"number": check_number(doc.get("number"), f"{where}.number"),
            "date": parse_date(str(doc.get("date")), f"{where}.date").isoformat(),
            "issuer": _text(doc, "issuer", f"{where}.issuer", 200, required=False),
            "title": _text(doc, "title", f"{where}.title", 1000)}


def check_legal_basis(legal: Any, field: str = "legal_basis") -> list[dict[str, str | None]]:
    """A rule set's legal basis: 1–20 documents, each named once."""
    if not isinstance(legal, list) or not 1 <= len(legal) <= MOST:
        raise InvalidInput(f"A rule set names its legal basis: 1–{MOST} documents.",
                           field=field, rule="legal_basis_required")
    out: list[dict[str, str | None]] = []
    seen: dict[str, int] = {}
    for i, doc in enumerate(legal):
        checked = check_document(doc, f"{field}[{i}]")
        key = str(checked["number"]).casefold()
        if key in seen:
            raise InvalidInput(f"{checked['number']} is named twice ({field}[{seen[key]}] "
                               f"and {field}[{i}]).", field=f"{field}[{i}].number",
                               rule="legal_basis_once")
        seen[key] = i
        out.append(checked)
    return out


def basis_line(doc: Mapping[str, Any]) -> str:
    """How a decision cites the document: "Căn cứ Quyết định số 1779/QĐ-BHXH ngày
    31/12/2021 của Tổng Giám đốc BHXH Việt Nam <title>"."""
    day = str(doc["date"])
    y, m, d = day.split("-")
    kind = kind_of(str(doc["number"]))
    named = f"{kind} số {doc['number']}" if kind else f"văn bản số {doc['number']}"
    issuer = f" của {doc['issuer']}" if doc.get("issuer") else ""
    title = str(doc["title"])
    return f"Căn cứ {named} ngày {d}/{m}/{y}{issuer} {title[:1].lower()}{title[1:]}"

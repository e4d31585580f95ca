"""A file's name in a download (RFC 6266 / RFC 5987): the Vietnamese name in ``filename*``
(UTF-8, percent-encoded) for every current browser, and an ASCII fallback in ``filename``
(diacritics removed, đ as d) for the clients that read only that."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

_UNSAFE = re.compile(r'[^A-Za-z0-9 ._,()-]+')


def ascii_name(name: str) -> str:
    """'Bảng tổng hợp đánh giá năm 2024.csv' -> 'Bang tong hop danh gia nam 2024.csv'."""
    name = name.replace("đ", "d").replace("Đ", "D")
    plain = "".join(c for c in unicodedata.normalize("NFKD", name)
                    if not unicodedata.combining(c))
    return _UNSAFE.sub("_", plain).strip() or "download"


def attachment(name: str) -> str:
    """The Content-Disposition of a download named ``name``."""
    fallback = ascii_name(name)
    if fallback == name:
        return f'attachment; filename="{name}"'
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"

"""What a group's document holds (văn bản của Khối, Cụm): its text, or a reference to its
file with the file's SHA-256, or both; checked once for every kind of document."""

from __future__ import annotations

import re
from typing import Any

from domain.kernel.errors import InvalidInput
from domain.kernel.text import clean

TEXT_MAX = 100_000
SHA256 = re.compile(r"[0-9a-fA-F]{64}")


def check_line(value: Any, field: str, limit: int) -> str:
    """One line of 1–``limit`` characters, stripped, that the record can keep."""
    value = clean(value, field, multiline=False) if isinstance(value, str) else value
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise InvalidInput(f"{field} is 1–{limit} characters and not blank.", field=field,
                           rule="text_length")
    return value.strip()


def check_file(file: Any, field: str = "file") -> dict[str, str]:
    """A file kept elsewhere (the records office, a document system): its name, where it is
    (``reference``: a URL or a record number) and the SHA-256 of its bytes, so whoever
    fetches it later can tell it is the one adopted."""
    if not isinstance(file, dict):
        raise InvalidInput("file is an object with name, reference and sha256.", field=field,
                           rule="file_object")
    unknown = sorted(set(file) - {"name", "reference", "sha256"})
    if unknown:
        raise InvalidInput(f"Unknown field(s) of a file: {', '.join(unknown)}.",
                           field=f"{field}.{unknown[0]}", rule="known_field")
    digest = file.get("sha256")
    if not isinstance(digest, str) or not SHA256.fullmatch(digest):
        raise InvalidInput("sha256 is the file's SHA-256: 64 hexadecimal digits.",
                           field=f"{field}.sha256", rule="sha256_format")
    return {"name": check_line(file.get("name"), f"{field}.name", 255),
            "reference": check_line(file.get("reference"), f"{field}.reference", 1000),
            "sha256": digest.lower()}


def check_content(text: Any, file: Any) -> tuple[str | None, dict[str, str] | None]:
    """The document's text (multi-line, up to 100,000 characters) and/or its file; at least
    one."""
    if text is None and file is None:
        raise InvalidInput("Give the document's text, or a reference to its file with the "
                           "file's SHA-256 (or both).", field="text", rule="document_content")
    if text is not None:
        text = clean(text, "text", multiline=True) if isinstance(text, str) else text
        if not isinstance(text, str) or not text.strip() or len(text) > TEXT_MAX:
            raise InvalidInput(f"text is 1–{TEXT_MAX:,} characters and not blank.",
                               field="text", rule="text_length")
    return text, check_file(file) if file is not None else None

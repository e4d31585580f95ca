"""What the evaluation's workbooks (score sheets, field reports: Excel in and out) share:
naming a cell, reading a cell as a number or as text the record can keep, and collecting
every bad cell of an upload into one refusal that names each by its reference ("F12").

A workbook is read back by the bounded reader (domain/kernel/tabular.py) with formulas
kept as their text, so a formula is refused rather than its last computed value trusted.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import Any

from domain.kernel import text
from domain.kernel.errors import Conflict, InvalidInput
from domain.kernel.tabular import Limits, MiB

# A workbook as this system writes it holds a few thousand rows; the bounds leave room for
# an office's additions and stop a hostile file early (docs/decisions.md).
WORKBOOK_LIMITS = Limits(rows=50_000, columns=60, cell_chars=10_000, file_bytes=5 * MiB,
                         expanded_bytes=8 * MiB)
XLSX_ONLY = (".xlsx",)
HANOI = timezone(timedelta(hours=7))
SHOWN = 40  # characters of a refused value quoted back in a message
NUMBER_TEXT = re.compile(r"-?[0-9]{1,20}(\.[0-9]{1,10})?")  # a number typed as text: whole


def column_letter(index: int) -> str:
    """0 -> 'A', 25 -> 'Z', 26 -> 'AA'."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def ref(row: int, column: int) -> str:
    """The reference of the cell in row ``row`` (from 1) and column ``column`` (from 0)."""
    return f"{column_letter(column)}{row}"


def cell(rows: list[list[Any]], row: int, column: int) -> Any:
    """The raw value of a cell (None when empty or beyond its row)."""
    values = rows[row - 1] if 0 < row <= len(rows) else []
    return values[column] if column < len(values) else None


def quoted(value: Any) -> str:
    """A refused value as a message may show it: short, its invisible characters escaped."""
    shown = text.shown(str(value))
    return shown if len(shown) <= SHOWN else shown[:SHOWN] + "…"


def fold(value: Any) -> str:
    """A label compared as a person reads it: NFC, case and surrounding spaces ignored."""
    return unicodedata.normalize("NFC", str(value or "")).strip().casefold()


def day_text(day: str) -> str:
    """'2025-01-10' -> '10/01/2025', as a date is written in Vietnam."""
    found = date.fromisoformat(day)
    return f"{found.day:02d}/{found.month:02d}/{found.year}"


def made_at(now: datetime) -> str:
    """When a workbook was made, in Hanoi: '20/12/2024 10:00'."""
    local = (now if now.tzinfo else now.replace(tzinfo=UTC)).astimezone(HANOI)
    return f"{local.day:02d}/{local.month:02d}/{local.year} {local.hour:02d}:{local.minute:02d}"


def empty(value: Any) -> bool:
    """Whether a cell holds nothing (none, or spaces only)."""
    return value is None or (isinstance(value, str) and not value.strip(" "))


def is_formula(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("=")


class CellError(Exception):
    """A cell's value refused: why (in words) and the rule."""

    def __init__(self, why: str, rule: str) -> None:
        super().__init__(why)
        self.why = why
        self.rule = rule


def number(value: Any) -> Decimal | None:
    """A cell read as a number: None when empty; CellError for a formula, text, a date, a
    truth value or a number that is not finite."""
    if empty(value):
        return None
    if is_formula(value):
        raise CellError(f"{quoted(value)} is a formula; type the number itself",
                        "workbook_formula")
    if isinstance(value, bool):
        raise CellError(f"{value} is a truth value, not a number", "workbook_number")
    if isinstance(value, (datetime, date, time)):
        raise CellError("a date or time is not a number", "workbook_number")
    try:
        if isinstance(value, float):
            if not math.isfinite(value):
                raise CellError(f"{value} is not a number", "workbook_number")
            return Decimal(repr(value))
        if isinstance(value, (int, Decimal)):
            return Decimal(value)
        typed = str(value).strip(" ")  # spaces only: an invisible character is refused
        if not NUMBER_TEXT.fullmatch(typed):
            raise CellError(f"'{quoted(value)}' is text, not a number", "workbook_number")
        found = Decimal(typed)
    except (InvalidOperation, ValueError):
        raise CellError(f"'{quoted(value)}' is text, not a number", "workbook_number") from None
    if not found.is_finite():
        raise CellError(f"'{quoted(value)}' is not a number", "workbook_number")
    return found


def plain(value: Decimal) -> str:
    """A number as the record writes it: no exponent, no trailing zeros ('30', '8.5')."""
    return format(value.normalize(), "f") if value else "0"


def words(value: Any, *, multiline: bool = False) -> str:
    """A cell read as text the record can keep (domain.kernel.text): NFC, stripped, a number
    written plainly; CellError for a formula, a truth value or a character no such text
    keeps."""
    if value is None:
        return ""
    if is_formula(value):
        raise CellError(f"{quoted(value)} is a formula; type the text itself",
                        "workbook_formula")
    if isinstance(value, bool):
        raise CellError(f"{value} is a truth value; type the text", "workbook_text")
    if isinstance(value, (datetime, date)):
        return value.isoformat()[:10] if isinstance(value, datetime) and not (
            value.hour or value.minute or value.second) else value.isoformat()
    if isinstance(value, (int, float, Decimal)):
        found = number(value)
        return "" if found is None else plain(found)
    kept = text.normalise(str(value), multiline=multiline)
    why = text.problem(kept, multiline=multiline)
    if why is not None:
        raise CellError(why, text.RULE)
    return kept.strip()


@dataclass
class Findings:
    """Every bad cell of an upload, by reference, with its rule; and every block that changed
    since the workbook was made (a stale version)."""

    errors: dict[str, list[str]] = field(default_factory=dict)
    rules: dict[str, str] = field(default_factory=dict)
    stale: dict[str, list[str]] = field(default_factory=dict)

    def add(self, where: str, message: str, rule: str) -> None:
        self.errors.setdefault(where, []).append(message)
        self.rules.setdefault(where, rule)

    def changed(self, where: str, message: str) -> None:
        self.stale.setdefault(where, []).append(message)

    def raise_any(self, what: str) -> None:
        """Refuse the whole upload if anything was found: a stale block first (409: the
        workbook must be made again), then the bad cells (422), each named."""
        if self.stale:
            raise Conflict(f"{len(self.stale)} {what} changed since this workbook was made; "
                           "nothing was written. Download the workbook again.",
                           errors=self.stale, rule="stale_version")
        if self.errors:
            rules = sorted(set(self.rules.values()))
            raise InvalidInput(f"{len(self.errors)} cell(s) of the workbook are wrong; nothing "
                               f"was written. {self.summary()}",
                               errors=self.errors, rules=self.rules,
                               rule=rules[0] if len(rules) == 1 else "workbook_cells")

    def summary(self, most: int = 3) -> str:
        shown = [f"{where}: {messages[0].rstrip('.')}" for where, messages in
                 list(self.errors.items())[:most]]
        more = len(self.errors) - len(shown)
        return "; ".join(shown) + (f"; and {more} more." if more else ".")

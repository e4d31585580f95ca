"""Reading an uploaded table (CSV, or the first sheet of an XLSX) within stated bounds.

A file small on the wire may expand far: an XLSX is a zip of XML parts, a CSV of a few
megabytes can hold millions of rows. Every file import reads through :func:`read_table`
with its own :class:`Limits`; the first bound passed stops the reading and raises
:class:`~domain.kernel.errors.TooLarge` naming it, before the rest is read.

XLSX is read by openpyxl in read-only mode (rows streamed one at a time, XML parsed with
defusedxml, which refuses entity declarations). Before openpyxl opens it, the sizes its
parts declare in the zip directory are added up: Python's zipfile, which openpyxl reads
through, never inflates a part beyond its declared size (a part that lies fails its
CRC check), so the declared total bounds what can be parsed.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from domain.kernel.errors import InvalidInput, TooLarge

MiB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What one uploaded table may hold; each import states its own."""

    rows: int = 20_000              # rows of the sheet, header and blank rows included
    columns: int = 50               # cells in a row, up to its last non-empty one
    cell_chars: int = 1_000         # characters in one cell
    file_bytes: int = 5 * MiB       # the file as uploaded
    expanded_bytes: int = 8 * MiB   # XLSX: its parts uncompressed, as the zip declares
    parts: int = 100                # XLSX: files in the zip


DEFAULT_LIMITS = Limits()


def read_table(source: bytes | IO[bytes], filename: str,
               limits: Limits = DEFAULT_LIMITS, *, formulas: bool = False,
               kinds: tuple[str, ...] = (".csv", ".xlsx")) -> list[list[Any]]:
    """The rows of the CSV (UTF-8, with or without BOM) or of the first sheet of the XLSX,
    row n at index n - 1, each without its trailing empty cells (a blank row is ``[]``).
    Raise :class:`TooLarge` at the first bound of ``limits`` passed, InvalidInput for a
    file that cannot be read. ``formulas``: an XLSX formula cell reads as its formula text
    ("=SUM(A1:A3)") rather than the value last computed, so that the caller can refuse it;
    ``kinds``: the file types taken."""
    name = filename.lower()
    if not name.endswith(kinds):
        raise InvalidInput(f"The file must be a {' or '.join(kinds)} file.", field="file",
                           rule="file_type")
    content = _bounded_bytes(source, limits)
    rows = _xlsx_rows(content, limits, formulas) if name.endswith(".xlsx") \
        else _csv_rows(content)
    return list(_bounded_rows(rows, limits))


def _bounded_bytes(source: bytes | IO[bytes], limits: Limits) -> bytes:
    content = source if isinstance(source, bytes) else source.read(limits.file_bytes + 1)
    if len(content) > limits.file_bytes:
        raise TooLarge(f"The file is larger than {_size(limits.file_bytes)}.", field="file",
                       rule="file_size")
    return content


def _bounded_rows(rows: Iterable[Iterable[Any]], limits: Limits) -> Iterator[list[Any]]:
    """The rows, trimmed, stopping at the first bound passed."""
    for number, row in enumerate(rows, start=1):
        if number > limits.rows:
            raise TooLarge(f"The file has more than {limits.rows:,} rows (blank rows "
                           "included); nothing was read past them.", field="file",
                           rule="table_rows")
        cells = list(row)
        while cells and cells[-1] in (None, ""):
            cells.pop()
        if len(cells) > limits.columns:
            raise TooLarge(f"Row {number} has more than {limits.columns} columns.",
                           field="file", rule="table_columns")
        for column, value in enumerate(cells, start=1):
            if value is not None and len(value if isinstance(value, str) else str(value)) \
                    > limits.cell_chars:
                raise TooLarge(f"Row {number}, column {column} has more than "
                               f"{limits.cell_chars:,} characters.", field="file",
                               rule="cell_length")
        yield cells


def _csv_rows(content: bytes) -> Iterator[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("The CSV file is not UTF-8 text.", field="file",
                           rule="csv_utf8") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as e:  # an unclosed quote, a field over csv's own limit
            raise InvalidInput(f"The CSV file cannot be read near row {reader.line_num}: "
                               f"{e}.", field="file", rule="csv_format") from None
        yield row


def _xlsx_rows(content: bytes, limits: Limits,
               formulas: bool = False) -> Iterator[tuple[Any, ...]]:
    not_xlsx = InvalidInput("The file is not a readable XLSX workbook.", field="file",
                            rule="xlsx_format")
    try:
        parts = zipfile.ZipFile(io.BytesIO(content)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise not_xlsx from None
    if len(parts) > limits.parts:
        raise TooLarge(f"The XLSX workbook has more than {limits.parts} parts.",
                       field="file", rule="xlsx_parts")
    expanded = sum(p.file_size for p in parts)
    if expanded > limits.expanded_bytes:
        raise TooLarge(f"The XLSX workbook expands to {_size(expanded)} when unpacked; at "
                       f"most {_size(limits.expanded_bytes)} is read.", field="file",
                       rule="xlsx_expanded_size")
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=not formulas)
    except Exception:  # openpyxl raises many kinds for a file that is not XLSX
        raise not_xlsx from None
    try:
        if not book.worksheets:
            raise not_xlsx
        sheet = book.worksheets[0]
        # The size a sheet declares (<dimension>) is only a claim: openpyxl would pad every
        # row to its width. Without it a row is as wide as its cells (each placed by its
        # reference), and rows are read up to one past the bound, so that passing it is seen.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(values_only=True, max_row=limits.rows + 1)
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except Exception:  # a malformed sheet: bad XML, a number too long to read...
                raise not_xlsx from None
            yield row
    finally:
        book.close()


def _size(n: int) -> str:
    return f"{n / MiB:.1f} MiB" if n >= MiB else f"{n:,} bytes"

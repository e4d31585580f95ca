"""Exports of the audit trail, written as they are read (never all of it in memory).

- JSONL: the exact stored lines and entry hashes (``auditchain.export_line``), the evidence.
- CSV: UTF-8 with a byte order mark for Excel; a cell beginning with = + - @ tab or CR gets a
  leading apostrophe so a spreadsheet never runs it as a formula.
- XLSX: openpyxl's write-only mode; every string cell is typed as a string (inline), so a value
  like ``=HYPERLINK(...)`` stays text, unchanged.
- A bundle directory for offline verification (``verifier.py`` beside the data).
"""

from __future__ import annotations

import json
import pathlib
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import orjson
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from projections import auditchain, verifier
from projections.audit_checkpoints import Signer, checkpoints
from projections.queries_audit import iter_entries

BOM = "\ufeff"
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
DANGEROUS_FIRST = "".join(DANGEROUS)
XLSX_MAX_ROWS = 1_048_576
XLSX_MAX_CELL = 32_767
CHUNK = 64 * 1024

# json.dumps(value, ensure_ascii=False, sort_keys=True), without a new encoder per call
_data_json = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode


# (header, how to read it from the line's record)
COLUMNS: list[tuple[str, Any]] = [
    ("seq", lambda r: r["seq"]),
    ("position", lambda r: r["position"]),
    ("time", lambda r: r["time"]),
    ("year", lambda r: r["year"]),
    ("user_id", lambda r: r["actor"]["user_id"]),
    ("user_name", lambda r: r["actor"]["name"]),
    ("role", lambda r: r["actor"]["role"]),
    ("unit_code", lambda r: r["unit"]["code"]),
    ("topic", lambda r: r["topic"]),
    ("object_type", lambda r: r["object_type"]),
    ("object_id", lambda r: r["object_id"]),
    ("version", lambda r: r["version"]),
    ("summary_vi", lambda r: r["summary_vi"]),
    ("summary_en", lambda r: r["summary_en"]),
    ("request_id", lambda r: r["request_id"]),
    ("source_address", lambda r: r["source_address"]),
    ("reason", lambda r: r["reason"]),
    ("data", lambda r: _data_json(r["data"])),
    ("hash", lambda r: r["hash"]),
]
HEADERS = [name for name, _ in COLUMNS]


def flat(row: dict[str, Any]) -> list[Any]:
    record = json.loads(bytes(row["line"]).decode("utf-8"))
    record.update(seq=row["seq"], year=row["year"], hash=bytes(row["entry"]).hex())
    return [get(record) for _, get in COLUMNS]


def neutralise(value: Any) -> Any:
    """A CSV cell that a spreadsheet will not read as a formula."""
    if isinstance(value, str) and value.startswith(DANGEROUS):
        return "'" + value
    return value


def jsonl_chunks(rows: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    buffer = bytearray()
    for row in rows:
        buffer += auditchain.export_line(row["seq"], bytes(row["line"]), bytes(row["entry"]))
        if len(buffer) >= CHUNK:
            yield bytes(buffer)
            buffer.clear()
    if buffer:
        yield bytes(buffer)


# CSV as csv.writer(lineterminator="\r\n") writes it (QUOTE_MINIMAL). csv_chunks formats the
# cells itself (the csv module's C writer costs more per character than all the rest of a
# row's work), exactly as that writer does: None is empty, a float repr(), any other
# non-string str(); a cell holding a comma, a quote, CR or LF is quoted, its quotes doubled.
CSV_HEADER = BOM + ",".join(HEADERS)


def csv_cell(value: Any) -> str:
    """One neutralised CSV cell, as csv.writer writes ``neutralise(value)``."""
    if value.__class__ is not str:
        if value is None:
            return ""
        value = repr(value) if isinstance(value, float) else str(value)
    elif value and value[0] in DANGEROUS_FIRST:  # value.startswith(DANGEROUS), faster
        value = "'" + value
    if '"' in value:
        return '"' + value.replace('"', '""') + '"'
    if "," in value or "\n" in value or "\r" in value:
        return '"' + value + '"'
    return value


# A run of 19 digits: maybe an integer orjson reads as a float (beyond 64 bits), json as an int
_DIGITS_AS_ZERO = bytes.maketrans(b"123456789", b"000000000")
_LONG_RUN = b"0" * 19


def csv_line(row: dict[str, Any]) -> str:
    """One CSV line (without its CRLF) of an audit row: ``flat(row)``, neutralised, read in
    the same order (so a malformed line fails as there).

    The line is parsed by orjson, which reads the values json.loads reads from the same JSON
    (a property test holds the bytes equal to csv.writer's of json.loads' record); a line it
    refuses (a lone surrogate, NaN, a byte order mark, invalid UTF-8...) or might read
    otherwise (19 digits in a row anywhere) goes to ``flat``."""
    line = bytes(row["line"])
    try:
        record = None if _LONG_RUN in line.translate(_DIGITS_AS_ZERO) else orjson.loads(line)
    except orjson.JSONDecodeError:
        record = None
    if record.__class__ is not dict:
        return ",".join(map(csv_cell, flat(row)))
    seq, year, entry, cell = row["seq"], row["year"], bytes(row["entry"]).hex(), csv_cell
    # the usual integers and nulls without a call: what csv_cell makes of them
    return ",".join((
        cell(seq),
        str(v) if (v := record["position"]).__class__ is int else cell(v),
        cell(record["time"]),
        cell(year),
        cell(record["actor"]["user_id"]),
        cell(record["actor"]["name"]),
        cell(record["actor"]["role"]),
        "" if (v := record["unit"]["code"]) is None else cell(v),
        cell(record["topic"]),
        cell(record["object_type"]),
        cell(record["object_id"]),
        str(v) if (v := record["version"]).__class__ is int else cell(v),
        cell(record["summary_vi"]),
        cell(record["summary_en"]),
        "" if (v := record["request_id"]) is None else cell(v),
        cell(record["source_address"]),
        "" if (v := record["reason"]) is None else cell(v),
        cell(_data_json(record["data"])),
        entry,
    ))


def csv_chunks(rows: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    """UTF-8 with a byte order mark, CRLF lines: the bytes csv.writer(lineterminator="\\r\\n")
    writes for HEADERS, then for ``neutralise``d ``flat(row)`` of each row."""
    lines, size = [CSV_HEADER], 0
    for row in rows:
        line = csv_line(row)
        lines.append(line)
        size += len(line)
        if size >= CHUNK:
            lines.append("")
            yield "\r\n".join(lines).encode("utf-8")
            lines, size = [], 0
    lines.append("")
    yield "\r\n".join(lines).encode("utf-8")


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)[:XLSX_MAX_CELL]
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # never a formula, whatever the text begins with
        return cell
    return WriteOnlyCell(sheet, value=value)


def xlsx_chunks(rows: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    """The workbook is built on disk (openpyxl's write-only mode keeps rows out of memory),
    then streamed from the temporary file."""
    book = Workbook(write_only=True)
    sheet, count, number = None, XLSX_MAX_ROWS, 0
    for row in rows:
        if count >= XLSX_MAX_ROWS:
            number += 1
            sheet = book.create_sheet(f"audit{number if number > 1 else ''}")
            sheet.append([_xlsx_cell(sheet, h) for h in HEADERS])
            count = 1
        assert sheet is not None
        sheet.append([_xlsx_cell(sheet, v) for v in flat(row)])
        count += 1
    if sheet is None:
        sheet = book.create_sheet("audit")
        sheet.append([_xlsx_cell(sheet, h) for h in HEADERS])
    with tempfile.TemporaryFile() as tmp:
        book.save(tmp)
        tmp.seek(0)
        while chunk := tmp.read(CHUNK):
            yield chunk


WRITERS = {
    "jsonl": (jsonl_chunks, "application/x-ndjson; charset=utf-8", "jsonl"),
    "csv": (csv_chunks, "text/csv", "csv"),  # Flask adds "; charset=utf-8" to text/*
    "xlsx": (xlsx_chunks,
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}


def write_bundle(conn: Any, signer: Signer, directory: pathlib.Path, *,
                 first: int | None = None, last: int | None = None,
                 progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """Write a verifiable bundle of entries ``first``..``last`` (chain positions; default the
    whole trail) into ``directory``: audit.jsonl, checkpoints.json, public_key.pem,
    anchor.json when it starts mid-chain, verifier.py. A checkpoint is signed for the end.

    A start mid-chain is moved back to just after the last checkpoint at or before it, which
    becomes the anchor. ``progress(lines written, lines in all)`` is told as it goes."""
    directory = pathlib.Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    end = signer.checkpoint(conn, "export")
    size = end["size"]
    last = size if last is None else max(0, min(last, size))
    if last != size:
        signer.checkpoint_at(conn, last, "export")
    signed = checkpoints(conn, signer.key_id)
    start, anchor = 1, None
    if first is not None and first > 1:
        before = [cp for cp in signed if cp["size"] <= min(first, last + 1) - 1]
        if before and before[-1]["size"] > 0:
            anchor = before[-1]
            start = anchor["size"] + 1
    lines = 0
    with (directory / "audit.jsonl").open("wb") as out:
        if start <= last:
            for chunk in jsonl_chunks(iter_entries(conn, first=start, last=last)):
                out.write(chunk)
                lines += chunk.count(b"\n")
                if progress is not None:
                    progress(lines, last - start + 1)
    keys = ("origin", "size", "head", "signature", "key_id", "signed_at")
    (directory / "checkpoints.json").write_text(
        json.dumps([{k: cp[k] for k in keys} for cp in signed], ensure_ascii=False, indent=1)
        + "\n", encoding="utf-8")
    (directory / "public_key.pem").write_bytes(signer.public_key_pem())
    anchor_path = directory / "anchor.json"
    if anchor is not None:
        anchor_path.write_text(json.dumps({"size": anchor["size"], "head": anchor["head"]}) + "\n",
                               encoding="utf-8")
    elif anchor_path.exists():
        anchor_path.unlink()
    shutil.copyfile(verifier.__file__, directory / "verifier.py")
    return {"directory": str(directory), "first": start, "last": last, "lines": lines,
            "checkpoints": len(signed), "anchor": anchor, "key_id": signer.key_id}

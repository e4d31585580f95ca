"""The bounded reader every file import uses (domain/kernel/tabular.py): hostile workbooks and CSVs
are refused at the first bound passed, naming it, without being read further."""

from __future__ import annotations

import io
import struct
import zipfile

import openpyxl
import pytest
from openpyxl import Workbook

from domain.kernel.errors import InvalidInput, TooLarge
from domain.kernel.tabular import Limits, read_table

SHEET = "xl/worksheets/sheet1.xml"
SST = "xl/sharedStrings.xml"
HEAD = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxml'
        b'formats.org/spreadsheetml/2006/main"><sheetData>')
TAIL = b"</sheetData></worksheet>"


def workbook(rows: list[list[object]]) -> bytes:
    book = Workbook()
    for r in rows:
        book.active.append(r)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def replaced(parts: dict[str, bytes], base: bytes | None = None) -> bytes:
    """A real workbook with some parts replaced or added (a shared-string table is
    declared in the manifest and the workbook's relations)."""
    src = zipfile.ZipFile(io.BytesIO(base or workbook([["a"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for info in src.infolist():
            data = src.read(info.filename)
            if SST in parts and info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" '
                                    b'ContentType="application/vnd.openxmlformats-officedocu'
                                    b'ment.spreadsheetml.sharedStrings+xml"/></Types>')
            if SST in parts and info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdS" Target="s'
                                    b'haredStrings.xml" Type="http://schemas.openxmlformats.o'
                                    b'rg/officeDocument/2006/relationships/sharedStrings"/>'
                                    b"</Relationships>")
            z.writestr(info.filename, parts.pop(info.filename, data))
        for name, data in parts.items():
            z.writestr(name, data)
    return out.getvalue()


@pytest.fixture
def openpyxl_calls(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Counts the workbooks openpyxl is asked to open."""
    calls: list[object] = []
    real = openpyxl.load_workbook

    def counted(*args: object, **kwargs: object) -> object:
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(openpyxl, "load_workbook", counted)
    return calls


def test_a_real_workbook_and_csv_are_read_row_by_row():
    rows = read_table(workbook([["Loại", "Mã"], [], ["Khối", 12, None]]), "a.xlsx")
    assert rows == [["Loại", "Mã"], [], ["Khối", 12]]
    csv = "Loại,Mã\n\nKhối,12,,\n".encode("utf-8-sig")
    assert read_table(csv, "a.csv") == [["Loại", "Mã"], [], ["Khối", "12"]]
    assert read_table(io.BytesIO(csv), "A.CSV") == [["Loại", "Mã"], [], ["Khối", "12"]]


def test_a_zip_bomb_is_refused_from_the_directory_before_any_part_is_inflated(openpyxl_calls):
    # 9 MiB of XML in a file of a few kilobytes
    bomb = replaced({SHEET: HEAD + b'<row r="1"><c r="A1" t="inlineStr"><is><t>'
                     + b"A" * (9 * 1024 * 1024) + b"</t></is></c></row>" + TAIL})
    assert len(bomb) < 50_000
    with pytest.raises(TooLarge) as e:
        read_table(bomb, "bomb.xlsx", Limits(expanded_bytes=8 * 1024 * 1024))
    assert e.value.rule == "xlsx_expanded_size"
    assert "at most 8.0 MiB" in e.value.message and "9.0 MiB" in e.value.message
    assert e.value.errors == {"file": [e.value.message]}
    assert openpyxl_calls == [], "the workbook was refused before openpyxl opened it"


def test_a_zip_whose_directory_lies_about_a_size_is_not_read_past_it():
    bomb = bytearray(replaced({SHEET: HEAD + b"<row>" + b"<c><v>1</v></c>" * 400_000
                               + b"</row>" + TAIL}))
    # declare the sheet 200 bytes long, in the central directory and the local header
    for kind, at in _headers(bytes(bomb), SHEET):
        struct.pack_into("<I", bomb, at + (24 if kind == "central" else 22), 200)
    with pytest.raises(InvalidInput) as e:
        read_table(bytes(bomb), "lie.xlsx", Limits(expanded_bytes=100_000))
    assert e.value.rule == "xlsx_format" and not isinstance(e.value, TooLarge)


def _headers(data: bytes, name: str) -> list[tuple[str, int]]:
    """Offsets of the local and central headers of the zip entry ``name``."""
    found = []
    for signature, kind, name_at in ((b"PK\x03\x04", "local", 30), (b"PK\x01\x02", "central", 46)):
        at = data.find(signature)
        while at >= 0:
            size = struct.unpack_from("<H", data, at + (26 if kind == "local" else 28))[0]
            if data[at + name_at:at + name_at + size] == name.encode():
                found.append((kind, at))
            at = data.find(signature, at + 4)
    assert len(found) == 2, found
    return found


def test_too_many_parts_are_refused(openpyxl_calls):
    parts = {f"xl/media/image{i}.png": b"x" for i in range(30)}
    with pytest.raises(TooLarge) as e:
        read_table(replaced(parts), "many.xlsx", Limits(parts=20))
    assert e.value.rule == "xlsx_parts" and "20 parts" in e.value.message
    assert openpyxl_calls == []


def test_rows_past_the_bound_stop_the_reading():
    with pytest.raises(TooLarge) as e:
        read_table(b"a\n" * 2_000_000, "long.csv", Limits(rows=1_000))
    assert e.value.rule == "table_rows" and "more than 1,000 rows" in e.value.message
    # blank rows count: a sheet with A1 and a row a million rows further is never padded out
    sparse = replaced({SHEET: HEAD + b'<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576'
                       b'"><c r="XFD1048576"><v>2</v></c></row>' + TAIL})
    with pytest.raises(TooLarge) as e:
        read_table(sparse, "sparse.xlsx", Limits(rows=1_000))
    assert e.value.rule == "table_rows"
    rows = read_table(workbook([[str(i)] for i in range(1_000)]), "ok.xlsx", Limits(rows=1_000))
    assert len(rows) == 1_000


def test_a_row_wider_than_the_bound_is_refused_however_the_sheet_declares_its_size():
    wide = replaced({SHEET: HEAD + b'<row r="1"><c r="A1"><v>1</v></c><c r="BZ1"><v>2</v></c>'
                     b"</row>" + TAIL})
    with pytest.raises(TooLarge) as e:
        read_table(wide, "wide.xlsx", Limits(columns=50))
    assert e.value.rule == "table_columns" and "Row 1 has more than 50" in e.value.message
    # a <dimension> claiming the whole sheet does not make every row 16,384 cells wide
    claimed = replaced({SHEET: HEAD.replace(b"<sheetData>", b'<dimension ref="A1:XFD1048576"/>'
                                            b"<sheetData>")
                        + b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (i, i)
                                   for i in range(1, 2_001)) + TAIL})
    assert read_table(claimed, "claimed.xlsx", Limits(columns=5)) == [[1]] * 2_000
    with pytest.raises(TooLarge) as e:
        read_table(b"a" + b"," * 100 + b"b\n", "wide.csv", Limits(columns=50))
    assert e.value.rule == "table_columns"


def test_a_cell_longer_than_the_bound_is_refused():
    with pytest.raises(TooLarge) as e:
        read_table(workbook([["a", "b" * 1_001]]), "long.xlsx", Limits(cell_chars=1_000))
    assert e.value.rule == "cell_length" and "Row 1, column 2" in e.value.message
    shared = replaced({SHEET: HEAD + b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>' + TAIL,
                       SST: b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
                            b'main"><si><t>' + b"x" * 5_000 + b"</t></si></sst>"})
    with pytest.raises(TooLarge) as e:
        read_table(shared, "shared.xlsx", Limits(cell_chars=1_000))
    assert e.value.rule == "cell_length"


def test_a_file_larger_than_the_bound_is_not_read_past_it():
    stream = io.BytesIO(b"a,b\n" * 1_000)
    with pytest.raises(TooLarge) as e:
        read_table(stream, "big.csv", Limits(file_bytes=1_000))
    assert e.value.rule == "file_size" and stream.tell() == 1_001


def test_entity_declarations_are_refused():
    """openpyxl parses with defusedxml when it is installed (a dependency for this)."""
    laughs = (b'<?xml version="1.0"?><!DOCTYPE s [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;'
              b'&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><sst x'
              b'mlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&c;'
              b"</t></si></sst>")
    book = replaced({SHEET: HEAD + b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>' + TAIL,
                     SST: laughs})
    with pytest.raises(InvalidInput) as e:
        read_table(book, "laughs.xlsx")
    assert e.value.rule == "xlsx_format"


@pytest.mark.parametrize("content, name, rule", [
    (b"not a zip", "a.xlsx", "xlsx_format"),
    (b"PK\x05\x06" + bytes(18), "empty.xlsx", "xlsx_format"),
    (b'"' + b"x" * 200_000 + b"\n", "quote.csv", "csv_format"),
    (b"\xff\xfe\x00", "a.csv", "csv_utf8"),
    (b"x", "a.pdf", "file_type"),
])
def test_unreadable_files_are_a_422_naming_the_rule(content, name, rule):
    with pytest.raises(InvalidInput) as e:
        read_table(content, name)
    assert e.value.rule == rule and not isinstance(e.value, TooLarge)


def test_a_malformed_sheet_is_unreadable_not_an_error():
    digits = replaced({SHEET: HEAD + b'<row r="1"><c r="A1"><v>' + b"9" * 5_000 + b"</v></c>"
                       b"</row>" + TAIL})
    broken = replaced({SHEET: HEAD + b'<row r="1"><c r="A1"><v>1</v>' + TAIL})
    for content in (digits, broken):
        with pytest.raises(InvalidInput) as e:
            read_table(content, "bad.xlsx")
        assert e.value.rule == "xlsx_format"

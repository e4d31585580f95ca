"""What the views and the audit line write for an event stored before the domain refused
unkept text (a NUL, a lone surrogate, a control character). No database."""

from __future__ import annotations

import json
from io import BytesIO

from openpyxl import load_workbook

from projections import storable as views
from projections.auditchain import canonical_line
from web.resources.evaluation.export import HEADERS, to_xlsx


def test_views_write_nul_and_surrogates_as_replacement_characters():
    assert views.storable_text("a\x00b\udfffc") == "a\ufffdb\ufffdc"
    same = "Nguyễn Văn A 😀"
    assert views.storable_text(same) is same
    ordinary = {"name": "Cụm 1", "members": ["P01"], "n": 3, "note": "a\nb", "s": "\\u0000"}
    assert views.json_dumps(ordinary) == json.dumps(ordinary, ensure_ascii=False).encode()
    assert json.loads(views.json_dumps({"a\x00": ["x\udfff"]})) == {"a\ufffd": ["x\ufffd"]}


def test_the_audit_line_keeps_control_characters_escaped_and_replaces_surrogates():
    assert canonical_line({"a": "x\x00y"}) == b'{"a":"x\\u0000y"}'
    assert canonical_line({"a": "x\udfffy"}) == '{"a":"x\ufffdy"}'.encode()
    assert canonical_line({"\U0001f600": "x\udfff"}) == '{"\U0001f600":"x\ufffd"}'.encode()


def test_the_compiled_tables_workbook_takes_an_old_name_with_a_control_character():
    row: list[object] = [None for _ in HEADERS]
    row[:3] = [1, "P01", "BHXH\x07tỉnh A"]  # stored before the domain refused it
    sheet = load_workbook(BytesIO(to_xlsx([row], "2024"))).active
    assert sheet["C2"].value == "BHXH\ufffdtỉnh A"

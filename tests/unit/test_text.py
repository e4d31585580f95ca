"""domain.kernel.text: what text the record keeps; the aggregate base's last line; the parsers.
No database."""

from __future__ import annotations

import unicodedata

import pytest

from domain.kernel import text
from domain.kernel.errors import InvalidInput
from domain.organisation.membership_list import parse_membership_list
from domain.organisation.units import Unit, check_code, check_name
from domain.users.accounts import User, check_username

# One of each kind of character no field keeps, and why.
REFUSED = {
    "NUL": "\x00",
    "bell (C0)": "\x07",
    "carriage return": "\r",
    "escape (C0)": "\x1b",
    "DEL": "\x7f",
    "next line (C1)": "\x85",
    "C1 control": "\x9b",
    "lone high surrogate": "\ud800",
    "lone low surrogate": "\udfff",
    "right-to-left override": "\u202e",
    "left-to-right embedding": "\u202a",
    "first strong isolate": "\u2068",
    "pop directional isolate": "\u2069",
    "non-character U+FFFE": "\ufffe",
    "non-character U+FDD0": "\ufdd0",
    "non-character U+10FFFF": "\U0010ffff",
    "zero-width space": "\u200b",
    "zero-width no-break space": "\ufeff",
    "word joiner": "\u2060",
}
NFC = "BHXH thành phố Hà Nội"
NFD = unicodedata.normalize("NFD", NFC)


@pytest.mark.parametrize("char", REFUSED.values(), ids=REFUSED.keys())
@pytest.mark.parametrize("multiline", [False, True])
def test_every_refused_character_is_named_with_its_field_and_rule(char, multiline):
    field = "reason" if multiline else "name"
    value = f"Hà{char}Nội"
    if char == "\r" and multiline:  # a line break there: it becomes a line feed
        assert text.clean(value, field) == "Hà\nNội"
        return
    with pytest.raises(InvalidInput) as refused:
        text.clean(value, field)
    e = refused.value
    assert e.rule == "text_characters" and e.field == field
    assert f"U+{ord(char):04X}" in e.errors[field][0] and "character 3" in e.errors[field][0]
    assert char not in e.message  # the message never carries the character itself


def test_tab_and_line_feed_only_in_multi_line_fields():
    for char in "\t\n\u2028\u2029":
        with pytest.raises(InvalidInput, match="U\\+"):
            text.clean(f"a{char}b", "name")
    assert text.clean("Lý do:\n\t1. thiếu hồ sơ", "reason") == "Lý do:\n\t1. thiếu hồ sơ"
    assert text.clean("a\r\nb\rc\u2028d", "justification") == "a\nb\nc\nd"
    assert text.clean("x\ny", "title", multiline=True) == "x\ny"


def test_multi_line_fields_by_name():
    for field in ("reason", "actor.reason", "annul_reason", "targets[0].note", "summary",
                  "assessment", "justification", "notes[2]", "description"):
        assert text.is_multiline(field), field
    for field in ("name", "full_name", "clusters[0].name", "code", "title", "place",
                  "document_number", "reasonable", ""):
        assert not text.is_multiline(field), field


def test_text_is_nfc():
    assert NFD != NFC and text.clean(NFD, "name") == NFC
    assert text.storable({"name": NFD})["name"] == NFC
    assert check_name(f"  {NFD} ") == NFC


def test_identifiers_are_matched_whole():
    for bad in ("Q5742\n", "Q5742\x00", " Q5742", "q5742"):
        with pytest.raises(InvalidInput) as refused:
            check_code(bad)
        assert refused.value.rule == "code_format"
    assert check_code("Q5742") == "Q5742"
    for bad in ("cb.p01\n", "cb.p01\x00", "CB.P01"):
        with pytest.raises(InvalidInput) as refused:
            check_username(bad)
        assert refused.value.rule == "username_format"
    assert check_username("cb.p01") == "cb.p01"


def test_names_refuse_line_breaks_even_at_the_ends():
    with pytest.raises(InvalidInput) as refused:
        check_name("BHXH tỉnh A\n")
    assert refused.value.rule == "text_characters"
    assert check_name("  BHXH tỉnh A\u00a0") == "BHXH tỉnh A"


def test_storable_walks_keys_values_lists_and_names_the_path():
    value = {"clusters": [{"code": "C1", "name": "Cụm 1"}, {"code": "C2", "name": "Cụm\x002"}]}
    with pytest.raises(InvalidInput) as refused:
        text.storable(value)
    assert refused.value.field == "clusters[1].name"
    with pytest.raises(InvalidInput) as refused:
        text.storable({"scale": {"thu\x00": 1}})
    assert refused.value.field == 'scale["thu\\u0000"]'
    with pytest.raises(InvalidInput) as refused:
        text.storable({"rows": ("a", "b\udfff")})
    assert refused.value.field == "rows[1]"
    with pytest.raises(InvalidInput):
        text.storable({"reason": "a\r\nb"})  # every boundary has made it a line feed
    clean = {"reason": "dòng 1\n\tdòng 2", "items": [1, None, True, {"k": ["v"]}]}
    assert text.storable(clean) is clean  # nothing to change: the same object


def test_the_aggregate_base_refuses_an_unkept_text_on_every_event():
    with pytest.raises(InvalidInput) as refused:
        User(username="nguyenvan", full_name="Nguyễn\x00Văn", roles=["officer"], unit_id=None,
             unit_code=None, assigned_units=[])
    assert refused.value.field == "full_name" and refused.value.rule == "text_characters"
    unit = Unit(code="P01", name=NFD, level="province", parent_id=None, effective="2020-01-01")
    assert unit.name == NFC and unit.pending_events[0].name == NFC
    with pytest.raises(InvalidInput) as refused:
        unit._renamed(name="BHXH\u202etỉnh", effective="2021-01-01")
    assert refused.value.field == "name"
    assert unit.version == 1 and len(unit.pending_events) == 1  # nothing happened


def _csv(*rows: str) -> bytes:
    return ("kind,group_code,group_name,unit_code\n" + "\n".join(rows) + "\n").encode()


def test_a_membership_list_cell_names_its_row_and_column():
    with pytest.raises(InvalidInput) as refused:
        parse_membership_list(_csv("block,K1,Khối 1,C01", "block,K1,Khối\x001,C02",
                                   "block,K1,Khối 1,\u202eC03", "block,K2,,C04"), "ds.csv")
    e = refused.value
    assert e.rule == "text_characters"
    assert e.errors["row 3"] == ["group_name: U+0000 (a control character) at character 5 "
                                 "cannot be kept; remove it."]
    assert e.errors["row 4"][0].startswith("unit_code: U+202E")
    assert e.errors["row 5"] == ["group_name is empty"]  # every bad row at once
    rows = parse_membership_list(_csv(f"block,K1,{unicodedata.normalize('NFD', 'Khối 1')},c01"),
                                 "ds.csv")
    assert rows[0].group_name == "Khối 1" and rows[0].unit_code == "C01"

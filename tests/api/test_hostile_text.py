"""Hostile text on every path: a character the record cannot keep is a 422 (or a refused
command) naming the field and the rule ``text_characters``, and the log's head does not
move. NFD and NFC are one text; identifiers are matched whole; multi-line fields keep
their line breaks and tabs."""

from __future__ import annotations

import io
import json
import unicodedata

import pytest
from openpyxl import Workbook

from domain.kernel.actor import Actor
from domain.kernel.errors import InvalidInput
from tests.support.core import ROOT

YEAR = 2024
# One of each kind of character no field keeps (a line break and a tab only where the field
# is single-line).
BAD = {
    "NUL": "\x00",
    "C0 control": "\x1b",
    "DEL": "\x7f",
    "C1 control": "\x85",
    "lone surrogate": "\udfff",
    "bidi override": "\u202e",
    "bidi isolate": "\u2066",
    "non-character": "\ufffe",
    "zero-width space": "\u200b",
}
SINGLE_LINE = {**BAD, "line feed": "\n", "tab": "\t", "carriage return": "\r"}
UNIT = {"code": "P01", "name": "BHXH tỉnh A", "level": "province", "effective": "2020-01-01"}


def refused(r, field):
    """A 422 naming ``field`` with the rule text_characters; its body never carries the
    refused character (so it is valid UTF-8 JSON, whatever was sent)."""
    assert r.status_code == 422, (r.status_code, r.get_data()[:300])
    body = r.get_json()
    assert body["rule"] == "text_characters", body
    assert field in body["errors"], body
    assert "cannot be kept" in body["errors"][field][0]
    r.get_data().decode("utf-8")
    return body


@pytest.fixture
def head(api):
    return api.services.runner.head


@pytest.fixture
def province(api):
    app = api.services.app
    app.register_unit(ROOT, code="P10", name="BHXH tỉnh Mười", level="province",
                      parent_code=None, effective="2020-01-01")
    for i in (1, 2, 3):
        app.register_unit(ROOT, code=f"P10D{i}", name=f"BHXH huyện {i}", level="district",
                          parent_code="P10", effective="2020-01-01")
    return ["P10D1", "P10D2", "P10D3"]


def post(api, path, body):
    """POST ``body`` as JSON the way most clients write it: ASCII, with \\u escapes (so a
    lone surrogate travels as one)."""
    return api.post(path, data=json.dumps(body), headers={"Content-Type": "application/json"})


def partition(api, districts, *, name="Cụm 1", reason=None):
    body = {"year": YEAR, "province_code": "P10",
            "clusters": [{"code": "C1", "name": name, "members": districts}]}
    if reason is not None:
        body["reason"] = reason
    return post(api, "/district-partitions", body)


@pytest.mark.parametrize("char", SINGLE_LINE.values(), ids=SINGLE_LINE.keys())
def test_unit_name(api, head, char):
    before = head()
    refused(post(api, "/units", {**UNIT, "name": f"BHXH{char}tỉnh A"}), "name")
    assert head() == before


@pytest.mark.parametrize("char", SINGLE_LINE.values(), ids=SINGLE_LINE.keys())
def test_user_full_name(api, head, char):
    before = head()
    body = refused(post(api, "/users", {"username": "nguyen.van", "roles": ["auditor"],
                                        "full_name": f"Nguyễn{char}Văn"}), "full_name")
    assert "character 7" in body["message"]
    assert head() == before


@pytest.mark.parametrize("char", SINGLE_LINE.values(), ids=SINGLE_LINE.keys())
def test_nested_cluster_name(api, head, province, char):
    before = head()
    refused(partition(api, province, name=f"Cụm{char}1"), "clusters[0].name")
    assert head() == before


@pytest.mark.parametrize("char", BAD.values(), ids=BAD.keys())
def test_reason(api, head, province, char):
    before = head()
    refused(partition(api, province, reason=f"Theo quyết định{char}số 5"), "reason")
    assert head() == before


def test_a_multi_line_field_keeps_line_feeds_and_tabs(api, province):
    r = partition(api, province, reason="Lý do:\r\n\t1. địa bàn\n\t2. quy mô thu")
    assert r.status_code == 201, r.get_json()
    items = api.get(f"/audit/timeline/{YEAR}?kind=GroupYear.DistrictPartitionPublished"
                    ).get_json()["items"]
    assert items[0]["reason"] == "Lý do:\n\t1. địa bàn\n\t2. quy mô thu"  # CR LF -> LF


def test_every_bad_field_is_named_at_once(api, head, province):
    before = head()
    body = {"year": YEAR, "province_code": "P10", "reason": "a\x00",
            "clusters": [{"code": "C1", "name": "ok", "members": province[:2]},
                         {"code": "C2", "name": "x\u202ey", "members": [province[2] + "\x00"]}],
            "scale": {"thu\x00": 1, "chi": "1\udfff"}}
    errors = refused(post(api, "/district-partitions", body), "reason")["errors"]
    assert set(errors) == {"reason", "clusters[1].name", "clusters[1].members[0]",
                           'scale["thu\\u0000"]', "scale.chi"}
    assert head() == before


@pytest.mark.parametrize("raw", [
    b'{"code": "P01", "name": "\\udfff", "level": "province", "effective": "2020-01-01"}',
    b'{"code": "P01", "name": "A\\ud800", "level": "province", "effective": "2020-01-01"}',
    b'{"code": "P01", "name": "A", "level": "province", "effective": "2020-01-01", '
    b'"\\udfff\\u0000": 1}',
], ids=["lone low surrogate", "lone high surrogate", "in an unknown key"])
def test_a_lone_surrogate_in_a_json_body_is_a_422_not_a_500(api, head, raw):
    before = head()
    r = api.post("/units", data=raw, headers={"Content-Type": "application/json"})
    assert r.status_code == 422, r.get_data()[:300]
    assert r.get_json()["rule"] == "text_characters"
    assert head() == before


def test_a_query_filter_is_checked_and_normalised(api):
    officer = Actor(user_id="test:hoa", user_name="Nguyễn Thị Hòa", roles=("standing_office",),
                    unit_id=None, source="test")
    api.last_position = api.services.app.register_unit(
        officer, code="P02", name="BHXH tỉnh B", level="province", parent_code=None,
        effective="2020-01-01").position
    nfd = unicodedata.normalize("NFD", "Nguyễn Thị Hòa")
    r = api.get(f"/audit/events?format=jsonl&actor={nfd}")
    assert r.status_code == 200, r.get_json()
    lines = [json.loads(json.loads(x)["line"]) for x in r.get_data().splitlines()]
    assert [(x["object_type"], x["actor"]["name"]) for x in lines] == [
        ("Unit", "Nguyễn Thị Hòa")]
    refused(api.get("/audit/events?format=jsonl&actor=Nguy%E1%BB%85n%E2%80%AE"), "actor")


def test_nfd_and_nfc_are_one_name(api):
    nfc = "BHXH thành phố Hà Nội"
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfd != nfc
    r = api.post("/units", json={**UNIT, "code": "P03", "name": nfd})
    assert r.status_code == 201, r.get_json()
    assert api.get("/units/P03").get_json()["name"] == nfc
    r = api.post("/units/P03/rename", json={"name": nfd, "effective": "2021-01-01"})
    assert r.status_code == 422 and r.get_json()["rule"] == "name_unchanged", r.get_json()
    r = api.post("/units", json={**UNIT, "code": "P04", "name": f"  {nfd}  "})
    assert r.status_code == 201 and api.get("/units/P04").get_json()["name"] == nfc


@pytest.mark.parametrize("path,body,field", [
    ("/units", {**UNIT, "code": "Q5742\n"}, "code"),
    ("/users", {"username": "cb.p01\n", "full_name": "A", "roles": ["auditor"]}, "username"),
])
def test_identifiers_with_a_trailing_line_feed_are_refused(api, head, path, body, field):
    before = head()
    refused(api.post(path, json=body), field)
    assert head() == before


def test_the_domain_matches_identifiers_whole(api, head):
    app = api.services.app
    before = head()
    with pytest.raises(InvalidInput) as e:
        app.register_unit(ROOT, code="Q5742\n", name="A", level="central", parent_code=None,
                          effective="2020-01-01")
    assert e.value.rule == "code_format"
    with pytest.raises(InvalidInput) as e:
        app.register_user(ROOT, username="cb.p01\n", full_name="A", roles=["auditor"],
                          unit_code=None)
    assert e.value.rule == "username_format"
    assert head() == before


def test_an_idempotency_key_is_matched_whole(api, head):
    before = head()
    r = api.client.post("/units", json=UNIT, headers=api.headers("admin"),
                        environ_overrides={"HTTP_IDEMPOTENCY_KEY": "key-1\n"})
    assert r.status_code == 422 and r.get_json()["rule"] == "idempotency_key_format"
    assert head() == before


def test_a_request_id_the_record_cannot_keep_is_replaced(api):
    r = api.post("/units", json=UNIT, headers={"X-Request-ID": "req\x85-1"})
    assert r.status_code == 201, r.get_json()
    assert r.headers["X-Request-ID"] != "req\x85-1"
    r = api.post("/units", json={**UNIT, "code": "P05"}, headers={"X-Request-ID": "req-2"})
    assert r.headers["X-Request-ID"] == "req-2"


# -- the membership list (CSV, XLSX) ---------------------------------------------------------
def upload(api, content, filename):
    return api.post("/membership-lists", data={
        "year": str(YEAR), "document_number": "4268/BHXH-TĐKT", "document_date": "2021-12-22",
        "file": (io.BytesIO(content), filename)}, content_type="multipart/form-data")


def central(api, *codes):
    for code in codes:
        api.services.app.register_unit(ROOT, code=code, name=f"Ban {code}", level="central",
                                       parent_code=None, effective="2020-01-01")


CSV_BAD = {k: v for k, v in SINGLE_LINE.items() if k != "lone surrogate"}  # not UTF-8 at all


@pytest.mark.parametrize("char", CSV_BAD.values(), ids=CSV_BAD.keys())
def test_a_membership_list_csv_cell(api, head, char):
    central(api, "B1", "B2")
    content = ("kind,group_code,group_name,unit_code\nblock,K1,Khối 1,B1\n"
               f'block,K1,"Khối{char}1",B2\n').encode("utf-8-sig")
    before = head()
    r = upload(api, content, "danh-sach.csv")
    assert r.status_code == 422, r.get_json()
    body = r.get_json()
    assert body["rule"] == "text_characters"
    assert body["errors"]["row 3"][0].startswith(f"group_name: U+{ord(char):04X}"), body
    assert head() == before


# XML (so XLSX) cannot carry C0 controls but tab and line feed; the rest it can.
XLSX_BAD = {k: SINGLE_LINE[k] for k in ("C1 control", "bidi override", "bidi isolate",
                                        "zero-width space", "line feed", "tab")}


@pytest.mark.parametrize("char", XLSX_BAD.values(), ids=XLSX_BAD.keys())
def test_a_membership_list_xlsx_cell(api, head, char):
    central(api, "B1", "B2")
    book = Workbook()
    sheet = book.active
    sheet.append(["Loại", "Mã nhóm", "Tên nhóm", "Mã đơn vị"])
    sheet.append(["Khối", "K1", "Khối 1", "B1"])
    sheet.append(["Khối", "K1", "Khối 1", f"B2{char}"])
    buf = io.BytesIO()
    book.save(buf)
    before = head()
    r = upload(api, buf.getvalue(), "danh-sach.xlsx")
    assert r.status_code == 422, r.get_json()
    body = r.get_json()
    assert body["rule"] == "text_characters"
    assert body["errors"]["row 3"][0].startswith(f"unit_code: U+{ord(char):04X}"), body
    assert head() == before


def test_a_membership_list_document_number(api, head):
    central(api, "B1")
    before = head()
    r = upload(api, b"kind,group_code,group_name,unit_code\nblock,K1,K 1,B1\n", "ds.csv")
    assert r.status_code == 201, r.get_json()
    after = head()
    r = api.post("/membership-lists", data={
        "year": str(YEAR), "document_number": "4268/\u202eBHXH", "document_date": "2021-12-22",
        "file": (io.BytesIO(b"kind,group_code,group_name,unit_code\nblock,K1,K 1,B1\n"),
                 "ds.csv")}, content_type="multipart/form-data")
    refused(r, "document_number")
    assert head() == after > before


# -- the command line ----------------------------------------------------------------------
@pytest.fixture
def cli(flask_app):
    return flask_app.test_cli_runner()


@pytest.mark.parametrize("char", SINGLE_LINE.values(), ids=SINGLE_LINE.keys())
def test_cli_user_name(api, cli, head, char):
    before = head()
    result = cli.invoke(args=["users", "create", "nguyen.van", "--name", f"Nguyễn{char}Văn",
                              "--role", "auditor"])
    assert result.exit_code != 0, result.output
    assert "--name" in result.output and "text_characters" in result.output, result.output
    assert head() == before


def test_cli_reason_and_identifiers(api, cli, head):
    token = api.services.app.issue_token(ROOT, "admin", label="x").view
    before = head()
    for args, option in [
        (["tokens", "revoke", token["id"], "--reason", "hết\x00hạn"], "--reason"),
        (["users", "create", "cb.p01\n", "--name", "A", "--role", "auditor"], "USERNAME"),
        (["users", "create", "cb.p01", "--name", "A", "--role", "auditor", "--unit",
          "Q5742\n"], "--unit"),
        (["users", "grant", "admin\udcff", "auditor"], "USERNAME"),  # undecodable argv
    ]:
        result = cli.invoke(args=args)
        assert result.exit_code != 0 and option in result.output, result.output
        assert "text_characters" in result.output, result.output
    assert head() == before
    result = cli.invoke(args=["tokens", "revoke", token["id"], "--reason",
                              "hết hạn\r\n\tthay token mới"])
    assert result.exit_code == 0, result.output
    assert head() == before + 1

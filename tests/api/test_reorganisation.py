"""Reorganisations through the API: one recorded decision of many unit changes, applied whole
or not at all, every bad row named; the districts of a merged province settled in it."""

import io
import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from tests.support.core import ROOT

HEADER = {"number": "1234/QĐ-BHXH", "signed": "2025-06-20", "issuer": "BHXH Việt Nam",
          "basis": "Nghị quyết 202/2025/QH15", "effective": "2025-07-01"}


def register(api, code, name, level, parent=None, effective="2020-01-01"):
    body = {"code": code, "name": name, "level": level, "effective": effective}
    if parent:
        body["parent_code"] = parent
    return api.post("/units", json=body)


def world(api):
    for code, name in (("HG", "BHXH tỉnh Hà Giang"), ("TQ", "BHXH tỉnh Tuyên Quang")):
        assert register(api, code, name, "province").status_code == 201
    for code, name, parent in (("HGD01", "BHXH huyện Bắc Mê", "HG"),
                               ("HGD02", "BHXH huyện Yên Minh", "HG"),
                               ("TQD01", "BHXH huyện Hàm Yên", "TQ")):
        assert register(api, code, name, "district", parent).status_code == 201


def decide(api, changes, who="admin", **header):
    return api.post("/reorganisations", who, json={**HEADER, **header, "changes": changes})


MERGER = [
    {"change": "merge", "code": "HG", "into_code": "TQ"},
    {"change": "rename", "code": "TQ", "name": "BHXH tỉnh Tuyên Quang (mới)"},
    {"change": "move", "code": "HGD01", "parent_code": "TQ"},
    {"change": "rename", "code": "HGD01", "name": "BHXH cơ sở Bắc Mê"},
    {"change": "merge", "code": "HGD02", "into_code": "TQD01"},
]


def units_on(api, day, **query):
    q = "&".join(f"{k}={v}" for k, v in query.items())
    return {u["code"]: (u["name"], u["parent_code"], u["level"])
            for u in api.get(f"/units?date={day}&page_size=500&{q}").get_json()["items"]}


def test_a_decision_applies_whole_and_is_recorded_with_its_act(api):
    world(api)
    r = decide(api, MERGER)
    assert r.status_code == 201, r.get_json()
    done = r.get_json()
    assert done["change_count"] == 5 and done["unit_count"] == 4 and done["version"] == 1
    before, after = units_on(api, "2025-06-30"), units_on(api, "2025-07-01")
    assert before["HGD01"] == ("BHXH huyện Bắc Mê", "HG", "district")
    assert after["HGD01"] == ("BHXH cơ sở Bắc Mê", "TQ", "district")
    assert "HG" in before and "HG" not in after and "HGD02" not in after
    assert after["TQ"][0] == "BHXH tỉnh Tuyên Quang (mới)"
    assert sorted(units_on(api, "2025-07-01", parent="TQ")) == ["HGD01", "TQD01"]
    assert sorted(units_on(api, "2025-06-30", parent="HG")) == ["HGD01", "HGD02"]
    # the decision, listed and in detail
    listed = api.get("/reorganisations").get_json()
    assert [d["number"] for d in listed["items"]] == ["1234/QĐ-BHXH"]
    detail = api.get(f"/reorganisations/{done['id']}").get_json()
    assert [c["change"] for c in detail["changes"]] == [c["change"] for c in MERGER]
    assert set(detail["units"]) == {"HG", "TQ", "HGD01", "HGD02"}  # TQD01 only receives
    assert detail["effective"] == "2025-07-01" and detail["basis"] == HEADER["basis"]
    # every unit event of the decision names it
    act = {"number": "1234/QĐ-BHXH", "signed": "2025-06-20", "issuer": "BHXH Việt Nam",
           "basis": "Nghị quyết 202/2025/QH15", "decision_id": done["id"]}
    for code in ("HG", "TQ", "HGD01", "HGD02"):
        changes = api.get(f"/units/{code}").get_json()["changes"]
        assert changes[0]["change"] == "registered"
        before = [c for c in changes if c["effective"] == "2020-01-01"]
        made = [c for c in changes if c["effective"] == "2025-07-01"]
        assert len(before) + len(made) == len(changes) and made, (code, changes)
        assert all(c["act"] is None for c in before) and all(c["act"] == act for c in made)
    hgd01 = api.get("/units/HGD01").get_json()["changes"]
    assert [(c["change"], c.get("parent_code"), c.get("name")) for c in hgd01[1:]] == [
        ("moved", "TQ", None), ("renamed", None, "BHXH cơ sở Bắc Mê")]
    merged = api.get("/units/HG").get_json()
    assert merged["end_status"] == "merged" and merged["merged_into"] == "TQ"


def test_the_same_decision_twice_is_refused_and_writes_nothing(api):
    world(api)
    assert decide(api, MERGER).status_code == 201
    head = api.services.runner.head()
    again = decide(api, [{"change": "rename", "code": "TQ", "name": "Khác"}],
                   number=" 1234 / qđ-bhxh ", issuer="bhxh  việt nam")
    assert again.status_code == 422 and again.get_json()["rule"] == "decision_recorded_once"
    assert api.services.runner.head() == head


def test_every_bad_row_is_named_and_nothing_is_written(api):
    world(api)
    head = api.services.runner.head()
    r = decide(api, [
        {"change": "rename", "code": "TQ", "name": "BHXH tỉnh Tuyên Quang (mới)"},
        {"change": "merge", "code": "HGD02", "into_code": "NOPE"},
        {"change": "teleport", "code": "HG"},
        {"change": "merge", "code": "HGD01", "into_code": "TQ"},
        {"change": "register", "code": "tq 2", "name": "", "level": "planet"},
        {"change": "move", "code": "HGD01", "parent_code": "TQ", "colour": "red"},
        {"change": "rename", "code": "HG", "name": "BHXH tỉnh Hà Giang"},
    ])
    assert r.status_code in (404, 422), r.get_json()
    body = r.get_json()
    assert r.status_code == 422
    assert body["rules"] == {
        "changes[1].into_code": "exists",
        "changes[2].change": "known_change",
        "changes[3].into_code": "merge_same_level",
        "changes[4].code": "code_format",
        "changes[4].name": "required",
        "changes[4].level": "known_level",
        "changes[5].colour": "change_fields",
        "changes[6].name": "name_unchanged",
    }, body
    assert set(body["errors"]) == set(body["rules"])
    assert api.services.runner.head() == head
    # the shape is right, the units' rules refuse: every such row named too
    r = decide(api, [
        {"change": "rename", "code": "HG", "name": "BHXH tỉnh Hà Giang"},
        {"change": "merge", "code": "HGD02", "into_code": "NOPE"},
        {"change": "merge", "code": "HGD01", "into_code": "TQ"},
    ])
    assert r.status_code == 422
    assert r.get_json()["rules"] == {"changes[0].name": "name_unchanged",
                                     "changes[1].into_code": "exists",
                                     "changes[2].into_code": "merge_same_level"}
    assert api.services.runner.head() == head
    assert units_on(api, "2025-07-01")["TQ"][0] == "BHXH tỉnh Tuyên Quang"


def test_only_the_standing_office_reorganises(api):
    world(api)
    api.user("officer", ["officer"], "TQ")
    r = decide(api, MERGER, who="officer")
    assert r.status_code == 403
    assert api.get("/reorganisations", who="officer").status_code == 200


def upload(api, content, filename, who="admin", **header):
    form = {**HEADER, **header, "file": (io.BytesIO(content), filename)}
    return api.post("/reorganisations", who, data=form, content_type="multipart/form-data")


CSV = ("change,code,name,level,parent_code,into_code\n"
       "merge,HG,,,,TQ\n"
       "rename,TQ,BHXH tỉnh Tuyên Quang (mới),,,\n"
       "move,HGD01,,,TQ,\n"
       "rename,HGD01,BHXH cơ sở Bắc Mê,,,\n"
       "merge,HGD02,,,,TQD01\n")


def test_a_csv_and_an_xlsx_file_are_the_same_decision(api):
    world(api)
    r = upload(api, CSV.encode("utf-8-sig"), "qd.csv")
    assert r.status_code == 201, r.get_json()
    assert units_on(api, "2025-07-01")["HGD01"] == ("BHXH cơ sở Bắc Mê", "TQ", "district")
    detail = api.get(f"/reorganisations/{r.get_json()['id']}").get_json()
    assert detail["changes"] == MERGER
    # the same rows in an XLSX, as another decision of another world
    book = Workbook()
    sheet = book.active
    for line in CSV.splitlines():
        sheet.append([c or None for c in line.split(",")])
    out = io.BytesIO()
    book.save(out)
    register(api, "X1", "BHXH tỉnh X", "province")
    r = upload(api, out.getvalue(), "qd.xlsx", number="99/QĐ-BHXH")
    assert r.status_code == 422, r.get_json()  # HG has already merged: row 0 is named
    assert r.get_json()["rules"]["changes[0].code"] == "unit_ended"


def test_a_bad_row_500_rows_down_in_a_csv_is_named_and_nothing_is_written(api):
    register(api, "P1", "BHXH tỉnh Một", "province")
    lines = ["change,code,name,level,parent_code,into_code"]
    lines += [f"register,P1D{i:03},BHXH huyện {i},district,P1," for i in range(600)]
    lines[501] = "register,P1D500,BHXH huyện 500,district,P9,"  # data row 500: no such province
    head = api.services.runner.head()
    r = upload(api, "\n".join(lines).encode(), "big.csv")
    assert r.status_code == 422, r.get_json()
    assert r.get_json()["rules"] == {"changes[500].parent_code": "exists"}
    assert api.services.runner.head() == head
    lines[501] = "register,P1D500,BHXH huyện 500,district,P1,"
    r = upload(api, "\n".join(lines).encode(), "big.csv")
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["change_count"] == 600 and r.get_json()["unit_count"] == 601
    assert len(units_on(api, "2025-07-01", parent="P1")) == 500  # a page of 500
    assert api.get("/units?date=2025-07-01&parent=P1").get_json()["total"] == 600


def test_an_xlsx_that_expands_past_its_bound_is_refused_unread(api):
    import zipfile

    register(api, "P1", "BHXH tỉnh Một", "province")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"<a>" + b" " * (20 * 1024 * 1024) + b"</a>")
    head = api.services.runner.head()
    r = upload(api, out.getvalue(), "bomb.xlsx")
    assert r.status_code == 413, r.get_json()
    assert r.get_json()["rule"] == "xlsx_expanded_size"
    r = upload(api, b"not a workbook", "x.xlsx")
    assert r.status_code == 422 and r.get_json()["rule"] == "xlsx_format"
    r = upload(api, b"a,b\n1,2\n", "x.txt")
    assert r.status_code == 422 and r.get_json()["rule"] == "file_type"
    r = upload(api, b"change,code,colour\nrename,P1,red\n", "x.csv")
    assert r.status_code == 422 and r.get_json()["rule"] == "change_columns"
    assert api.services.runner.head() == head


def test_a_file_is_read_only_once_the_right_is_granted(api):
    world(api)
    api.user("officer", ["officer"], "TQ")
    r = upload(api, b"\xff\xfe not utf-8", "x.csv", who="officer")
    assert r.status_code == 403


@pytest.mark.parametrize("hostile", ["1234\x00/QĐ", "1234\u202e/QĐ", "12\n34", "\u200b",
                                     "1234\udc80"])
def test_hostile_text_in_an_act_is_refused_naming_its_field(api, hostile):
    world(api)
    head = api.services.runner.head()
    body = {"name": "BHXH tỉnh Tuyên Quang (mới)", "effective": "2025-07-01",
            "act": {"number": hostile, "signed": "2025-06-20", "issuer": "BHXH Việt Nam"}}
    raw = json.dumps(body).encode()
    r = api.post("/units/TQ/rename", data=raw, content_type="application/json")
    assert r.status_code in (400, 422), r.get_json()
    assert any("number" in k for k in r.get_json()["errors"]), r.get_json()
    r = api.post("/reorganisations", data=json.dumps(
        {**HEADER, "issuer": hostile, "changes": MERGER}).encode(),
        content_type="application/json")
    assert r.status_code in (400, 422), r.get_json()
    assert any("issuer" in k for k in r.get_json()["errors"]), r.get_json()
    bad_row = [{"change": "rename", "code": "TQ", "name": f"BHXH {hostile}"}]
    r = api.post("/reorganisations", data=json.dumps({**HEADER, "changes": bad_row}).encode(),
                 content_type="application/json")
    assert r.status_code in (400, 422), r.get_json()
    assert any(k.startswith("changes[0]") for k in r.get_json()["errors"]), r.get_json()
    assert api.services.runner.head() == head


def test_the_domain_checks_the_act_whatever_path_it_came_by(app):
    from domain.kernel.errors import InvalidInput

    app.register_unit(ROOT, code="P1", name="BHXH tỉnh Một", level="province",
                      parent_code=None, effective="2020-01-01")
    for act, field in (({"number": "1\u202e", "signed": "2025-01-01", "issuer": "x"},
                        "act.number"),
                       ({"number": "1", "signed": "01/02/2025", "issuer": "x"}, "act.signed"),
                       ({"number": "1", "signed": "2025-01-01", "issuer": " "}, "act.issuer"),
                       ({"number": "1", "signed": "2025-01-01", "issuer": "x", "who": "y"},
                        "act.who"),
                       ("391/QĐ-BTC", "act")):
        with pytest.raises(InvalidInput) as e:
            app.rename_unit(ROOT, "P1", name="Khác", effective="2025-03-01", act=act)
        assert e.value.field == field, (act, e.value.errors)


def test_duplicate_codes_in_one_decision(api):
    world(api)
    r = decide(api, [
        {"change": "register", "code": "NEW1", "name": "BHXH tỉnh Mới", "level": "province"},
        {"change": "register", "code": "NEW1", "name": "BHXH tỉnh Mới 2", "level": "province"},
        {"change": "merge", "code": "HGD01", "into_code": "TQD01"},
        {"change": "merge", "code": "HGD01", "into_code": "TQD01"},
        {"change": "register", "code": "TQ", "name": "BHXH tỉnh Tuyên Quang", "level":
         "province"},
    ])
    assert r.status_code == 422
    assert r.get_json()["rules"] == {"changes[1].code": "unique_code",
                                     "changes[3].code": "unit_ended",
                                     "changes[4].code": "unique_code"}


def test_a_merger_into_a_unit_the_same_decision_dissolves_is_refused(api):
    world(api)
    r = decide(api, [
        {"change": "merge", "code": "HGD01", "into_code": "HGD02"},
        {"change": "dissolve", "code": "HGD02"},
        {"change": "dissolve", "code": "TQD01"},
        {"change": "merge", "code": "TQD01", "into_code": "HGD02"},
    ])
    assert r.status_code == 422
    assert r.get_json()["rules"] == {"changes[0].into_code": "successor_remains",
                                     "changes[3].code": "unit_ended"}
    # and the other order: the target has ended when the merger comes
    r = decide(api, [{"change": "dissolve", "code": "HGD02"},
                     {"change": "merge", "code": "HGD01", "into_code": "HGD02"}])
    assert r.get_json()["rules"] == {"changes[1].into_code": "merge_into_active"}


def test_an_effective_date_before_a_units_start_is_refused(api):
    world(api)
    register(api, "LATE", "BHXH tỉnh Mới", "province", effective="2026-01-01")
    r = decide(api, [{"change": "rename", "code": "LATE", "name": "Khác"},
                     {"change": "merge", "code": "TQ", "into_code": "LATE"},
                     {"change": "register", "code": "LATED1", "name": "BHXH huyện X",
                      "level": "district", "parent_code": "LATE"}])
    assert r.status_code == 422
    assert r.get_json()["rules"] == {"changes[0].code": "effective_after_last_change",
                                     "changes[1].into_code": "merge_into_active",
                                     "changes[2].parent_code": "parent_active"}


def test_a_split_ends_the_unit_and_names_its_parts(api):
    world(api)
    r = decide(api, [
        {"change": "register", "code": "HGD01A", "name": "BHXH cơ sở Bắc Mê A",
         "level": "district", "parent_code": "TQ"},
        {"change": "register", "code": "HGD01B", "name": "BHXH cơ sở Bắc Mê B",
         "level": "district", "parent_code": "HG"},
        {"change": "split", "code": "HGD01", "into_codes": ["HGD01A", "HGD01B"]},
    ])
    assert r.status_code == 201, r.get_json()
    unit = api.get("/units/HGD01").get_json()
    assert unit["end_status"] == "split" and unit["ended"] == "2025-07-01"
    assert unit["changes"][-1]["change"] == "split"
    assert unit["changes"][-1]["into_codes"] == ["HGD01A", "HGD01B"]
    assert sorted(units_on(api, "2025-07-01", parent="HG")) == ["HGD01B", "HGD02"]
    r = decide(api, [{"change": "split", "code": "HGD02", "into_codes": ["HGD02"]},
                     {"change": "split", "code": "TQD01", "into_codes": ["HG", "TQ"]}],
               number="2/QĐ")
    assert r.get_json()["rules"] == {"changes[0].into_codes": "split_two_parts",
                                     "changes[1].into_codes[0]": "split_same_level"}


def test_a_change_of_level_starts_a_new_record_with_the_new_level(api):
    world(api)
    r = decide(api, [
        {"change": "move", "code": "HGD02", "parent_code": "TQ"},
        {"change": "relevel", "code": "HGD01", "level": "province"},
        {"change": "relevel", "code": "TQD01", "level": "district", "parent_code": "HGD01"},
    ])
    assert r.status_code == 422
    assert r.get_json()["rules"] == {"changes[2].level": "level_unchanged"}
    r = decide(api, [
        {"change": "relevel", "code": "HGD01", "level": "province"},
        {"change": "move", "code": "TQD01", "parent_code": "HGD01"},
        {"change": "relevel", "code": "HGD02", "level": "central", "parent_code": "TQ"},
    ], number="3/QĐ")
    assert r.get_json()["rules"] == {"changes[2].parent_code": "only_district_has_parent"}
    r = decide(api, [
        {"change": "relevel", "code": "HGD01", "level": "province"},
        {"change": "move", "code": "TQD01", "parent_code": "HGD01"},
    ], number="4/QĐ")
    assert r.status_code == 201, r.get_json()
    assert units_on(api, "2025-06-30")["HGD01"] == ("BHXH huyện Bắc Mê", "HG", "district")
    assert units_on(api, "2025-07-01")["HGD01"] == ("BHXH huyện Bắc Mê", None, "province")
    assert sorted(units_on(api, "2025-07-01", level="province")) == ["HG", "HGD01", "TQ"]
    assert sorted(units_on(api, "2025-07-01", parent="HGD01")) == ["TQD01"]
    assert sorted(units_on(api, "2025-07-01", parent="HG")) == ["HGD02"]
    assert api.get("/units/HGD01").get_json()["level"] == "province"


def test_the_command_line_records_a_json_or_a_csv_decision(api, flask_app, tmp_path):
    world(api)
    cli = flask_app.test_cli_runner()
    decision = tmp_path / "qd.json"
    decision.write_text(json.dumps({**HEADER, "changes": MERGER}, ensure_ascii=False),
                        encoding="utf-8")
    out = cli.invoke(args=["units", "reorganise", str(decision)])
    assert out.exit_code == 0, out.output
    assert "5 change(s) to 4 unit(s)" in out.output
    out = cli.invoke(args=["units", "reorganise", str(decision)])
    assert out.exit_code != 0 and "already recorded" in out.output
    table = tmp_path / "qd2.csv"
    table.write_text("change,code,name\nrename,TQ,BHXH tỉnh Tuyên Quang\n", encoding="utf-8")
    out = cli.invoke(args=["units", "reorganise", str(table)])
    assert out.exit_code != 0 and "--number" in out.output
    out = cli.invoke(args=["units", "reorganise", str(table), "--number", "5/QĐ", "--signed",
                           "2025-08-01", "--issuer", "BHXH Việt Nam", "--basis", "Điều lệ",
                           "--effective", "2025-08-01"])
    assert out.exit_code == 0, out.output
    api.last_position = api.services.runner.head()  # read what the command wrote
    assert units_on(api, "2025-08-01")["TQ"][0] == "BHXH tỉnh Tuyên Quang"
    bad = tmp_path / "bad.csv"
    bad.write_text("change,code,into_code\nmerge,TQD01,NOPE\n", encoding="utf-8")
    out = cli.invoke(args=["units", "reorganise", str(bad), "--number", "6/QĐ", "--signed",
                           "2025-08-01", "--issuer", "BHXH Việt Nam", "--basis", "Điều lệ",
                           "--effective", "2025-08-01"])
    assert out.exit_code != 0 and "changes[0].into_code" in out.output


# -- a merged or dissolved province says what becomes of its district offices -----------------

def test_a_province_is_not_merged_or_dissolved_alone_while_it_has_district_offices(api):
    world(api)
    head = api.services.runner.head()
    r = api.post("/units/HG/merge", json={"into_code": "TQ", "effective": "2025-07-01"})
    assert r.status_code == 422 and r.get_json()["rule"] == "merge_without_districts"
    assert "HGD01" in r.get_json()["message"] and "HGD02" in r.get_json()["message"]
    r = api.post("/units/HG/dissolve", json={"effective": "2025-07-01"})
    assert r.status_code == 422 and r.get_json()["rule"] == "dissolve_without_districts"
    assert "HGD01, HGD02" in r.get_json()["message"]
    # in a decision, leaving one of them under the ended province is refused, naming it
    r = decide(api, [{"change": "move", "code": "HGD01", "parent_code": "TQ"},
                     {"change": "merge", "code": "HG", "into_code": "TQ"}])
    assert r.status_code == 422
    assert r.get_json()["rules"] == {"changes[1].code": "districts_not_orphaned"}
    assert "HGD02" in r.get_json()["errors"]["changes[1].code"][0]
    assert "HGD01" not in r.get_json()["errors"]["changes[1].code"][0]
    r = decide(api, [{"change": "relevel", "code": "HG", "level": "central"}])
    assert r.get_json()["rules"] == {"changes[0].code": "districts_not_orphaned"}
    assert api.services.runner.head() == head
    # the orphans stay active under a province that could still publish a partition: no
    assert sorted(units_on(api, "2025-07-01", parent="HG")) == ["HGD01", "HGD02"]


@pytest.mark.parametrize("province_first", [True, False])
def test_a_complete_decision_settles_every_district_before_or_after_the_provinces_row(
        api, province_first):
    world(api)
    register(api, "HGD03", "BHXH huyện Đồng Văn", "district", "HG")
    province = [{"change": "register", "code": "TQN", "name": "BHXH tỉnh Tuyên Quang",
                 "level": "province"},
                {"change": "merge", "code": "HG", "into_code": "TQN"},
                {"change": "merge", "code": "TQ", "into_code": "TQN"}]
    districts = [{"change": "move", "code": "HGD01", "parent_code": "TQN"},
                 {"change": "merge", "code": "HGD02", "into_code": "HGD01"},
                 {"change": "dissolve", "code": "HGD03"},
                 {"change": "move", "code": "TQD01", "parent_code": "TQN"},
                 {"change": "rename", "code": "HGD01", "name": "BHXH cơ sở Bắc Mê"}]
    # or the new province first, the districts, then the old provinces' mergers
    rows = province + districts if province_first else province[:1] + districts + province[1:]
    r = decide(api, rows)
    assert r.status_code == 201, r.get_json()
    assert sorted(units_on(api, "2025-07-01", parent="TQN")) == ["HGD01", "TQD01"]
    assert sorted(units_on(api, "2025-06-30", parent="HG")) == ["HGD01", "HGD02", "HGD03"]
    assert sorted(units_on(api, "2025-06-30", parent="TQ")) == ["TQD01"]
    assert units_on(api, "2025-07-01", parent="HG") == {}
    assert units_on(api, "2025-06-30", parent="TQN") == {}
    assert sorted(units_on(api, "2025-07-01", level="province")) == ["TQN"]
    assert sorted(units_on(api, "2025-06-30", level="province")) == ["HG", "TQ"]


# -- the README's example -----------------------------------------------------------------------

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


def example_world(api):
    register(api, "HAG", "BHXH tỉnh Hà Giang", "province")
    register(api, "TQG", "BHXH tỉnh Tuyên Quang", "province")
    for code, name, parent in (("HAG01", "BHXH huyện Bắc Mê", "HAG"),
                               ("HAG02", "BHXH huyện Yên Minh", "HAG"),
                               ("HAG03", "BHXH huyện Đồng Văn - Mèo Vạc", "HAG"),
                               ("TQG01", "BHXH huyện Hàm Yên", "TQG")):
        register(api, code, name, "district", parent)


@pytest.mark.parametrize("kind", ["json", "csv"])
def test_the_readme_example_file_and_its_csv_twin_are_accepted_as_one_decision(api, kind):
    readme = (EXAMPLES.parents[1] / "README.md").read_text(encoding="utf-8")
    assert f"docs/examples/reorganisation.{kind}" in readme
    example_world(api)
    body = json.loads((EXAMPLES / "reorganisation.json").read_text(encoding="utf-8"))
    if kind == "json":
        r = api.post("/reorganisations", json=body)
    else:
        header = {k: v for k, v in body.items() if k != "changes"}
        r = upload(api, (EXAMPLES / "reorganisation.csv").read_bytes(), "reorganisation.csv",
                   **header)
    assert r.status_code == 201, r.get_json()
    assert sorted(units_on(api, "2025-07-01", parent="TQG")) == ["HAG01", "TQG01", "TQG02",
                                                                  "TQG03"]
    assert sorted(units_on(api, "2025-06-30", parent="HAG")) == ["HAG01", "HAG02", "HAG03"]
    assert sorted(units_on(api, "2025-07-01", level="province")) == ["TQG"]
    assert api.get("/units/HAG03").get_json()["end_status"] == "split"
    detail = api.get(f"/reorganisations/{r.get_json()['id']}").get_json()
    assert detail["changes"] == body["changes"]  # the CSV says exactly what the JSON says


def test_the_views_rebuilt_from_the_events_equal_the_live_ones_after_decisions(api):
    from tests.support.replay import replay, wait_all

    world(api)
    assert decide(api, MERGER).status_code == 201
    r = decide(api, [{"change": "relevel", "code": "HGD01", "level": "province"},
                     {"change": "move", "code": "TQD01", "parent_code": "HGD01"}],
               number="2/QĐ", effective="2025-09-30")
    assert r.status_code == 201, r.get_json()
    wait_all(api.services)
    report = replay(api.services, year=None)
    assert report.equal, str(report)
    assert report.tables["reorganisations"] == 2 and report.tables["unit_periods"] >= 8

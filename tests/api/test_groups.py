"""Groups, membership rules, district partitions (f(N)) and the atomic membership list."""

import io

import pytest
from openpyxl import Workbook

from domain.organisation.partition import district_cluster_count
from tests.support.core import ROOT

YEAR = 2024


def province(app, code, n):
    app.register_unit(ROOT, code=code, name=f"BHXH tỉnh {code}", level="province",
                      parent_code=None, effective="2020-01-01")
    for i in range(1, n + 1):
        app.register_unit(ROOT, code=f"{code}D{i:02d}", name=f"BHXH huyện {i} ({code})",
                          level="district", parent_code=code, effective="2020-01-01")
    return [f"{code}D{i:02d}" for i in range(1, n + 1)]


def central(app, *codes):
    for c in codes:
        app.register_unit(ROOT, code=c, name=f"Đơn vị {c}", level="central", parent_code=None,
                          effective="2020-01-01")


def split(items, k):
    size, extra = divmod(len(items), k)
    out, start = [], 0
    for i in range(k):
        end = start + size + (1 if i < extra else 0)
        out.append(items[start:end])
        start = end
    return out


def partition(api, code, districts, k, who="admin"):
    clusters = [{"code": f"C{i + 1}", "name": f"Cụm {i + 1}", "members": m}
                for i, m in enumerate(split(districts, k)) if m]
    return api.post("/district-partitions", who, json={
        "year": YEAR, "province_code": code, "clusters": clusters,
        "scale": {"thu_bhxh_ty_dong": 1234},
        "decision": {"number": "12/QĐ-BHXH", "date": "2024-01-05"}})


@pytest.mark.parametrize("n", [9, 10, 14, 15, 19, 20, 24, 25])
def test_partition_follows_f_of_n_at_every_boundary(api, n):
    code = f"N{n}"
    districts = province(api.services.app, code, n)
    expected = district_cluster_count(n)
    for wrong in (expected - 1, expected + 1):
        if wrong < 1:
            continue
        r = partition(api, code, districts, wrong)
        assert r.status_code == 422, r.get_json()
        body = r.get_json()
        assert body["rule"] == "district_cluster_count"
        assert f"N = {n}" in body["message"] and f"f({n}) = {expected}" in body["message"]
        assert body["errors"]["expected_clusters"] == [expected]
        assert body["errors"]["district_count"] == [n]
    r = partition(api, code, districts, expected)
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["cluster_count"] == expected
    listed = api.get(f"/district-partitions?year={YEAR}&province={code}").get_json()["items"]
    assert len(listed) == 1 and listed[0]["district_count"] == n
    assert sorted(m for c in listed[0]["clusters"] for m in c["members"]) == districts
    assert listed[0]["scale"] == {"thu_bhxh_ty_dong": 1234}


def test_every_district_in_exactly_one_cluster(api):
    districts = province(api.services.app, "P12", 12)
    clusters = [{"code": "C1", "name": "Cụm 1", "members": districts[:6]},
                {"code": "C2", "name": "Cụm 2", "members": districts[5:11]}]
    r = api.post("/district-partitions", json={"year": YEAR, "province_code": "P12",
                                               "clusters": clusters})
    assert r.status_code == 422 and r.get_json()["rule"] == "district_in_exactly_one_cluster"
    assert "clusters[1].members[0]" in r.get_json()["errors"]
    clusters[1]["members"] = districts[6:11]
    r = api.post("/district-partitions", json={"year": YEAR, "province_code": "P12",
                                               "clusters": clusters})
    assert r.status_code == 422 and "P12D12" in r.get_json()["message"]
    other = province(api.services.app, "P13", 1)
    clusters[1]["members"] = [*districts[6:], other[0]]
    r = api.post("/district-partitions", json={"year": YEAR, "province_code": "P12",
                                               "clusters": clusters})
    assert r.status_code == 422 and r.get_json()["rule"] == "district_cluster_same_province"


def test_a_province_partitions_its_own_districts_only(api):
    districts = province(api.services.app, "P14", 3)
    province(api.services.app, "P15", 1)
    api.user("officer14", ["officer"], "P14")
    api.user("officer15", ["officer"], "P15")
    r = partition(api, "P14", districts, 1, who="officer15")
    assert r.status_code == 403 and r.get_json()["rule"] == "district_partition.publish"
    assert partition(api, "P14", districts, 1, who="officer14").status_code == 201


def test_membership_rules_for_blocks_and_clusters(api):
    app = api.services.app
    central(app, "BAN1", "BAN2", "VU1")
    province(app, "P20", 1)
    province(app, "P21", 0)
    r = api.post("/groups", json={"year": YEAR, "kind": "block", "code": "K1",
                                  "name": "Khối 1", "members": ["BAN1", "P20"]})
    assert r.status_code == 422 and r.get_json()["rule"] == "block_member_level"
    assert "members[1]" in r.get_json()["errors"]
    r = api.post("/groups", json={"year": YEAR, "kind": "provincial_cluster", "code": "C1",
                                  "name": "Cụm 1", "members": ["P20", "P20D01"]})
    assert r.status_code == 422 and r.get_json()["rule"] == "provincial_cluster_member_level"
    r = api.post("/groups", json={"year": YEAR, "kind": "district_cluster", "code": "X",
                                  "name": "x", "members": []})
    assert r.status_code == 422
    k1 = api.post("/groups", json={"year": YEAR, "kind": "block", "code": "K1",
                                   "name": "Khối 1", "members": ["BAN1", "BAN2"]})
    assert k1.status_code == 201, k1.get_json()
    r = api.post("/groups", json={"year": YEAR, "kind": "block", "code": "K2",
                                  "name": "Khối 2", "members": ["VU1", "BAN2"]})
    assert r.status_code == 422 and r.get_json()["rule"] == "one_group_per_kind_at_a_time"
    r = api.post("/groups", json={"year": YEAR + 1, "kind": "block", "code": "K2",
                                  "name": "Khối 2", "members": ["VU1", "BAN2"]})
    assert r.status_code == 201, "another year is another membership"
    c1 = api.post("/groups", json={"year": YEAR, "kind": "provincial_cluster", "code": "C1",
                                   "name": "Cụm 1", "members": ["P20"]})
    assert c1.status_code == 201
    gid = c1.get_json()["id"]
    r = api.post(f"/groups/{gid}/members", json={"year": YEAR, "members": ["P21"]})
    assert r.status_code == 200 and r.get_json()["members"] == 2
    group = api.get(f"/groups/{gid}").get_json()
    assert [m["code"] for m in group["members"]] == ["P20", "P21"]
    r = api.delete(f"/groups/{gid}/members/P21", json={"year": YEAR, "reason": "chuyển cụm"})
    assert r.status_code == 200 and r.get_json()["members"] == 1
    found = api.get(f"/groups?year={YEAR}&member=BAN2").get_json()["items"]
    assert [g["code"] for g in found] == ["K1"]


def _csv(rows):
    text = "kind,group_code,group_name,unit_code,province_code\n" + "\n".join(
        ",".join(r) for r in rows) + "\n"
    return text.encode("utf-8-sig")


def test_membership_list_applies_whole_or_nothing(api):
    app = api.services.app
    central(app, "B1", "B2", "B3")
    d = province(app, "P30", 11)
    province(app, "P31", 0)
    bad = _csv([
        ("block", "K1", "Khối 1", "B1", ""),
        ("block", "K1", "Khối 1", "P30", ""),            # a province in a block
        ("block", "K2", "Khối 2", "B1", ""),              # B1 in two blocks
        ("provincial_cluster", "C1", "Cụm 1", "NOPE", ""),  # unknown unit
        *[("district_cluster", "H1", "Cụm huyện 1", x, "P30") for x in d],  # 1 cluster, f(11)=2
    ])
    head = app.recorder.max_notification_id()
    r = api.post("/membership-lists", data={
        "year": str(YEAR), "document_number": "4268/BHXH-TĐKT", "document_date": "2021-12-22",
        "file": (io.BytesIO(bad), "danh-sach.csv")}, content_type="multipart/form-data")
    assert r.status_code == 422, r.get_json()
    errors = r.get_json()["errors"]
    assert {"row 3", "row 4", "row 5", "province P30"} <= set(errors), errors
    assert "f(11) = 2" in errors["province P30"][0]
    assert app.recorder.max_notification_id() == head, "nothing is written"

    book = Workbook()
    sheet = book.active
    sheet.append(["Loại", "Mã nhóm", "Tên nhóm", "Mã đơn vị", "Mã tỉnh"])
    for code in ("B1", "B2"):
        sheet.append(["Khối", "K1", "Khối thi đua số 1", code, None])
    sheet.append(["Khối", "K2", "Khối thi đua số 2", "B3", None])
    for code in ("P30", "P31"):
        sheet.append(["Cụm", "C1", "Cụm thi đua số 1", code, None])
    for i, x in enumerate(d):
        sheet.append(["Cụm cấp huyện", f"H{1 + i % 2}", f"Cụm huyện {1 + i % 2}", x, "P30"])
    buf = io.BytesIO()
    book.save(buf)
    r = api.post("/membership-lists", data={
        "year": str(YEAR), "document_number": "4268/BHXH-TĐKT", "document_date": "2021-12-22",
        "file": (io.BytesIO(buf.getvalue()), "danh-sach.xlsx")},
        content_type="multipart/form-data")
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["groups"] == 5
    groups = api.get(f"/groups?year={YEAR}").get_json()["items"]
    assert {(g["kind"], g["code"], g["member_count"]) for g in groups} == {
        ("block", "K1", 2), ("block", "K2", 1), ("provincial_cluster", "C1", 2),
        ("district_cluster", "H1", 6), ("district_cluster", "H2", 5)}
    decisions = api.get(f"/membership-lists?year={YEAR}").get_json()["items"]
    assert decisions[0]["document_number"] == "4268/BHXH-TĐKT"
    assert decisions[0]["rows"] == 16


def test_membership_list_bad_form(api):
    r = api.post("/membership-lists", data={"year": "abc", "document_number": "x",
                                            "document_date": "2021-12-22",
                                            "file": (io.BytesIO(b"x"), "a.csv")},
                 content_type="multipart/form-data")
    assert r.status_code == 422 and "year" in r.get_json()["errors"]
    r = api.post("/membership-lists", data={"year": "2024", "document_number": "x",
                                            "document_date": "2021-12-22"},
                 content_type="multipart/form-data")
    assert r.status_code == 422 and "file" in r.get_json()["errors"]


# -- uploads: the right first, then a bounded read ---------------------------------------------
def _bomb_xlsx(expanded: int) -> bytes:
    """A real workbook whose sheet unpacks to ``expanded`` bytes; the file is a few KB."""
    import zipfile

    book = Workbook()
    book.active.append(["kind", "group_code", "group_name", "unit_code"])
    buf = io.BytesIO()
    book.save(buf)
    src, out = zipfile.ZipFile(io.BytesIO(buf.getvalue())), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", b'<row r="2"><c r="A2" t="inlineStr"><is>'
                                    b"<t>" + b"K" * expanded + b"</t></is></c></row></sheetData>")
            z.writestr(info.filename, data)
    return out.getvalue()


def _upload(api, who, content, name):
    return api.post("/membership-lists", who, data={
        "year": str(YEAR), "document_number": "4268/BHXH-TĐKT", "document_date": "2021-12-22",
        "file": (io.BytesIO(content), name)}, content_type="multipart/form-data")


@pytest.fixture
def reads(monkeypatch):
    """Every file the bounded reader is asked to read."""
    from domain.organisation import membership_list

    calls = []
    real = membership_list.read_table

    def counted(*args, **kwargs):
        calls.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(membership_list, "read_table", counted)
    return calls


def test_an_officers_upload_is_refused_before_the_file_is_read(api, reads):
    app = api.services.app
    central(app, "B1")
    province(app, "P30", 0)
    api.user("can.bo", ["officer", "unit_head"], "P30")
    head = app.recorder.max_notification_id()
    bomb = _bomb_xlsx(40 * 1024 * 1024)
    assert len(bomb) < 100_000
    for content, name in ((bomb, "bomb.xlsx"), (b"not a workbook", "broken.xlsx"),
                          (b"\xff\xfe", "broken.csv"), (b"kind\n" * 100_000, "long.csv")):
        r = _upload(api, "can.bo", content, name)
        assert r.status_code == 403, (name, r.get_json())
        assert r.get_json()["rule"] == "membership.import"
    assert reads == [], "no file was read for a user without the right"
    assert app.recorder.max_notification_id() == head
    # the standing office's file is read
    r = _upload(api, "admin", _csv([("block", "K1", "Khối 1", "B1", "")]), "ok.csv")
    assert r.status_code == 201, r.get_json()
    assert reads == ["ok.csv"]


def test_a_zip_bomb_or_an_over_long_list_is_refused_naming_the_limit(api):
    app = api.services.app
    central(app, "B1")
    head = app.recorder.max_notification_id()
    r = _upload(api, "admin", _bomb_xlsx(40 * 1024 * 1024), "bomb.xlsx")
    assert r.status_code == 413, r.get_json()
    body = r.get_json()
    assert body["rule"] == "xlsx_expanded_size" and "at most 8.0 MiB" in body["message"]
    assert body["errors"] == {"file": [body["message"]]}
    r = _upload(api, "admin", b"kind,group_code,group_name,unit_code\n"
                + b"block,K1,Khoi 1,B1\n" * 250_000, "long.csv")
    assert r.status_code == 413, r.get_json()
    assert r.get_json()["rule"] == "table_rows" and "20,001 rows" in r.get_json()["message"]
    r = _upload(api, "admin", b"kind,group_code,group_name,unit_code\nblock,K1,"
                + "Khối".encode() * 400 + b",B1\n", "cell.csv")
    assert r.status_code == 413 and r.get_json()["rule"] == "cell_length", r.get_json()
    assert "Row 2, column 3" in r.get_json()["message"]
    assert app.recorder.max_notification_id() == head, "nothing is written"


def test_a_group_write_answers_its_own_version_when_another_follows_at_once(api,
                                                                            monkeypatch):
    """The answer's version is the one this write made, taken from what it saved: another
    officer's write landing between the commit and the answer does not leak into it."""
    app = api.services.app
    central(app, "GA1", "GA2")
    real_commit = app.commit
    made: list[int] = []
    follow = [lambda: app.form_group(ROOT, year=YEAR, kind="block", code="K2",
                                     name="Khối 2", members=["GA2"])]

    def commit_then_another_write(*aggregates):
        position = real_commit(*aggregates)
        if follow:
            made.append(app.group_year(YEAR).version)
            follow.pop()()  # a real write by someone else, before this answer is built
        return position

    monkeypatch.setattr(app, "commit", commit_then_another_write)
    r = api.post("/groups", json={"year": YEAR, "kind": "block", "code": "K1",
                                  "name": "Khối 1", "members": ["GA1"]})
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["version"] == made[0] < app.group_year(YEAR).version

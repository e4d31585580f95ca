"""A membership list sent again (a second upload, a retry without a key) is known for what it
is: 200 with ``already_applied``, nothing recorded twice. Another document, another day or
other memberships is another list, applied as before."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook

from tests.support.core import ROOT

YEAR = 2024
ROWS = [("block", "K1", "Khối 1", "B1", ""), ("block", "K1", "Khối 1", "B2", ""),
        ("provincial_cluster", "C1", "Cụm 1", "P30", ""),
        *[("district_cluster", f"H{1 + i % 2}", f"Cụm huyện {1 + i % 2}", f"P30D{i:02d}", "P30")
          for i in range(1, 12)]]


def organisation(app: Any) -> None:
    for code in ("B1", "B2", "B3"):
        app.register_unit(ROOT, code=code, name=f"Đơn vị {code}", level="central",
                          parent_code=None, effective="2020-01-01")
    app.register_unit(ROOT, code="P30", name="BHXH tỉnh P30", level="province",
                      parent_code=None, effective="2020-01-01")
    for i in range(1, 12):
        app.register_unit(ROOT, code=f"P30D{i:02d}", name=f"BHXH huyện {i}", level="district",
                          parent_code="P30", effective="2020-01-01")


def as_csv(rows: list[tuple[str, ...]]) -> bytes:
    lines = ["kind,group_code,group_name,unit_code,province_code"] + [",".join(r) for r in rows]
    return ("\n".join(lines) + "\n").encode("utf-8-sig")


def as_xlsx(rows: list[tuple[str, ...]]) -> bytes:
    book = Workbook()
    book.active.append(["Loại", "Mã nhóm", "Tên nhóm", "Mã đơn vị", "Mã tỉnh"])
    words = {"block": "Khối", "provincial_cluster": "Cụm", "district_cluster": "Cụm cấp huyện"}
    for kind, *rest in rows:
        book.active.append([words[kind], *rest])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(api: Any, content: bytes, name: str, number: str = "4268/BHXH-TĐKT",
           **form: str) -> Any:
    return api.post("/membership-lists", data={
        "year": str(YEAR), "document_number": number, "document_date": "2021-12-22",
        **form, "file": (io.BytesIO(content), name)}, content_type="multipart/form-data")


def test_the_same_list_again_is_already_applied(api):
    app = api.services.app
    organisation(app)
    first = upload(api, as_csv(ROWS), "danh-sach.csv")
    assert first.status_code == 201, first.get_json()
    assert first.get_json().get("already_applied") in (None, False)
    head = app.recorder.max_notification_id()
    version = app.group_year(YEAR).version

    # the same list: as CSV again, as XLSX in Vietnamese, with the rows in another order and
    # the number with surrounding spaces
    for content, name, number in [
            (as_csv(ROWS), "danh-sach (1).csv", "4268/BHXH-TĐKT"),
            (as_xlsx(list(reversed(ROWS))), "danh-sach.xlsx", " 4268/BHXH-TĐKT ")]:
        r = upload(api, content, name, number)
        body = r.get_json()
        assert r.status_code == 200, body
        assert body["already_applied"] is True and body["position"] is None
        assert body["document_number"] == "4268/BHXH-TĐKT" and body["groups"] == 4
        assert app.recorder.max_notification_id() == head, "nothing recorded twice"
    assert app.group_year(YEAR).version == version
    decisions = api.get(f"/membership-lists?year={YEAR}").get_json()
    assert decisions["total"] == 1

    # already applied, even after the groups were changed by hand since
    k1 = next(g for g in api.get(f"/groups?year={YEAR}").get_json()["items"]
              if g["code"] == "K1")
    assert api.post(f"/groups/{k1['id']}/members", json={"year": YEAR, "members": ["B3"]}
                    ).status_code == 200
    r = upload(api, as_csv(ROWS), "danh-sach.csv")
    assert r.status_code == 200 and r.get_json()["already_applied"] is True

    # another list: other memberships, another effective day, another document
    moved = [r if r[3] != "B2" else ("block", "K2", "Khối 2", "B2", "") for r in ROWS]
    for content, number, form in [(as_csv(ROWS), "4268/BHXH-TĐKT", {"effective": "2024-07-01"}),
                                  (as_csv(ROWS), "12/QĐ-BHXH", {}),
                                  (as_csv(moved), "4268/BHXH-TĐKT", {})]:
        r = upload(api, content, "danh-sach.csv", number, **form)
        assert r.status_code == 201, r.get_json()
        assert r.get_json()["position"] > head
        head = r.get_json()["position"]
        again = upload(api, content, "danh-sach.csv", number, **form)
        assert again.status_code == 200 and again.get_json()["already_applied"] is True
    assert api.get(f"/membership-lists?year={YEAR}").get_json()["total"] == 4


def test_a_list_with_errors_is_never_already_applied(api):
    app = api.services.app
    organisation(app)
    bad = [*ROWS, ("block", "K1", "Khối 1", "NOPE", "")]
    for _ in range(2):
        r = upload(api, as_csv(bad), "danh-sach.csv")
        assert r.status_code == 422 and r.get_json()["rule"] == "list_rows", r.get_json()
    assert upload(api, as_csv(ROWS), "danh-sach.csv").status_code == 201


def test_the_register_remembers_its_lists_from_its_events(memory_app):
    """The fingerprint kept by the aggregate comes from the event itself, so a register
    rebuilt from the store knows the lists it applied."""
    from domain.organisation.groups import GroupYear

    app = memory_app
    organisation(app)
    done = app.import_membership_list(ROOT, year=YEAR, content=as_csv(ROWS),
                                      filename="danh-sach.csv",
                                      document_number="4268/BHXH-TĐKT",
                                      document_date="2021-12-22")
    assert done.position and not done.view.get("already_applied")
    rebuilt = app.repository.get(GroupYear.create_id(YEAR))
    assert len(rebuilt.list_prints) == 1
    again = app.import_membership_list(ROOT, year=YEAR, content=as_csv(ROWS),
                                       filename="danh-sach.csv",
                                       document_number="4268/BHXH-TĐKT",
                                       document_date="2021-12-22")
    assert again.view["already_applied"] is True and again.position == 0

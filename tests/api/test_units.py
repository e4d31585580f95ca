"""Units through the API: register, rename, move, merge, dissolve, and 'which units on date D'."""

import threading

from tests.support.core import ROOT


def register(api, code, name, level, parent=None, effective="2020-01-01", who="admin"):
    body = {"code": code, "name": name, "level": level, "effective": effective}
    if parent:
        body["parent_code"] = parent
    return api.post("/units", who, json=body)


def test_unit_life_and_names_on_a_date(api):
    assert register(api, "P01", "BHXH tỉnh Hà Tây", "province").status_code == 201
    assert register(api, "P02", "BHXH thành phố Hà Nội", "province").status_code == 201
    assert register(api, "P01D01", "BHXH huyện Ba Vì", "district", "P01").status_code == 201
    r = api.post("/units/P01D01/rename", json={"name": "BHXH huyện Ba Vì mới",
                                               "effective": "2021-06-01"})
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["version"] == 2
    r = api.post("/units/P01D01/move", json={"parent_code": "P02", "effective": "2022-01-01"})
    assert r.status_code == 200, r.get_json()
    r = api.post("/units/P01/merge", json={"into_code": "P02", "effective": "2023-01-01"})
    assert r.status_code == 200, r.get_json()

    on = {d: {u["code"]: (u["name"], u["parent_code"])
              for u in api.get(f"/units?date={d}").get_json()["items"]}
          for d in ("2020-06-01", "2021-07-01", "2022-06-01", "2023-06-01")}
    assert on["2020-06-01"]["P01D01"] == ("BHXH huyện Ba Vì", "P01")
    assert on["2021-07-01"]["P01D01"] == ("BHXH huyện Ba Vì mới", "P01")
    assert on["2022-06-01"]["P01D01"] == ("BHXH huyện Ba Vì mới", "P02")
    assert "P01" in on["2022-06-01"] and "P01" not in on["2023-06-01"]
    assert "P01D01" not in api.get("/units?date=2019-12-31").get_json()["items"]

    detail = api.get("/units/P01D01").get_json()
    assert [(h["start"], h["end"], h["parent_code"]) for h in detail["history"]] == [
        ("2020-01-01", "2021-06-01", "P01"), ("2021-06-01", "2022-01-01", "P01"),
        ("2022-01-01", None, "P02")]
    merged = api.get("/units/P01").get_json()
    assert merged["end_status"] == "merged" and merged["merged_into"] == "P02"
    districts = api.get("/units?level=district&parent=P02&date=2022-06-01").get_json()
    assert [u["code"] for u in districts["items"]] == ["P01D01"]


def test_dissolve_needs_no_active_districts(api):
    register(api, "P05", "BHXH tỉnh Sơn La", "province")
    register(api, "P05D01", "BHXH huyện Mộc Châu", "district", "P05")
    r = api.post("/units/P05/dissolve", json={"effective": "2025-07-01"})
    assert r.status_code == 422
    assert r.get_json()["rule"] == "dissolve_without_districts"
    assert api.post("/units/P05D01/dissolve", json={"effective": "2025-07-01"}).status_code == 200
    assert api.post("/units/P05/dissolve", json={"effective": "2025-07-01"}).status_code == 200
    assert api.get("/units/P05").get_json()["end_status"] == "dissolved"
    r = api.post("/units/P05/rename", json={"name": "x", "effective": "2026-01-01"})
    assert r.status_code == 422 and r.get_json()["rule"] == "unit_ended"


def test_bad_input_is_a_clear_4xx_and_writes_nothing(api):
    head = api.services.runner.head()
    cases = [
        ({"code": "P1", "name": "x", "level": "province", "effective": "2020-01-01",
          "colour": "red"}, 422, "colour"),
        ({"code": "P1", "name": "x", "level": "planet", "effective": "2020-01-01"}, 422, "level"),
        ({"code": "P1", "name": "x", "level": "province", "effective": "01/02/2020"}, 422,
         "effective"),
        ({"code": "P1", "name": 5, "level": "province", "effective": "2020-01-01"}, 422, "name"),
        ({"code": "p 1", "name": "x", "level": "province", "effective": "2020-01-01"}, 422,
         "code"),
        ({"code": "P1", "name": "x", "level": "province", "effective": "1900-01-01"}, 422,
         "effective"),
        ({"code": "D1", "name": "x", "level": "district", "effective": "2020-01-01"}, 422,
         "parent_code"),
        ({"code": "D1", "name": "x", "level": "district", "parent_code": "NOPE",
          "effective": "2020-01-01"}, 404, "parent_code"),
    ]
    for body, status, field in cases:
        r = api.post("/units", json=body)
        assert r.status_code == status, (body, r.get_json())
        error = r.get_json()
        assert set(error) >= {"code", "status", "message", "errors"}
        assert error["code"] == status
        assert field in error["errors"], (body, error)
    assert api.services.runner.head() == head
    r = api.post("/units", data="{not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and r.get_json()["code"] == 400
    r = api.get("/units/NOPE")
    assert r.status_code == 404 and r.get_json()["errors"] == {"code": ["There is no unit with "
                                                                         "code 'NOPE'."]}
    r = api.get("/units?page_size=100000")
    assert r.status_code == 422 and "page_size" in r.get_json()["errors"]


def test_duplicate_code_is_refused(api):
    assert register(api, "P07", "BHXH tỉnh Lai Châu", "province").status_code == 201
    r = register(api, "P07", "BHXH tỉnh Lai Châu", "province")
    assert r.status_code == 422 and r.get_json()["rule"] == "unique_code"


def test_stale_version_is_409_with_the_current_version(api):
    register(api, "P08", "BHXH tỉnh Lào Cai", "province")
    first = api.post("/units/P08/rename", json={"name": "A", "effective": "2021-01-01",
                                                "version": 1})
    assert first.status_code == 200
    second = api.post("/units/P08/rename", json={"name": "B", "effective": "2021-02-01",
                                                 "version": 1})
    assert second.status_code == 409
    body = second.get_json()
    assert body["current_version"] == 2 and body["rule"] == "stale_version"
    assert "version" in body["errors"]


def test_concurrent_edits_one_wins_the_others_conflict(app):
    app.register_unit(ROOT, code="P09", name="BHXH tỉnh Yên Bái", level="province",
                      parent_code=None, effective="2020-01-01")
    barrier = threading.Barrier(6)
    outcomes = []

    def rename(i):
        barrier.wait()
        try:
            app.rename_unit(ROOT, "P09", name=f"Tên {i}", effective="2021-01-01", version=1)
            outcomes.append("ok")
        except Exception as e:  # noqa: BLE001 - we classify what happened
            outcomes.append(type(e).__name__)

    threads = [threading.Thread(target=rename, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 1
    assert set(outcomes) == {"ok", "Conflict"}
    events = app.recorder.select_events(app.unit("P09").id)
    assert [e.originator_version for e in events] == [1, 2]


def test_only_the_standing_office_manages_units(api):
    register(api, "P10", "BHXH tỉnh Điện Biên", "province")
    api.user("officer10", ["officer"], "P10")
    head = api.services.runner.head()
    r = register(api, "P11", "BHXH tỉnh Hòa Bình", "province", who="officer10")
    assert r.status_code == 403
    assert r.get_json()["rule"] == "unit.manage"
    assert "standing_office" in r.get_json()["message"]
    assert api.services.runner.head() == head


def test_several_changes_of_one_unit_on_one_date_apply_in_order(api):
    register(api, "P10", "BHXH tỉnh Hà Giang", "province")
    register(api, "P11", "BHXH tỉnh Tuyên Quang", "province")
    register(api, "P10D01", "BHXH huyện Bắc Mê", "district", "P10")
    r = api.post("/units/P10D01/move", json={"parent_code": "P11", "effective": "2025-07-01"})
    assert r.status_code == 200, r.get_json()
    r = api.post("/units/P10D01/rename", json={"name": "BHXH cơ sở Bắc Mê",
                                               "effective": "2025-07-01"})
    assert r.status_code == 200, r.get_json()
    r = api.post("/units/P10D01/rename", json={"name": "BHXH cơ sở Bắc Mê - Yên Minh",
                                               "effective": "2025-07-01"})
    assert r.status_code == 200, r.get_json()
    # an earlier date than the current record's start is still refused, and writes nothing
    head = api.services.runner.head()
    r = api.post("/units/P10D01/rename", json={"name": "x", "effective": "2025-06-30"})
    assert r.status_code == 422 and r.get_json()["rule"] == "effective_after_last_change"
    assert api.services.runner.head() == head

    def on(day):
        return {u["code"]: (u["name"], u["parent_code"])
                for u in api.get(f"/units?date={day}&level=district").get_json()["items"]}

    assert on("2025-06-30")["P10D01"] == ("BHXH huyện Bắc Mê", "P10")
    assert on("2025-07-01")["P10D01"] == ("BHXH cơ sở Bắc Mê - Yên Minh", "P11")
    detail = api.get("/units/P10D01").get_json()
    assert [(h["start"], h["end"], h["name"], h["parent_code"]) for h in detail["history"]] == [
        ("2020-01-01", "2025-07-01", "BHXH huyện Bắc Mê", "P10"),
        ("2025-07-01", None, "BHXH cơ sở Bắc Mê - Yên Minh", "P11")]
    assert detail["version"] == 4
    under = api.get("/units?level=district&parent=P11&date=2025-07-01").get_json()["items"]
    assert [u["code"] for u in under] == ["P10D01"]
    assert api.get("/units?level=district&parent=P10&date=2025-07-01").get_json()["items"] == []
    # and a merge on that same date ends the unit from that day
    r = api.post("/units/P10D01/merge", json={"into_code": "P11D99", "effective": "2025-07-01"})
    assert r.status_code == 404
    register(api, "P11D02", "BHXH huyện Hàm Yên", "district", "P11")
    r = api.post("/units/P10D01/merge", json={"into_code": "P11D02", "effective": "2025-07-01"})
    assert r.status_code == 200, r.get_json()
    assert "P10D01" not in on("2025-07-01") and "P10D01" in on("2025-06-30")


ACT = {"number": "391/QĐ-BTC", "signed": "2025-02-26", "issuer": "Bộ Tài chính",
       "basis": "Nghị định 29/2025/NĐ-CP"}


def test_each_single_change_may_name_its_legal_act_shown_in_the_units_history(api):
    body = {"code": "P20", "name": "BHXH tỉnh Bắc Kạn", "level": "province",
            "effective": "2020-01-01", "act": {**ACT, "number": "1/QĐ", "basis": None}}
    assert api.post("/units", json=body).status_code == 201
    register(api, "P21", "BHXH tỉnh Thái Nguyên", "province")
    register(api, "P20D01", "BHXH huyện Ba Bể", "district", "P20")
    for path, extra in (("rename", {"name": "BHXH cơ sở Ba Bể"}),
                        ("move", {"parent_code": "P21"})):
        r = api.post(f"/units/P20D01/{path}", json={**extra, "effective": "2025-03-01",
                                                    "act": ACT})
        assert r.status_code == 200, r.get_json()
    r = api.post("/units/P20/merge", json={"into_code": "P21", "effective": "2025-07-01",
                                           "act": ACT})
    assert r.status_code == 200, r.get_json()
    changes = api.get("/units/P20D01").get_json()["changes"]
    assert [(c["change"], c["effective"], c["act"]) for c in changes] == [
        ("registered", "2020-01-01", None), ("renamed", "2025-03-01", ACT),
        ("moved", "2025-03-01", ACT)]
    assert changes[2]["parent_code"] == "P21"
    province = api.get("/units/P20").get_json()["changes"]
    assert province[0]["act"] == {"number": "1/QĐ", "signed": "2025-02-26",
                                  "issuer": "Bộ Tài chính", "basis": ""}
    assert (province[-1]["change"], province[-1]["into_code"], province[-1]["act"]) == (
        "merged", "P21", ACT)
    # an act without its number, or with a field it has not, is refused and writes nothing
    head = api.services.runner.head()
    for act, field in (({"signed": "2025-02-26", "issuer": "x"}, "number"),
                       ({**ACT, "signed": "26/02/2025"}, "signed"),
                       ({**ACT, "decision_id": "x"}, "decision_id")):
        r = api.post("/units/P21/rename", json={"name": "Khác", "effective": "2025-08-01",
                                                "act": act})
        assert r.status_code == 422, r.get_json()
        assert field in r.get_json()["errors"]["act"], r.get_json()
    assert api.services.runner.head() == head

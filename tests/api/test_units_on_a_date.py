"""A past day's list of units never changes when the organisation does: what is recorded
later (a rename, a merger, a new version) is not in the answer for an earlier day."""

from __future__ import annotations


def test_a_past_days_units_are_byte_for_byte_the_same_after_later_changes(api):
    for code, name in (("P01", "BHXH tỉnh Hà Giang"), ("P02", "BHXH tỉnh Tuyên Quang")):
        assert api.post("/units", json={"code": code, "name": name, "level": "province",
                                        "effective": "2020-01-01"}).status_code == 201
    before = api.get("/units?date=2024-06-01&level=province")
    assert before.status_code == 200
    assert [u["code"] for u in before.get_json()["items"]] == ["P01", "P02"]
    assert api.post("/units/P01/merge", json={"into_code": "P02", "effective": "2025-07-01"}
                    ).status_code == 200
    assert api.post("/units/P02/rename", json={"name": "BHXH tỉnh Tuyên Quang (mới)",
                                               "effective": "2025-07-01"}).status_code == 200
    after = api.get("/units?date=2024-06-01&level=province")
    assert after.get_data() == before.get_data()
    today = api.get("/units?date=2026-06-01&level=province").get_json()["items"]
    assert [(u["code"], u["name"]) for u in today] == [("P02", "BHXH tỉnh Tuyên Quang (mới)")]
    detail = api.get("/units/P01").get_json()
    assert detail["ended"] == "2025-07-01" and detail["merged_into"] == "P02"

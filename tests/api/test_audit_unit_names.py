"""The timeline names every unit an entry mentions by code and by the name it had in the
entry's year, never by a bare id; a later rename does not change a past year's entries."""

from __future__ import annotations

from domain.organisation.units import unit_id


def test_timeline_entries_name_their_units_as_they_were(api):
    # the organisation: two provinces, a cluster of 2024, a rename in 2025
    for code, name in (("P01", "BHXH tỉnh Hà Giang"), ("P02", "BHXH tỉnh Tuyên Quang")):
        assert api.post("/units", json={"code": code, "name": name, "level": "province",
                                        "effective": "2020-01-01"}).status_code == 201
    formed = api.post("/groups", json={"year": 2024, "kind": "provincial_cluster",
                                       "code": "C1", "name": "Cụm 1",
                                       "members": ["P01", "P02"]})
    assert formed.status_code == 201, formed.get_json()
    page = api.get("/audit/timeline/2024?page_size=100").get_json()
    entry = next(e for e in page["items"] if e["topic"] == "thidua:GroupYear.MembersAdded")
    p1, p2 = str(unit_id("P01")), str(unit_id("P02"))
    assert entry["units"][p1] == {"code": "P01", "name": "BHXH tỉnh Hà Giang"}
    assert entry["units"][p2] == {"code": "P02", "name": "BHXH tỉnh Tuyên Quang"}
    assert api.post("/units/P01/rename", json={"name": "BHXH tỉnh Tuyên Quang mới",
                                               "effective": "2025-07-01"}).status_code == 200
    again = api.get("/audit/timeline/2024?page_size=100").get_json()
    same = next(e for e in again["items"] if e["topic"] == "thidua:GroupYear.MembersAdded")
    assert same["units"] == entry["units"], "a 2024 entry keeps 2024's names"
    # entries with no unit in them have none
    assert all(isinstance(e["units"], dict) for e in again["items"])

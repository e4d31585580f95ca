"""Membership in time (issue 14, breaks 3, 4 and 9): groups and partitions re-formed from an
effective date inside the year, a unit in at most one group of each kind at any moment,
N counted on the partition's effective date, lists carrying their effective date, and past
years read under the names units had then."""

from __future__ import annotations

from typing import Any

from tests.support.core import ROOT
from tests.support.replay import replay, wait_all

YEAR = 2025


def province(app: Any, code: str, n: int) -> list[str]:
    app.register_unit(ROOT, code=code, name=f"BHXH tỉnh {code}", level="province",
                      parent_code=None, effective="2020-01-01")
    for i in range(1, n + 1):
        app.register_unit(ROOT, code=f"{code}D{i:02d}", name=f"BHXH huyện {i} ({code})",
                          level="district", parent_code=code, effective="2020-01-01")
    return [f"{code}D{i:02d}" for i in range(1, n + 1)]


def publish(api: Any, code: str, clusters: list[list[str]], effective: str | None = None,
            year: int = YEAR, names: str = "C") -> Any:
    body: dict[str, Any] = {"year": year, "province_code": code, "clusters": [
        {"code": f"{names}{i + 1}", "name": f"Cụm {names}{i + 1} {code}", "members": m}
        for i, m in enumerate(clusters)]}
    if effective:
        body["effective"] = effective
    return api.post("/district-partitions", json=body)


def move(api: Any, code: str, to: str, effective: str) -> None:
    r = api.post(f"/units/{code}/move", json={"parent_code": to, "effective": effective})
    assert r.status_code == 200, r.get_json()


def group(api: Any, kind: str, code: str, province: str | None = None,
          year: int = YEAR) -> dict[str, Any]:
    path = f"/groups?year={year}&kind={kind}" + (f"&province={province}" if province else "")
    items = [g for g in api.get(path).get_json()["items"] if g["code"] == code]
    assert len(items) == 1, items
    return dict(api.get(f"/groups/{items[0]['id']}").get_json())


def spans(detail: dict[str, Any]) -> dict[str, list[tuple[str, str | None]]]:
    out: dict[str, list[tuple[str, str | None]]] = {}
    for m in detail["members"]:
        out.setdefault(m["code"], []).append((m["effective_from"], m["effective_until"]))
    return out


def two_provinces(api: Any) -> None:
    """PA with three district offices, PB with two, both partitioned from 1 January."""
    app = api.services.app
    pa, pb = province(app, "PA", 3), province(app, "PB", 2)
    assert publish(api, "PA", [pa]).status_code == 201
    assert publish(api, "PB", [pb]).status_code == 201


def test_an_office_moved_mid_year_keeps_both_memberships_with_their_spans(api):
    """Break 3: the move was recorded, both clusters hold the office, each for its days; the
    view shows both (it used to drop one silently)."""
    two_provinces(api)
    move(api, "PAD03", "PB", "2025-07-01")
    r = publish(api, "PB", [["PBD01", "PBD02", "PAD03"]], "2025-07-01")
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["district_count"] == 3 and r.get_json()["effective"] == "2025-07-01"

    old, new = group(api, "district_cluster", "C1", "PA"), group(api, "district_cluster", "C1",
                                                                   "PB")
    assert spans(old)["PAD03"] == [("2025-01-01", "2025-07-01")]
    assert spans(new)["PAD03"] == [("2025-07-01", None)]
    assert spans(new)["PBD01"] == [("2025-01-01", None)], "a member that stays keeps one span"
    held = api.get(f"/groups?year={YEAR}&member=PAD03").get_json()["items"]
    assert sorted(g["province_code"] for g in held) == ["PA", "PB"]
    for day, where in (("2025-06-30", "PA"), ("2025-07-01", "PB"), ("2025-12-31", "PB")):
        on = api.get(f"/groups?year={YEAR}&member=PAD03&on={day}").get_json()["items"]
        assert [g["province_code"] for g in on] == [where], day
    on_day = api.get(f"/groups/{old['id']}?on=2025-07-01").get_json()["members"]
    assert [m["code"] for m in on_day] == ["PAD01", "PAD02"]
    wait_all(api.services)
    report = replay(api.services, YEAR)
    assert report.equal, str(report)


def test_a_contradicting_membership_is_refused_before_the_event(api):
    """A unit is in at most one group of each kind at any moment: blocks, across a date."""
    app = api.services.app
    for code in ("B1", "B2", "B3"):
        app.register_unit(ROOT, code=code, name=f"Ban {code}", level="central",
                          parent_code=None, effective="2020-01-01")
    k1 = api.post("/groups", json={"year": YEAR, "kind": "block", "code": "K1", "name": "Khối 1",
                                   "members": ["B1", "B2"]}).get_json()
    k2 = api.post("/groups", json={"year": YEAR, "kind": "block", "code": "K2", "name": "Khối 2",
                                   "members": ["B3"]}).get_json()
    r = api.delete(f"/groups/{k1['id']}/members/B2",
                   json={"year": YEAR, "reason": "Chuyển khối", "effective": "2025-07-01"})
    assert r.status_code == 200, r.get_json()
    r = api.post(f"/groups/{k2['id']}/members", json={"year": YEAR, "members": ["B2"],
                                                       "effective": "2025-06-30"})
    assert r.status_code == 422, r.get_json()
    body = r.get_json()
    assert body["rule"] == "one_group_per_kind_at_a_time" and "until 2025-07-01" in body["message"]
    r = api.post(f"/groups/{k2['id']}/members", json={"year": YEAR, "members": ["B2"],
                                                       "effective": "2025-07-01"})
    assert r.status_code == 200, r.get_json()
    r = api.post(f"/groups/{k2['id']}/members", json={"year": YEAR, "members": ["B2"],
                                                       "effective": "2025-09-01"})
    assert r.status_code == 422 and r.get_json()["rule"] == "member_once"
    assert spans(group(api, "block", "K1"))["B2"] == [("2025-01-01", "2025-07-01")]
    assert spans(group(api, "block", "K2"))["B2"] == [("2025-07-01", None)]
    r = api.post(f"/groups/{k2['id']}/members", json={"year": YEAR, "members": ["B1"],
                                                       "effective": "2026-01-01"})
    assert r.status_code == 422 and r.get_json()["rule"] == "effective_in_year"
    assert "effective" in r.get_json()["errors"]


def test_the_old_province_can_publish_its_partition_after_the_move(api):
    """Break 4: N is counted on the partition's effective date, with the office's parent of
    that day; the office's membership there ends on the day it left."""
    two_provinces(api)
    move(api, "PAD03", "PB", "2025-07-01")
    # the partition of the whole year, republished (a corrected name): the office was PA's
    # on 1 January, so it is counted and placed; its membership stops at the move
    r = publish(api, "PA", [["PAD01", "PAD02", "PAD03"]], names="X")
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["district_count"] == 3
    assert spans(group(api, "district_cluster", "X1", "PA"))["PAD03"] == [
        ("2025-01-01", "2025-07-01")]
    # from the move on PA has N = 2 (PAD03 no longer counted)
    r = publish(api, "PA", [["PAD01", "PAD02", "PAD03"]], "2025-07-01")
    assert r.status_code == 422 and r.get_json()["rule"] == "district_cluster_same_province"
    r = publish(api, "PA", [["PAD01", "PAD02"]], "2025-07-01")
    assert r.status_code == 201 and r.get_json()["district_count"] == 2, r.get_json()
    r = publish(api, "PB", [["PBD01", "PBD02", "PAD03"]], "2025-07-01")
    assert r.status_code == 201, r.get_json()
    listed = api.get(f"/district-partitions?year={YEAR}&province=PA").get_json()["items"]
    assert [(p["effective"], p["district_count"]) for p in listed] == [("2025-01-01", 3),
                                                                      ("2025-07-01", 2)]
    assert listed[0]["clusters"][0]["members"] == ["PAD01", "PAD02", "PAD03"]
    assert [c["members"] for c in listed[1]["clusters"]] == [["PAD01", "PAD02"]]


def test_a_move_on_the_year_boundaries(api):
    """31 December belongs to the year, 1 January to the next."""
    app = api.services.app
    pa, pb = province(app, "PA", 3), province(app, "PB", 2)
    for year in (YEAR, YEAR + 1):
        assert publish(api, "PA", [pa], year=year).status_code == 201
        assert publish(api, "PB", [pb], year=year).status_code == 201
    move(api, "PAD03", "PB", "2025-12-31")
    assert publish(api, "PB", [pb + ["PAD03"]], "2025-12-31").status_code == 201
    assert spans(group(api, "district_cluster", "C1", "PA"))["PAD03"] == [
        ("2025-01-01", "2025-12-31")]
    on = api.get(f"/groups?year={YEAR}&member=PAD03&on=2025-12-31").get_json()["items"]
    assert [g["province_code"] for g in on] == ["PB"]
    # in 2026 the office is PB's from 1 January: PB's partition of 1 January must hold it
    r = publish(api, "PB", [pb], "2026-01-01", year=YEAR + 1)
    assert r.status_code == 422 and r.get_json()["rule"] == "district_in_exactly_one_cluster"
    r = publish(api, "PB", [pb + ["PAD03"]], year=YEAR + 1)
    assert r.status_code == 201, r.get_json()
    detail = group(api, "district_cluster", "C1", "PA", year=YEAR + 1)
    assert "PAD03" not in spans(detail), "not PA's on any day of 2026: its membership goes"
    r = publish(api, "PA", [pa[:2]], year=YEAR + 1)
    assert r.status_code == 201 and r.get_json()["district_count"] == 2


def test_a_move_on_new_years_day_recorded_after_the_partition(api):
    two_provinces(api)
    move(api, "PAD03", "PB", "2025-01-01")
    r = publish(api, "PB", [["PBD01", "PBD02", "PAD03"]], "2025-01-01")
    assert r.status_code == 201, r.get_json()
    assert "PAD03" not in spans(group(api, "district_cluster", "C1", "PA"))
    assert spans(group(api, "district_cluster", "C1", "PB"))["PAD03"] == [("2025-01-01", None)]


def test_a_partition_reformed_twice_on_one_date_keeps_the_second(api):
    app = api.services.app
    pa = province(app, "PA", 10)
    assert publish(api, "PA", [pa[:5], pa[5:]]).status_code == 201
    assert publish(api, "PA", [pa[:4], pa[4:]], "2025-07-01").status_code == 201
    r = publish(api, "PA", [pa[:6], pa[6:]], "2025-07-01", names="N")
    assert r.status_code == 201, r.get_json()
    listed = api.get(f"/district-partitions?year={YEAR}&province=PA").get_json()["items"]
    assert [p["effective"] for p in listed] == ["2025-01-01", "2025-07-01"]
    assert [c["code"] for c in listed[0]["clusters"]] == ["C1", "C2"]
    assert [(c["code"], len(c["members"])) for c in listed[1]["clusters"]] == [("N1", 6),
                                                                              ("N2", 4)]
    c1 = spans(group(api, "district_cluster", "C1", "PA"))
    assert c1[pa[0]] == [("2025-01-01", "2025-07-01")] and pa[4] in c1
    assert all(until == "2025-07-01" for s in c1.values() for _, until in s)
    # an earlier re-formation supersedes the later ones
    assert publish(api, "PA", [pa[:3], pa[3:]], "2025-03-01", names="M").status_code == 201
    listed = api.get(f"/district-partitions?year={YEAR}&province=PA").get_json()["items"]
    assert [p["effective"] for p in listed] == ["2025-01-01", "2025-03-01"]
    codes = {g["code"] for g in api.get(f"/groups?year={YEAR}&province=PA").get_json()["items"]}
    assert codes == {"C1", "C2", "M1", "M2"}, "a cluster left with no day at all goes"
    wait_all(api.services)
    report = replay(api.services, YEAR)
    assert report.equal, str(report)


def test_a_unit_ended_yesterday_is_not_placed(api):
    app = api.services.app
    province(app, "PA", 3)
    r = api.post("/units/PAD02/dissolve", json={"effective": "2025-07-01"})
    assert r.status_code == 200, r.get_json()
    r = publish(api, "PA", [["PAD01", "PAD02", "PAD03"]], "2025-07-01")
    body = r.get_json()
    assert r.status_code == 422 and "clusters[0].members[1]" in body["errors"], body
    assert body["rule"] == "member_active_on_date" and "2025-07-01" in body["message"]
    r = publish(api, "PA", [["PAD01", "PAD02", "PAD03"]], "2025-06-30")
    assert r.status_code == 201 and r.get_json()["district_count"] == 3, r.get_json()
    assert publish(api, "PA", [["PAD01", "PAD03"]], "2025-07-01").status_code == 201
    app.register_unit(ROOT, code="B9", name="Ban 9", level="central", parent_code=None,
                      effective="2020-01-01")
    app.dissolve_unit(ROOT, "B9", effective="2025-03-01")
    r = api.post("/groups", json={"year": YEAR, "kind": "block", "code": "K9", "name": "Khối 9",
                                  "members": ["B9"], "effective": "2025-03-01"})
    assert r.status_code == 422 and r.get_json()["rule"] == "member_active_on_date"
    assert "members[0]" in r.get_json()["errors"]


def test_an_ended_province_publishes_no_partition(api):
    app = api.services.app
    province(app, "PC", 0)
    province(app, "PD", 1)
    app.dissolve_unit(ROOT, "PC", effective="2025-04-01")
    r = publish(api, "PC", [["PDD01"]], "2025-04-01")
    assert r.status_code == 422, r.get_json()
    body = r.get_json()
    assert body["rule"] == "partition_of_active_province" and "province_code" in body["errors"]
    assert "2025-04-01" in body["message"]


def test_a_membership_list_carries_its_effective_date(api):
    two_provinces(api)
    move(api, "PAD03", "PB", "2025-07-01")
    rows = "kind,group_code,group_name,unit_code,province_code\n" + "".join(
        f"district_cluster,L1,Cụm L1,{d},PA\n" for d in ("PAD01", "PAD02"))

    def send(effective: str | None) -> Any:
        form = {"year": str(YEAR), "document_number": "77/QĐ-BHXH",
                "document_date": "2025-06-20",
                "file": (__import__("io").BytesIO(rows.encode()), "ds.csv")}
        if effective:
            form["effective"] = effective
        return api.post("/membership-lists", data=form, content_type="multipart/form-data")

    r = send(None)  # on 1 January PAD03 was PA's: the list leaves it out
    assert r.status_code == 422 and "PAD03" in str(r.get_json()["errors"]), r.get_json()
    r = send("2025-07-01")
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["effective"] == "2025-07-01"
    decisions = api.get(f"/membership-lists?year={YEAR}").get_json()["items"]
    assert [d["effective"] for d in decisions] == ["2025-07-01"]
    listed = api.get(f"/district-partitions?year={YEAR}&province=PA").get_json()["items"]
    assert [(p["effective"], p["district_count"]) for p in listed] == [("2025-01-01", 3),
                                                                      ("2025-07-01", 2)]
    assert spans(group(api, "district_cluster", "C1", "PA")) == {
        "PAD01": [("2025-01-01", "2025-07-01")], "PAD02": [("2025-01-01", "2025-07-01")],
        "PAD03": [("2025-01-01", "2025-07-01")]}


def test_past_groups_show_the_names_units_had_then(api):
    """Break 9: renamed in 2025, the 2024 block lists the 2024 name, the 2025 one the new."""
    app = api.services.app
    app.register_unit(ROOT, code="TCCB", name="Ban Tổ chức cán bộ", level="central",
                      parent_code=None, effective="2020-01-01")
    province(app, "PA", 2)
    for year in (2024, 2025):
        r = api.post("/groups", json={"year": year, "kind": "block", "code": "K1",
                                      "name": "Khối 1", "members": ["TCCB"]})
        assert r.status_code == 201, r.get_json()
        assert publish(api, "PA", [["PAD01", "PAD02"]], year=year).status_code == 201
    r = api.post("/units/TCCB/rename", json={"name": "Ban Tổ chức - Nhân sự",
                                             "effective": "2025-03-01"})
    assert r.status_code == 200, r.get_json()
    r = api.post("/units/PA/rename", json={"name": "BHXH tỉnh mới", "effective": "2025-07-01"})
    assert r.status_code == 200, r.get_json()
    assert [m["name"] for m in group(api, "block", "K1", year=2024)["members"]] == [
        "Ban Tổ chức cán bộ"]
    assert [m["name"] for m in group(api, "block", "K1", year=2025)["members"]] == [
        "Ban Tổ chức - Nhân sự"]
    detail = group(api, "block", "K1", year=2025)
    on = api.get(f"/groups/{detail['id']}?on=2025-02-28").get_json()["members"]
    assert [m["name"] for m in on] == ["Ban Tổ chức cán bộ"]
    names = {p["year"]: p["province_name"]
             for p in api.get("/district-partitions?province=PA").get_json()["items"]}
    assert names == {2024: "BHXH tỉnh PA", 2025: "BHXH tỉnh PA"}  # on each 1 January
    as_of = api.get(f"/audit/as-of/groups/{detail['id']}?as_of={api.last_position}")
    assert as_of.status_code == 200, as_of.get_json()
    assert as_of.get_json()["members"] == detail["members"]


def test_a_groups_state_lists_its_members_at_the_years_end_under_their_names_then(api):
    """The group state (elections, covenants) holds the members the aggregate holds: those
    whose membership lasts to the end of the year, named as on its last day."""
    app = api.services.app
    for code in ("B1", "B2"):
        app.register_unit(ROOT, code=code, name=f"Ban {code}", level="central",
                          parent_code=None, effective="2020-01-01")
    for year in (2024, 2025):
        r = api.post("/groups", json={"year": year, "kind": "block", "code": "K1",
                                      "name": "Khối 1", "members": ["B1", "B2"]})
        assert r.status_code == 201, r.get_json()
    k1 = group(api, "block", "K1")
    r = api.delete(f"/groups/{k1['id']}/members/B2",
                   json={"year": YEAR, "reason": "Sáp nhập", "effective": "2025-03-01"})
    assert r.status_code == 200, r.get_json()
    r = api.post("/units/B1/rename", json={"name": "Ban B1 mới", "effective": "2025-03-01"})
    assert r.status_code == 200, r.get_json()
    state = api.get(f"/groups/{k1['id']}/state?year={YEAR}").get_json()
    assert [(m["code"], m["name"]) for m in state["members"]] == [("B1", "Ban B1 mới")]
    old = group(api, "block", "K1", year=2024)
    state = api.get(f"/groups/{old['id']}/state?year=2024").get_json()
    assert [(m["code"], m["name"]) for m in state["members"]] == [("B1", "Ban B1"),
                                                                  ("B2", "Ban B2")]


def test_a_partition_by_an_ended_province_is_refused_and_for_its_past_days_recorded(api):
    """For an ended province: nothing from its end on; the days it existed stay recordable by
    the standing office. By it: its officers act for it no more once it has ended."""
    app = api.services.app
    province(app, "PD", 1)
    province(app, "PE", 1)
    api.user("can.bo.pe", ["officer"], "PE")
    move(api, "PED01", "PD", "2025-04-01")
    r = api.post("/units/PE/dissolve", json={"effective": "2025-04-01"})
    assert r.status_code == 200, r.get_json()
    body = {"year": YEAR, "province_code": "PE", "effective": "2025-02-01",
            "clusters": [{"code": "C1", "name": "Cụm 1", "members": ["PED01"]}]}
    r = api.post("/district-partitions", "can.bo.pe", json=body)
    assert r.status_code == 403 and r.get_json()["rule"] == "unit_ended", r.get_json()
    r = api.post("/district-partitions", json={**body, "effective": "2025-04-01"})
    assert r.status_code == 422 and r.get_json()["rule"] == "partition_of_active_province"
    r = api.post("/district-partitions", json=body)
    assert r.status_code == 201, r.get_json()
    assert spans(group(api, "district_cluster", "C1", "PE"))["PED01"] == [
        ("2025-02-01", "2025-04-01")], "bounded by the office's stay in the province"

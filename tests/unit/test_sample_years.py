"""The sample's 2025 decision files add up: their shape is the decision contract's, every row
applies, and each step leaves the numbers of domain.md §7 (14 central units, 35 regional
offices, 34 provinces, at most 350 BHXH cơ sở), every 2024 unit accounted for once."""

from __future__ import annotations

import copy
import re
from collections import Counter
from datetime import date
from typing import Any

import pytest

from domain.organisation.partition import district_cluster_count
from domain.sample import organisation as org
from domain.sample import years
from domain.sample.years import (
    DECISION_FILES,
    HEADER,
    DecisionError,
    World,
    decisions,
    groups_of_year,
    read_data,
    world_after,
)

ROMAN = re.compile(r"BHXH khu vực (X{0,3})(IX|IV|V?I{0,3})")
CENTRAL_2025 = {  # domain.md §7, the 14 central units of Decision 391/QĐ-BTC
    "Ban Thực hiện chính sách BHXH", "Ban Thực hiện chính sách BHYT",
    "Ban Quản lý Thu và phát triển người tham gia", "Ban Quản lý Quỹ", "Ban Kiểm toán nội bộ",
    "Ban Pháp chế", "Ban Tài chính - Kế toán", "Ban Tổ chức cán bộ",
    "Ban Truyền thông và Hỗ trợ người tham gia", "Thanh tra BHXH Việt Nam",
    "Văn phòng BHXH Việt Nam", "Trung tâm Công nghệ thông tin và Chuyển đổi số",
    "Trung tâm Lưu trữ", "Trung tâm Kiểm soát thanh toán BHYT điện tử",
}
UNCHANGED = ("Hà Nội", "Huế", "Lai Châu", "Điện Biên", "Sơn La", "Lạng Sơn", "Quảng Ninh",
             "Thanh Hóa", "Nghệ An", "Hà Tĩnh", "Cao Bằng")
MERGED = [  # domain.md §7 (Nghị quyết 202/2025/QH15): the first name is the new province's
    ("Tuyên Quang", "Hà Giang"), ("Lào Cai", "Yên Bái"), ("Thái Nguyên", "Bắc Kạn"),
    ("Phú Thọ", "Vĩnh Phúc", "Hòa Bình"), ("Bắc Ninh", "Bắc Giang"),
    ("Hưng Yên", "Thái Bình"), ("Hải Phòng", "Hải Dương"), ("Ninh Bình", "Hà Nam", "Nam Định"),
    ("Quảng Trị", "Quảng Bình"), ("Đà Nẵng", "Quảng Nam"), ("Quảng Ngãi", "Kon Tum"),
    ("Gia Lai", "Bình Định"), ("Khánh Hòa", "Ninh Thuận"),
    ("Lâm Đồng", "Đắk Nông", "Bình Thuận"), ("Đắk Lắk", "Phú Yên"),
    ("Hồ Chí Minh", "Bình Dương", "Bà Rịa - Vũng Tàu"), ("Đồng Nai", "Bình Phước"),
    ("Tây Ninh", "Long An"), ("Cần Thơ", "Sóc Trăng", "Hậu Giang"),
    ("Vĩnh Long", "Bến Tre", "Trà Vinh"), ("Đồng Tháp", "Tiền Giang"), ("Cà Mau", "Bạc Liêu"),
    ("An Giang", "Kiên Giang"),
]


def short(name: str) -> str:
    for prefix in ("BHXH thành phố ", "BHXH tỉnh "):
        name = name.removeprefix(prefix)
    return "Huế" if name == "Thừa Thiên Huế" else name


def province_2024(place: str) -> str:
    return next(c for c, n, _ in org.PROVINCES if short(n) == place)


def step(n: int) -> World:
    """The world after the first ``n`` decision files."""
    world = World.of_2024()
    for name, d in list(zip(DECISION_FILES, decisions(), strict=True))[:n]:
        world.apply(d, name)
    return world


@pytest.mark.parametrize("name", DECISION_FILES)
def test_each_file_is_marked_sample_and_has_the_contract_shape(name: str) -> None:
    d = read_data(name)
    assert d["sample"] is True
    assert "SAMPLE DATA" in d["note"] and len(d["note"]) > 100
    assert set(d) == {"sample", "note", *HEADER, "changes"}
    assert date.fromisoformat(d["signed"]) <= date.fromisoformat(d["effective"])
    assert all(isinstance(d[k], str) and d[k].strip() for k in HEADER)
    assert d["changes"], "a decision changes something"
    assert date(2025, 1, 1) <= date.fromisoformat(d["effective"]) <= date(2025, 9, 30)
    body = years.decision_body(d)
    assert set(body) == {*HEADER, "changes"}


def test_the_files_take_effect_in_order_on_the_dates_of_7() -> None:
    assert [d["effective"] for d in decisions()] == [
        "2025-03-01", "2025-04-01", "2025-07-01", "2025-09-30"]
    assert decisions()[0]["number"] == "391/QĐ-BTC"
    assert decisions()[0]["signed"] == "2025-02-26"
    assert len({d["number"] for d in decisions()}) == 4


def test_every_row_names_each_unit_once_per_decision() -> None:
    for name, d in zip(DECISION_FILES, decisions(), strict=True):
        subjects = Counter(row["code"] for row in d["changes"])
        twice = [c for c, n in subjects.items() if n > 1]
        assert not twice, f"{name}: {twice}"


def test_after_391_there_are_14_central_units_with_the_names_of_7() -> None:
    before, after = step(0), step(1)
    assert len(before.active("central")) == 24
    central = after.active("central")
    assert len(central) == 14
    assert {o.name for o in central} == CENTRAL_2025
    # every 2024 central unit: still there, merged into one of the 14, or dissolved
    live = {c.code for c in central}
    ended = [after.offices[c] for c, _ in org.CENTRAL_UNITS if after.offices[c].ended]
    assert len(ended) == 10
    assert all(o.ended == "2025-03-01" for o in ended)
    merged = [o for o in ended if o.successor is not None]
    assert merged and all(o.successor in live for o in merged)
    assert after.successor("VTDKT") == "VTCCB"  # the 2024 standing office's work goes on
    # nothing else changed
    assert [o for o in after.active() if o.level != "central"] == [
        o for o in before.active() if o.level != "central"]


def test_after_april_there_are_35_regional_offices_and_no_orphan_district() -> None:
    world = step(2)
    regions = world.active("province")
    assert len(regions) == 35
    numerals = sorted(o.name.removeprefix("BHXH khu vực ") for o in regions)
    assert all(ROMAN.fullmatch(o.name) for o in regions)
    assert len(set(numerals)) == 35
    live = {o.code for o in regions}
    assert all(o.parent in live for o in world.active("district"))
    assert len(world.active("district")) == sum(n for _, _, n in org.PROVINCES)
    # each of the 63 is a region or merged into one, never into another merged one
    for code, _, _ in org.PROVINCES:
        o = world.offices[code]
        assert (o.ended is None) != (o.successor in live), code


def test_after_july_there_are_the_34_provinces_of_7() -> None:
    world = step(3)
    provinces = world.active("province")
    assert len(provinces) == 34
    names = {short(o.name) for o in provinces}
    expected = {*UNCHANGED, *(group[0] for group in MERGED)}
    assert names == expected
    assert len(UNCHANGED) + len(MERGED) == 34
    for place in UNCHANGED:
        code = province_2024(place)
        assert world.offices[code].ended is None, place
        assert short(world.name(code)) == place
    for group in MERGED:
        codes = [province_2024(p) for p in group]
        heirs = {world.successor(c) for c in codes}
        assert len(heirs) == 1, group
        heir = heirs.pop()
        assert heir is not None and short(world.name(heir)) == group[0]
    # the district offices of every 2024 province are under its 2025 province
    for code, _, _ in org.PROVINCES:
        for dcode, _ in org.district_offices(code):
            assert world.offices[dcode].parent == world.successor(code), dcode


def test_after_september_at_most_350_co_so_each_under_a_live_province() -> None:
    world = step(4)
    offices = world.active("district")
    assert 34 <= len(offices) <= 350
    assert all(o.name.startswith("BHXH cơ sở ") for o in offices)
    assert len({o.name for o in offices}) == len(offices)
    live = {o.code for o in world.active("province")}
    assert all(o.parent in live for o in offices)
    assert all(world.districts_of(p) for p in live), "every province keeps a cơ sở"
    # every 2024 district office is a cơ sở or merged into one of its own province
    for code, _, _ in org.PROVINCES:
        for dcode, _ in org.district_offices(code):
            heir = world.successor(dcode)
            assert heir is not None, dcode
            assert world.offices[heir].parent == world.successor(code)


def test_every_2024_code_is_accounted_for_once() -> None:
    """Each 2024 unit ends at most once, and is either live at the end or ended with a
    reason; the decisions register no unit the 2024 lists do not know of."""
    world = world_after()
    codes = set(World.of_2024().offices)
    assert set(world.offices) == codes
    ends = Counter(row["code"] for d in decisions() for row in d["changes"]
                   if row["change"] in ("merge", "dissolve", "split"))
    assert max(ends.values()) == 1
    for code in codes:
        o = world.offices[code]
        assert (o.ended is None) == (ends[code] == 0), code
    assert len(world.active("central")) == 14
    assert len(world.active("province")) == 34


def test_a_broken_file_is_caught() -> None:
    """The checks bite: an orphaned district, an unknown code, a second life."""
    d = copy.deepcopy(decisions()[1])
    d["changes"] = [r for r in d["changes"] if r["change"] != "move"]
    with pytest.raises(DecisionError, match="left under the ended province"):
        World.of_2024().apply(d)
    bad: dict[str, Any] = {"effective": "2025-03-01",
                           "changes": [{"change": "merge", "code": "NOPE", "into_code": "VP"}]}
    with pytest.raises(DecisionError, match=r"changes\[0\].*unknown unit"):
        World.of_2024().apply(bad)
    twice = {"effective": "2025-03-01", "changes": [
        {"change": "dissolve", "code": "TCBHXH"}, {"change": "rename", "code": "TCBHXH",
                                                   "name": "x"}]}
    with pytest.raises(DecisionError, match=r"changes\[1\].*ended"):
        World.of_2024().apply(twice)
    with pytest.raises(DecisionError, match="extra"):
        World.of_2024().apply({"effective": "2025-03-01", "changes": [
            {"change": "rename", "code": "VP", "name": "Văn phòng", "into_code": "BTHU"}]})


def test_the_2026_groups_hold_the_new_structure() -> None:
    g = groups_of_year(2026)
    centrals = {o.code for o in g.world.active("central")}
    provinces = {o.code for o in g.world.active("province")}
    in_blocks = [m for _, _, ms in g.blocks for m in ms]
    assert sorted(in_blocks) == sorted(centrals)
    in_clusters = [m for _, _, ms in g.provincial_clusters for m in ms]
    assert sorted(in_clusters) == sorted(provinces)
    assert set(g.partitions) == provinces
    for p, clusters in g.partitions.items():
        members = [m for c in clusters for m in c["members"]]
        assert sorted(members) == [o.code for o in g.world.districts_of(p)]
        assert len(clusters) == district_cluster_count(len(members))
    data = read_data("groups-2026.json")
    assert data["sample"] is True and "SAMPLE DATA" in data["note"]


def test_the_2024_groups_are_the_2024_lists() -> None:
    g = groups_of_year(2024)
    assert g.blocks == org.BLOCKS and g.provincial_clusters == org.PROVINCIAL_CLUSTERS
    assert len(g.partitions) == 63
    assert all([c["members"] for c in g.partitions[p]] == org.district_partition(p)
               for p in g.partitions)


def test_the_2026_cycle_names_only_units_of_2026() -> None:
    setup = years.cycle_setup_2026()
    live = {o.code for o in world_after().active("central")}
    assert setup["standing_office_code"] in live
    assert {m["unit_code"] for m in setup["monitoring"]} <= live
    assert {f["unit_code"] for f in setup["field_units"]} <= live
    fields = read_data("cycle-2026.json")["field_units"]
    assert sorted(i for f in fields for i in f["items_2024"]) == list(range(1, 12))
    codes = [f["unit_code"] for f in setup["field_units"]]
    assert len(set(codes)) == len(codes), "one field report per unit and province"
    assert len({f["item"] for f in setup["field_units"]}) == len(codes)
    scored = [s for o in setup["organisation_scoring"] for s in o["subjects"]]
    assert sorted(scored) == sorted(live)
    assert read_data("cycle-2026.json")["sample"] is True

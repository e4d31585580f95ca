"""The SAMPLE organisation is internally consistent and covers every row of f(N)."""

from __future__ import annotations

import re

import pytest

from domain.sample import organisation as org

CENTRAL_CODES = [code for code, _ in org.CENTRAL_UNITS]
PROVINCE_CODES = [code for code, _, _ in org.PROVINCES]
ASCII_CODE = re.compile(r"^[A-Z0-9]{1,12}$")


def test_central_units_have_unique_ascii_codes_and_names() -> None:
    assert 22 <= len(org.CENTRAL_UNITS) <= 26
    assert len(set(CENTRAL_CODES)) == len(CENTRAL_CODES)
    assert len({name for _, name in org.CENTRAL_UNITS}) == len(org.CENTRAL_UNITS)
    assert all(ASCII_CODE.match(code) for code in CENTRAL_CODES)


def test_63_provinces_with_unique_codes_and_names() -> None:
    assert len(org.PROVINCES) == 63
    assert len(set(PROVINCE_CODES)) == 63
    assert len({name for _, name, _ in org.PROVINCES}) == 63
    assert all(re.fullmatch(r"P\d\d", code) for code in PROVINCE_CODES)
    assert all(name.startswith(("BHXH tỉnh ", "BHXH thành phố ")) for _, name, _ in org.PROVINCES)
    assert ("P01", "BHXH thành phố Hà Nội") in [(c, n) for c, n, _ in org.PROVINCES]
    assert ("P79", "BHXH thành phố Hồ Chí Minh") in [(c, n) for c, n, _ in org.PROVINCES]


def test_monitoring_and_field_units_are_central_units() -> None:
    monitoring = [code for code, _ in org.MONITORING_UNITS]
    assert len(monitoring) == 17
    assert len(set(monitoring)) == 17
    assert set(monitoring) <= set(CENTRAL_CODES)
    assert all(field for _, field in org.MONITORING_UNITS)

    assert len(org.FIELD_INFORMATION_UNITS) == 11
    assert [item for item, _, _ in org.FIELD_INFORMATION_UNITS] == list(range(1, 12))
    field_codes = [code for _, code, _ in org.FIELD_INFORMATION_UNITS]
    assert len(set(field_codes)) == 11
    assert set(field_codes) <= set(CENTRAL_CODES)
    assert all(text for _, _, text in org.FIELD_INFORMATION_UNITS)


def test_scorers_and_standing_office() -> None:
    names = dict(org.CENTRAL_UNITS)
    tccb, office = org.ORGANISATION_SCORERS
    assert names[tccb] == "Vụ Tổ chức cán bộ"
    assert names[office] == "Văn phòng BHXH Việt Nam"
    assert names[org.STANDING_OFFICE] == "Vụ Thi đua - Khen thưởng"


@pytest.mark.parametrize(("n", "clusters"), [
    (0, 1), (9, 1), (10, 2), (14, 2), (15, 3), (19, 3), (20, 4), (24, 4), (25, 5), (30, 5),
])
def test_district_cluster_count_table(n: int, clusters: int) -> None:
    assert org.district_cluster_count(n) == clusters


def test_every_boundary_of_f_occurs_in_the_counts() -> None:
    counts = {count for _, _, count in org.PROVINCES}
    assert any(count < 9 for count in counts)
    assert {9, 10, 14, 15, 19, 20, 24, 25} <= counts
    assert any(count > 25 for count in counts)


@pytest.mark.parametrize(("code", "count"), [(c, n) for c, _, n in org.PROVINCES])
def test_district_offices_match_the_count(code: str, count: int) -> None:
    offices = org.district_offices(code)
    assert len(offices) == count
    codes = [dcode for dcode, _ in offices]
    assert len(set(codes)) == count
    assert codes == [f"{code}D{i:02d}" for i in range(1, count + 1)]
    assert len({name for _, name in offices}) == count
    assert all(name.startswith("BHXH ") for _, name in offices)
    assert offices == org.district_offices(code)


@pytest.mark.parametrize(("code", "count"), [(c, n) for c, _, n in org.PROVINCES])
def test_district_partition_covers_each_office_once(code: str, count: int) -> None:
    partition = org.district_partition(code)
    assert len(partition) == org.district_cluster_count(count)
    flat = [dcode for cluster in partition for dcode in cluster]
    assert flat == [dcode for dcode, _ in org.district_offices(code)]
    sizes = [len(cluster) for cluster in partition]
    assert min(sizes) >= 1
    assert max(sizes) - min(sizes) <= 1


def test_all_district_codes_are_unique_across_provinces() -> None:
    codes = [dcode for code in PROVINCE_CODES for dcode, _ in org.district_offices(code)]
    assert len(codes) == len(set(codes))


def test_unknown_province_is_rejected() -> None:
    with pytest.raises(KeyError):
        org.district_offices("P99")


def test_blocks_partition_the_central_units() -> None:
    assert 4 <= len(org.BLOCKS) <= 6
    assert len({code for code, _, _ in org.BLOCKS}) == len(org.BLOCKS)
    members = [member for _, _, block in org.BLOCKS for member in block]
    assert sorted(members) == sorted(CENTRAL_CODES)
    assert all(len(block) >= 2 for _, _, block in org.BLOCKS)


def test_provincial_clusters_partition_the_provinces() -> None:
    assert 7 <= len(org.PROVINCIAL_CLUSTERS) <= 9
    assert len({code for code, _, _ in org.PROVINCIAL_CLUSTERS}) == len(org.PROVINCIAL_CLUSTERS)
    members = [member for _, _, cluster in org.PROVINCIAL_CLUSTERS for member in cluster]
    assert sorted(members) == sorted(PROVINCE_CODES)
    assert all(len(cluster) >= 2 for _, _, cluster in org.PROVINCIAL_CLUSTERS)

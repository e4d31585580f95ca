"""Pure rules of the organisation: f(N), membership levels, the rights table, list parsing."""

import pytest

from domain.kernel.actor import Actor
from domain.kernel.errors import InvalidInput, NotAuthorised, RuleViolation
from domain.kernel.rights import RIGHTS, authorise
from domain.organisation.groups import UnitFacts, check_member, district_cluster_count
from domain.organisation.membership_list import parse_membership_list


@pytest.mark.parametrize(("n", "clusters"), [
    (0, 1), (1, 1), (9, 1), (10, 2), (14, 2), (15, 3), (19, 3), (20, 4), (24, 4), (25, 5),
    (40, 5),
])
def test_district_cluster_count_at_every_boundary(n, clusters):
    assert district_cluster_count(n) == clusters


def test_district_cluster_table_is_data():
    assert district_cluster_count(12, table=((0, 1), (12, 3))) == 3
    assert district_cluster_count(11, table=((0, 1), (12, 3))) == 1


def facts(level, parent=None, active=True):
    return UnitFacts(id="u1", code="X1", level=level, parent_id=parent, active=active,
                     day="2025-07-01")


@pytest.mark.parametrize(("kind", "level"), [
    ("block", "province"), ("block", "district"), ("provincial_cluster", "central"),
    ("provincial_cluster", "district"), ("district_cluster", "central"),
    ("district_cluster", "province"),
])
def test_group_refuses_the_wrong_level(kind, level):
    with pytest.raises(RuleViolation) as e:
        check_member(kind, "prov", facts(level, "prov"), "members[0]")
    assert e.value.rule == f"{kind}_member_level"
    assert e.value.field == "members[0]"


def test_district_cluster_refuses_another_provinces_district():
    with pytest.raises(RuleViolation) as e:
        check_member("district_cluster", "prov-a", facts("district", "prov-b"), "m")
    assert e.value.rule == "district_cluster_same_province"
    check_member("district_cluster", "prov-a", facts("district", "prov-a"), "m")


def test_member_must_be_active_on_the_first_day_of_its_membership():
    with pytest.raises(RuleViolation) as e:
        check_member("block", None, facts("central", active=False), "m")
    assert e.value.rule == "member_active_on_date" and "2025-07-01" in e.value.message


def actor(*roles, unit="A", assigned=()):
    return Actor(user_id="u", user_name="u", roles=roles, unit_id=unit, assigned_units=assigned)


def test_rights_table_scopes():
    assert authorise(actor("officer"), "district_partition.publish", unit_id="A").role == "officer"
    with pytest.raises(NotAuthorised) as e:
        authorise(actor("officer"), "district_partition.publish", unit_id="B")
    assert "not your unit" in e.value.message
    with pytest.raises(NotAuthorised) as e:
        authorise(actor("auditor"), "unit.manage")
    assert "needs one of the roles" in e.value.message
    assert authorise(actor("leader", assigned=("C",)), "sheet.approve", unit_id="C").role == \
        "leader"
    with pytest.raises(NotAuthorised):
        authorise(actor("leader", assigned=("C",)), "sheet.approve", unit_id="D")
    assert authorise(actor("group_secretariat", unit="H"), "election.run",
                     group_head_units=("H",)).role == "group_secretariat"
    with pytest.raises(NotAuthorised):
        authorise(actor("group_secretariat", unit="H"), "election.run", group_head_units=("X",))


def test_auditors_and_inspectors_never_write():
    for act, roles in RIGHTS.items():
        if act.endswith(".read") or act == "audit.export":
            continue
        assert "auditor" not in roles and "inspector" not in roles, act


def test_membership_list_vietnamese_headers_and_kinds():
    csv = ("Loại,Mã nhóm,Tên nhóm,Mã đơn vị,Mã tỉnh\n"
           "Khối,K1,Khối số 1,vtdkt,\n"
           "Cụm cấp huyện,c1,Cụm 1,P01D01,p01\n").encode("utf-8-sig")
    rows = parse_membership_list(csv, "list.csv")
    assert [(r.kind, r.group_code, r.unit_code, r.province_code) for r in rows] == [
        ("block", "K1", "VTDKT", None), ("district_cluster", "C1", "P01D01", "P01")]


def test_membership_list_names_every_bad_row():
    csv = ("kind,group_code,group_name,unit_code,province_code\n"
           "block,K1,Khối 1,A\n"
           "nonsense,K1,Khối 1,B\n"
           "block,,Khối 1,C\n"
           "district_cluster,C1,Cụm 1,D\n").encode()
    with pytest.raises(InvalidInput) as e:
        parse_membership_list(csv, "list.csv")
    assert set(e.value.errors) == {"row 3", "row 4", "row 5"}
    assert "province_code" in e.value.errors["row 5"][0]


def test_membership_list_refuses_other_files():
    with pytest.raises(InvalidInput) as e:
        parse_membership_list(b"x", "list.pdf")
    assert e.value.rule == "file_type"
    with pytest.raises(InvalidInput) as e:
        parse_membership_list(b"\xff\xfe\x00", "list.csv")
    assert e.value.rule == "csv_utf8"
    with pytest.raises(InvalidInput) as e:
        parse_membership_list(b"not a zip", "list.xlsx")
    assert e.value.rule == "xlsx_format"


def test_the_application_name_is_stable():
    from domain.application import Thidua

    assert Thidua.name == "thidua"


def test_a_unit_changes_several_times_on_one_date_but_never_before_its_record():
    from domain.organisation.units import Unit

    unit = Unit(code="D1", name="BHXH huyện A", level="district", parent_id="p1",
                effective="2020-01-01")
    unit.rename("BHXH cơ sở A", "2025-07-01")
    unit.move("p2", "2025-07-01")
    unit.rename("BHXH cơ sở A - B", "2025-07-01")
    assert [(p["start"], p["end"], p["name"], p["parent_id"]) for p in unit.periods] == [
        ("2020-01-01", "2025-07-01", "BHXH huyện A", "p1"),
        ("2025-07-01", None, "BHXH cơ sở A - B", "p2")]
    with pytest.raises(RuleViolation) as e:
        unit.rename("C", "2025-06-30")
    assert e.value.rule == "effective_after_last_change"
    assert unit.name == "BHXH cơ sở A - B" and unit.version == 4

"""Pure rules of the organisation: f(N), membership levels, the rights table, list parsing."""

from datetime import date

import pytest

from domain.kernel.actor import Actor
from domain.kernel.errors import InvalidInput, NotAuthorised, RuleViolation
from domain.kernel.rights import RIGHTS, authorise
from domain.organisation.groups import UnitFacts, check_member
from domain.organisation.membership_list import parse_membership_list
from domain.organisation.partition import district_cluster_count


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


def unit(code, level="province", parent=None, effective="2020-01-01"):
    from domain.organisation.units import Unit

    return Unit(code=code, name=f"Đơn vị {code}", level=level, parent_id=parent,
                effective=effective)


def test_a_merger_goes_to_an_active_unit_of_the_same_level_started_by_then():
    a, b, late = unit("A"), unit("B"), unit("L", effective="2026-01-01")
    d = unit("D", "district", str(a.id))
    for target, rule in ((a, "merge_other_unit"), (d, "merge_same_level"),
                         (late, "merge_into_active")):
        with pytest.raises(RuleViolation) as e:
            a.merge_into(target, "2025-07-01")
        assert e.value.rule == rule
    b.dissolve("2025-01-01")
    with pytest.raises(RuleViolation) as e:
        a.merge_into(b, "2025-07-01")
    assert e.value.rule == "merge_into_active" and a.active
    a.merge_into(unit("C"), "2025-07-01", {"number": "1"})
    assert (a.end_status, a.ended) == ("merged", "2025-07-01")


def test_a_province_with_district_offices_ends_only_once_they_are_settled():
    p = unit("P")
    p.attach_district(district_id="d1", effective="2020-01-01")
    p.attach_district(district_id="d2", effective="2026-01-01")  # joins later: still counts
    with pytest.raises(RuleViolation) as e:
        p.dissolve("2025-07-01", code_of=lambda uid: uid.upper())
    assert e.value.rule == "dissolve_without_districts" and "D1, D2" in e.value.message
    p.detach_district(district_id="d1", effective="2025-07-01")
    p.detach_district(district_id="d2", effective="2025-07-01")
    p.dissolve("2025-07-01", code_of=lambda uid: uid.upper())
    assert p.end_status == "dissolved"


def test_a_split_names_two_or_more_other_units_of_its_level():
    a, b, c = unit("A"), unit("B"), unit("C")
    for parts, rule in (([b], "split_two_parts"), ([b, b], "split_two_parts"),
                        ([a, b], "split_other_units"),
                        ([b, unit("D", "central")], "split_same_level")):
        with pytest.raises(RuleViolation) as e:
            a.split(parts, "2025-07-01")
        assert e.value.rule == rule
    a.split([b, c], "2025-07-01")
    assert a.end_status == "split" and a.split_into == [str(b.id), str(c.id)]
    assert a.period_on(date(2025, 6, 30)) is not None and a.period_on(date(2025, 7, 1)) is None


def test_a_change_of_level_keeps_the_old_level_in_the_old_record():
    p = unit("P")
    d = unit("D", "district", str(p.id))
    for who, level, parent, rule in ((unit("X", "central"), "district", None,
                                      "district_has_province"),
                                     (d, "central", p, "only_district_has_parent"),
                                     (d, "district", p, "level_unchanged"),
                                     (d, "planet", None, "known_level"),
                                     (unit("X", "central"), "district",
                                      unit("C", "central"), "parent_is_province")):
        with pytest.raises((RuleViolation, InvalidInput)) as e:
            who.relevel(level, parent, "2025-07-01")
        assert e.value.rule == rule
    assert d.version == 1
    d.relevel("province", None, "2025-07-01")
    assert d.level == "province" and d.parent_id is None
    assert d.period_on(date(2025, 6, 30))["level"] == "district"
    assert d.period_on(date(2025, 7, 1))["level"] == "province"


@pytest.mark.parametrize(("act", "field", "rule"), [
    ({"number": "1", "signed": "2025-01-01"}, "act.issuer", "required"),
    ({"number": " ", "signed": "2025-01-01", "issuer": "x"}, "act.number", "text_length"),
    ({"number": "1\u202e", "signed": "2025-01-01", "issuer": "x"}, "act.number",
     "text_characters"),
    ({"number": "1", "signed": "2025-13-01", "issuer": "x"}, "act.signed", "date_format"),
    ({"number": "1", "signed": "2025-01-01", "issuer": "x", "decision_id": "y"},
     "act.decision_id", "act_fields"),
    (["1"], "act", "act_object"),
])
def test_an_act_names_number_date_and_issuer_in_text_the_record_keeps(act, field, rule):
    from domain.organisation.units import check_act

    with pytest.raises(InvalidInput) as e:
        check_act(act)
    assert (e.value.field, e.value.rule) == (field, rule)
    assert check_act({"number": " 1/QĐ ", "signed": "2025-01-01", "issuer": "Bộ"}) == {
        "number": "1/QĐ", "signed": "2025-01-01", "issuer": "Bộ", "basis": ""}


def test_decision_rows_are_checked_for_their_shape_each_named():
    from domain.organisation.reorganisation import RowErrors, check_changes

    errors = RowErrors()
    rows = check_changes([
        {"change": "merge", "code": "A"}, "x", {"change": "split", "code": "A",
                                                "into_codes": "B; C"},
        {"change": "rename", "code": "A", "name": "N", "level": "central"}], errors)
    assert errors.rules == {"changes[0].into_code": "required", "changes[1]": "change_object",
                            "changes[3].level": "change_fields"}
    assert rows[0] is None and rows[2] == {"change": "split", "code": "A",
                                           "into_codes": ["B", "C"]}
    refusal = errors.refusal()
    assert refusal.rule == "reorganisation_rows" and refusal.rules == errors.rules


# -- membership in time -------------------------------------------------------------------

def test_spans_end_and_start_keep_a_staying_member_in_one_span():
    from domain.organisation import spans
    held = spans.start([], "G1", "u", "2025-01-01")
    held = spans.end(held, "G1", "u", "2025-07-01")
    assert held == [{"group_id": "G1", "unit_id": "u", "from": "2025-01-01",
                     "until": "2025-07-01"}]
    assert spans.start(held, "G1", "u", "2025-07-01")[0]["until"] is None, "re-joined"
    moved = spans.start(held, "G2", "u", "2025-07-01")
    assert [(s["group_id"], s["from"], s["until"]) for s in moved] == [
        ("G1", "2025-01-01", "2025-07-01"), ("G2", "2025-07-01", None)]
    assert spans.on(moved, "G1", "2025-06-30") == ["u"] and spans.on(moved, "G1",
                                                                      "2025-07-01") == []
    # ended from the first day: nothing of it is left
    assert spans.end(moved, "G2", "u", "2025-07-01") == held
    assert spans.clash(moved, {"G1", "G2"}, "u", "2025-06-30", "2025-07-01") == held[0]
    assert spans.clash(moved, {"G1"}, "u", "2025-07-01") is None


def test_spans_overlap_on_the_boundaries():
    from domain.organisation.spans import overlaps
    assert not overlaps("2025-01-01", "2025-12-31", "2025-12-31", None)
    assert overlaps("2025-01-01", None, "2025-12-31", None)
    assert overlaps("2025-01-01", "2025-01-02", "2024-12-01", None)
    assert not overlaps("2025-07-01", None, "2025-01-01", "2025-07-01")


def test_the_effective_date_falls_in_the_year():
    from domain.organisation.groups import check_effective
    assert check_effective(2025, None) == "2025-01-01"
    assert check_effective(2025, "2025-12-31") == "2025-12-31"
    for outside in ("2024-12-31", "2026-01-01"):
        with pytest.raises(InvalidInput) as e:
            check_effective(2025, outside)
        assert e.value.rule == "effective_in_year"


def year_with_blocks():
    from domain.organisation.groups import GroupYear
    years = GroupYear(year=2025)
    for code in ("K1", "K2"):
        years.form_group(group_id=code, kind="block", code=code, name=code, province_id=None)
    years.add_members(group_id="K1", members=["u"])
    years.collect_events()
    return years


def test_the_year_refuses_a_unit_in_two_groups_of_a_kind_at_once_before_the_event():
    years = year_with_blocks()
    with pytest.raises(RuleViolation) as e:
        years.add_members(group_id="K2", members=["u"], effective="2025-12-31",
                          labels={"u": "B1"})
    assert e.value.rule == "one_group_per_kind_at_a_time" and "B1" in e.value.message
    assert years.collect_events() == []
    years.remove_member(group_id="K1", unit_id="u", effective="2025-12-31")
    years.add_members(group_id="K2", members=["u"], effective="2025-12-31")
    assert years.group_of("block", "u", "2025-12-30") == "K1"
    assert years.group_of("block", "u", "2025-12-31") == "K2"
    assert years.groups["K1"]["members"] == [] and years.groups["K2"]["members"] == ["u"]
    with pytest.raises(RuleViolation) as e:
        years.add_members(group_id="K2", members=["u"], effective="2025-12-31")
    assert e.value.rule == "member_once"


def test_the_invariant_is_checked_on_what_an_act_leaves():
    years = year_with_blocks()
    years.spans.append({"group_id": "K2", "unit_id": "u", "from": "2025-03-01", "until": None})
    with pytest.raises(RuleViolation) as e:
        years.check_spans({"u": "B1"})
    assert e.value.rule == "one_group_per_kind_at_a_time" and "K1" in e.value.message


def test_a_partition_reformed_twice_on_one_day_keeps_the_second_and_an_earlier_supersedes():
    from domain.organisation.groups import GroupYear
    years = GroupYear(year=2025)

    def publish(day, code, members):
        years.publish_partition(province_id="P", effective=day, active=members,
                                clusters=[{"id": code, "code": code, "name": code,
                                           "members": members}], scale={}, decision=None,
                                code_of=str)

    publish("2025-01-01", "C1", ["a", "b"])
    publish("2025-07-01", "C2", ["a", "b"])
    publish("2025-07-01", "C3", ["a"])  # b gone from 1 July (it left the province)
    assert [p["effective"] for p in years.partitions["P"]] == ["2025-01-01", "2025-07-01"]
    assert years.partitions["P"][-1]["clusters"] == ["C3"]
    assert set(years.groups) == {"C1", "C3"}, "C2 held no day at all"
    assert years.members_on("C1", "2025-06-30") == ["a", "b"]
    assert years.members_on("C3", "2025-07-01") == ["a"]
    publish("2025-03-01", "C4", ["a", "b"])
    assert [p["effective"] for p in years.partitions["P"]] == ["2025-01-01", "2025-03-01"]
    assert set(years.groups) == {"C1", "C4"}
    assert years.partition_on("P", "2025-12-31")["clusters"] == ["C4"]


def cluster(code: str, members: list[str]) -> dict[str, object]:
    return {"id": code, "code": code, "name": code, "members": members}


TWELVE = [f"d{i:02}" for i in range(12)]  # f(12) = 2


@pytest.mark.parametrize("clusters,field,rule", [
    ([cluster("C1", TWELVE)], "clusters", "district_cluster_count"),
    ([cluster("C1", TWELVE[:6]), cluster("C2", TWELVE[5:])], "clusters[1].members[0]",
     "district_in_exactly_one_cluster"),
    ([cluster("C1", TWELVE[:6]), cluster("C2", TWELVE[6:11])], "clusters",
     "district_in_exactly_one_cluster"),
    ([cluster("C1", TWELVE), cluster("C2", [])], "clusters[1].members", "cluster_not_empty"),
    ([cluster("C1", TWELVE[:6]), cluster("C2", [*TWELVE[6:], "x"])], "clusters[1].members[6]",
     "district_active_on_date"),
])
def test_a_partition_is_refused_by_the_year_before_its_event(clusters, field, rule):
    """Letter 4268 A.I.5 in GroupYear: f(N) clusters, N the province's district offices
    active on the day, each in exactly one; nothing recorded when refused."""
    from domain.organisation.groups import GroupYear
    years = GroupYear(year=2025)
    years.collect_events()
    with pytest.raises(RuleViolation) as e:
        years.publish_partition(province_id="P", effective="2025-01-01", active=TWELVE,
                                clusters=clusters, scale={}, decision=None,
                                code_of=lambda u: u.upper())
    assert (e.value.field, e.value.rule) == (field, rule)
    assert years.collect_events() == [] and years.partitions == {}
    with pytest.raises(RuleViolation) as e:
        years.import_list(decision={}, groups=[], partitions=[
            {"province_id": "P", "effective": "2025-01-01", "clusters": clusters}],
            active={"P": TWELVE}, code_of=lambda u: u.upper())
    assert e.value.rule == rule and years.collect_events() == []
    if rule == "district_in_exactly_one_cluster" and field == "clusters":
        assert "not placed: D11" in e.value.message


def test_a_partition_records_n_and_its_clusters():
    from domain.organisation.groups import GroupYear
    years = GroupYear(year=2025)
    years.publish_partition(province_id="P", effective="2025-01-01", active=TWELVE,
                            clusters=[cluster("C1", TWELVE[:6]), cluster("C2", TWELVE[6:])],
                            scale={}, decision=None, code_of=str)
    (published,) = [e for e in years.collect_events() if type(e).__name__ ==
                    "DistrictPartitionPublished"]
    assert published.district_count == 12
    assert years.partition_on("P", "2025-06-01")["clusters"] == ["C1", "C2"]

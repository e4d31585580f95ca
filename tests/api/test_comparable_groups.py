"""The sector's cycle's comparable groups through the API: none declared, the cycle compares
by level and reads as before; declared by the standing office (with a reason, before the
first sheet is sent), they are read by code and the table names each row's group."""

from __future__ import annotations

from datetime import UTC, datetime

from domain.evaluation.ruleset import sample_ruleset
from tests.support.core import ROOT

YEAR = 2026


def test_comparable_groups_are_declared_read_and_used(api):
    app = api.services.app
    app.clock = lambda: datetime(2026, 12, 1, 3, tzinfo=UTC)
    for code in ("P01", "P02", "P03"):
        app.register_unit(ROOT, code=code, name=f"BHXH tỉnh {code}", level="province",
                          parent_code=None, effective="2020-01-01")
    app.publish_ruleset(ROOT, content=sample_ruleset())
    opened = app.open_cycle(ROOT, year=YEAR, ruleset_code="QD1779",
                            units=["VTDKT", "P01", "P02", "P03"], monitoring=[],
                            organisation_scoring=[])
    api.last_position = opened.position
    before = api.get(f"/evaluation/cycles/{YEAR}")
    assert before.status_code == 200, before.get_json()
    assert "comparable_groups" not in before.get_json()  # the cycle reads as it did
    assert api.get(f"/evaluation/cycles/{YEAR}/comparable-groups").get_json() == {
        "year": YEAR, "by_level": True, "comparable_groups": []}
    body = {"reason": "Phân nhóm theo quy mô thu.", "groups": [
        {"code": "TW", "name": "Đơn vị trực thuộc", "members": ["VTDKT"]},
        {"code": "T1", "name": "Tỉnh lớn", "members": ["P01"]},
        {"code": "T2", "name": "Tỉnh còn lại", "members": ["P02", "P03"]}]}
    mixed = api.post(f"/evaluation/cycles/{YEAR}/comparable-groups", json={
        **body, "groups": [{"code": "X", "name": "Trộn", "members": ["VTDKT", "P01", "P02",
                                                                     "P03"]}]})
    assert mixed.status_code == 422 and mixed.get_json()["rule"] == \
        "comparable_group_one_level", mixed.get_json()
    done = api.post(f"/evaluation/cycles/{YEAR}/comparable-groups", json=body)
    assert done.status_code == 201, done.get_json()
    read = api.get(f"/evaluation/cycles/{YEAR}/comparable-groups").get_json()
    assert read["by_level"] is False
    assert [(g["code"], g["members"]) for g in read["comparable_groups"]] == [
        ("TW", ["VTDKT"]), ("T1", ["P01"]), ("T2", ["P02", "P03"])]
    table = api.get(f"/evaluation/cycles/{YEAR}/table").get_json()
    assert {r["code"]: r["comparable_group"] for r in table["rows"]} == {
        "VTDKT": "TW", "P01": "T1", "P02": "T2", "P03": "T2"}

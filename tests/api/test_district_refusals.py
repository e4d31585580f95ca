"""A province's district evaluation against bad input and the wrong hands, through the API:
hostile text, unknown fields, a district for a province, another province's officer, a
sector's sheet under the district steps and the reverse; nothing is written by a refusal,
and every refusal names its field and rule."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from domain.evaluation.ruleset import sample_ruleset
from tests.support.core import ROOT, Api
from tests.support.district import DISTRICT_RULES, YEAR, district_scores, province_with_offices

CYCLE = f"/district-evaluation/cycles/PA/{YEAR}"


@pytest.fixture
def refusal_api(client: Any, services: Any) -> Api:
    """PA (ten offices, two clusters) with its rule set and open cycle; PB next door; and a
    small sector cycle of the year with PA in it."""
    app = services.app
    app.clock = lambda: datetime(2026, 12, 1, 3, tzinfo=UTC)
    province_with_offices(app, "PA", 10, [[1, 2, 3, 4, 5], [6, 7, 8, 9, 10]])
    province_with_offices(app, "PB", 3)
    app.register_unit(ROOT, code="VP", name="Văn phòng", level="central", parent_code=None,
                      effective="2020-01-01")
    app.publish_ruleset(ROOT, content=sample_ruleset())
    app.open_cycle(ROOT, year=YEAR, ruleset_code="QD1779", units=["VP", "PA"], monitoring=[],
                   organisation_scoring=[])
    a = Api(client, services)
    for code in ("PA", "PB", "PAD1", "PAD2", "PBD1"):
        a.user(f"o.{code.lower()}", ["officer"], code)
    a.user("doc.gia", ["auditor"], None)
    assert a.post("/district-evaluation/rulesets", "o.pa", json={
        "province_code": "PA", "content": DISTRICT_RULES}).status_code == 201
    assert a.post("/district-evaluation/cycles", "o.pa", json={
        "year": YEAR, "province_code": "PA", "ruleset_code": "TCHUYEN"}).status_code == 201
    return a


def refused(api: Api, services: Any, method: str, path: str, who: str, body: dict[str, Any],
            status: int, rule: str, field: str | None = None) -> dict[str, Any]:
    head = services.runner.head()
    response = getattr(api, method)(path, who, json=body)
    answer = response.get_json()
    assert (response.status_code, answer["rule"]) == (status, rule), answer
    if field is not None:
        assert field in answer["errors"], answer
    assert services.runner.head() == head, "a refused request wrote an event"
    return answer  # type: ignore[no-any-return]


@pytest.mark.parametrize("char", ["\x00", "\u202e", "\u200b", "\x1b"])
def test_hostile_text_in_a_rule_set_or_a_group_is_refused_naming_the_field(
        refusal_api, services, char):
    content = {**DISTRICT_RULES, "code": "TC2",
               "criteria": [{**DISTRICT_RULES["criteria"][0],
                             "name": f"Thu BHXH{char}"}, *DISTRICT_RULES["criteria"][1:]]}
    refused(refusal_api, services, "post", "/district-evaluation/rulesets", "o.pa",
            {"province_code": "PA", "content": content}, 422, "text_characters",
            "content.criteria[0].name")
    refused(refusal_api, services, "post", "/district-evaluation/cycles", "o.pb",
            {"year": YEAR, "province_code": "PB", "ruleset_code": "TCHUYEN",
             "comparable_groups": [{"code": "N1", "name": f"Nhóm{char}",
                                    "members": ["PBD1"]}]},
            422, "text_characters", "comparable_groups[0].name")


def test_a_decomposed_name_is_kept_composed(refusal_api, services):
    decomposed = "Nho\u0301m quy mo\u0302 lơ\u0301n"  # "Nhóm quy mô lớn", NFD
    refusal_api.post("/district-evaluation/rulesets", "o.pb",
                     json={"province_code": "PB", "content": DISTRICT_RULES})
    r = refusal_api.post("/district-evaluation/cycles", "o.pb", json={
        "year": YEAR, "province_code": "PB", "ruleset_code": "TCHUYEN",
        "comparable_groups": [{"code": "N1", "name": decomposed,
                               "members": ["PBD1", "PBD2", "PBD3"]}]})
    assert r.status_code == 201, r.get_json()
    cycle = refusal_api.get(f"/district-evaluation/cycles/PB/{YEAR}", "doc.gia").get_json()
    assert cycle["comparable_groups"][0]["name"] == "Nhóm quy mô lớn"


def test_the_wrong_unit_or_shape_is_refused(refusal_api, services):
    api = refusal_api
    refused(api, services, "post", "/district-evaluation/rulesets", "o.pad1",
            {"province_code": "PAD1", "content": DISTRICT_RULES}, 422,
            "organiser_is_province")
    refused(api, services, "post", "/district-evaluation/rulesets", "o.pa",
            {"province_code": "PA", "content": DISTRICT_RULES, "actor": "someone"}, 422,
            "schema", "actor")
    refused(api, services, "post", "/district-evaluation/rulesets", "o.pa",
            {"province_code": "XX9", "content": DISTRICT_RULES}, 404, "exists")
    refused(api, services, "post", "/district-evaluation/cycles", "o.pb",
            {"year": YEAR, "province_code": "PA", "ruleset_code": "TCHUYEN"}, 403,
            "district.manage")
    refused(api, services, "post", "/district-evaluation/cycles", "o.pa",
            {"year": YEAR, "province_code": "PA", "ruleset_code": "TCHUYEN"}, 422,
            "cycle_once")
    refused(api, services, "put", "/district-evaluation/sheets", "o.pad1",
            {"year": YEAR, "province_code": "PA", "kind": "self", "subject_code": "PAD1",
             "scores": {"T01": "26"}}, 422, "score_above_maximum", "scores.T01")
    refused(api, services, "put", "/district-evaluation/sheets", "o.pad1",
            {"year": YEAR, "province_code": "PA", "kind": "self", "subject_code": "PAD1",
             "scores": {"T01": "1" * 50}}, 422, "score_format", "scores.T01")
    answer = refused(api, services, "put", "/district-evaluation/sheets", "o.pbd1",
                     {"year": YEAR, "province_code": "PA", "kind": "self",
                      "subject_code": "PBD1", "scores": {}}, 422, "unit_in_cycle",
                     "scorer_code")
    assert answer["message"].startswith("PBD1 does not take part"), answer
    answer = refused(api, services, "post", f"{CYCLE}/tasks", "o.pa",
                     {"code": "DX9", "name": "Nhiệm vụ", "criterion": "T07",
                      "assigned_on": "2026-10-01", "units": ["PAD1", "PBD1"]}, 422,
                     "unit_in_cycle")
    assert answer["message"].startswith("PBD1 does not take part"), answer
    refused(api, services, "post", f"{CYCLE}/extensions", "o.pa",
            {"unit_code": "PBD1", "until": "2027-01-20", "reason": "Gia hạn."}, 422,
            "unit_in_cycle")
    refused(api, services, "post", f"{CYCLE}/extensions", "o.pb",
            {"unit_code": "PAD1", "until": "2027-01-20", "reason": "Gia hạn."}, 403,
            "district.manage")
    refused(api, services, "post", f"/district-evaluation/cycles/PA/{YEAR}/review", "o.pa",
            {"meeting_date": "2027-01-15"}, 422, "cycle_order")
    assert api.get(f"/district-evaluation/cycles/PB/{YEAR}", "doc.gia").status_code == 404


def test_sheets_move_only_within_their_own_cycle(refusal_api, services):
    api = refusal_api
    district = api.put("/district-evaluation/sheets", "o.pad1", json={
        "year": YEAR, "province_code": "PA", "kind": "self", "subject_code": "PAD1",
        "scores": district_scores()}).get_json()
    sector = api.put("/evaluation/sheets", "o.pa", json={
        "year": YEAR, "kind": "self", "subject_code": "PA",
        "scores": {c["code"]: (c["max"] if c["kind"] == "base" else "0")
                   for c in sample_ruleset()["criteria"]}}).get_json()
    refused(api, services, "post", f"/evaluation/sheets/{district['id']}/submit", "o.pad1",
            {}, 422, "sheet_of_cycle")
    refused(api, services, "post", f"/district-evaluation/sheets/{sector['id']}/submit",
            "o.pa", {}, 422, "sheet_of_cycle")
    assert api.get(f"/district-evaluation/sheets/{sector['id']}", "doc.gia").status_code == 404
    # both are score sheets: the sector's list shows the district one with its rule set
    shown = api.get(f"/evaluation/sheets/{district['id']}", "doc.gia").get_json()
    assert shown["ruleset"]["code"] == "TCHUYEN" and shown["scorer_code"] == "PAD1"
    listed = api.get(f"/district-evaluation/sheets?year={YEAR}&province=PA&kind=self",
                     "doc.gia").get_json()
    assert listed["total"] == 10
    assert [s["state"] for s in listed["items"]].count("not_started") == 9

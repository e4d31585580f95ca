"""What `make run` loads into an empty store: the sample organisation of 2024, the 2025
reorganisation recorded as its four decisions, the 2026 groups on the new structure and a
2026 cycle open with its deadline in January 2027. Read through the HTTP API."""

from __future__ import annotations

from typing import Any

from domain.sample import organisation as org
from domain.sample.years import groups_of_year, world_after
from projections.base import wait_for
from tests.support.core import Api
from web.cli.sample import SAMPLE_ADMIN, SAMPLE_STANDING_OFFICE, ensure_sample


def loaded(services: Any, client: Any) -> Api:
    assert ensure_sample(services) == SAMPLE_ADMIN
    api = Api(client, services)
    api.user("doc.gia", ["auditor"], None)
    api.last_position = services.runner.head()
    for projection in services.projections.values():
        assert wait_for(projection.view, services.app.name, api.last_position, 120), projection
    return api


def units(api: Api, day: str, level: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    page = 1
    while True:
        r = api.get(f"/units?date={day}&level={level}&page={page}&page_size=500", "doc.gia")
        assert r.status_code == 200, r.get_json()
        body = r.get_json()
        out += body["items"]
        if len(out) >= body["total"]:
            return out
        page += 1


def pages(api: Api, path: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    page = 1
    while True:
        r = api.get(f"{path}&page={page}&page_size=500", "doc.gia")
        assert r.status_code == 200, r.get_json()
        body = r.get_json()
        out += body["items"]
        if len(out) >= body["total"] or not body["items"]:
            return out
        page += 1


def test_make_run_shows_both_worlds(services, client):
    api = loaded(services, client)

    before = units(api, "2024-06-01", "province")
    assert len(before) == 63
    assert {u["name"] for u in before} == {n for _, n, _ in org.PROVINCES}
    assert len(units(api, "2024-06-01", "central")) == 24
    assert len(units(api, "2024-06-01", "district")) == sum(n for _, _, n in org.PROVINCES)

    between = units(api, "2025-05-01", "province")
    assert len(between) == 35
    assert all(u["name"].startswith("BHXH khu vực ") for u in between)

    after = units(api, "2026-06-01", "province")
    world = world_after()
    assert len(after) == 34
    assert {(u["code"], u["name"]) for u in after} == {
        (o.code, o.name) for o in world.active("province")}
    assert len(units(api, "2026-06-01", "central")) == 14
    co_so = units(api, "2026-06-01", "district")
    assert len(co_so) == len(world.active("district")) <= 350
    assert all(u["name"].startswith("BHXH cơ sở ") for u in co_so)
    assert {u["parent_code"] for u in co_so} == {u["code"] for u in after}

    for year in (2024, 2026):
        expected = groups_of_year(year)
        r = api.get(f"/groups?year={year}&page_size=500", "doc.gia")
        assert r.status_code == 200, r.get_json()
        body = r.get_json()
        kinds: dict[str, int] = {}
        for g in body["items"]:
            kinds[g["kind"]] = kinds.get(g["kind"], 0) + 1
        assert kinds == {
            "block": len(expected.blocks),
            "provincial_cluster": len(expected.provincial_clusters),
            "district_cluster": sum(len(c) for c in expected.partitions.values())}, year
    assert len(groups_of_year(2026).provincial_clusters) < len(org.PROVINCIAL_CLUSTERS)

    # every 2026 group has its head and deputy, elected for the 2026 term in December 2025
    for g in pages(api, "/groups?year=2026"):
        r = api.get(f"/groups/{g['id']}/state", "doc.gia")
        assert r.status_code == 200, r.get_json()
        state = r.get_json()
        members = sorted(m["code"] for m in state["members"])
        assert state["head"]["unit_code"] == members[0], g["code"]
        assert state["deputy"]["unit_code"] == members[1], g["code"]
        assert {t["term"] for t in state["terms"]} == {2026}
        assert state["head"]["took_office"].startswith("2025-12-16"), state["head"]

    r = api.get("/evaluation/cycles/2026", "doc.gia")
    assert r.status_code == 200, r.get_json()
    cycle = r.get_json()
    assert cycle["deadline"].startswith("2027-01-")
    assert api.get("/evaluation/cycles/2024", "doc.gia").status_code == 404

    user = services.app.user(SAMPLE_STANDING_OFFICE)
    assert user.unit_code == "VTCCB"  # the sample's standing office after 1 March 2025


def test_the_decision_files_load_through_the_cli_and_are_listed(services, client, settings):
    """`thidua units reorganise FILE` takes each sample file as it is; the API lists the four
    decisions with their numbers and every change."""
    from importlib import resources

    from domain.sample.loader import load_sample
    from domain.sample.years import DECISION_FILES, decisions
    from tests.support.core import ROOT
    from web.app import create_app

    load_sample(services.app, ROOT)
    runner = create_app(settings, services).test_cli_runner()
    data = resources.files("domain.sample").joinpath("data")
    for name, decision in zip(DECISION_FILES, decisions(), strict=True):
        result = runner.invoke(args=["units", "reorganise", str(data.joinpath(name))])
        assert result.exit_code == 0, result.output
        assert f"recorded {decision['number']}" in result.output
        assert f"{len(decision['changes'])} change(s)" in result.output
    again = runner.invoke(args=["units", "reorganise", str(data.joinpath(DECISION_FILES[0]))])
    assert again.exit_code != 0  # the merged units cannot merge a second time

    api = Api(client, services)
    api.user("doc.gia", ["auditor"], None)
    api.last_position = services.runner.head()
    listed = api.get("/reorganisations?page_size=500", "doc.gia")
    assert listed.status_code == 200, listed.get_json()
    items = listed.get_json()["items"]
    assert sorted(d["number"] for d in items) == sorted(d["number"] for d in decisions())
    for item in items:
        detail = api.get(f"/reorganisations/{item['id']}", "doc.gia").get_json()
        source = next(d for d in decisions() if d["number"] == detail["number"])
        assert detail["effective"] == source["effective"]
        assert len(detail["changes"]) == len(source["changes"])
    assert len(units(api, "2026-06-01", "province")) == 34

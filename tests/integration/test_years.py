"""One organisation carried through time (issue 14): a 2024 year run to its decision, the 2025
reorganisation recorded as the sample's four decisions, the 2026 groups formed on the new
structure and a whole 2026 cycle run to its decision; then every 2024 read is byte for byte
what it was before the reorganisation, and replay of 2024 and of 2026 reports equal.

The year is the generator's (domain/sample/generator/) on the whole 2024 organisation, with
five provinces taking part: Hà Nội, Hà Giang, Cao Bằng, Bắc Kạn and Tuyên Quang. In 2025 Hà
Giang merges into Tuyên Quang and Bắc Kạn into Thái Nguyên, so the 2026 year has four of the
34 provinces (Hà Nội, Cao Bằng, Tuyên Quang, Thái Nguyên) and the 14 central units; the heads of
its groups are elected at December 2025 meetings, for the 2026 term. The as-of answers are
asked at positions of the log (the generator's acts are dated on a simulated calendar, the
events themselves when they are written)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from domain.evaluation.cycle import cycle_id
from domain.sample.generator import generate
from domain.sample.loader import load_sample, record_decisions
from domain.sample.years import decisions, world_after
from projections.base import wait_for
from tests.support.core import ROOT, Api

PROVINCES = 5


def caught_up(services: Any, api: Api) -> None:
    api.last_position = services.runner.head()
    for projection in services.projections.values():
        assert wait_for(projection.view, services.app.name, api.last_position, 120), projection


def body(api: Api, path: str) -> bytes:
    r = api.get(path, "doc.gia")
    assert r.status_code == 200, (path, r.get_data(as_text=True)[:500])
    return bytes(r.get_data())


def pages(api: Api, path: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    page = 1
    while True:
        sep = "&" if "?" in path else "?"
        r = api.get(f"{path}{sep}page={page}&page_size=500", "doc.gia")
        assert r.status_code == 200, r.get_json()
        got = r.get_json()
        out += got["items"]
        if len(out) >= got["total"] or not got["items"]:
            return out
        page += 1


def first_difference(a: bytes, b: bytes) -> str:
    i = next((k for k, (x, y) in enumerate(zip(a, b, strict=False)) if x != y),
             min(len(a), len(b)))
    return (f"at byte {i}: before ...{a[max(0, i - 60):i + 40]!r} after "
            f"...{b[max(0, i - 60):i + 40]!r}")


def reads_of_2024(api: Api, position: int) -> dict[str, bytes]:
    """Every 2024 read this test compares: path -> the exact JSON (or CSV) body."""
    paths = [f"/units?date={day}&level={level}&page_size=500"
             for day in ("2024-01-01", "2024-06-01", "2024-12-31")
             for level in ("central", "province", "district")]
    paths += ["/units?date=2024-06-01&parent=P02&page_size=500",
              "/groups?year=2024&page_size=500",
              "/groups?year=2024&kind=district_cluster&page_size=500",
              "/district-partitions?year=2024&page_size=500",
              "/evaluation/cycles/2024", "/evaluation/cycles/2024/scoreboard",
              "/evaluation/cycles/2024/progress", "/evaluation/cycles/2024/table",
              "/evaluation/cycles/2024/table.csv",
              "/elections?year=2024&page_size=500", "/covenants?year=2024&page_size=500",
              "/evaluation/sheets?year=2024&page_size=500",
              "/evaluation/nominations?year=2024&page_size=500",
              "/evaluation/field-reports?year=2024&page_size=500",
              "/evaluation/cluster-summaries?year=2024&page_size=500",
              "/audit/timeline/2024?page_size=500",
              f"/audit/as-of/records/{cycle_id(2024)}?as_of={position}",
              f"/audit/as-of/records/{cycle_id(2024)}?as_of={position * 9 // 10}"]
    groups = pages(api, "/groups?year=2024")
    assert groups
    for g in groups:
        paths.append(f"/groups/{g['id']}")
        paths.append(f"/audit/as-of/groups/{g['id']}?as_of={position}")
        paths.append(f"/audit/as-of/groups/{g['id']}?as_of={position // 2}")
    return {p: body(api, p) for p in paths}


@pytest.mark.timeout(1500)
def test_2024_reads_survive_the_reorganisation_and_2026_runs_on_the_new_structure(
        services, client, settings):
    from web.app import create_app

    app = services.app
    load_sample(app, ROOT, groups=False)  # the whole 2024 organisation
    first = generate(app, years=1, first_year=2024, seed=5, provinces=PROVINCES)
    assert first["counts"]["decisions"] == 1
    api = Api(client, services)
    api.user("doc.gia", ["auditor"], None)
    caught_up(services, api)
    position = api.last_position
    before = reads_of_2024(api, position)
    provinces = json.loads(before["/units?date=2024-06-01&level=province&page_size=500"])
    assert provinces["total"] == 63
    assert "BHXH tỉnh Hà Giang" in {u["name"] for u in provinces["items"]}

    changes = record_decisions(app, ROOT)
    assert changes == sum(len(d["changes"]) for d in decisions())
    second = generate(app, years=1, first_year=2026, seed=6, provinces=PROVINCES)
    assert second["counts"]["decisions"] == 1
    caught_up(services, api)

    # the 2026 cycle ran to its decision on the 2026 structure
    cycle = app.cycle(2026)
    assert cycle.state == "decided"
    world = world_after()
    live = {o.code for o in world.active()}
    codes = {u["code"] for u in cycle.units.values()}
    assert codes <= live, codes - live
    assert {c for c in codes if c.startswith("P")} == {"P01", "P04", "P08", "P19"}
    assert {c for c in codes if not c.startswith("P")} == {
        o.code for o in world.active("central")}
    assert {m["code"] for m in cycle.monitoring} <= live
    r = api.get("/units?date=2026-06-01&level=province&page_size=500", "doc.gia")
    assert r.get_json()["total"] == 34
    r = api.get("/units?date=2024-06-01&level=province&page_size=500", "doc.gia")
    assert r.get_json()["total"] == 63
    groups_2026 = pages(api, "/groups?year=2026")
    assert {g["kind"] for g in groups_2026} == {"block", "provincial_cluster",
                                                 "district_cluster"}
    # their heads were elected at a December 2025 meeting, for the 2026 term
    for g in groups_2026:
        state = api.get(f"/groups/{g['id']}/state", "doc.gia").get_json()
        rounds = [e for e in state["elections"] if e["term"] == 2026]
        assert rounds and all(e["meeting_date"].startswith("2025-12") for e in rounds), (
            g["code"], rounds)
        assert state["head"] is not None and state["head"]["term"] == 2026, g["code"]
    table = api.get("/evaluation/cycles/2026/table", "doc.gia")
    assert table.status_code == 200, table.get_json()

    # replay of each year reports equal
    runner = create_app(settings, services).test_cli_runner()
    for year in ("2024", "2026"):
        result = runner.invoke(args=["replay", year])
        assert result.exit_code == 0, result.output[-2000:]
        assert "EQUAL" in result.output

    # every 2024 read, byte for byte
    after = reads_of_2024(api, position)
    changed = {p: first_difference(before[p], after[p]) for p in before
               if before[p] != after[p]}
    assert not changed, "\n".join(f"{p}: {d}" for p, d in changed.items())


"""Every date and time an answer holds is ISO 8601 (2024-12-20, 2024-12-20T09:30:00+07:00),
never an HTTP date ('Tue, 01 Dec 2026 ... GMT') or PostgreSQL's text ('2024-12-20 09:30:00+07'):
every read endpoint of the OpenAPI document, walked over a filled sample year."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from domain.kernel.actor import Actor
from tests.support.district import DISTRICT_RULES
from tests.support.judging import a_judged_group

YEAR = 2024
DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
TIME = r"T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})"
ISO = re.compile(f"{DATE}({TIME})?")
# what a date or time looks like in any spelling: starts with a date, or an HTTP date
DATE_LIKE = re.compile(rf"^({DATE}|[A-Z][a-z]{{2}}, [0-9]{{2}} [A-Z][a-z]{{2}} [0-9]{{4}})")


def strings(value: Any, where: str) -> Any:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from strings(v, f"{where}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value[:20]):
            yield from strings(v, f"{where}[{i}]")
    elif isinstance(value, str):
        yield where, value


def first(api: Any, path: str, key: str = "id") -> str:
    r = api.get(path)
    assert r.status_code == 200, (path, r.get_json())
    items = r.get_json()["items"]
    assert items, f"{path} is empty: the sample year should fill it"
    return str(items[0][key])


@pytest.fixture
def ids(year_api: Any) -> dict[str, str]:
    """One id of each kind to read, from the generated year."""
    api = year_api
    r = api.post("/reorganisations", json={
        "number": "1/QĐ-BHXH", "signed": "2024-05-20", "issuer": "BHXH Việt Nam",
        "basis": "Điều lệ", "effective": "2024-06-01",
        "changes": [{"change": "register", "code": "ISO1", "name": "Đơn vị ISO",
                     "level": "central"}]})
    assert r.status_code == 201, r.get_json()
    judged = a_judged_group(api.services.app)  # a judging, rules and plan of their own year
    # P01's evaluation of its district offices for the year, so the district reads answer
    p01 = Actor(user_id="iso:p01", user_name="iso.p01", roles=("officer",),
                unit_id=str(api.services.app.unit("P01").id), unit_code="P01")
    api.services.app.publish_district_ruleset(p01, province_code="P01", content=DISTRICT_RULES)
    api.services.app.open_district_cycle(p01, year=YEAR, province_code="P01",
                                         ruleset_code=DISTRICT_RULES["code"])
    api.last_position = api.services.runner.head()
    return {
        "year": str(YEAR), "code": "P01", "username": "admin", "rid": r.get_json()["id"],
        "judging_id": judged["judging_id"], "plan_id": judged["plan_id"],
        "province_code": "P01",
        "group_id": first(api, f"/groups?year={YEAR}"),
        "election_id": first(api, f"/elections?year={YEAR}"),
        "covenant_id": first(api, f"/covenants?year={YEAR}"),
        "sheet_id": first(api, f"/evaluation/sheets?year={YEAR}"),
        "record_id": first(api, f"/evaluation/sheets?year={YEAR}"),
    }


def read_paths(api: Any, ids: dict[str, str]) -> list[str]:
    """Every GET of the document, its path filled from ``ids``; the year's records where the
    operation takes a year, and a moment after everything for an as-of read."""
    document = api.get("/openapi.json").get_json()
    paths = []
    for template, operations in document["paths"].items():
        if "get" not in operations or template in ("/openapi.json", "/docs"):
            continue
        path = re.sub(r"\{(\w+)\}", lambda m: ids[m.group(1)], template)
        names = {p["name"] for p in operations["get"].get("parameters", [])
                 if p.get("in") == "query"}
        query = {"year": str(YEAR), "as_of": "2099-01-01"}
        given = "&".join(f"{k}={v}" for k, v in query.items() if k in names)
        paths.append(f"{path}?{given}" if given else path)
    return paths


def test_every_date_and_time_in_answers_is_iso_8601(year_api, ids):
    api = year_api
    bad: list[str] = []
    read = 0
    for path in read_paths(api, ids):
        r = api.get(path)
        assert r.status_code < 500, (path, r.status_code, r.get_data()[:300])
        if r.status_code != 200:
            continue
        if r.mimetype == "application/json":
            bodies = [r.get_json()]
        elif r.mimetype == "application/x-ndjson":
            bodies = [json.loads(line) for line in r.get_data(as_text=True).splitlines()[:200]]
        else:
            continue
        read += 1
        for body in bodies:
            for where, text in strings(body, path):
                if DATE_LIKE.match(text) and not ISO.fullmatch(text):
                    bad.append(f"{where} = {text!r}")
    assert read >= 30
    assert not bad, "\n".join(sorted(set(bad))[:40])

"""Who scores whom and which sheets await a leader's approval, as the views show them, are
the domain's one statement of each (domain/evaluation/scoring.py) applied to the records."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import psycopg
from psycopg.sql import SQL, Identifier

from domain.evaluation.ruleset import sample_ruleset
from domain.kernel.actor import Actor

YEAR = 2024
OFFICE = Actor(user_id="test:who", user_name="who", roles=("admin", "standing_office"),
               unit_id=None, source="test")
UNITS = {"BTHU": "central", "VTCCB": "central", "VP": "central", "P01": "province",
         "P02": "province"}


def ok(response: Any, status: int = 200) -> dict[str, Any]:
    body = response.get_json()
    assert response.status_code == status, body
    return body  # type: ignore[no-any-return]


def test_the_views_expect_the_sheets_the_cycle_expects_and_await_the_central_ones(api):
    app = api.services.app
    app.clock = lambda: datetime(2024, 12, 20, 3, tzinfo=UTC)
    for code, level in UNITS.items():
        app.register_unit(OFFICE, code=code, name=f"Đơn vị {code}", level=level,
                          parent_code=None, effective="2020-01-01")
        api.user(f"o.{code.lower()}", ["officer"], code)
    content = sample_ruleset()
    ok(api.post("/evaluation/rulesets", json={"content": content}), 201)
    opened = ok(api.post("/evaluation/cycles", json={
        "year": YEAR, "ruleset_code": content["code"], "units": list(UNITS),
        "monitoring": [{"unit_code": "BTHU", "field": "Thu"}],
        "organisation_scoring": [{"unit_code": "VTCCB", "subjects": ["BTHU", "VP"]},
                                 {"unit_code": "VP", "subjects": ["VTCCB"]}]}), 201)
    cycle = app.cycle(YEAR)
    detail = ok(api.get(f"/evaluation/cycles/{YEAR}"))
    assert opened["sheets_expected"] == detail["sheets_expected"] == len(cycle.pairs()) == 12
    with psycopg.connect(api.services.url, autocommit=True) as conn:
        conn.execute(SQL("SET search_path = {}, public").format(
            Identifier(api.services.settings.views_schema)))
        rows = conn.execute("SELECT kind, scorer_id::text, subject_id::text FROM "
                            "eval_expected WHERE year = %s", (YEAR,)).fetchall()
    assert sorted(rows) == sorted(cycle.pairs())

    scores = {c["code"]: "1" for c in content["criteria"]}
    for scorer, subject in (("BTHU", "P01"), ("P01", "BTHU")):
        kind = "central_to_province" if UNITS[scorer] == "central" else "province_to_central"
        who = f"o.{scorer.lower()}"
        sheet = ok(api.put("/evaluation/sheets", who, json={
            "year": YEAR, "kind": kind, "subject_code": subject, "scores": scores}))
        assert sheet["needs_approval"] is (UNITS[scorer] == "central")
        ok(api.post(f"/evaluation/sheets/{sheet['id']}/submit", who, json={}))
    progress = {u["code"]: u for u in ok(api.get(f"/evaluation/cycles/{YEAR}/progress"))[
        "units"]}
    assert progress["BTHU"]["awaiting_approval"] == [
        {"kind": "central_to_province", "subject_code": "P01", "state": "submitted"}]
    assert progress["P01"]["awaiting_approval"] == []
    assert progress["P01"]["not_sent"] == [
        {"kind": "province_to_central", "subject_code": "BTHU", "state": "submitted"}]

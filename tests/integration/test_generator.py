"""The benchmark's generator at a tiny scale: a year of three provinces through the real use
cases, seen in the views, and the same events again from the same seed."""

from __future__ import annotations

import json
import uuid
from typing import Any

import psycopg
import rfc8785
from psycopg.sql import SQL, Identifier

from domain.application import Thidua
from domain.evaluation.rules import SHEET_KINDS
from domain.sample import organisation as org
from domain.sample.generator import generate
from tests.support.core import with_db as _with_db
from web.database import eventsourcing_env

YEAR = 2024
PROVINCES = 3


def topics(app: Any) -> list[str]:
    out: list[str] = []
    start = 1
    while True:
        page = app.recorder.select_notifications(start, 1000)
        if not page:
            return out
        out += [n.topic for n in page]
        start = page[-1].id + 1


def one(conn: Any, sql: str, params: Any = ()) -> Any:
    row = conn.execute(sql, params).fetchone()
    return row[0] if row else None


def test_a_tiny_year_through_the_real_use_cases(services, server_url, template_db):
    result = generate(services.app, years=1, first_year=YEAR, seed=7, provinces=PROVINCES)
    services.runner.stop()  # the fixture's projection thread; then catch up here, alone
    services.runner.catch_up()
    head = services.runner.head()
    assert result["events"] == head > 1000
    counts = result["counts"]
    assert counts["units"] == len(org.CENTRAL_UNITS) + PROVINCES + sum(
        n for _, _, n in org.PROVINCES[:PROVINCES])
    assert counts["ballots"] > 0 and counts["signatures"] > 0 and counts["decisions"] == 1

    with psycopg.connect(services.url, autocommit=True) as conn:
        conn.execute("SET search_path = views, public")
        # every kind of score sheet, each of them sent
        kinds = dict(conn.execute("SELECT kind, count(*) FROM eval_sheets WHERE year = %s "
                                  "AND sent_revision IS NOT NULL GROUP BY kind",
                                  (YEAR,)).fetchall())
        assert set(kinds) == set(SHEET_KINDS)
        assert kinds["central_to_province"] == 17 * PROVINCES
        assert kinds["province_to_central"] == 17 * PROVINCES
        expected = one(conn, "SELECT count(*) FROM eval_expected WHERE year = %s", (YEAR,))
        assert sum(kinds.values()) == expected == counts["sheets"]
        assert one(conn, "SELECT count(*) FROM eval_sheets WHERE year = %s AND needs_approval "
                         "AND sent_revision IS NOT NULL", (YEAR,)) > 0
        assert one(conn, "SELECT count(*) FROM eval_sheets WHERE year = %s AND revision > 1",
                   (YEAR,)) == counts["corrections"]
        assert one(conn, "SELECT count(*) FROM eval_sheets WHERE year = %s AND sent_late",
                   (YEAR,)) > 0
        # an election declared in every group of the year, and a covenant in each
        groups = one(conn, "SELECT count(*) FROM groups WHERE year = %s", (YEAR,))
        assert groups == counts["groups"] == counts["covenants"]
        assert one(conn, "SELECT count(DISTINCT group_id) FROM elections WHERE year = %s AND "
                         "status = 'declared' AND outcome IN ('elected', 'partly_elected')",
                   (YEAR,)) == groups
        # field reports, nominations, summaries, the decision
        assert one(conn, "SELECT count(*) FROM eval_field_reports WHERE year = %s",
                   (YEAR,)) == 11 * PROVINCES
        assert one(conn, "SELECT count(*) FROM eval_nominations WHERE year = %s", (YEAR,)) > 0
        assert one(conn, "SELECT count(*) FROM eval_summaries WHERE year = %s", (YEAR,)) == \
            one(conn, "SELECT count(*) FROM groups WHERE year = %s AND "
                      "kind = 'provincial_cluster'", (YEAR,))
        state, decision = conn.execute("SELECT state, decision FROM eval_cycles WHERE year = %s",
                                       (YEAR,)).fetchone()
        assert state == "decided" and decision["number"].endswith("/QĐ-BHXH")
        # the audit trail: one row per event
        events = one(conn, SQL("SELECT count(*) FROM public.{}").format(
            Identifier(services.app.recorder.events_table_name)))
        assert one(conn, "SELECT count(*) FROM audit_entries") == events == head
        # every line the projection wrote is the RFC 8785 form of its record, byte for byte
        for (line,) in conn.execute("SELECT line FROM audit_entries ORDER BY seq"):
            assert bytes(line) == rfc8785.dumps(json.loads(bytes(line))), bytes(line)[:200]

    # the same seed gives the same events, in the same order
    first = topics(services.app)
    name = f"thidua_t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(SQL("CREATE DATABASE {} TEMPLATE {}").format(Identifier(name),
                                                                  Identifier(template_db)))
    other = Thidua(env=eventsourcing_env(_with_db(server_url, name), pool_size=2,
                                         pool_overflow=2))
    try:
        again = generate(other, years=1, first_year=YEAR, seed=7, provinces=PROVINCES)
        assert again["counts"] == counts
        assert topics(other) == first
    finally:
        other.close()
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                Identifier(name)))

"""Proof from the events: rebuild every view into a scratch schema and compare it with the
live views (the audit trail against the stored events is projections.audit_verify).

The rebuild uses the same migrations, projection classes and runner as the live views; how
they are built is handed in (``migrate``, ``build``) so this module needs nothing of ``web``.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg.sql import SQL, Identifier, Literal

from projections.base import BatchProjection, wait_for
from projections.runner import Runner

# Tables that hold what events do not: signatures, refused requests, bookkeeping.
NOT_FROM_EVENTS = frozenset({"audit_checkpoints", "denied_attempts", "denied_counters",
                             "projection_status"})
# How a row is compared, where not all of it is evidence: the audit line's summaries are
# wording (a later release may phrase them better), its entry hash follows the line, and the
# fields of line version 2 are left out so that a trail of older lines compares with its
# rebuild (a store's events are checked against them by `flask audit verify --against-store`).
# jsonb cannot hold NUL, so a line's escaped NUL (an event stored before the domain refused
# them) is compared as U+FFFD, on both sides.
COMPARE_AS = {
    "audit_entries": "(to_jsonb(t) - 'line' - 'entry') || jsonb_build_object('line', "
                     "replace(convert_from(t.line, 'UTF8'), '\\u0000', '\\ufffd')::jsonb "
                     "- 'summary_vi' - 'summary_en' - 'line_version' - 'event_sha256')",
}


@dataclass
class Difference:
    table: str
    live_only: dict[str, Any] | None
    rebuilt_only: dict[str, Any] | None

    def __str__(self) -> str:
        parts = [f"table {self.table}"]
        if self.live_only is not None:
            parts.append(f"live row not rebuilt: {json.dumps(self.live_only, ensure_ascii=False)}")
        if self.rebuilt_only is not None:
            parts.append("rebuilt row not live: "
                         f"{json.dumps(self.rebuilt_only, ensure_ascii=False)}")
        return "; ".join(parts)


@dataclass
class ReplayReport:
    equal: bool
    position: int
    year: int | None
    tables: dict[str, int] = field(default_factory=dict)  # table -> rows compared
    difference: Difference | None = None
    note: str | None = None

    def __str__(self) -> str:
        scope = f" (rows of {self.year} where a table has a year)" if self.year else ""
        if self.equal:
            rows = sum(self.tables.values())
            return (f"EQUAL: {len(self.tables)} tables, {rows} rows rebuilt from {self.position} "
                    f"events match the live views{scope}")
        text = f"DIFFERENT at position {self.position}{scope}: {self.difference}"
        return f"{text} ({self.note})" if self.note else text


class _RunnerTo(Runner):
    """The runner, stopped at a fixed head."""

    def __init__(self, app: Any, projections: list[BatchProjection], stop_at: int) -> None:
        super().__init__(app, projections)
        self.stop_at = stop_at

    def head(self) -> int:
        return self.stop_at


def compared_tables(conn: psycopg.Connection[Any], schema: str) -> list[str]:
    """Every table of ``schema`` the projections write from events: all its tables but the
    tracking tables, yoyo's migration bookkeeping and :data:`NOT_FROM_EVENTS`."""
    rows = conn.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = %s AND "
        "table_type = 'BASE TABLE' ORDER BY table_name", (schema,)).fetchall()
    return [r[0] for r in rows
            if not r[0].endswith("_tracking") and "yoyo" not in r[0]
            and r[0] not in NOT_FROM_EVENTS]


def _first_missing(conn: psycopg.Connection[Any], table: str, one: str, other: str,
                   year: int | None, has_year: bool) -> dict[str, Any] | None:
    expr = COMPARE_AS.get(table, "to_jsonb(t)")
    cond = SQL(" WHERE t.year = {}").format(Literal(year)) if year and has_year else SQL("")
    query = SQL("SELECT r FROM (SELECT {e} AS r FROM {a}.{t} t{c} EXCEPT ALL "
                "SELECT {e} FROM {b}.{t} t{c}) d ORDER BY r::text LIMIT 1").format(
        e=SQL(expr), a=Identifier(one), b=Identifier(other), t=Identifier(table), c=cond)
    row = conn.execute(query).fetchone()
    return None if row is None else row[0]


def compare_schemas(url: str, live: str, rebuilt: str,
                    year: int | None = None) -> tuple[dict[str, int], Difference | None]:
    """Compare every event-derived table of ``live`` with ``rebuilt``, table by table in
    name order; stop at the first table that differs."""
    counted: dict[str, int] = {}
    with psycopg.connect(url, autocommit=True) as conn:
        rebuilt_tables = set(compared_tables(conn, rebuilt))
        live_tables = compared_tables(conn, live)
        only_rebuilt = sorted(rebuilt_tables - set(live_tables))
        if only_rebuilt:
            return counted, Difference(only_rebuilt[0], None,
                                       {"missing": "table not in the live views"})
        for table in live_tables:
            if table not in rebuilt_tables:
                return counted, Difference(table, {"missing": "table not in the rebuild"}, None)
            has_year = bool(conn.execute(
                "SELECT 1 FROM information_schema.columns WHERE table_schema=%s AND "
                "table_name=%s AND column_name='year'", (live, table)).fetchone())
            live_only = _first_missing(conn, table, live, rebuilt, year, has_year)
            rebuilt_only = _first_missing(conn, table, rebuilt, live, year, has_year)
            cond = SQL(" WHERE year = {}").format(Literal(year)) if year and has_year else SQL("")
            row = conn.execute(SQL("SELECT count(*) FROM {}.{}{}").format(
                Identifier(live), Identifier(table), cond)).fetchone()
            counted[table] = int(row[0]) if row else 0
            if live_only is not None or rebuilt_only is not None:
                return counted, Difference(table, live_only, rebuilt_only)
    return counted, None


def rebuild_and_compare(app: Any, url: str, live: dict[str, BatchProjection], live_schema: str,
                        *, migrate: Callable[[str, str], None],
                        build: Callable[[str, str], dict[str, BatchProjection]],
                        year: int | None = None, progress: Callable[[int], None] | None = None,
                        wait: float = 30.0, keep: bool = False) -> ReplayReport:
    """Rebuild every view from the events (up to the head when called) in a scratch schema
    with the live migrations, projection classes and runner, then compare it with the live
    views. ``year`` limits the comparison to that year's rows where a table has a year."""
    position = int(app.recorder.max_notification_id() or 0)
    for projection in live.values():
        if not wait_for(projection.view, app.name, position, wait):
            raise RuntimeError(f"the live view '{projection.name}' has not reached position "
                               f"{position}; run the projections first")
    scratch = f"replay_{uuid.uuid4().hex[:10]}"
    rebuilt: dict[str, BatchProjection] = {}
    try:
        migrate(url, scratch)
        rebuilt = build(url, scratch)
        _RunnerTo(app, list(rebuilt.values()), position).catch_up(progress)
        tables, difference = compare_schemas(url, live_schema, scratch, year)
    finally:
        for projection in rebuilt.values():
            projection.view.datastore.close()
        if not keep:
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(Identifier(scratch)))
    report = ReplayReport(difference is None, position, year, tables, difference)
    moved = max((p.view.position(app.name) for p in live.values()), default=position)
    if difference is not None and moved > position:
        report.note = (f"the live views moved on to {moved} during the replay; rerun while no "
                       "one writes")
    return report

"""Reads of the audit trail: the timeline of a year, filtered entries (streamed from a
server-side cursor), the stream of denied attempts."""

from __future__ import annotations

import contextlib
import json
import queue
import threading
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from psycopg import Connection, ServerCursor
from psycopg.rows import dict_row

COLUMNS = "seq, position, year, line, entry"


def where(*, year: int | None = None, unit: str | None = None, group: str | None = None,
          actor: str | None = None, kind: str | None = None, since: datetime | None = None,
          until: datetime | None = None, first: int | None = None,
          last: int | None = None) -> tuple[str, list[Any]]:
    """The WHERE clause of the filters: unit by code, group by id, actor by user name or id,
    kind by object type ('ScoreSheet'), event ('ScoreSheet.Submitted') or full topic."""
    sql: list[str] = ["true"]
    params: list[Any] = []
    if year is not None:
        sql.append("year = %s")
        params.append(year)
    if unit:
        sql.append("refs @> ARRAY[(SELECT id::text FROM units WHERE code = %s)]")
        params.append(unit)
    if group:
        sql.append("refs @> ARRAY[%s::text]")
        params.append(str(group))
    if actor:
        sql.append("(actor_name = %s OR actor_id = %s)")
        params += [actor, actor]
    if kind:
        sql.append("(object_type = %s OR topic = %s OR topic = 'thidua:' || %s)")
        params += [kind, kind, kind]
    if since is not None:
        sql.append("recorded_at >= %s")
        params.append(since)
    if until is not None:
        sql.append("recorded_at < %s")
        params.append(until)
    if first is not None:
        sql.append("seq >= %s")
        params.append(first)
    if last is not None:
        sql.append("seq <= %s")
        params.append(last)
    return " AND ".join(sql), params


def item(row: dict[str, Any]) -> dict[str, Any]:
    """One entry for a JSON answer: the line's fields with its chain position and hash."""
    record = json.loads(bytes(row["line"]).decode("utf-8"))
    return {"seq": row["seq"], "year": row["year"], **record, "hash": bytes(row["entry"]).hex()}


def timeline(conn: Connection[Any], *, page: int, size: int, **filters: Any) -> dict[str, Any]:
    """Entries in log order, a page at a time."""
    clause, params = where(**filters)
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(f"SELECT count(*) AS n FROM audit_entries WHERE {clause}", params)
        total = cur.fetchone()["n"]  # type: ignore[index]
        cur.execute(f"SELECT {COLUMNS}, refs FROM audit_entries WHERE {clause} ORDER BY seq "
                    "LIMIT %s OFFSET %s", [*params, size, (page - 1) * size])
        rows = cur.fetchall()
        items = [item(r) for r in rows]
    named = unit_names(conn, {ref for r in rows for ref in r["refs"] or ()})
    for entry, row in zip(items, rows, strict=True):
        entry["units"] = units_of(entry, row["refs"] or (), named)
    return {"items": items, "page": page, "page_size": size, "total": total}


def unit_names(conn: Connection[Any], ids: set[str]) -> dict[str, dict[str, Any]]:
    """For each of ``ids`` that is a unit: its code and its names, each with its dates."""
    if not ids:
        return {}
    found: dict[str, dict[str, Any]] = {}
    for uid, code, start, end, name in conn.execute(
            "SELECT u.id::text, u.code, p.start_date, p.end_date, p.name FROM units u JOIN "
            "unit_periods p ON p.unit_id = u.id WHERE u.id::text = ANY(%s) ORDER BY u.id, "
            "p.start_date", (sorted(ids),)):
        found.setdefault(uid, {"code": code, "names": []})["names"].append((start, end, name))
    return found


def units_of(entry: dict[str, Any], refs: Any, named: dict[str, dict[str, Any]],
             ) -> dict[str, dict[str, str]]:
    """The units an entry mentions, by id: their code and the name they had on the day the
    event was recorded, or on the last day of the entry's year if it was recorded later (a
    2024 entry shows 2024's names), so an inspector reads codes and names, never bare ids.
    A unit registered after that day shows its first name; one ended before, its last."""
    day = (entry.get("time") or "")[:10]
    if entry.get("year") and day > f"{entry['year']}-12-31":
        day = f"{entry['year']}-12-31"
    out = {}
    for ref in sorted(refs):
        unit = named.get(ref)
        if unit is None:
            continue
        # the periods are in order and do not overlap: the last one begun by that day
        begun = [text for start, _end, text in unit["names"] if start.isoformat() <= day]
        out[ref] = {"code": unit["code"], "name": begun[-1] if begun else unit["names"][0][2]}
    return out


def iter_entries(conn: Connection[Any], itersize: int = 1000,
                 **filters: Any) -> Iterator[dict[str, Any]]:
    """Every matching entry in log order, fetched ``itersize`` rows at a time by a
    server-side cursor (never the whole result in memory). Rows come in binary format: the
    same values, without the hex text of every bytea to parse. Past the first page, a thread
    fetches the next page while the caller works on the current one."""
    clause, params = where(**filters)
    with conn.transaction(), conn.cursor(name="audit_entries_export", row_factory=dict_row,
                                         binary=True) as cur:
        cur.execute(f"SELECT {COLUMNS} FROM audit_entries WHERE {clause} ORDER BY seq", params)
        page = cur.fetchmany(itersize)
        if len(page) < itersize:
            yield from page
        else:
            yield from _prefetched(cur, itersize, page)


def _prefetched(cur: ServerCursor[dict[str, Any]], itersize: int,
                page: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """The rows of ``page`` and of every later page of ``cur``. A worker thread fetches one
    page ahead (the database works while Python does); the cursor is only ever used by one
    thread at a time, and the worker has ended when this generator has."""
    pages: queue.Queue[list[dict[str, Any]] | BaseException] = queue.Queue(maxsize=1)
    stop = threading.Event()

    def fetch() -> None:
        try:
            while not stop.is_set():
                fetched = cur.fetchmany(itersize)
                pages.put(fetched)
                if len(fetched) < itersize:
                    return
        except BaseException as exc:  # noqa: BLE001 - raised again in the reading thread
            pages.put(exc)

    worker = threading.Thread(target=fetch, name="audit-entries-prefetch", daemon=True)
    worker.start()
    try:
        while True:
            yield from page
            if len(page) < itersize:
                return
            item = pages.get()
            if isinstance(item, BaseException):
                raise item
            page = item
    finally:
        stop.set()
        while worker.is_alive():  # free a worker waiting to hand over a page, let it end
            with contextlib.suppress(queue.Empty):
                pages.get(timeout=0.05)
        worker.join()


def head(conn: Connection[Any]) -> dict[str, Any]:
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute("SELECT seq, entry FROM audit_entries ORDER BY seq DESC LIMIT 1")
        row = cur.fetchone()
    if row is None:
        return {"size": 0, "head": bytes(32).hex()}
    return {"size": row["seq"], "head": bytes(row["entry"]).hex()}


def group_year(conn: Connection[Any], group_id: str) -> int | None:
    """The year of the group register that mentions this group (from the trail, so a
    district cluster replaced since is still found)."""
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute("SELECT year FROM audit_entries WHERE refs @> ARRAY[%s::text] AND "
                    "object_type = 'GroupYear' ORDER BY seq LIMIT 1", (str(group_id),))
        row = cur.fetchone()
    return None if row is None else int(row["year"])


def denied(conn: Connection[Any], *, page: int, size: int, source: str | None = None,
           since: datetime | None = None, until: datetime | None = None) -> dict[str, Any]:
    """Refused requests, newest first, with how many were only counted (over the cap)."""
    sql: list[str] = ["true"]
    params: list[Any] = []
    if source:
        sql.append("source = %s")
        params.append(source)
    if since is not None:
        sql.append("at >= %s")
        params.append(since)
    if until is not None:
        sql.append("at < %s")
        params.append(until)
    clause = " AND ".join(sql)
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(f"SELECT count(*) AS n FROM denied_attempts WHERE {clause}", params)
        total = cur.fetchone()["n"]  # type: ignore[index]
        cur.execute(f"SELECT seq, line, entry FROM denied_attempts WHERE {clause} "
                    "ORDER BY seq DESC LIMIT %s OFFSET %s", [*params, size, (page - 1) * size])
        items = [{"seq": r["seq"], **json.loads(bytes(r["line"]).decode("utf-8")),
                  "hash": bytes(r["entry"]).hex()} for r in cur.fetchall()]
        cur.execute("SELECT coalesce(sum(dropped), 0) AS n FROM denied_counters")
        dropped = cur.fetchone()["n"]  # type: ignore[index]
    return {"items": items, "page": page, "page_size": size, "total": total,
            "not_recorded": int(dropped)}

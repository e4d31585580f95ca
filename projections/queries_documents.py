"""Reads of the documents of the year (web/resources/documents): an election's minutes and a
provincial cluster's summary, each with the position of the view it was read from. Units
are named as they were on the document's day. Nothing here names who voted for whom: the
minutes carry counts per candidate, as the election view does."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

from psycopg import Connection
from psycopg.rows import dict_row

SEATS = ("head", "deputy")
HANOI = timezone(timedelta(hours=7))
NAMES = ("SELECT u.id::text AS id, u.code, coalesce((SELECT p.name FROM unit_periods p WHERE "
         "p.unit_id = u.id AND p.start_date <= %s ORDER BY p.start_date DESC LIMIT 1), u.name) "
         "AS name FROM units u WHERE u.id = ANY(%s::uuid[])")


def tracked(conn: Connection[Any], view: str, application: str) -> int:
    """The log position the view has reached (``view`` is a projection's name)."""
    row = conn.execute(f"SELECT max(notification_id) FROM {view}_tracking WHERE "  # noqa: S608
                       "application_name = %s", (application,)).fetchone()
    return int(row[0] or 0) if row else 0


def _one(conn: Connection[Any], sql: str, params: Any) -> dict[str, Any] | None:
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(sql, params)
        return cur.fetchone()


def _all(conn: Connection[Any], sql: str, params: Any) -> list[dict[str, Any]]:
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(sql, params)
        return cur.fetchall()


def unit_names(conn: Connection[Any], ids: set[Any], on: date) -> dict[str, dict[str, str]]:
    """Unit id -> {code, name}, the name the unit had on ``on``."""
    if not ids:
        return {}
    return {r["id"]: {"code": r["code"], "name": r["name"]}
            for r in _all(conn, NAMES, (on, [str(i) for i in ids]))}


def election_minutes(conn: Connection[Any], eid: str) -> dict[str, Any] | None:
    """An election as its minutes record it: the group, the meeting, the members present,
    the rules, each seat's candidates with their votes and winner, the outcome."""
    row = _one(conn, "SELECT e.*, g.code AS group_code, g.name AS group_name, g.kind AS "
                     "group_kind FROM elections e LEFT JOIN groups g ON g.id = e.group_id "
                     "WHERE e.id = %s", (eid,))
    if row is None:
        return None
    day = row["meeting_date"]
    candidates = _all(conn, "SELECT seat, unit_id::text AS unit_id FROM election_candidates "
                            "WHERE election_id = %s ORDER BY ordinal", (eid,))
    seats = row["seats"] or {}
    ids = {str(u) for u in row["members"]} | {str(u) for u in row["present"]} | {
        c["unit_id"] for c in candidates} | {u for s in seats.values() for u in s["votes"]}
    names = unit_names(conn, ids, day)

    def unit(uid: Any) -> dict[str, str]:
        return names.get(str(uid), {"code": str(uid), "name": ""})

    out_seats = {}
    for seat in SEATS:
        s = seats.get(seat) or {}
        votes = s.get("votes") or {}
        put = [c["unit_id"] for c in candidates if c["seat"] == seat]
        out_seats[seat] = {
            "status": s.get("status"), "ballots": s.get("ballots", 0),
            "winner": unit(s["winner"]) if s.get("winner") else None,
            "candidates": [{**unit(u), "votes": votes.get(u, 0)} for u in put]}
    present = sorted((unit(u) for u in row["present"]), key=lambda u: u["code"])
    return {"id": str(row["id"]), "group_id": str(row["group_id"]),
            "group_code": row["group_code"], "group_name": row["group_name"],
            "group_kind": row["group_kind"], "year": row["year"], "term": row["term"],
            "round": row["round"], "meeting_date": day, "place": row["place"],
            "status": row["status"], "members": len(row["members"]), "present": present,
            "rules": row["rules"], "quorum": row["quorum"], "outcome": row["outcome"],
            "seats": out_seats, "declared_at": row["declared_at"],
            "annulled_at": row["annulled_at"], "annul_reason": row["annul_reason"]}


def cluster_summary(conn: Connection[Any], year: int, group_id: str) -> dict[str, Any] | None:
    """A provincial cluster's summary as last sent: per monitoring central unit the sheets
    counted, their sum and average, and the members nominating it; the sheets not sent;
    the cluster and its head named as on the day it was sent."""
    row = _one(conn, "SELECT s.*, g.name AS group_name FROM eval_summaries s LEFT JOIN groups "
                     "g ON g.id = s.group_id WHERE s.year = %s AND s.group_id = %s",
               (year, group_id))
    if row is None:
        return None
    cycle = {r["code"]: r["name"] for r in _all(
        conn, "SELECT code, name FROM eval_cycle_units WHERE year = %s", (year,))}
    sent: datetime = row["sent_at"]
    day = sent.astimezone(HANOI).date()
    head = unit_names(conn, {row["head_id"]}, day).get(str(row["head_id"]), {})
    return {"year": year, "group_id": str(row["group_id"]), "group_code": row["group_code"],
            "group_name": row["group_name"] or row["group_code"],
            "head_code": row["head_code"], "head_name": head.get("name") or row["head_code"],
            "members": [{"code": m, "name": cycle.get(m, m)} for m in row["members"]],
            "rows": [{**r, "name": cycle.get(r["code"], r["code"])} for r in row["rows"]],
            "not_sent": row["not_sent"], "late": row["late"], "sends": row["sends"],
            "sent_at": sent, "sent_on": day, "version": row["version"]}

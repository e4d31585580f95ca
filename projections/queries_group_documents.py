"""Reads of the groups' own documents: the operating rules of a group's line and the
year's plans, plain SQL over the view tables."""

from __future__ import annotations

from datetime import date
from typing import Any

from psycopg import Connection
from psycopg.rows import dict_row

from projections.queries_elections import _code, _codes, _page


def _file(row: dict[str, Any]) -> dict[str, Any] | None:
    if row["file_name"] is None:
        return None
    return {"name": row["file_name"], "reference": row["file_reference"],
            "sha256": row["file_sha256"]}


def regulation(conn: Connection[Any], rid: str, day: date) -> dict[str, Any] | None:
    """The rules of a group line, every version (text, file, adoption: the meeting, who was
    present and who adopted it) and the versions in force on ``day``."""
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute("SELECT r.id::text, r.group_id::text, r.year, r.version, g.code AS "
                    "group_code, g.name AS group_name FROM group_regulations r LEFT JOIN "
                    "groups g ON g.id = r.group_id WHERE r.id = %s", (rid,))
        head = cur.fetchone()
        if head is None:
            return None
        cur.execute("SELECT * FROM group_regulation_versions WHERE regulation_id = %s ORDER BY "
                    "version", (rid,))
        rows = cur.fetchall()
    names = _codes(conn, {u for r in rows for f in ("members", "present", "adopters")
                          for u in (r[f] or ())})
    versions = []
    for r in rows:
        adoption = None
        if r["status"] == "adopted":
            adoption = {"meeting_date": r["meeting_date"], "place": r["place"],
                        "effective": r["effective"], "members": len(r["members"]),
                        "present": sorted(_code(names, u) or "" for u in r["present"]),
                        "adopters": sorted(_code(names, u) or "" for u in r["adopters"]),
                        "rules": r["adoption_rules"], "adopted_at": r["adopted_at"]}
        versions.append({"version": r["version"], "kind": r["kind"], "title": r["title"],
                         "text": r["text"], "file": _file(r), "year": r["year"],
                         "drafted_on": r["drafted_on"], "drafted_at": r["drafted_at"],
                         "amends": r["amends"], "reason": r["reason"], "status": r["status"],
                         "withdrawn_reason": r["withdrawn_reason"],
                         "withdrawn_at": r["withdrawn_at"], "adoption": adoption})
    adopted = sorted((v for v in versions if v["adoption"] is not None
                      and v["adoption"]["effective"] <= day),
                     key=lambda v: (v["adoption"]["effective"], v["version"]))
    last = max((i for i, v in enumerate(adopted) if v["kind"] == "rules"), default=None)
    in_force = [] if last is None else [v["version"] for v in adopted[last:]]
    return {**head, "on": day, "in_force": in_force, "versions": versions}


def _plan_out(conn: Connection[Any], row: dict[str, Any],
              inspections: list[dict[str, Any]]) -> dict[str, Any]:
    names = _codes(conn, {u for n in inspections for u in (*n["members"], *n["inspectors"])})
    return {"id": row["id"], "group_id": row["group_id"], "group_code": row["group_code"],
            "group_name": row["group_name"], "year": row["year"], "revision": row["revision"],
            "title": row["title"], "issued_on": row["issued_on"], "text": row["text"],
            "file": _file(row), "activities": row["activities"],
            "milestones": row["milestones"], "issued_at": row["issued_at"],
            "version": row["version"],
            "inspections": [{"code": n["code"], "from": n["from_date"],
                             "until": n["until_date"], "note": n["note"],
                             "members": [_code(names, u) for u in n["members"]],
                             "inspectors": [_code(names, u) for u in n["inspectors"]],
                             "findings": n["findings"]} for n in inspections]}


PLAN = ("SELECT p.id::text, p.group_id::text, p.year, p.revision, p.title, p.issued_on, "
        "p.text, p.file_name, p.file_reference, p.file_sha256, p.activities, p.milestones, "
        "p.issued_at, p.version, g.code AS group_code, g.name AS group_name FROM group_plans p "
        "LEFT JOIN groups g ON g.id = p.group_id")


def _inspections(conn: Connection[Any], pid: str) -> list[dict[str, Any]]:
    """The plan's inspections, each with the numbers of the covenant findings from it."""
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute("SELECT n.code, n.members, n.from_date, n.until_date, n.inspectors, n.note, "
                    "coalesce((SELECT array_agg(f.finding_no ORDER BY f.finding_no) FROM "
                    "covenant_findings f JOIN covenants c ON c.id = f.covenant_id WHERE "
                    "c.group_id = p.group_id AND f.inspection = n.code), '{}') AS findings "
                    "FROM group_plan_inspections n JOIN group_plans p ON p.id = n.plan_id "
                    "WHERE n.plan_id = %s ORDER BY n.from_date, n.code", (pid,))
        return cur.fetchall()


def plan_detail(conn: Connection[Any], pid: str) -> dict[str, Any] | None:
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(PLAN + " WHERE p.id = %s", (pid,))
        row = cur.fetchone()
        if row is None:
            return None
        cur.execute("SELECT revision, reason, recorded_at FROM group_plan_revisions WHERE "
                    "plan_id = %s ORDER BY revision", (pid,))
        revisions = cur.fetchall()
    out = _plan_out(conn, row, _inspections(conn, pid))
    out["revisions"] = revisions
    return out


def list_plans(conn: Connection[Any], *, year: int | None, group_id: str | None, page: int,
               size: int) -> dict[str, Any]:
    sql = PLAN + " WHERE true"
    params: list[Any] = []
    if year:
        sql += " AND p.year = %s"
        params.append(year)
    if group_id:
        sql += " AND p.group_id = %s"
        params.append(group_id)
    sql += " ORDER BY p.year, g.code"
    rows, total = _page(conn, sql, params, page, size)
    items = [_plan_out(conn, r, _inspections(conn, r["id"])) for r in rows]
    return {"items": items, "page": page, "page_size": size, "total": total}

"""The read side: plain SQL over the view tables (never the domain)."""

from __future__ import annotations

from datetime import date
from typing import Any

from psycopg import Connection
from psycopg.rows import dict_row


def _page(conn: Connection[Any], sql: str, params: list[Any], page: int,
          size: int) -> dict[str, Any]:
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(f"SELECT count(*) AS n FROM ({sql}) AS q", params)
        total = cur.fetchone()["n"]  # type: ignore[index]
        cur.execute(f"{sql} LIMIT %s OFFSET %s", [*params, size, (page - 1) * size])
        items = cur.fetchall()
    return {"items": items, "page": page, "page_size": size, "total": total}


def list_units(conn: Connection[Any], *, on: date, level: str | None, parent: str | None,
               code: str | None, page: int, size: int) -> dict[str, Any]:
    """Units that existed on ``on``, as they were that day: the name and parent they had, and
    nothing recorded later (their end, their current version: GET /units/<code> has those),
    so a past day's answer never changes when the organisation does."""
    sql = ("SELECT u.id, u.code, p.level, p.name, par.code AS parent_code, u.started "
           "FROM unit_periods p JOIN units u ON u.id = p.unit_id "
           "LEFT JOIN units par ON par.id = p.parent_id "
           "WHERE p.start_date <= %s AND (p.end_date IS NULL OR p.end_date > %s)")
    params: list[Any] = [on, on]
    if level:
        sql += " AND p.level = %s"
        params.append(level)
    if parent:
        sql += " AND par.code = %s"
        params.append(parent)
    if code:
        sql += " AND u.code = %s"
        params.append(code)
    sql += " ORDER BY p.level, u.code"
    return _page(conn, sql, params, page, size)


def unit_detail(conn: Connection[Any], code: str) -> dict[str, Any] | None:
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute("SELECT u.id, u.code, u.level, u.name, par.code AS parent_code, u.started, "
                    "u.ended, u.end_status, m.code AS merged_into, u.version FROM units u "
                    "LEFT JOIN units par ON par.id = u.parent_id "
                    "LEFT JOIN units m ON m.id = u.merged_into WHERE u.code = %s", (code,))
        unit = cur.fetchone()
        if unit is None:
            return None
        cur.execute("SELECT p.start_date AS start, p.end_date AS end, p.name, p.level, "
                    "par.code AS parent_code FROM unit_periods p "
                    "LEFT JOIN units par ON par.id = p.parent_id WHERE p.unit_id = %s "
                    "ORDER BY p.start_date", (unit["id"],))
        unit["history"] = cur.fetchall()
    return unit


# The name a member had then (domain.md §7: past years show units under the names they had):
# on the last day of its membership within the group's year, from the unit's periods; the
# last period begun by that day, so a unit that ended during the membership keeps its name.
NAME_THEN = ("coalesce((SELECT p.name FROM unit_periods p WHERE p.unit_id = {unit}.id AND "
             "p.start_date <= {day} ORDER BY p.start_date DESC LIMIT 1), {unit}.name)")
LAST_DAY = "least(coalesce(m.effective_until - 1, make_date(g.year, 12, 31)), " \
           "make_date(g.year, 12, 31))"


def list_groups(conn: Connection[Any], *, year: int | None, kind: str | None,
                province: str | None, member: str | None, page: int,
                size: int, on: date | None = None) -> dict[str, Any]:
    """Groups with the number of units that are members at some time in the year (or on
    ``on``)."""
    during = ("" if on is None else
              " AND m.effective_from <= %(on)s AND (m.effective_until IS NULL OR "
              "m.effective_until > %(on)s)")
    sql = ("SELECT g.id, g.year, g.kind, g.code, g.name, pr.code AS province_code, "
           "(SELECT count(DISTINCT m.unit_id) FROM group_members m WHERE m.group_id = g.id"
           f"{during}) AS member_count "
           "FROM groups g LEFT JOIN units pr ON pr.id = g.province_id WHERE true")
    params: dict[str, Any] = {"on": on}
    if year:
        sql += " AND g.year = %(year)s"
        params["year"] = year
    if kind:
        sql += " AND g.kind = %(kind)s"
        params["kind"] = kind
    if province:
        sql += " AND pr.code = %(province)s"
        params["province"] = province
    if member:
        sql += (" AND EXISTS (SELECT 1 FROM group_members m JOIN units u ON u.id = m.unit_id "
                f"WHERE m.group_id = g.id AND u.code = %(member)s{during})")
        params["member"] = member
    sql += " ORDER BY g.year, g.kind, pr.code NULLS FIRST, g.code"
    return _named_page(conn, sql, params, page, size)


def _named_page(conn: Connection[Any], sql: str, params: dict[str, Any], page: int,
                size: int) -> dict[str, Any]:
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(f"SELECT count(*) AS n FROM ({sql}) AS q", params)
        total = cur.fetchone()["n"]  # type: ignore[index]
        cur.execute(f"{sql} LIMIT %(limit)s OFFSET %(offset)s",
                    {**params, "limit": size, "offset": (page - 1) * size})
        items = cur.fetchall()
    return {"items": items, "page": page, "page_size": size, "total": total}


def group_detail(conn: Connection[Any], gid: str, on: date | None = None) -> dict[str, Any] | None:
    """A group with its memberships: each with its span (effective_from, effective_until:
    exclusive, null to the end of the year) and the member's name then; only those of
    ``on`` when given (named as on that day)."""
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute("SELECT g.id, g.year, g.kind, g.code, g.name, pr.code AS province_code "
                    "FROM groups g LEFT JOIN units pr ON pr.id = g.province_id WHERE g.id = %s",
                    (gid,))
        group = cur.fetchone()
        if group is None:
            return None
        day = LAST_DAY if on is None else "%(on)s::date"
        cur.execute(
            f"SELECT u.code, {NAME_THEN.format(unit='u', day=day)} AS name, u.level, "
            "m.effective_from, m.effective_until FROM group_members m JOIN groups g "
            "ON g.id = m.group_id JOIN units u ON u.id = m.unit_id WHERE m.group_id = %(gid)s"
            + ("" if on is None else " AND m.effective_from <= %(on)s AND "
               "(m.effective_until IS NULL OR m.effective_until > %(on)s)")
            + " ORDER BY u.code, m.effective_from", {"gid": gid, "on": on})
        group["members"] = cur.fetchall()
        cur.execute("SELECT version FROM group_years WHERE year = %s", (group["year"],))
        row = cur.fetchone()
        group["version"] = row["version"] if row else None
    return group


def list_partitions(conn: Connection[Any], *, year: int | None, province: str | None,
                    page: int, size: int) -> dict[str, Any]:
    """Each partition of a year with its clusters as they stood on its effective date (their
    members that day), the province under its name of that day."""
    member_on = ("m.group_id = g.id AND m.effective_from <= d.effective AND "
                 "(m.effective_until IS NULL OR m.effective_until > d.effective)")
    sql = ("SELECT d.year, pr.code AS province_code, "
           f"{NAME_THEN.format(unit='pr', day='d.effective')} AS province_name, "
           "d.effective, d.district_count, d.cluster_count, d.scale, d.decision, d.position, "
           "(SELECT coalesce(json_agg(json_build_object('id', g.id, 'code', g.code, 'name', "
           "g.name, 'members', (SELECT coalesce(json_agg(u.code ORDER BY u.code), '[]') FROM "
           f"group_members m JOIN units u ON u.id = m.unit_id WHERE {member_on})) "
           "ORDER BY g.code), '[]') FROM groups g WHERE g.year = d.year AND g.kind = "
           "'district_cluster' AND g.province_id = d.province_id AND EXISTS (SELECT 1 FROM "
           f"group_members m WHERE {member_on})) AS clusters "
           "FROM district_partitions d JOIN units pr ON pr.id = d.province_id WHERE true")
    params: list[Any] = []
    if year:
        sql += " AND d.year = %s"
        params.append(year)
    if province:
        sql += " AND pr.code = %s"
        params.append(province)
    sql += " ORDER BY d.year, pr.code, d.effective"
    return _page(conn, sql, params, page, size)


def list_membership_decisions(conn: Connection[Any], *, year: int | None, page: int,
                              size: int) -> dict[str, Any]:
    sql = ("SELECT position, year, document_number, document_date, effective, filename, rows, "
           "groups, recorded_at FROM membership_decisions WHERE (%s::int IS NULL OR year = %s) "
           "ORDER BY position")
    return _page(conn, sql, [year, year], page, size)


def list_users(conn: Connection[Any], *, role: str | None, unit: str | None, page: int,
               size: int, username: str | None = None) -> dict[str, Any]:
    sql = ("SELECT us.id, us.username, us.full_name, us.roles, u.code AS unit_code, "
           "(SELECT coalesce(array_agg(a.code ORDER BY a.code), '{}') FROM units a WHERE a.id = "
           "ANY(us.assigned_units)) AS assigned_unit_codes, us.disabled, us.version "
           "FROM users us LEFT JOIN units u ON u.id = us.unit_id WHERE true")
    params: list[Any] = []
    if role:
        sql += " AND %s = ANY(us.roles)"
        params.append(role)
    if unit:
        sql += " AND u.code = %s"
        params.append(unit)
    if username:
        sql += " AND us.username = %s"
        params.append(username)
    sql += " ORDER BY us.username"
    return _page(conn, sql, params, page, size)


def list_tokens(conn: Connection[Any], *, username: str | None, page: int,
                size: int) -> dict[str, Any]:
    sql = ("SELECT t.id, us.username, t.label, t.issued_at, t.expires_at, t.revoked_at "
           "FROM tokens t JOIN users us ON us.id = t.user_id WHERE (%s::text IS NULL OR "
           "us.username = %s) ORDER BY t.issued_at")
    return _page(conn, sql, [username, username], page, size)

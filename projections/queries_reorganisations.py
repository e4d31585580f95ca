"""The read side of reorganisations (quyết định sắp xếp, tổ chức lại): plain SQL over the
registry's view tables."""

from __future__ import annotations

from datetime import date
from typing import Any

from psycopg import Connection
from psycopg.rows import dict_row

from projections.queries import _page

COLUMNS = ("id, number, signed, issuer, basis, effective, change_count, "
           "cardinality(units) AS unit_count, recorded_at, position")


def list_reorganisations(conn: Connection[Any], *, effective_from: date | None,
                         effective_to: date | None, issuer: str | None, page: int,
                         size: int) -> dict[str, Any]:
    """Recorded decisions, by effective date then the order they were recorded."""
    sql = (f"SELECT {COLUMNS} FROM reorganisations WHERE (%s::date IS NULL OR effective >= %s)"
           " AND (%s::date IS NULL OR effective <= %s) AND (%s::text IS NULL OR issuer = %s)"
           " ORDER BY effective, position")
    return _page(conn, sql, [effective_from, effective_from, effective_to, effective_to,
                             issuer, issuer], page, size)


def reorganisation_detail(conn: Connection[Any], rid: str) -> dict[str, Any] | None:
    """The decision with its changes, in their order, and the units it changed."""
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(f"SELECT {COLUMNS}, changes, units FROM reorganisations WHERE id = %s",
                    (rid,))
        return cur.fetchone()

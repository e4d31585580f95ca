"""Reads of the groups' annual judging: plain SQL over the view tables.

Nothing here returns a voter together with a choice: turnout lists who voted for a title
(by code, in code order), results give counts per candidate, and the anonymous ballots
carry no voter.
"""

from __future__ import annotations

from typing import Any

from psycopg import Connection
from psycopg.rows import dict_row

from projections.queries_elections import _code, _codes, _page


def rule_versions(conn: Connection[Any], year: int) -> list[dict[str, Any]]:
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute("SELECT year, version, rules, reason, set_at FROM judging_rule_sets "
                    "WHERE year = %s ORDER BY version", (year,))
        return cur.fetchall()


def _titles_out(titles: dict[str, Any] | None,
                names: dict[str, dict[str, str]]) -> dict[str, Any] | None:
    if titles is None:
        return None
    out = {}
    for code, t in titles.items():
        entry = {"status": t["status"], "ballots": t["ballots"], "places": t["places"],
                 "proposed": [_code(names, u) for u in t["proposed"]],
                 "votes": [{"unit_code": _code(names, u), "votes": v}
                           for u, v in t["votes"].items()]}
        if t.get("tied"):
            entry["tied"] = [_code(names, u) for u in t["tied"]]
        out[code] = entry
    return out


def _group(conn: Connection[Any], gid: Any) -> dict[str, Any]:
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute("SELECT code, name, kind FROM groups WHERE id = %s", (gid,))
        row = cur.fetchone()
    return row or {"code": None, "name": None, "kind": None}


def proposals(conn: Connection[Any], *, year: int | None = None, judging_id: str | None = None,
              title: str | None = None, outcome: str | None = None,
              province: str | None = None) -> list[dict[str, Any]]:
    """What the judgings proposed, with the decision on each (null: not yet): the council's,
    or for a district cluster its province's (``decided_by``: the province's code)."""
    sql = ("SELECT p.judging_id::text, p.year, g.code AS group_code, g.kind AS group_kind, "
           "p.title, u.code AS unit_code, u.name AS unit_name, p.round, p.votes, "
           "coalesce(p.outcome, 'pending') AS outcome, p.decision_number, p.decided_at, "
           "CASE WHEN g.kind = 'district_cluster' THEN pu.code END AS decided_by "
           "FROM judging_proposals p JOIN units u ON u.id = p.unit_id LEFT JOIN groups g ON "
           "g.id = p.group_id LEFT JOIN units pu ON pu.id = g.province_id WHERE true")
    params: list[Any] = []
    for column, value in (("p.year", year), ("p.judging_id", judging_id),
                          ("p.title", title)):
        if value is not None:
            sql += f" AND {column} = %s"
            params.append(value)
    if outcome is not None:
        sql += " AND coalesce(p.outcome, 'pending') = %s"
        params.append(outcome)
    if province is not None:
        sql += " AND g.kind = 'district_cluster' AND pu.code = %s"
        params.append(province)
    sql += " ORDER BY p.year, pu.code NULLS FIRST, g.code, p.title, p.votes DESC, u.code"
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(sql, params)
        return cur.fetchall()


def _round_out(row: dict[str, Any], names: dict[str, dict[str, str]]) -> dict[str, Any]:
    return {"round": row["round"], "meeting_date": row["meeting_date"], "place": row["place"],
            "status": row["status"], "members": len(row["members"]),
            "present": sorted(_code(names, u) or "" for u in row["present"]),
            "rules": row["rules"], "rules_version": row["rules_version"],
            "places": row["places"], "reason": row["reason"], "opened_at": row["opened_at"],
            "declared_at": row["declared_at"], "annulled_at": row["annulled_at"],
            "annul_reason": row["annul_reason"], "outcome": row["outcome"],
            "quorum": row["quorum"], "titles": _titles_out(row["titles"], names)}


def _ids(rows: list[dict[str, Any]]) -> set[Any]:
    ids: set[Any] = set()
    for r in rows:
        ids |= set(r["present"])
        for t in (r["titles"] or {}).values():
            ids |= set(t["votes"]) | set(t["proposed"])
    return ids


def list_judgings(conn: Connection[Any], *, year: int | None, group_id: str | None,
                  page: int, size: int) -> dict[str, Any]:
    sql = ("SELECT j.id::text, j.group_id::text, j.year, j.rounds, j.version, g.code AS "
           "group_code, g.name AS group_name, g.kind AS group_kind, r.status, r.outcome "
           "FROM judgings j LEFT JOIN groups g ON g.id = j.group_id LEFT JOIN judging_rounds r "
           "ON r.judging_id = j.id AND r.round = j.rounds WHERE true")
    params: list[Any] = []
    if year:
        sql += " AND j.year = %s"
        params.append(year)
    if group_id:
        sql += " AND j.group_id = %s"
        params.append(group_id)
    sql += " ORDER BY j.year, g.code"
    rows, total = _page(conn, sql, params, page, size)
    for r in rows:
        r["proposals"] = proposals(conn, judging_id=r["id"])
    return {"items": rows, "page": page, "page_size": size, "total": total}


def judging_detail(conn: Connection[Any], jid: str) -> dict[str, Any] | None:
    """A judging: its group, every round (meeting, rules, places, candidates, turnout —
    who voted, never how — and, once declared, the votes per candidate) and its proposals."""
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute("SELECT id::text, group_id::text, year, rounds, version FROM judgings "
                    "WHERE id = %s", (jid,))
        head = cur.fetchone()
        if head is None:
            return None
        cur.execute("SELECT * FROM judging_rounds WHERE judging_id = %s ORDER BY round",
                    (jid,))
        rows = cur.fetchall()
        cur.execute("SELECT c.round, c.title, u.code AS unit_code, u.name AS unit_name, "
                    "c.ordinal FROM judging_candidates c JOIN units u ON u.id = c.unit_id "
                    "WHERE c.judging_id = %s ORDER BY c.round, c.title, c.ordinal", (jid,))
        cands = cur.fetchall()
    names = _codes(conn, _ids(rows))
    turnouts = {r["round"]: turnout(conn, jid, r["round"], list(r["places"])) for r in rows}
    rounds = []
    for row in rows:
        out = _round_out(row, names)
        out["candidates"] = {t: [{k: c[k] for k in ("unit_code", "unit_name", "ordinal")}
                                 for c in cands if c["round"] == row["round"]
                                 and c["title"] == t] for t in row["places"]}
        out["turnout"] = turnouts[row["round"]]
        rounds.append(out)
    group = _group(conn, head["group_id"])
    return {**head, "group_code": group["code"], "group_name": group["name"],
            "group_kind": group["kind"], "rounds": rounds,
            "proposals": proposals(conn, judging_id=jid)}


def turnout(conn: Connection[Any], jid: str, round_no: int,
            titles: list[str]) -> dict[str, Any]:
    """Who voted for each title of the round (never how), in code order, and how many."""
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute("SELECT t.title, u.code FROM judging_turnout t JOIN units u ON "
                    "u.id = t.voter_id WHERE t.judging_id = %s AND t.round = %s "
                    "ORDER BY u.code", (jid, round_no))
        rows = cur.fetchall()
    out: dict[str, Any] = {t: {"ballots": 0, "voted": []} for t in titles}
    for r in rows:
        out.setdefault(r["title"], {"ballots": 0, "voted": []})
        out[r["title"]]["voted"].append(r["code"])
        out[r["title"]]["ballots"] += 1
    return out


def counted_ballots(conn: Connection[Any], jid: str, round_no: int) -> list[dict[str, Any]]:
    """The anonymous counted ballots of a declared round: number, title, units marked."""
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute("SELECT ballot_no, title, marks FROM judging_ballots WHERE judging_id = %s "
                    "AND round = %s ORDER BY ballot_no", (jid, round_no))
        rows = cur.fetchall()
    names = _codes(conn, {m for r in rows for m in r["marks"]})
    return [{"ballot_no": r["ballot_no"], "title": r["title"],
             "marks": sorted(_code(names, m) or "" for m in r["marks"])} for r in rows]

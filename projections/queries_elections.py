"""Reads of elections, terms of office and covenants: plain SQL over the view tables.

Nothing here returns a voter together with a choice: turnout lists who voted for a seat,
results give counts per candidate, and the anonymous ballots carry no voter.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from psycopg import Connection
from psycopg.rows import dict_row

# A group's members are those whose membership lasts to the end of its year (as the
# aggregate's), each under the name it had on the year's last day (names as they were).
NAME_AT_YEAR_END = ("coalesce((SELECT p.name FROM unit_periods p WHERE p.unit_id = u.id AND "
                    "p.start_date <= make_date(m.year, 12, 31) ORDER BY p.start_date DESC "
                    "LIMIT 1), u.name)")

SEATS = ("head", "deputy")


def _codes(conn: Connection[Any], ids: set[Any]) -> dict[str, dict[str, str]]:
    if not ids:
        return {}
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute("SELECT id::text AS id, code, name FROM units WHERE id = ANY(%s::uuid[])",
                    ([str(i) for i in ids],))
        return {r["id"]: {"code": r["code"], "name": r["name"]} for r in cur.fetchall()}


def _code(names: dict[str, dict[str, str]], uid: Any) -> str | None:
    if uid is None:
        return None
    return names.get(str(uid), {}).get("code", str(uid))


def _page(conn: Connection[Any], sql: str, params: list[Any], page: int,
          size: int) -> tuple[list[dict[str, Any]], int]:
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(f"SELECT count(*) AS n FROM ({sql}) AS q", params)
        total = cur.fetchone()["n"]  # type: ignore[index]
        cur.execute(f"{sql} LIMIT %s OFFSET %s", [*params, size, (page - 1) * size])
        return cur.fetchall(), total


# -- rules -------------------------------------------------------------------------------------
def rule_versions(conn: Connection[Any], year: int) -> list[dict[str, Any]]:
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute("SELECT year, version, rules, reason, set_at FROM election_rule_sets "
                    "WHERE year = %s ORDER BY version", (year,))
        return cur.fetchall()


# -- elections ---------------------------------------------------------------------------------
def _seats_out(seats: dict[str, Any] | None,
               names: dict[str, dict[str, str]]) -> dict[str, Any] | None:
    if seats is None:
        return None
    out = {}
    for seat, s in seats.items():
        entry = {"status": s["status"], "ballots": s["ballots"],
                 "winner": _code(names, s.get("winner")),
                 "votes": [{"unit_code": _code(names, u), "votes": v}
                           for u, v in s["votes"].items()]}
        if s.get("tied"):
            entry["tied"] = [_code(names, u) for u in s["tied"]]
        out[seat] = entry
    return out


def _election_ids(row: dict[str, Any]) -> set[Any]:
    ids: set[Any] = set(row["members"]) | set(row["present"])
    for s in (row.get("seats") or {}).values():
        ids |= set(s["votes"])
    return ids


def _election_out(conn: Connection[Any], row: dict[str, Any],
                  extra_ids: set[Any] | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    names = _codes(conn, _election_ids(row) | (extra_ids or set()))
    out = {
        "id": row["id"], "group_id": row["group_id"], "year": row["year"],
        "term": row["term"], "round": row["round"], "meeting_date": row["meeting_date"],
        "place": row["place"], "status": row["status"], "members": len(row["members"]),
        "present": sorted(_code(names, u) or "" for u in row["present"]),
        "rules": row["rules"], "rules_version": row["rules_version"],
        "opened_at": row["opened_at"], "declared_at": row["declared_at"],
        "annulled_at": row["annulled_at"], "annul_reason": row["annul_reason"],
        "outcome": row["outcome"], "quorum": row["quorum"],
        "seats": _seats_out(row["seats"], names), "version": row["version"],
    }
    return out, names


def list_elections(conn: Connection[Any], *, group_id: str | None, year: int | None,
                   status: str | None, page: int, size: int) -> dict[str, Any]:
    sql = "SELECT * FROM elections WHERE true"
    params: list[Any] = []
    if group_id:
        sql += " AND group_id = %s"
        params.append(group_id)
    if year:
        sql += " AND year = %s"
        params.append(year)
    if status:
        sql += " AND status = %s"
        params.append(status)
    sql += " ORDER BY year, group_id, round"
    rows, total = _page(conn, sql, params, page, size)
    items = [_election_out(conn, r)[0] for r in rows]
    return {"items": items, "page": page, "page_size": size, "total": total}


def candidates(conn: Connection[Any], eid: str) -> list[dict[str, Any]]:
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute("SELECT c.seat, u.code AS unit_code, u.name AS unit_name, c.ordinal, "
                    "c.put_at FROM election_candidates c JOIN units u ON u.id = c.unit_id "
                    "WHERE c.election_id = %s ORDER BY array_position(ARRAY['head','deputy'], "
                    "c.seat), c.ordinal", (eid,))
        return cur.fetchall()


def turnout(conn: Connection[Any], eid: str) -> dict[str, Any]:
    """Who voted for each seat (never how), and how many."""
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute("SELECT t.seat, u.code FROM election_turnout t JOIN units u ON "
                    "u.id = t.voter_id WHERE t.election_id = %s ORDER BY u.code", (eid,))
        rows = cur.fetchall()
    out: dict[str, Any] = {s: {"ballots": 0, "voted": []} for s in SEATS}
    for r in rows:
        out[r["seat"]]["voted"].append(r["code"])
        out[r["seat"]]["ballots"] += 1
    return out


def counted_ballots(conn: Connection[Any], eid: str) -> list[dict[str, Any]]:
    """The anonymous counted ballots (after declaration): number, seat, choice."""
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute("SELECT b.ballot_no, b.seat, u.code AS candidate_code FROM election_ballots "
                    "b JOIN units u ON u.id = b.candidate_id WHERE b.election_id = %s "
                    "ORDER BY b.ballot_no", (eid,))
        return cur.fetchall()


def election_detail(conn: Connection[Any], eid: str) -> dict[str, Any] | None:
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute("SELECT * FROM elections WHERE id = %s", (eid,))
        row = cur.fetchone()
    if row is None:
        return None
    out, _ = _election_out(conn, row)
    out["candidates"] = candidates(conn, eid)
    out["turnout"] = turnout(conn, eid)
    return out


# -- group state -------------------------------------------------------------------------------
def office_terms(conn: Connection[Any], office_id: str | None) -> list[dict[str, Any]]:
    """Every term of the office of a group's line (all its years) and every designation of
    an acting holder, oldest first, with the end date of each unit and whether the election
    of the term lets the deputy act in a vacant head's seat."""
    if office_id is None:
        return []
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute("SELECT t.seat, u.code AS unit_code, u.name AS unit_name, t.term, "
                    "t.took_office, t.ended, t.election_id, t.acting, t.effective, t.reason, "
                    "u.ended AS unit_ended, COALESCE((e.rules ->> "
                    "'deputy_acts_for_vacant_head')::boolean, false) AS deputy_acts "
                    "FROM group_offices o JOIN group_office_terms t ON t.group_id = o.group_id "
                    "JOIN units u ON u.id = t.unit_id LEFT JOIN elections e ON "
                    "e.id = t.election_id WHERE o.id = %s "
                    "ORDER BY t.took_office, t.seat", (office_id,))
        return cur.fetchall()


def _exists_on(row: dict[str, Any], day: date) -> bool:
    return row["unit_ended"] is None or day < row["unit_ended"]


def seats_on(terms: list[dict[str, Any]], day: date) -> dict[str, dict[str, Any] | None]:
    """Who holds each seat on ``day`` (the domain's GroupOffice.holders_on, over the view):
    the elected holder while its unit exists (``status`` sitting); from the day its unit
    ended the seat is vacant, unless a unit designated to act in it (status acting), or,
    where the head's election rules say so, the sitting deputy, acts in the head's seat."""
    elected: dict[str, dict[str, Any] | None] = {s: None for s in SEATS}
    acting: dict[str, dict[str, Any] | None] = {s: None for s in SEATS}
    for t in terms:
        if t["ended"] is None:
            (acting if t["acting"] else elected)[t["seat"]] = t
    out: dict[str, dict[str, Any] | None] = {s: None for s in SEATS}
    for seat in SEATS:
        held = elected[seat]
        if held is None:
            continue
        t = held
        vacant = not _exists_on(t, day)
        entry: dict[str, Any] = {
            "unit_code": t["unit_code"], "unit_name": t["unit_name"], "term": t["term"],
            "took_office": t["took_office"], "status": "vacant" if vacant else "sitting",
            "vacant_since": t["unit_ended"] if vacant else None, "acting": None}
        a = acting[seat]
        if vacant and a is not None and a["effective"] <= day and _exists_on(a, day):
            entry.update(status="acting", acting={
                "unit_code": a["unit_code"], "unit_name": a["unit_name"],
                "effective": a["effective"].isoformat(), "reason": a["reason"],
                "automatic": False})
        out[seat] = entry
    head, deputy, chosen = out["head"], out["deputy"], elected["head"]
    if head is not None and head["status"] == "vacant" and deputy is not None \
            and deputy["status"] == "sitting" and chosen is not None and chosen["deputy_acts"]:
        head.update(status="acting", acting={
            "unit_code": deputy["unit_code"], "unit_name": deputy["unit_name"],
            "effective": head["vacant_since"].isoformat(),
            "reason": "deputy_acts_for_vacant_head", "automatic": True})
    return out


def group_year_of(conn: Connection[Any], gid: str) -> int | None:
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute("SELECT year FROM groups WHERE id = %s", (gid,))
        row = cur.fetchone()
    return None if row is None else int(row["year"])


def group_state(conn: Connection[Any], gid: str, office_id: str | None = None,
                day: date | None = None) -> dict[str, Any] | None:
    """Members, head and deputy with the moment they took office (from the office of the
    group's line, whatever year they were elected in), election history (outcomes and
    counts) and the covenant's status."""
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute("SELECT g.id, g.year, g.kind, g.code, g.name, pr.code AS province_code "
                    "FROM groups g LEFT JOIN units pr ON pr.id = g.province_id "
                    "WHERE g.id = %s", (gid,))
        group = cur.fetchone()
        if group is None:
            return None
        cur.execute("SELECT id FROM covenants WHERE group_id = %s", (gid,))
        cov = cur.fetchone()
        cur.execute(f"SELECT u.code, {NAME_AT_YEAR_END} AS name, (s.unit_id IS NOT NULL) AS "
                    "signed FROM group_members m JOIN units u ON u.id = m.unit_id LEFT JOIN "
                    "covenant_signatures s ON s.unit_id = m.unit_id AND s.covenant_id = %s "
                    "WHERE m.group_id = %s AND m.effective_until IS NULL ORDER BY u.code",
                    (cov["id"] if cov else None, gid))
        members = cur.fetchall()
        cur.execute("SELECT * FROM elections WHERE group_id = %s ORDER BY round", (gid,))
        elections = cur.fetchall()
    rows = office_terms(conn, office_id)
    sitting = seats_on(rows, day or date.today())
    terms = [{k: v for k, v in t.items() if k not in ("unit_ended", "deputy_acts")}
             for t in rows]
    history = []
    for row in elections:
        e, _ = _election_out(conn, row)
        e["turnout"] = {s: v["ballots"] for s, v in turnout(conn, str(row["id"])).items()}
        history.append({k: e[k] for k in ("id", "round", "term", "meeting_date", "place",
                                           "status", "outcome", "quorum", "seats", "turnout",
                                           "declared_at", "annul_reason")})
    covenant = None
    if cov is not None:
        signed = [m["code"] for m in members if m["signed"]]
        covenant = {"id": cov["id"], "signed": len(signed),
                    "not_signed": [m["code"] for m in members if not m["signed"]],
                    "members": len(members)}
        detail = covenant_detail(conn, str(cov["id"]))
        if detail:
            covenant.update(title=detail["title"], launched_on=detail["launched_on"],
                            revision=detail["revision"], findings=detail["findings"])
    return {**group, "members": [{"code": m["code"], "name": m["name"]} for m in members],
            "head": sitting["head"], "deputy": sitting["deputy"], "terms": terms,
            "elections": history, "covenant": covenant}


# -- covenants ---------------------------------------------------------------------------------
def list_covenants(conn: Connection[Any], *, group_id: str | None, year: int | None,
                   page: int, size: int) -> dict[str, Any]:
    sql = ("SELECT c.id, c.group_id, g.code AS group_code, c.year, c.title, c.launched_on, "
           "c.revision, (SELECT count(*) FROM covenant_signatures s WHERE s.covenant_id = c.id) "
           "AS signed, (SELECT count(*) FROM group_members m WHERE m.group_id = c.group_id AND "
           "m.effective_until IS NULL) AS members FROM covenants c LEFT JOIN groups g ON "
           "g.id = c.group_id WHERE true")
    params: list[Any] = []
    if group_id:
        sql += " AND c.group_id = %s"
        params.append(group_id)
    if year:
        sql += " AND c.year = %s"
        params.append(year)
    sql += " ORDER BY c.year, g.code"
    rows, total = _page(conn, sql, params, page, size)
    return {"items": rows, "page": page, "page_size": size, "total": total}


def covenant_detail(conn: Connection[Any], cid: str) -> dict[str, Any] | None:
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute("SELECT c.id, c.group_id, g.code AS group_code, c.year, c.title, "
                    "c.launched_on, c.targets, c.revision, c.version, "
                    "(SELECT count(*) FROM covenant_findings f WHERE f.covenant_id = c.id) "
                    "AS findings FROM covenants c LEFT JOIN groups g ON g.id = c.group_id "
                    "WHERE c.id = %s", (cid,))
        cov = cur.fetchone()
        if cov is None:
            return None
        cur.execute("SELECT revision, title, targets, reason, recorded_at FROM "
                    "covenant_revisions WHERE covenant_id = %s ORDER BY revision", (cid,))
        cov["revisions"] = cur.fetchall()
    return cov


def signatures(conn: Connection[Any], cid: str) -> dict[str, Any] | None:
    """Who has signed (with the date and the revision signed) and who has not."""
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute("SELECT group_id FROM covenants WHERE id = %s", (cid,))
        cov = cur.fetchone()
        if cov is None:
            return None
        cur.execute(f"SELECT u.code AS unit_code, {NAME_AT_YEAR_END} AS unit_name, s.signed_on, "
                    "s.revision, s.signed_at FROM group_members m JOIN units u ON u.id = "
                    "m.unit_id LEFT JOIN covenant_signatures s ON s.unit_id = m.unit_id AND "
                    "s.covenant_id = %s WHERE m.group_id = %s AND m.effective_until IS NULL "
                    "ORDER BY u.code", (cid, cov["group_id"]))
        rows = cur.fetchall()
    signed = [r for r in rows if r["signed_on"] is not None]
    missing = [{"unit_code": r["unit_code"], "unit_name": r["unit_name"]} for r in rows
               if r["signed_on"] is None]
    return {"covenant_id": cid, "members": len(rows), "signed": signed, "not_signed": missing,
            "all_signed": not missing and bool(rows)}


def registrations(conn: Connection[Any], cid: str, unit: str | None = None,
                  history: bool = False) -> list[dict[str, Any]]:
    """Each member's registered targets: the current revision (or every revision)."""
    sql = ("SELECT u.code AS unit_code, u.name AS unit_name, r.revision, r.targets, r.reason, "
           "r.registered_at FROM covenant_registrations r JOIN units u ON u.id = r.unit_id "
           "WHERE r.covenant_id = %s")
    params: list[Any] = [cid]
    if not history:
        sql += (" AND r.revision = (SELECT max(revision) FROM covenant_registrations x WHERE "
                "x.covenant_id = r.covenant_id AND x.unit_id = r.unit_id)")
    if unit:
        sql += " AND u.code = %s"
        params.append(unit)
    sql += " ORDER BY u.code, r.revision"
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(sql, params)
        return cur.fetchall()


def findings(conn: Connection[Any], cid: str, unit: str | None = None) -> list[dict[str, Any]]:
    sql = ("SELECT f.finding_no, u.code AS member_code, f.inspected_on, f.target, f.assessment,"
           " f.summary, f.revision, f.reason, f.recorded_at, f.amended_at, f.inspection FROM "
           "covenant_findings f JOIN units u ON u.id = f.unit_id WHERE f.covenant_id = %s")
    params: list[Any] = [cid]
    if unit:
        sql += " AND u.code = %s"
        params.append(unit)
    sql += " ORDER BY f.finding_no"
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(sql, params)
        return cur.fetchall()

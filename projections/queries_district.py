"""Reads of a province's evaluation of its district offices: plain SQL over the district
views, and over the evaluation views for the sheets (a district sheet is a score sheet)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from psycopg import Connection

from projections.queries import _page
from projections.queries_evaluation import _all, _one

# A sheet's columns as the evaluation's sheet list gives them (eval_sheets, as ``s``).
SHEET_COLUMNS = ("s.id, s.year, s.kind, s.scorer_code, s.subject_code, s.needs_approval, "
                 "s.revision, s.state, s.total::text AS total, s.level, s.late, "
                 "s.sent_revision, s.sent_total::text AS sent_total, s.sent_level, "
                 "s.sent_late, s.version, s.updated_at")


def list_rulesets(conn: Connection[Any], *, province: str | None, code: str | None,
                  page: int, size: int) -> dict[str, Any]:
    sql = ("SELECT province_code, code, version, name, note, published_at, "
           "jsonb_array_length(content->'criteria') AS criteria, position FROM dist_rulesets "
           "WHERE (%s::text IS NULL OR province_code = %s) AND (%s::text IS NULL OR code = %s) "
           "ORDER BY province_code, code, version")
    return _page(conn, sql, [province, province, code, code], page, size)


def ruleset_version(conn: Connection[Any], province: str, code: str,
                    version: int | None) -> dict[str, Any] | None:
    return _one(conn, "SELECT province_code, code, version, name, note, published_at, content "
                      "FROM dist_rulesets WHERE province_code = %s AND code = %s AND "
                      "(%s::int IS NULL OR version = %s) ORDER BY version DESC LIMIT 1",
                (province, code, version, version))


CYCLE_COLUMNS = ("year, province_code, province_name, state, ruleset, deadline, "
                 "reference_date, (compiled IS NOT NULL) AS compiled, version, position")


def list_cycles(conn: Connection[Any], *, year: int | None, province: str | None,
                state: str | None, page: int, size: int) -> dict[str, Any]:
    sql = (f"SELECT {CYCLE_COLUMNS}, (SELECT count(*) FROM dist_cycle_units u WHERE "
           "u.year = c.year AND u.province_id = c.province_id) AS units FROM dist_cycles c "
           "WHERE (%s::int IS NULL OR year = %s) AND (%s::text IS NULL OR province_code = %s) "
           "AND (%s::text IS NULL OR state = %s) ORDER BY year, province_code")
    return _page(conn, sql, [year, year, province, province, state, state], page, size)


def _cycle(conn: Connection[Any], year: int, province: str) -> dict[str, Any] | None:
    return _one(conn, f"SELECT id, province_id, rules, decision, compiled AS table, "
                      f"{CYCLE_COLUMNS} FROM dist_cycles WHERE year = %s AND "
                      "province_code = %s", (year, province))


def cycle_detail(conn: Connection[Any], year: int, province: str) -> dict[str, Any] | None:
    cycle = _cycle(conn, year, province)
    if cycle is None:
        return None
    key = (year, cycle.pop("province_id"))
    cycle.pop("table")
    cycle.update(_one(conn, "SELECT history, amendments, first_sent FROM dist_cycles WHERE "
                            "year = %s AND province_id = %s", key) or {})
    cycle["units"] = _all(conn, "SELECT code, name, group_code AS comparable_group FROM "
                                "dist_cycle_units WHERE year = %s AND province_id = %s ORDER "
                                "BY code", key)
    cycle["comparable_groups"] = _all(conn, "SELECT code, name, description, members FROM "
                                            "dist_comparable_groups WHERE year = %s AND "
                                            "province_id = %s ORDER BY code", key)
    cycle["tasks"] = _all(conn, "SELECT code, name, criterion, assigned_on, target, "
                                "unit_of_measure, units, assigned_at FROM dist_tasks WHERE "
                                "year = %s AND province_id = %s ORDER BY assigned_on, code", key)
    cycle["extensions"] = _all(conn, "SELECT unit_code, until, reason, granted_at FROM "
                                     "dist_extensions WHERE year = %s AND province_id = %s "
                                     "ORDER BY unit_code", key)
    cycle["sheets_expected"] = len(_all(conn, "SELECT 1 FROM dist_expected WHERE year = %s "
                                              "AND province_id = %s", key))
    return cycle


def compiled(conn: Connection[Any], year: int, province: str) -> dict[str, Any] | None:
    """The cycle's rules, compiled table and decision, with its comparable groups' names
    (code -> name) for the exports."""
    cycle = _cycle(conn, year, province)
    if cycle is not None:
        cycle["group_names"] = {g["code"]: g["name"] for g in _all(
            conn, "SELECT code, name FROM dist_comparable_groups WHERE year = %s AND "
                  "province_id = %s", (year, cycle["province_id"]))}
    return cycle


def list_sheets(conn: Connection[Any], *, year: int, province: str, kind: str | None,
                scorer: str | None, subject: str | None, state: str | None, page: int,
                size: int) -> dict[str, Any]:
    """The sheets of a province's cycle: every one it expects, 'not_started' until the scorer
    writes it."""
    sql = (f"SELECT x.kind AS expected_kind, sc.code AS expected_scorer, t.code AS "
           f"expected_subject, {SHEET_COLUMNS} FROM dist_expected x JOIN dist_cycles c ON "
           "c.year = x.year AND c.province_id = x.province_id JOIN dist_cycle_units t ON "
           "t.year = x.year AND t.province_id = x.province_id AND t.unit_id = x.subject_id "
           "LEFT JOIN dist_cycle_units sc ON sc.year = x.year AND sc.province_id = "
           "x.province_id AND sc.unit_id = x.scorer_id LEFT JOIN eval_sheets s ON "
           "s.year = x.year AND s.kind = x.kind AND s.scorer_id = x.scorer_id AND "
           "s.subject_id = x.subject_id WHERE x.year = %s AND c.province_code = %s")
    params: list[Any] = [year, province]
    for col, value in (("x.kind", kind), ("coalesce(sc.code, c.province_code)", scorer),
                       ("t.code", subject), ("coalesce(s.state, 'not_started')", state)):
        if value is not None:
            sql += f" AND {col} = %s"
            params.append(value)
    sql += " ORDER BY x.kind, t.code"
    found = _page(conn, sql, params, page, size)
    for row in found["items"]:
        expected = (row.pop("expected_kind"), row.pop("expected_scorer") or province,
                    row.pop("expected_subject"))
        if row["id"] is None:
            row.update(kind=expected[0], scorer_code=expected[1], subject_code=expected[2],
                       year=year, state="not_started", needs_approval=False, late=False)
    return found


def sheet_detail(conn: Connection[Any], sid: str) -> dict[str, Any] | None:
    """A district sheet as the evaluation's sheet read gives it (None for another sheet)."""
    from projections.queries_evaluation import sheet_detail as detail

    sheet = detail(conn, sid)
    if sheet is None or not (sheet.get("ruleset") or {}).get("province"):
        return None
    return sheet


def list_nominations(conn: Connection[Any], *, year: int | None, province: str | None,
                     proposer: str | None, subject: str | None, state: str | None,
                     page: int, size: int) -> dict[str, Any]:
    sql = ("SELECT id, year, province_code, proposer_code, subject_code, basis, justification,"
           " state, late, outcome, version, updated_at FROM dist_nominations WHERE true")
    params: list[Any] = []
    for col, value in (("year", year), ("province_code", province),
                       ("proposer_code", proposer), ("subject_code", subject),
                       ("state", state)):
        if value is not None:
            sql += f" AND {col} = %s"
            params.append(value)
    sql += " ORDER BY year, province_code, subject_code, proposer_code"
    return _page(conn, sql, params, page, size)


def list_summaries(conn: Connection[Any], *, year: int | None, province: str | None,
                   page: int, size: int) -> dict[str, Any]:
    sql = ("SELECT s.id, s.year, c.province_code, s.group_id, s.group_code, s.head_code, "
           "s.members, s.rows, s.average::text AS average, s.not_sent, s.late, s.sends, "
           "s.version, s.sent_at FROM dist_summaries s JOIN dist_cycles c ON c.year = s.year "
           "AND c.province_id = s.province_id WHERE (%s::int IS NULL OR s.year = %s) AND "
           "(%s::text IS NULL OR c.province_code = %s) ORDER BY s.year, c.province_code, "
           "s.group_code")
    return _page(conn, sql, [year, year, province, province], page, size)


def scoreboard(conn: Connection[Any], *, year: int, province: str,
               today: date) -> dict[str, Any] | None:
    """Every office of the cycle: its self sheet and the province's sheet (state, score sent),
    nominations, lateness, days left to its deadline, proposed and decided level."""
    cycle = _cycle(conn, year, province)
    if cycle is None:
        return None
    key = {"y": year, "p": cycle["province_id"]}
    units = _all(conn, "SELECT u.unit_id, u.code, u.name, u.group_code, coalesce(x.until, "
                       "c.deadline) AS deadline, (x.until IS NOT NULL) AS extended FROM "
                       "dist_cycle_units u JOIN dist_cycles c ON c.year = u.year AND "
                       "c.province_id = u.province_id LEFT JOIN dist_extensions x ON "
                       "x.year = u.year AND x.province_id = u.province_id AND x.unit_id = "
                       "u.unit_id WHERE u.year = %(y)s AND u.province_id = %(p)s ORDER BY "
                       "u.group_code, u.code", key)
    sheets: dict[tuple[Any, str], dict[str, Any]] = {
        (r.pop("subject_id"), r["kind"]): r for r in _all(
            conn, "SELECT s.id, s.kind, s.subject_id, s.state, s.revision, s.sent_revision, "
                  "s.sent_total::text AS sent_total, s.late, s.sent_late FROM dist_expected x "
                  "JOIN eval_sheets s ON s.year = x.year AND s.kind = x.kind AND s.scorer_id = "
                  "x.scorer_id AND s.subject_id = x.subject_id WHERE x.year = %(y)s AND "
                  "x.province_id = %(p)s", key)}
    noms: dict[Any, dict[str, int]] = defaultdict(lambda: {"self": 0, "province": 0, "peer": 0,
                                                           "total": 0})
    for r in _all(conn, "SELECT subject_id, basis, count(*) AS n FROM dist_nominations WHERE "
                        "year = %(y)s AND province_id = %(p)s AND state = 'submitted' GROUP BY "
                        "subject_id, basis", key):
        noms[r["subject_id"]][r["basis"]] += r["n"]
        noms[r["subject_id"]]["total"] += r["n"]
    late = {r["unit_id"]: r["n"] for r in _all(
        conn, "SELECT unit_id, count(*) AS n FROM (SELECT s.scorer_id AS unit_id FROM "
              "dist_expected x JOIN eval_sheets s ON s.year = x.year AND s.kind = x.kind AND "
              "s.scorer_id = x.scorer_id AND s.subject_id = x.subject_id WHERE x.year = %(y)s "
              "AND x.province_id = %(p)s AND (s.late OR coalesce(s.sent_late, false)) UNION ALL "
              "SELECT proposer_id FROM dist_nominations WHERE year = %(y)s AND province_id = "
              "%(p)s AND late AND state = 'submitted' UNION ALL SELECT head_id FROM "
              "dist_summaries WHERE year = %(y)s AND province_id = %(p)s AND late) q GROUP BY "
              "unit_id", key)}
    table = {r["code"]: r for r in cycle["table"] or []}
    decided = {r["code"]: r["level"] for r in (cycle["decision"] or {}).get("levels", [])}
    outstanding = set((cycle["decision"] or {}).get("outstanding", []))
    rows = []
    for u in units:
        uid = u["unit_id"]
        own, scored = sheets.get((uid, "self")), sheets.get((uid, "province_to_district"))
        row = table.get(u["code"], {})
        rows.append({
            "code": u["code"], "name": u["name"], "comparable_group": u["group_code"],
            "deadline": u["deadline"], "extended": u["extended"],
            "days_left": (u["deadline"] - today).days,
            "self_state": own["state"] if own else "not_started",
            "self_score": own["sent_total"] if own else None,
            "province_state": scored["state"] if scored else "not_started",
            "province_score": scored["sent_total"] if scored else None,
            "nominations": noms[uid], "late_count": late.get(uid, 0),
            "score": row.get("score"), "proposed_level": row.get("proposed_level"),
            "decided_level": decided.get(u["code"]), "outstanding": u["code"] in outstanding})
    return {"year": year, "province_code": province, "state": cycle["state"],
            "deadline": cycle["deadline"], "today": today, "compiled": cycle["compiled"],
            "province_late": late.get(cycle["province_id"], 0),
            "decision": cycle["decision"] and {k: cycle["decision"][k] for k in (
                "number", "signed_on", "signer", "outstanding")}, "units": rows}

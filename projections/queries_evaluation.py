"""Reads of the annual evaluation: plain SQL over the evaluation views."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date
from typing import Any

from psycopg import Connection
from psycopg.rows import dict_row

from domain.evaluation.fields import KIND as FIELD_KIND
from domain.evaluation.fields import by_field, combine
from domain.evaluation.rules import SHEET_KINDS, deadline_included, fmt, last_day
from projections.queries import _page

RECEIVED = SHEET_KINDS[1:]  # the kinds a unit receives: all but self


def _all(conn: Connection[Any], sql: str, params: Any = ()) -> list[dict[str, Any]]:
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(sql, params)
        return cur.fetchall()


def _one(conn: Connection[Any], sql: str, params: Any = ()) -> dict[str, Any] | None:
    rows = _all(conn, sql, params)
    return rows[0] if rows else None


def list_rulesets(conn: Connection[Any], *, code: str | None, page: int,
                  size: int) -> dict[str, Any]:
    sql = ("SELECT code, version, name, note, published_at, jsonb_array_length("
           "content->'criteria') AS criteria, position FROM eval_rulesets WHERE "
           "(%s::text IS NULL OR code = %s) ORDER BY code, version")
    return _page(conn, sql, [code, code], page, size)


def ruleset_version(conn: Connection[Any], code: str, version: int | None
                    ) -> dict[str, Any] | None:
    return _one(conn, "SELECT code, version, name, note, published_at, content FROM "
                      "eval_rulesets WHERE code = %s AND (%s::int IS NULL OR version = %s) "
                      "ORDER BY version DESC LIMIT 1", (code, version, version))


def cycle_detail(conn: Connection[Any], year: int) -> dict[str, Any] | None:
    cycle = _one(conn, "SELECT year, id, state, ruleset_code, ruleset_version, rules, deadline,"
                       " reference_date, amendments, first_sent, history, decision, version, "
                       "position, (compiled IS NOT NULL) AS compiled FROM eval_cycles WHERE "
                       "year = %s", (year,))
    if cycle is None:
        return None
    cycle["units"] = with_successors(
        _all(conn, "SELECT code, name, level FROM eval_cycle_units WHERE year = %s ORDER BY "
                   "level, code", (year,)), ended_units(conn, year))
    cycle["monitoring"] = _all(conn, "SELECT code, field FROM eval_monitoring WHERE year = %s "
                                     "ORDER BY code", (year,))
    cycle["organisation_scoring"] = _all(
        conn, "SELECT s.code AS unit_code, array_agg(t.code ORDER BY t.code) AS subjects "
              "FROM eval_expected e JOIN eval_cycle_units s ON s.year = e.year AND "
              "s.unit_id = e.scorer_id JOIN eval_cycle_units t ON t.year = e.year AND "
              "t.unit_id = e.subject_id WHERE e.year = %s AND e.kind = "
              "'organisation_to_central' GROUP BY s.code ORDER BY s.code", (year,))
    cycle["field_units"] = _all(conn, "SELECT item, code AS unit_code, topic, about FROM "
                                      "eval_field_units WHERE year = %s ORDER BY item", (year,))
    cycle["deadline_included"] = deadline_included(cycle["rules"])
    cycle["last_day"] = last_day(cycle["rules"], cycle["deadline"])
    cycle["extensions"] = _all(conn, "SELECT u.code AS unit_code, x.until, x.reason, "
                                     "x.granted_at FROM eval_extensions x JOIN eval_cycle_units"
                                     " u ON u.year = x.year AND u.unit_id = x.unit_id WHERE "
                                     "x.year = %s ORDER BY u.code", (year,))
    cycle["sheets_expected"] = _one(conn, "SELECT count(*) AS n FROM eval_expected WHERE "
                                          "year = %s", (year,))["n"]  # type: ignore[index]
    return cycle


def comparable_groups(conn: Connection[Any], year: int) -> dict[str, Any] | None:
    """The cycle's comparable groups, members by code (none declared: compared by level)."""
    cycle = _one(conn, "SELECT comparable_groups FROM eval_cycles WHERE year = %s", (year,))
    if cycle is None:
        return None
    code = {str(r["unit_id"]): r["code"] for r in _all(
        conn, "SELECT unit_id, code FROM eval_cycle_units WHERE year = %s", (year,))}
    return {"year": year, "by_level": not cycle["comparable_groups"],
            "comparable_groups": [{**g, "members": [code.get(m, m) for m in g["members"]]}
                                  for g in cycle["comparable_groups"]]}


ENDED = ("ended_on", "end_status", "successor_code", "successor_name")


def ended_units(conn: Connection[Any], year: int) -> dict[str, dict[str, Any]]:
    """The units of the year's cycle that ended during it (on or before the later of its
    deadline and its decision's date), by code: the day, how (merged, dissolved), and the
    successor (the unit merged into, under its name on that day; none for a dissolution).
    A unit that ended after the cycle is not named: a past year reads as it did."""
    rows = _all(
        conn, "SELECT cu.code, u.ended::text AS ended_on, u.end_status, s.code AS successor_code, "
              "coalesce(sp.name, s.name) AS successor_name FROM eval_cycle_units cu "
              "JOIN eval_cycles c ON c.year = cu.year JOIN units u ON u.id = cu.unit_id "
              "LEFT JOIN units s ON s.id = u.merged_into LEFT JOIN unit_periods sp ON "
              "sp.unit_id = s.id AND sp.start_date <= u.ended AND (sp.end_date IS NULL OR "
              "u.ended < sp.end_date) WHERE cu.year = %s AND u.ended IS NOT NULL AND "
              "u.ended <= greatest(c.deadline, (c.decision->>'signed_on')::date)", (year,))
    return {r.pop("code"): r for r in rows}


def with_successors(rows: list[dict[str, Any]], ended: dict[str, dict[str, Any]]
                    ) -> list[dict[str, Any]]:
    """Each row (by its ``code``) with the four ENDED fields, None for a unit that lasts."""
    none = dict.fromkeys(ENDED)
    return [{**r, **ended.get(r["code"], none)} for r in rows]


def compiled(conn: Connection[Any], year: int) -> dict[str, Any] | None:
    return _one(conn, "SELECT year, state, compiled, decision, rules FROM eval_cycles WHERE "
                      "year = %s", (year,))


SHEET_COLUMNS = ("id, year, kind, scorer_code, subject_code, needs_approval, revision, state, "
                 "total::text AS total, level, late, sent_revision, sent_total::text AS "
                 "sent_total, sent_level, sent_late, version, updated_at")


def list_sheets(conn: Connection[Any], *, year: int | None, kind: str | None,
                scorer: str | None, subject: str | None, state: str | None, page: int,
                size: int) -> dict[str, Any]:
    sql = f"SELECT {SHEET_COLUMNS} FROM eval_sheets WHERE true"
    params: list[Any] = []
    for col, value in (("year", year), ("kind", kind), ("scorer_code", scorer),
                       ("subject_code", subject), ("state", state)):
        if value is not None:
            sql += f" AND {col} = %s"
            params.append(value)
    sql += " ORDER BY year, kind, scorer_code, subject_code"
    return _page(conn, sql, params, page, size)


def sheet_detail(conn: Connection[Any], sid: str) -> dict[str, Any] | None:
    """A sheet with every revision and move: the shape of the domain's sheet_view (the
    revisions' hands come from the moves, whose actors the sheet keeps the same way)."""
    sheet = _one(conn, f"SELECT {SHEET_COLUMNS}, ruleset FROM eval_sheets WHERE id = %s",
                 (sid,))
    if sheet is None:
        return None
    sheet["revisions"] = _all(
        conn, "SELECT revision, state, scores, total::text AS total, level, late, reason, "
              "submitted_by, approved_by, returns, started_at, submitted_at, sent_at FROM "
              "eval_sheet_revisions WHERE sheet_id = %s ORDER BY revision", (sid,))
    sheet["moves"] = _all(conn, "SELECT position, revision, step, at, user_id, user_name, role,"
                                " reason FROM eval_sheet_moves WHERE sheet_id = %s ORDER BY "
                                "position", (sid,))
    _hands(sheet["revisions"], sheet["moves"])
    return sheet


HANDS = {"written": "written_by", "submitted": "submitters"}


def _hands(revisions: list[dict[str, Any]], moves: list[dict[str, Any]]) -> None:
    """Who wrote, submitted and opened each revision (once each, in order), and its moments
    in UTC as the domain writes them."""
    numbered: dict[int, dict[str, Any]] = {}
    for rev in revisions:
        rev.update(written_by=[], submitters=[], corrected_by=None)
        for key in ("started_at", "submitted_at", "sent_at"):
            if rev[key] is not None:
                rev[key] = rev[key].astimezone(UTC)
        numbered[rev["revision"]] = rev
    for move in moves:
        moved, user = numbered.get(move["revision"]), move["user_id"]
        if moved is None:
            continue
        if move["step"] == "correction_opened":
            moved["corrected_by"] = user
        elif move["step"] in HANDS and user and user not in moved[HANDS[move["step"]]]:
            moved[HANDS[move["step"]]].append(user)


# A nomination counts once submitted, and approved where its leader's approval is needed.
STANDS = "(state = 'approved' OR (state = 'submitted' AND NOT needs_approval))"


def list_nominations(conn: Connection[Any], *, year: int | None, proposer: str | None,
                     subject: str | None, state: str | None, page: int,
                     size: int) -> dict[str, Any]:
    sql = ("SELECT id, year, proposer_code, subject_code, basis, justification, state, late, "
           f"needs_approval, approved_by, returns, {STANDS} AS stands, outcome, version, "
           "updated_at FROM eval_nominations WHERE true")
    params: list[Any] = []
    for col, value in (("year", year), ("proposer_code", proposer), ("subject_code", subject),
                       ("state", state)):
        if value is not None:
            sql += f" AND {col} = %s"
            params.append(value)
    sql += " ORDER BY year, subject_code, proposer_code"
    return _page(conn, sql, params, page, size)


def list_field_reports(conn: Connection[Any], *, year: int | None, province: str | None,
                       reporter: str | None, page: int, size: int,
                       subject: str | None = None) -> dict[str, Any]:
    """Field reports; ``subject`` (or its older name ``province``) is the unit reported on."""
    sql = ("SELECT id, year, item, reporter_code, province_code AS subject_code, "
           "subject_level, province_code, figures, lists, assessment, late, submissions, "
           "version, updated_at FROM eval_field_reports WHERE true")
    params: list[Any] = []
    for col, value in (("year", year), ("province_code", province), ("province_code", subject),
                       ("reporter_code", reporter)):
        if value is not None:
            sql += f" AND {col} = %s"
            params.append(value)
    sql += " ORDER BY year, province_code, item NULLS LAST, reporter_code"
    return _page(conn, sql, params, page, size)


def list_summaries(conn: Connection[Any], *, year: int | None, page: int,
                   size: int) -> dict[str, Any]:
    sql = ("SELECT id, year, group_id, group_code, head_code, members, rows, not_sent, late, "
           "sends, version, sent_at FROM eval_summaries WHERE (%s::int IS NULL OR year = %s) "
           "ORDER BY year, group_code")
    return _page(conn, sql, [year, year], page, size)


def scoreboard(conn: Connection[Any], *, year: int, level: str | None) -> dict[str, Any] | None:
    """Every unit of the year with its sheets and their states, averages of each kind
    received (latest sent revisions), nominations, lateness, proposed and decided level."""
    cycle = compiled(conn, year)
    if cycle is None:
        return None
    units = _all(conn, "SELECT unit_id, code, name, level FROM eval_cycle_units WHERE "
                       "year = %s AND (%s::text IS NULL OR level = %s) ORDER BY level, code",
                 (year, level, level))
    sheets: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for s in _all(conn, "SELECT id, kind, scorer_code, subject_id, revision, state, "
                        "total::text AS total, sent_revision, sent_total::text AS sent_total, "
                        "late FROM eval_sheets WHERE year = %s ORDER BY kind, scorer_code",
                  (year,)):
        sheets[s.pop("subject_id")].append(s)
    expected = {(r["subject_id"], r["kind"]): r["n"] for r in _all(
        conn, "SELECT subject_id, kind, count(*) AS n FROM eval_expected WHERE year = %s "
              "GROUP BY subject_id, kind", (year,))}
    averages = {(r["subject_id"], r["kind"]): r for r in _all(
        conn, "SELECT subject_id, kind, round(avg(sent_total), 2)::text AS average, count(*) "
              "AS count FROM eval_sheets WHERE year = %s AND sent_revision IS NOT NULL "
              "GROUP BY subject_id, kind", (year,))}
    if by_field(cycle["rules"], FIELD_KIND):
        averages.update(_fields_combined(conn, year, cycle["rules"]))
    noms: dict[Any, dict[str, int]] = defaultdict(lambda: {"self": 0, "scorer": 0,
                                                           "province": 0, "total": 0})
    for r in _all(conn, "SELECT subject_id, basis, count(*) AS n FROM eval_nominations WHERE "
                        f"year = %s AND {STANDS} GROUP BY subject_id, basis", (year,)):
        noms[r["subject_id"]][r["basis"]] += r["n"]
        noms[r["subject_id"]]["total"] += r["n"]
    late = {r["unit_id"]: r["n"] for r in _all(
        conn, "SELECT unit_id, count(*) AS n FROM (SELECT scorer_id AS unit_id FROM eval_sheets "
              "WHERE year = %(y)s AND kind = ANY(%(kinds)s) AND (late OR "
              "coalesce(sent_late, false)) UNION ALL SELECT "
              "proposer_id FROM eval_nominations WHERE year = %(y)s AND late AND state IN "
              "('submitted', 'approved') UNION ALL SELECT reporter_id FROM "
              "eval_field_reports WHERE year = %(y)s AND late UNION ALL SELECT head_id FROM "
              "eval_summaries WHERE year = %(y)s AND late) q GROUP BY unit_id",
        {"y": year, "kinds": list(SHEET_KINDS)})}
    table = {r["code"]: r for r in cycle["compiled"] or []}
    decided = {r["code"]: r["level"] for r in (cycle["decision"] or {}).get("levels", [])}
    outstanding = set((cycle["decision"] or {}).get("outstanding", []))
    rows = []
    for u in units:
        uid = u["unit_id"]
        own = sheets.get(uid, [])
        self_sheet = next((s for s in own if s["kind"] == "self"), None)
        received = {k: {"average": averages[(uid, k)]["average"] if (uid, k) in averages
                        else None,
                        "sent": averages[(uid, k)]["count"] if (uid, k) in averages else 0,
                        "expected": expected[(uid, k)],
                        **_method(cycle["rules"], k, averages.get((uid, k)))}
                    for k in RECEIVED if (uid, k) in expected}
        row = table.get(u["code"], {})
        rows.append({
            "code": u["code"], "name": u["name"], "level": u["level"],
            "self_score": self_sheet["sent_total"] if self_sheet else None,
            "self_state": self_sheet["state"] if self_sheet else "not_started",
            "received": received, "nominations": noms[uid], "late_count": late.get(uid, 0),
            "score": row.get("score"), "proposed_level": row.get("proposed_level"),
            "decided_level": decided.get(u["code"]), "outstanding": u["code"] in outstanding,
            "sheets": own})
    rows = with_successors(rows, ended_units(conn, year))
    return {"year": year, "state": cycle["state"], "compiled": cycle["compiled"] is not None,
            "decision": cycle["decision"] and {k: cycle["decision"][k] for k in (
                "number", "signed_on", "signer", "outstanding")}, "units": rows}


def _fields_combined(conn: Connection[Any], year: int, rules: dict[str, Any]
                     ) -> dict[tuple[Any, str], dict[str, Any]]:
    """Each province's score from monitors that score their own fields: the scores of their
    latest sent sheets, combined as the domain combines them (domain/evaluation/fields.py)."""
    sent: dict[Any, dict[str, Any]] = defaultdict(dict)
    for r in _all(conn, "SELECT s.subject_id, s.scorer_code, r.scores FROM eval_sheets s JOIN "
                        "eval_sheet_revisions r ON r.sheet_id = s.id AND r.revision = "
                        "s.sent_revision WHERE s.year = %s AND s.kind = %s", (year, FIELD_KIND)):
        sent[r["subject_id"]][r["scorer_code"]] = r["scores"]
    out = {}
    for subject, given in sent.items():
        score, unscored = combine(rules, given)
        out[(subject, FIELD_KIND)] = {"average": fmt(score), "count": len(given),
                                      "unscored": unscored}
    return out


def _method(rules: dict[str, Any], kind: str, found: dict[str, Any] | None) -> dict[str, Any]:
    """How a kind's received score is made, where it is not the average of the totals."""
    if not by_field(rules, kind):
        return {}
    return {"method": "fields", "unscored": (found or {}).get(
        "unscored", [c["code"] for c in rules["criteria"]])}


def progress(conn: Connection[Any], *, year: int, today: date,
             level: str | None) -> dict[str, Any] | None:
    """Who has not submitted, approved or sent, with the days left to each unit's deadline."""
    cycle = _one(conn, "SELECT state, deadline, rules FROM eval_cycles WHERE year = %s",
                 (year,))
    if cycle is None:
        return None
    last = last_day(cycle["rules"], cycle["deadline"])  # the deadline, or the day before
    rows = _all(
        conn, "SELECT u.code, u.name, u.level, coalesce(x.until, c.deadline) AS deadline, "
              "(x.until IS NOT NULL) AS extended, e.kind, t.code AS subject_code, "
              "coalesce(s.state, 'not_started') AS state, s.needs_approval "
              "FROM eval_cycle_units u "
              "JOIN eval_cycles c ON c.year = u.year LEFT JOIN eval_extensions x ON "
              "x.year = u.year AND x.unit_id = u.unit_id LEFT JOIN eval_expected e ON "
              "e.year = u.year AND e.scorer_id = u.unit_id LEFT JOIN eval_cycle_units t ON "
              "t.year = e.year AND t.unit_id = e.subject_id LEFT JOIN eval_sheets s ON "
              "s.year = e.year AND s.kind = e.kind AND s.scorer_id = e.scorer_id AND "
              "s.subject_id = e.subject_id WHERE u.year = %s AND (%s::text IS NULL OR "
              "u.level = %s) ORDER BY u.level, u.code, e.kind, t.code", (year, level, level))
    awaiting: dict[str, list[str]] = defaultdict(list)
    for n in _all(conn, "SELECT proposer_code, subject_code FROM eval_nominations WHERE "
                        "year = %s AND state = 'submitted' AND needs_approval ORDER BY "
                        "proposer_code, subject_code", (year,)):
        awaiting[n["proposer_code"]].append(n["subject_code"])
    units: dict[str, dict[str, Any]] = {}
    for r in rows:
        unit_last = r["deadline"] if r["extended"] else last
        u = units.setdefault(r["code"], {
            "code": r["code"], "name": r["name"], "level": r["level"],
            "deadline": r["deadline"], "last_day": unit_last, "extended": r["extended"],
            "days_left": (unit_last - today).days, "expected": 0, "sent": 0,
            "not_submitted": [], "awaiting_approval": [], "not_sent": [],
            "nominations_awaiting_approval": awaiting.get(r["code"], [])})
        if r["kind"] is None:
            continue
        u["expected"] += 1
        item = {"kind": r["kind"], "subject_code": r["subject_code"], "state": r["state"]}
        if r["state"] == "sent":
            u["sent"] += 1
        elif r["state"] in ("not_started", "draft", "returned", "revised"):
            u["not_submitted"].append(item)
        elif r["state"] == "submitted" and r["needs_approval"]:  # as the sheet was started
            u["awaiting_approval"].append(item)
        else:
            u["not_sent"].append(item)
    out = with_successors(list(units.values()), ended_units(conn, year))
    summaries = _all(conn, "SELECT g.code AS group_code, s.head_code, (s.id IS NOT NULL) AS "
                           "sent, coalesce(s.late, false) AS late FROM groups g LEFT JOIN "
                           "eval_summaries s ON s.group_id = g.id AND s.year = g.year WHERE "
                           "g.year = %s AND g.kind = 'provincial_cluster' ORDER BY g.code",
                     (year,))
    # expected: each appendix item on each province; beyond: what else units reported
    # (on central units, or beyond the appendix: "nếu có")
    reports = _one(conn, "SELECT (SELECT count(*) FROM eval_field_units WHERE year = %(y)s) * "
                         "(SELECT count(*) FROM eval_cycle_units WHERE year = %(y)s AND "
                         "level = 'province') AS expected, count(*) FILTER (WHERE item IS NOT "
                         "NULL AND subject_level = 'province') AS sent, count(*) FILTER (WHERE "
                         "item IS NULL OR subject_level <> 'province') AS beyond FROM "
                         "eval_field_reports WHERE year = %(y)s", {"y": year})
    return {"year": year, "state": cycle["state"], "deadline": cycle["deadline"],
            "last_day": last, "today": today, "days_left": (last - today).days,
            "complete": sum(1 for u in out if u["sent"] == u["expected"]), "units": out,
            "summaries": summaries, "field_reports": reports}

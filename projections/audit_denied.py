"""Refused requests (401, 403) in a hash chain of their own, capped per minute by source
and for all sources: what is over the cap is counted, and a chained count row says how many
once the minute is over."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from projections import auditchain
from projections.audit_checkpoints import dict_rows
from projections.audit_record import iso_time, jsonable

PER_SOURCE_PER_MINUTE = 30
ALL_SOURCES_PER_MINUTE = 600
_DENIED_LOCK = 0x7468_6964_7561  # 'thidua': serialises appends to the denied chain


def record_denied(conn: Any, record: dict[str, Any], *, now: datetime | None = None,
                  per_source: int = PER_SOURCE_PER_MINUTE,
                  all_sources: int = ALL_SOURCES_PER_MINUTE) -> bool:
    """Append a refused request to its own chain, unless this minute's cap for its source
    (or for all sources) is reached: then only count it, and a count row says how many once
    the minute is over. True when a row was written."""
    now = (now or datetime.now(UTC)).astimezone(UTC)
    minute = now.replace(second=0, microsecond=0)
    source = str(record.get("source_address") or "unknown")[:100]
    with conn.transaction(), conn.cursor(row_factory=dict_rows()) as curs:
        curs.execute("SELECT pg_advisory_xact_lock(%s)", (_DENIED_LOCK,))
        _count_dropped(curs, now)
        curs.execute("SELECT source, recorded FROM denied_counters WHERE minute=%s AND "
                     "source IN ('*', %s)", (minute, source))
        counts = {r["source"]: r["recorded"] for r in curs.fetchall()}
        over_all = counts.get("*", 0) >= all_sources
        over_source = counts.get(source, 0) >= per_source
        bump = "INSERT INTO denied_counters (source, minute, {0}) VALUES (%s,%s,1) ON " \
               "CONFLICT (source, minute) DO UPDATE SET {0} = denied_counters.{0} + 1"
        if over_all or over_source:
            curs.execute(bump.format("dropped"), ("*" if over_all else source, minute))
            return False
        _append_denied(curs, now, record, source)
        curs.execute(bump.format("recorded"), ("*", minute))
        curs.execute(bump.format("recorded"), (source, minute))
        return True


def count_dropped(conn: Any, *, now: datetime | None = None) -> int:
    """Write the count rows of the attempts dropped in every minute before ``now``'s; return
    how many rows were written."""
    with conn.transaction(), conn.cursor(row_factory=dict_rows()) as curs:
        curs.execute("SELECT pg_advisory_xact_lock(%s)", (_DENIED_LOCK,))
        return _count_dropped(curs, (now or datetime.now(UTC)).astimezone(UTC))


def _count_dropped(curs: Any, now: datetime) -> int:
    """Under the denied lock: one chained row per (source, minute) over, for each minute
    before ``now``'s, saying how many attempts were only counted ('*': over the cap for all
    sources). A minute once written is written again only for attempts counted after."""
    curs.execute("SELECT source, minute, dropped - counted AS n FROM denied_counters "
                 "WHERE dropped > counted AND minute < %s ORDER BY minute, source",
                 (now.replace(second=0, microsecond=0),))
    pending = curs.fetchall()
    for row in pending:
        source, minute, n = row["source"], row["minute"].astimezone(UTC), int(row["n"])
        who = "any address, over the cap for all addresses" if source == "*" else \
            f"{source}, over the cap for one address"
        _append_denied(curs, now, {
            "rule": "denied_count", "count": n, "minute": iso_time(minute),
            "source_address": source,
            "message": f"{n} more denied attempt{'s' if n != 1 else ''} from {who}, in the "
                       f"minute from {minute:%Y-%m-%d %H:%M} UTC: counted, not recorded one "
                       "by one."}, source)
        curs.execute("UPDATE denied_counters SET counted = counted + %s WHERE source = %s AND "
                     "minute = %s", (n, source, row["minute"]))
    return len(pending)


def _append_denied(curs: Any, now: datetime, record: dict[str, Any], source: str) -> None:
    curs.execute("SELECT seq, entry FROM denied_attempts ORDER BY seq DESC LIMIT 1")
    row = curs.fetchone()
    chain = (auditchain.Chain(bytes(row["entry"]), int(row["seq"])) if row
             else auditchain.Chain())
    line = auditchain.canonical_line({"time": iso_time(now), **jsonable(record)})
    entry = chain.append(line)
    curs.execute("INSERT INTO denied_attempts (seq, at, status, source, user_name, path, "
                 "line, entry) VALUES (%s,%s,%s,%s,%s,%s,%s,%s)",
                 (chain.size, now, record.get("status"), source, record.get("user_name"),
                  record.get("path"), line, entry))


def verify_denied(conn: Any) -> tuple[bool, int, str | None]:
    """Recompute the denied-attempts chain: (ok, rows checked, first problem)."""
    chain = auditchain.Chain()
    with conn.transaction(), conn.cursor(name="denied_verify", row_factory=dict_rows()) as cur:
        cur.execute("SELECT seq, line, entry FROM denied_attempts ORDER BY seq")
        for row in cur:
            if row["seq"] != chain.size + 1:
                return False, chain.size, f"row {chain.size + 1} is missing"
            chain.append(bytes(row["line"]))
            if chain.head != bytes(row["entry"]):
                return False, chain.size, f"row {chain.size}: hash mismatch (edited)"
    return True, chain.size, None

"""Proof from the events: rebuild every view into a scratch schema and compare it with the
live views; recompute the audit trail from the stored events and compare it with its lines.

The rebuild uses the same migrations, projection classes and runner as the live views; how
they are built is handed in (``migrate``, ``build``) so this module needs nothing of ``web``.
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import psycopg
from cryptography.exceptions import InvalidSignature
from eventsourcing.utils import resolve_topic
from psycopg.rows import dict_row
from psycopg.sql import SQL, Identifier, Literal

from projections import auditchain
from projections.audit import PRESENTATION, build_record, redacted
from projections.base import BatchProjection, wait_for
from projections.queries_audit import iter_entries
from projections.runner import Runner

# Tables that hold what events do not: signatures, refused requests, bookkeeping.
NOT_FROM_EVENTS = frozenset({"audit_checkpoints", "denied_attempts", "denied_counters"})
# How a row is compared, where not all of it is evidence: the audit line's summaries are
# wording (a later release may phrase them better), and its entry hash follows the line.
# jsonb cannot hold NUL, so a line's escaped NUL (an event stored before the domain refused
# them) is compared as U+FFFD, on both sides.
COMPARE_AS = {
    "audit_entries": "(to_jsonb(t) - 'line' - 'entry') || jsonb_build_object('line', "
                     "replace(convert_from(t.line, 'UTF8'), '\\u0000', '\\ufffd')::jsonb "
                     "- 'summary_vi' - 'summary_en')",
}


@dataclass
class Difference:
    table: str
    live_only: dict[str, Any] | None
    rebuilt_only: dict[str, Any] | None

    def __str__(self) -> str:
        parts = [f"table {self.table}"]
        if self.live_only is not None:
            parts.append(f"live row not rebuilt: {json.dumps(self.live_only, ensure_ascii=False)}")
        if self.rebuilt_only is not None:
            parts.append("rebuilt row not live: "
                         f"{json.dumps(self.rebuilt_only, ensure_ascii=False)}")
        return "; ".join(parts)


@dataclass
class ReplayReport:
    equal: bool
    position: int
    year: int | None
    tables: dict[str, int] = field(default_factory=dict)  # table -> rows compared
    difference: Difference | None = None
    note: str | None = None

    def __str__(self) -> str:
        scope = f" (rows of {self.year} where a table has a year)" if self.year else ""
        if self.equal:
            rows = sum(self.tables.values())
            return (f"EQUAL: {len(self.tables)} tables, {rows} rows rebuilt from {self.position} "
                    f"events match the live views{scope}")
        text = f"DIFFERENT at position {self.position}{scope}: {self.difference}"
        return f"{text} ({self.note})" if self.note else text


class _RunnerTo(Runner):
    """The runner, stopped at a fixed head."""

    def __init__(self, app: Any, projections: list[BatchProjection], stop_at: int) -> None:
        super().__init__(app, projections)
        self.stop_at = stop_at

    def head(self) -> int:
        return self.stop_at


def compared_tables(conn: psycopg.Connection[Any], schema: str) -> list[str]:
    rows = conn.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = %s AND "
        "table_type = 'BASE TABLE' ORDER BY table_name", (schema,)).fetchall()
    return [r[0] for r in rows
            if not r[0].endswith("_tracking") and "yoyo" not in r[0]
            and r[0] not in NOT_FROM_EVENTS]


def _first_missing(conn: psycopg.Connection[Any], table: str, one: str, other: str,
                   year: int | None, has_year: bool) -> dict[str, Any] | None:
    expr = COMPARE_AS.get(table, "to_jsonb(t)")
    cond = SQL(" WHERE t.year = {}").format(Literal(year)) if year and has_year else SQL("")
    query = SQL("SELECT r FROM (SELECT {e} AS r FROM {a}.{t} t{c} EXCEPT ALL "
                "SELECT {e} FROM {b}.{t} t{c}) d ORDER BY r::text LIMIT 1").format(
        e=SQL(expr), a=Identifier(one), b=Identifier(other), t=Identifier(table), c=cond)
    row = conn.execute(query).fetchone()
    return None if row is None else row[0]


def compare_schemas(url: str, live: str, rebuilt: str,
                    year: int | None = None) -> tuple[dict[str, int], Difference | None]:
    """Compare every event-derived table of ``live`` with ``rebuilt``, table by table in
    name order; stop at the first table that differs."""
    counted: dict[str, int] = {}
    with psycopg.connect(url, autocommit=True) as conn:
        rebuilt_tables = set(compared_tables(conn, rebuilt))
        for table in compared_tables(conn, live):
            if table not in rebuilt_tables:
                return counted, Difference(table, {"missing": "table not in the rebuild"}, None)
            has_year = bool(conn.execute(
                "SELECT 1 FROM information_schema.columns WHERE table_schema=%s AND "
                "table_name=%s AND column_name='year'", (live, table)).fetchone())
            live_only = _first_missing(conn, table, live, rebuilt, year, has_year)
            rebuilt_only = _first_missing(conn, table, rebuilt, live, year, has_year)
            cond = SQL(" WHERE year = {}").format(Literal(year)) if year and has_year else SQL("")
            row = conn.execute(SQL("SELECT count(*) FROM {}.{}{}").format(
                Identifier(live), Identifier(table), cond)).fetchone()
            counted[table] = int(row[0]) if row else 0
            if live_only is not None or rebuilt_only is not None:
                return counted, Difference(table, live_only, rebuilt_only)
    return counted, None


def rebuild_and_compare(app: Any, url: str, live: dict[str, BatchProjection], live_schema: str,
                        *, migrate: Callable[[str, str], None],
                        build: Callable[[str, str], dict[str, BatchProjection]],
                        year: int | None = None, progress: Callable[[int], None] | None = None,
                        wait: float = 30.0, keep: bool = False) -> ReplayReport:
    """Rebuild every view from the events (up to the head when called) in a scratch schema
    with the live migrations, projection classes and runner, then compare it with the live
    views. ``year`` limits the comparison to that year's rows where a table has a year."""
    position = int(app.recorder.max_notification_id() or 0)
    for projection in live.values():
        if not wait_for(projection.view, app.name, position, wait):
            raise RuntimeError(f"the live view '{projection.name}' has not reached position "
                               f"{position}; run the projections first")
    scratch = f"replay_{uuid.uuid4().hex[:10]}"
    rebuilt: dict[str, BatchProjection] = {}
    try:
        migrate(url, scratch)
        rebuilt = build(url, scratch)
        _RunnerTo(app, list(rebuilt.values()), position).catch_up(progress)
        tables, difference = compare_schemas(url, live_schema, scratch, year)
    finally:
        for projection in rebuilt.values():
            projection.view.datastore.close()
        if not keep:
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(Identifier(scratch)))
    report = ReplayReport(difference is None, position, year, tables, difference)
    moved = max((p.view.position(app.name) for p in live.values()), default=position)
    if difference is not None and moved > position:
        report.note = (f"the live views moved on to {moved} during the replay; rerun while no "
                       "one writes")
    return report


# -- the audit trail against the stored events -------------------------------------------------
@dataclass
class StoreReport:
    ok: bool
    entries: int
    pending: int = 0  # events not yet in the trail (the projection is behind)
    position: int | None = None
    seq: int | None = None
    reason: str | None = None

    def __str__(self) -> str:
        if self.ok:
            tail = f"; {self.pending} newer events not yet projected" if self.pending else ""
            return f"OK: {self.entries} audit entries match the stored events{tail}"
        return f"BROKEN at position {self.position} (entry {self.seq}): {self.reason}"


def _notifications(app: Any, batch: int = 1000) -> Iterator[Any]:
    start = 1
    while True:
        rows = app.recorder.select_notifications(start=start, limit=batch)
        yield from rows
        if len(rows) < batch:
            return
        start = rows[-1].id + 1


def decode_state(mapper: Any, state: bytes) -> dict[str, Any]:
    """The stored state as the mapper decodes it, before upcasting."""
    if mapper.cipher:
        state = mapper.cipher.decrypt(state)
    if mapper.compressor:
        state = mapper.compressor.decompress(state)
    return dict(mapper.transcoder.decode(state))


def recompute_difference(app: Any, note: Any, line: bytes) -> str | None:
    """Why the stored event ``note`` no longer gives the audit ``line`` (None if it does)."""
    stored = json.loads(line.decode("utf-8"))
    try:
        cls: Any = resolve_topic(note.topic)
    except Exception:
        cls = None
    try:
        state = decode_state(app.mapper, note.state)
        version = state.pop("class_version", 1)
        target = stored.get("class_version", 1)
        while version < target and cls is not None:
            getattr(cls, f"upcast_v{version}_v{version + 1}")(state)
            version += 1
    except Exception as e:
        return f"the stored event cannot be read: {type(e).__name__}: {e}"
    again = build_record(position=note.id, topic=note.topic, originator_id=note.originator_id,
                         version=note.originator_version, class_version=target, state=state,
                         hide=redacted(cls))
    changed = _changed(again, stored)
    if changed:  # the line writes a lone surrogate as U+FFFD (auditchain.canonical_line)
        again = auditchain.without_surrogates(again)
        changed = _changed(again, stored)
    if "data" in changed:
        old, new = stored.get("data") or {}, again.get("data") or {}
        changed.remove("data")
        changed += [f"data.{k}" for k in sorted(set(old) | set(new)) if old.get(k) != new.get(k)]
    if not changed:
        return None
    return ("the stored event differs from what the audit trail recorded, in "
            f"{', '.join(changed)} (edited after the fact)")


def _changed(again: dict[str, Any], stored: dict[str, Any]) -> list[str]:
    return [k for k in sorted(set(again) | set(stored))
            if k not in PRESENTATION and again.get(k) != stored.get(k)]


def verify_store(app: Any, conn: psycopg.Connection[Any],
                 public_key: Any | None = None) -> StoreReport:
    """Check the audit table's own chain and checkpoints (with ``public_key``, if given) and
    recompute every line from the stored events; name the first position that differs."""
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute("SELECT * FROM audit_checkpoints ORDER BY size, id")
        signed: dict[int, list[dict[str, Any]]] = {}
        for cp in cur.fetchall():
            signed.setdefault(int(cp["size"]), []).append(cp)
    chain = auditchain.Chain()
    notes = _notifications(app)
    note = next(notes, None)

    def broken(position: int | None, reason: str) -> StoreReport:
        return StoreReport(False, chain.size, position=position, seq=chain.size + 1,
                           reason=reason)

    for row in iter_entries(conn):
        position = int(row["position"])
        if row["seq"] != chain.size + 1:
            return broken(position, f"entry {chain.size + 1} is missing from the audit table")
        line = bytes(row["line"])
        if auditchain.entry_hash(chain.head, line) != bytes(row["entry"]):
            return broken(position, "the entry hash does not match its line (audit row edited)")
        if note is None or note.id > position:
            return broken(position, f"the event at position {position} is missing from the "
                          "event store (deleted after the fact)")
        if note.id < position:
            return broken(note.id, f"the event at position {note.id} is in the store but not in "
                          "the audit trail (inserted after the fact)")
        reason = recompute_difference(app, note, line)
        if reason:
            return broken(position, reason)
        chain.append(line)
        for cp in signed.get(chain.size, []):
            if bytes(cp["head"]) != chain.head:
                return StoreReport(False, chain.size, position=position, seq=chain.size,
                                   reason=f"checkpoint {cp['id']} does not match the chain")
            if public_key is not None and not _signature_ok(public_key, cp):
                return StoreReport(False, chain.size, position=position, seq=chain.size,
                                   reason=f"checkpoint {cp['id']}: bad signature")
        note = next(notes, None)
    pending = 0
    while note is not None:
        pending += 1
        note = next(notes, None)
    return StoreReport(True, chain.size, pending=pending)


def _signature_ok(public_key: Any, cp: dict[str, Any]) -> bool:
    if cp["key_id"] != auditchain.key_id(public_key):
        return True  # signed by an earlier key: not this key's to judge
    message = auditchain.checkpoint_message(cp["origin"], int(cp["size"]), bytes(cp["head"]))
    try:
        public_key.verify(base64.b64decode(cp["signature"]), message)
    except InvalidSignature:
        return False
    return True

"""The audit trail (projection "audit"): one canonical line per event, chained by SHA-256.

Every event of the log gets one row, in log order: the RFC 8785 line built by
:func:`record_of` (who, for which unit, what, on which object, when, from where, why, and
the event's data with secrets left out) and ``entry = sha256(prev || sha256(line))``. The
chain's previous head is read from the table inside the same transaction, so it continues
across batches, restarts and concurrent runners (a second runner's duplicate row fails on the
primary key and its transaction rolls back).

Fields named in :data:`REDACTED_FIELDS`, or in an event class's ``AUDIT_REDACT`` tuple, never
enter a line (a token's hash; a secret ballot's choice, if an area declares it so): the one
statement of what is secret is ``domain.kernel.redaction``, which the as-of reads use too.

Line versions: a line without ``line_version`` (version 1, written before it existed) binds
what it shows. Version 2 adds ``event_sha256``, the digest of everything the store holds of
the event as the application decodes it (:func:`event_digest`: its originator id, version,
class version, log position and every attribute, metadata and redacted fields included), so
any change to a stored event changes what its line should be. Old lines are never rewritten.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Tracking
from eventsourcing.utils import get_topic

from domain.kernel.base import NAMESPACE
from domain.kernel.redaction import SECRET_FIELDS, secret_fields
from projections import auditchain
from projections.audit_summaries import summarise
from projections.base import BatchProjection

REDACTED_FIELDS = SECRET_FIELDS
META_FIELDS = frozenset({"originator_id", "originator_version", "timestamp", "actor",
                         "originator_topic", "class_version"})
UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
VIETNAM = timezone(timedelta(hours=7))  # no daylight saving: a fixed offset is exact
# Fields of a line that are presentation, not evidence: a later wording may differ.
PRESENTATION = ("summary_vi", "summary_en")
# The line format of new entries (see the module docstring); what version 2 added.
LINE_VERSION = 2
V2_FIELDS = ("line_version", "event_sha256")
# What the event store holds beside an event's state, in its own columns.
STORED_KEYS = frozenset({"originator_id", "originator_version"})


# -- the line -----------------------------------------------------------------------------
_SCALARS = (str, int, bool, type(None))


def jsonable(value: Any) -> Any:
    """``value`` with only str/int/bool/None/list/dict inside (what RFC 8785 lines hold)."""
    if type(value) in _SCALARS:  # the common case first: exact types, no subclass walk
        return value
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [jsonable(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, set | frozenset) else items
    if isinstance(value, datetime):
        return iso_time(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float | Decimal):
        return str(value)  # floats never enter a line as numbers
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


def iso_time(when: datetime) -> str:
    """UTC, microseconds, 'Z': 2024-12-31T17:00:00.000000Z."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    text = when.astimezone(UTC).isoformat(timespec="microseconds")  # ...+00:00
    return text[:-6] + "Z"


def event_id(originator_id: Any, version: int) -> str:
    """uuid5(NAMESPACE, "<originator id>/<version>") as text, computed directly (the uuid
    module's uuid5 builds two UUID objects on the way)."""
    digest = bytearray(hashlib.sha1(_NAMESPACE_BYTES + f"{originator_id}/{version}".encode())
                       .digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


_NAMESPACE_BYTES = NAMESPACE.bytes


@functools.cache
def split_topic(topic: str) -> tuple[str, str]:
    """'thidua:ScoreSheet.Submitted' -> ('ScoreSheet', 'Submitted')."""
    name = topic.split(":", 1)[-1]
    obj, _, action = name.rpartition(".")
    return (obj or name), (action or name)


def redacted(event_class: Any) -> frozenset[str]:
    return secret_fields(event_class)


def _tagged(value: Any) -> Any:
    """A value JSON has no type for, with its type named (json.dumps calls this)."""
    if isinstance(value, datetime):
        return {"_type_": "datetime", "_data_": value.isoformat()}
    if isinstance(value, date):
        return {"_type_": "date", "_data_": value.isoformat()}
    if isinstance(value, time):
        return {"_type_": "time", "_data_": value.isoformat()}
    if isinstance(value, UUID):
        return {"_type_": "uuid", "_data_": value.hex}
    if isinstance(value, Decimal):
        return {"_type_": "decimal", "_data_": str(value)}
    if isinstance(value, bytes | bytearray):
        return {"_type_": "bytes", "_data_": bytes(value).hex()}
    if isinstance(value, set | frozenset):  # in a fixed order, whatever the hash seed
        return {"_type_": "set", "_data_": sorted(typed_json(v) for v in value)}
    kind = type(value)
    return {"_type_": f"{kind.__module__}.{kind.__qualname__}", "_data_": str(value)}


def typed_json(value: Any) -> str:
    """``value`` as JSON text in which every type counts: a date and its ISO text, a UUID
    and its string, 1 and 1.0 and "1" all differ. Sorted keys, ASCII only."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=_tagged)


def event_digest(*, position: int, originator_id: Any, version: int, class_version: int,
                 state: dict[str, Any]) -> str:
    """SHA-256 (hex) of an event as the application decodes it from the store: its log
    position, originator id, version, class version and every attribute of its state."""
    body = {"position": position, "originator_id": str(originator_id), "version": version,
            "class_version": class_version,
            "state": {k: v for k, v in state.items() if k not in STORED_KEYS}}
    return hashlib.sha256(typed_json(body).encode("ascii")).hexdigest()


def build_record(*, position: int, topic: str, originator_id: Any, version: int,
                 class_version: int, state: dict[str, Any],
                 hide: frozenset[str] = REDACTED_FIELDS,
                 line_version: int = LINE_VERSION) -> dict[str, Any]:
    """The audit record of one event, from its state (the event's attributes), in the
    format of ``line_version`` (1: what lines held before version 2)."""
    actor = state.get("actor") or {}
    object_type, action = split_topic(topic)
    data = {k: jsonable(v) for k, v in state.items() if k not in META_FIELDS and k not in hide}
    vi, en = summarise(topic, object_type, action, data)
    timestamp = state.get("timestamp")
    record = {
        "position": position,
        "event_id": event_id(originator_id, version),
        "time": iso_time(timestamp) if isinstance(timestamp, datetime) else jsonable(timestamp),
        "topic": topic,
        "action": action,
        "object_type": object_type,
        "object_id": str(originator_id),
        "version": version,
        "class_version": class_version,
        "actor": {"user_id": actor.get("user_id"), "name": actor.get("user_name"),
                  "role": actor.get("role"), "roles": jsonable(actor.get("roles") or [])},
        "unit": {"id": jsonable(actor.get("unit_id")), "code": actor.get("unit_code")},
        "request_id": actor.get("request_id"),
        "source_address": actor.get("source"),
        "reason": actor.get("reason"),
        "summary_vi": vi,
        "summary_en": en,
        "data": data,
    }
    if line_version >= 2:
        record["line_version"] = line_version
        record["event_sha256"] = event_digest(position=position, originator_id=originator_id,
                                              version=version, class_version=class_version,
                                              state=state)
    return record


def record_of(event: Any, position: int) -> dict[str, Any]:
    """The audit record of a domain event at ``position`` in the log."""
    cls: Any = type(event)
    return build_record(position=position, topic=get_topic(cls),
                        originator_id=event.originator_id, version=event.originator_version,
                        class_version=getattr(cls, "class_version", 1), state=dict(vars(event)),
                        hide=redacted(cls))


def refs_of(record: dict[str, Any]) -> list[str]:
    """Every id the record mentions (object, acting unit, ids in its data): what the
    timeline's unit and group filters match."""
    found = {record["object_id"]}
    if record["unit"]["id"]:
        found.add(str(record["unit"]["id"]))

    def walk(value: Any) -> None:
        if isinstance(value, str) and UUID_RE.fullmatch(value):
            found.add(value)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(record["data"])
    return sorted(found)


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


# -- the projection -----------------------------------------------------------------------
def read_head(curs: Any) -> auditchain.Chain:
    """The chain as the table holds it now (inside the caller's transaction)."""
    curs.execute("SELECT seq, entry FROM audit_entries ORDER BY seq DESC LIMIT 1")
    row = curs.fetchone()
    if row is None:
        return auditchain.Chain()
    return auditchain.Chain(bytes(row["entry"]), int(row["seq"]))


def _own_year(record: dict[str, Any]) -> int | None:
    year = record["data"].get("year")
    return year if isinstance(year, int) and not isinstance(year, bool) else None


def years_of(curs: Any, records: Sequence[dict[str, Any]]) -> list[int]:
    """The working year of each record: the event's own 'year', else its aggregate's (the
    first year any of its events named, kept in audit_years), else the calendar year
    (Vietnam time) in which it happened. Two round trips for the whole batch."""
    ids = list({r["object_id"] for r in records})
    curs.execute("SELECT object_id, year FROM audit_years WHERE object_id = ANY(%s)", (ids,))
    known: dict[str, int] = {row["object_id"]: int(row["year"]) for row in curs.fetchall()}
    learnt: list[tuple[str, int]] = []
    years = []
    for record in records:
        oid, own = record["object_id"], _own_year(record)
        if own is not None:
            if oid not in known:
                known[oid] = own
                learnt.append((oid, own))
            years.append(own)
        elif oid in known:
            years.append(known[oid])
        else:
            years.append(parse_time(record["time"]).astimezone(VIETNAM).year)
    if learnt:  # none of them was known in this transaction: a clash is a second runner's
        # batch, which then fails and rolls back like any other row it would write twice
        curs.executemany("INSERT INTO audit_years (object_id, year) VALUES (%s,%s)", learnt)
    return years


COPY_ENTRIES = (
    "COPY audit_entries (seq, position, recorded_at, year, topic, object_type, object_id, "
    "actor_id, actor_name, unit_id, refs, line, entry) FROM STDIN")
ENTRY_TYPES = ("int8", "int8", "timestamptz", "int4", "text", "text", "text", "text", "text",
               "text", "text[]", "bytea", "bytea")


def entry_row(chain: auditchain.Chain, record: dict[str, Any], year: int) -> tuple[Any, ...]:
    """Append the record's line to the chain; the audit_entries row that stores it."""
    line = auditchain.canonical_line(record)
    entry = chain.append(line)
    return (chain.size, record["position"], parse_time(record["time"]), year,
            record["topic"], record["object_type"], record["object_id"],
            record["actor"]["user_id"], record["actor"]["name"], record["unit"]["id"],
            refs_of(record), line, entry)


class AuditProjection(BatchProjection):
    """Audit trail: a row for every event (no topic filter), chained in log order."""

    name = "audit"
    # Set by web.bootstrap (through web.resources.audit.install): signs the day's first
    # checkpoint inside the projection's transaction. None in scratch rebuilds.
    signer: Any = None

    def apply(self, curs: Any, event: Any, position: int) -> None:
        self.write(curs, [(event, position)])

    def apply_batch(self, events: Sequence[tuple[Any, int]], tracking: Tracking) -> None:
        with self.view.datastore.transaction(commit=True) as curs:
            self.write(curs, events)
            self.view._insert_tracking(curs, tracking)  # noqa: SLF001 (the library's own seam)

    def write(self, curs: Any, events: Sequence[tuple[Any, int]]) -> None:
        """Chain ``events`` on from the table's head and store their rows (one COPY)."""
        if not events:
            return
        chain = read_head(curs)
        if self.signer is not None:
            self.signer.daily(curs, chain)
        records = [record_of(event, position) for event, position in events]
        years = years_of(curs, records)
        with curs.copy(COPY_ENTRIES) as copy:
            copy.set_types(ENTRY_TYPES)
            for record, year in zip(records, years, strict=True):
                copy.write_row(entry_row(chain, record, year))


# -- checkpoints ----------------------------------------------------------------------------
def checkpoint_row(row: dict[str, Any]) -> dict[str, Any]:
    """A stored checkpoint in the export form of auditchain.sign_checkpoint."""
    return {"origin": row["origin"], "size": int(row["size"]), "head": bytes(row["head"]).hex(),
            "signature": row["signature"], "key_id": row["key_id"],
            "signed_at": row["signed_at"].astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")}


class Signer:
    """Signs checkpoints with the key in ``key_path`` (created on first use, never in the
    database)."""

    def __init__(self, key_path: Any, origin: str,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.key_path = key_path
        self.origin = origin
        self.clock = clock
        self._key: Any = None

    @property
    def key(self) -> Any:
        if self._key is None:
            self._key = auditchain.load_or_create_signing_key(self.key_path)
        return self._key

    @property
    def key_id(self) -> str:
        return auditchain.key_id(self.key.public_key())

    def public_key_pem(self) -> bytes:
        return auditchain.public_key_pem(self.key)

    def sign(self, curs: Any, chain: auditchain.Chain, reason: str) -> dict[str, Any]:
        now = self.clock().astimezone(UTC).replace(microsecond=0)
        cp = auditchain.sign_checkpoint(self.key, self.origin, chain.size, chain.head, now)
        curs.execute("INSERT INTO audit_checkpoints (origin, size, head, signature, key_id, "
                     "signed_at, reason) VALUES (%s,%s,%s,%s,%s,%s,%s)",
                     (cp["origin"], cp["size"], chain.head, cp["signature"], cp["key_id"], now,
                      reason))
        return {**cp, "reason": reason}

    def latest(self, curs: Any) -> dict[str, Any] | None:
        curs.execute("SELECT * FROM audit_checkpoints WHERE key_id=%s ORDER BY size DESC, "
                     "id DESC LIMIT 1", (self.key_id,))
        return curs.fetchone()  # type: ignore[no-any-return]

    def daily(self, curs: Any, chain: auditchain.Chain) -> None:
        """Before the first entries of a new day (Vietnam time), sign the chain as it stood
        at the end of the previous one."""
        if chain.size == 0:
            return
        last = self.latest(curs)
        today = self.clock().astimezone(VIETNAM).date()
        if last is None or (int(last["size"]) < chain.size
                            and last["signed_at"].astimezone(VIETNAM).date() < today):
            self.sign(curs, chain, "daily")

    def checkpoint(self, conn: Any, reason: str, *, force: bool = False) -> dict[str, Any]:
        """Sign the current head (on demand, or for an export); reuse the latest checkpoint
        when it already covers the head, unless ``force``."""
        with conn.transaction(), conn.cursor(row_factory=_dict_row()) as curs:
            curs.execute("LOCK TABLE audit_checkpoints IN SHARE ROW EXCLUSIVE MODE")
            chain = read_head(curs)
            last = self.latest(curs)
            if (not force and last is not None and int(last["size"]) == chain.size
                    and bytes(last["head"]) == chain.head):
                return {**checkpoint_row(last), "reason": last["reason"]}
            return self.sign(curs, chain, reason)

    def checkpoint_at(self, conn: Any, size: int, reason: str) -> dict[str, Any]:
        """A checkpoint at an earlier ``size`` (the end of a partial export)."""
        with conn.transaction(), conn.cursor(row_factory=_dict_row()) as curs:
            curs.execute("SELECT * FROM audit_checkpoints WHERE key_id=%s AND size=%s "
                         "ORDER BY id DESC LIMIT 1", (self.key_id, size))
            row = curs.fetchone()
            if row is not None:
                return {**checkpoint_row(row), "reason": row["reason"]}
            if size == 0:
                return self.sign(curs, auditchain.Chain(), reason)
            curs.execute("SELECT entry FROM audit_entries WHERE seq=%s", (size,))
            entry = curs.fetchone()
            if entry is None:
                raise ValueError(f"the audit trail has no entry {size}")
            return self.sign(curs, auditchain.Chain(bytes(entry["entry"]), size), reason)


def _dict_row() -> Any:
    from psycopg.rows import dict_row

    return dict_row


def checkpoints(conn: Any, key_id: str | None = None) -> list[dict[str, Any]]:
    """Stored checkpoints (of one key, if given), by size."""
    with conn.cursor(row_factory=_dict_row()) as curs:
        curs.execute("SELECT * FROM audit_checkpoints WHERE (%s::text IS NULL OR key_id=%s) "
                     "ORDER BY size, id", (key_id, key_id))
        return [{**checkpoint_row(r), "reason": r["reason"]} for r in curs.fetchall()]


# -- denied attempts ------------------------------------------------------------------------
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
    with conn.transaction(), conn.cursor(row_factory=_dict_row()) as curs:
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
    with conn.transaction(), conn.cursor(row_factory=_dict_row()) as curs:
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
    with conn.transaction(), conn.cursor(name="denied_verify", row_factory=_dict_row()) as cur:
        cur.execute("SELECT seq, line, entry FROM denied_attempts ORDER BY seq")
        for row in cur:
            if row["seq"] != chain.size + 1:
                return False, chain.size, f"row {chain.size + 1} is missing"
            chain.append(bytes(row["line"]))
            if chain.head != bytes(row["entry"]):
                return False, chain.size, f"row {chain.size}: hash mismatch (edited)"
    return True, chain.size, None


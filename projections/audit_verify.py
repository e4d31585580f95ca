"""The audit trail against the event store (``flask audit verify --against-store``).

What a verification rests on, and says it does:

- the audit table's own chain: consecutive entries, each entry the hash of its line;
- the stored events: every line recomputed from the event at its log position (decoded as
  stored, upcast only to the class version the line recorded), and every event of the store
  up to the trail's head present in the trail, once, at its own position;
- the signed checkpoints in the database: each signed by a known key (the configured one,
  or earlier ones handed in) and equal to the recomputed chain at its size;
- checkpoints held outside the database (``--anchor``), checked the same way: the only
  thing a forger with database access but without the signing key cannot rewrite;
- the snapshots beside the log: each the state its record's events give at its version
  (the application reads a snapshot instead of those events, so an edited one would show
  what no event says).

A trail with no checkpoint at all verifies as UNANCHORED, not OK: nothing signed vouches
for it, so events and trail could have been rewritten together.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, cast

import psycopg
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic, resolve_topic
from psycopg.rows import dict_row
from psycopg.sql import SQL, Identifier

from projections import auditchain, verifier
from projections.audit import LINE_VERSION, PRESENTATION, build_record, redacted, typed_json
from projections.queries_audit import iter_entries

OK, UNANCHORED, BROKEN = "OK", "UNANCHORED", "BROKEN"
# Exit status of `flask audit verify` (2 is a wrong command line, as for every command).
EXIT = {OK: 0, BROKEN: 1, UNANCHORED: 3}
HIDDEN = ("a value's type, the actor's details, the aggregate's class, a redacted field or "
          "the class version")


@dataclass
class StoreReport:
    status: str
    entries: int
    pending: int = 0  # events not yet in the trail (the projection is behind)
    position: int | None = None
    seq: int | None = None
    reason: str | None = None
    checkpoints: int = 0  # checkpoints in the database found signed and matching
    signed_at: int | None = None  # the largest size among them
    anchors: int = 0  # checkpoints held outside found signed and matching
    anchored_at: int | None = None
    signers: tuple[str, ...] = ()  # the key ids of the checkpoints that vouch

    @property
    def ok(self) -> bool:
        return self.status == OK

    @property
    def broken(self) -> bool:
        return self.status == BROKEN

    @property
    def exit_code(self) -> int:
        return EXIT[self.status]

    def __str__(self) -> str:
        if self.broken:
            if self.position is None:
                return f"BROKEN: {self.reason}"
            entry = "" if self.seq is None else f" (entry {self.seq})"
            return f"BROKEN at position {self.position}{entry}: {self.reason}"
        text = f"{self.entries} audit entries match the stored events"
        if self.pending:
            text += f"; {self.pending} newer events not yet projected"
        if self.status == UNANCHORED:
            why = self.reason or "no signed checkpoint in the database and no --anchor"
            return (f"UNANCHORED: {text}, but nothing signed vouches for them ({why}): whoever "
                    "can write to the database could have rewritten events and trail "
                    "together. Sign a checkpoint (flask audit checkpoint --out FILE), keep the "
                    "file outside the database and verify with --anchor FILE.")
        rests = []
        if self.checkpoints:
            rests.append(f"{self.checkpoints} checkpoint(s) in the database signed by key "
                         f"{', '.join(self.signers)}, the latest at size {self.signed_at}")
        if self.anchors:
            rests.append(f"{self.anchors} checkpoint(s) held outside, the latest at size "
                         f"{self.anchored_at}")
        if rests:
            text += "; rests on " + " and ".join(rests)
        covered = max(self.signed_at or 0, self.anchored_at or 0)
        if covered < self.entries:
            text += (f"; entries {covered + 1}..{self.entries} rest on the database alone "
                     "until a checkpoint covers them")
        return f"OK: {text}"


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
    line_version = stored.get("line_version", 1)
    if line_version not in range(1, LINE_VERSION + 1):
        return f"the audit line has format version {line_version!r}, unknown to this release"
    target = stored.get("class_version", 1)
    try:
        cls: Any = resolve_topic(note.topic)
    except Exception:
        cls = None
    # A topic the class is now registered under and the one it was stored under both name
    # the same event (a class renamed later keeps its old topic as an alias).
    topic = note.topic
    if cls is not None and stored.get("topic") == get_topic(cls):
        topic = stored["topic"]
    try:
        state = decode_state(app.mapper, note.state)
        version = state.pop("class_version", 1)
        if not isinstance(version, int) or isinstance(version, bool) or version > target:
            return (f"the stored event says class version {version!r}, but its audit line "
                    f"recorded version {target} (edited after the fact)")
        while version < target and cls is not None:
            getattr(cls, f"upcast_v{version}_v{version + 1}")(state)
            version += 1
        again = build_record(position=note.id, topic=topic, originator_id=note.originator_id,
                             version=note.originator_version, class_version=target,
                             state=state, hide=redacted(cls), line_version=line_version)
    except Exception as e:
        return f"the stored event cannot be read: {type(e).__name__}: {e}"
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
    if changed == ["event_sha256"]:
        return ("the stored event differs from what the audit trail recorded, in what its "
                f"line does not show ({HIDDEN}) (edited after the fact)")
    shown = [k for k in changed if k != "event_sha256"]
    return ("the stored event differs from what the audit trail recorded, in "
            f"{', '.join(shown)} (edited after the fact)")


def _notifications(app: Any, batch: int = 1000) -> Iterator[Any]:
    """Every stored event by notification id, from the lowest (ids below 1 included)."""
    start: int | None = None
    while True:
        rows = app.recorder.select_notifications(start=start, limit=batch)
        yield from rows
        if len(rows) < batch:
            return
        start = rows[-1].id + 1


def _tracked(conn: psycopg.Connection[Any], app_name: str) -> int:
    """The log position the audit projection has recorded as passed."""
    row = conn.execute(SQL("SELECT max(notification_id) FROM {} WHERE application_name = %s")
                       .format(Identifier("audit_tracking")), (app_name,)).fetchone()
    return int(row[0] or 0) if row else 0


def _signed_by(keys: dict[str, Any], cp: Any) -> bool:
    key = keys.get(cp.key_id)
    if key is None and not cp.key_id:  # an anchor written without its key id
        return any(verifier.signed(k, cp) for k in keys.values())
    return key is not None and verifier.signed(key, cp)


def _stored_checkpoints(conn: psycopg.Connection[Any]) -> list[tuple[int, Any]]:
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute("SELECT * FROM audit_checkpoints ORDER BY size, id")
        rows = cur.fetchall()
    out = []
    for row in rows:
        signed_at = row["signed_at"].strftime("%Y-%m-%dT%H:%M:%SZ")
        try:
            signature = base64.b64decode(row["signature"], validate=True)
        except binascii.Error:
            signature = b""
        out.append((int(row["id"]), verifier.Checkpoint(
            row["origin"], int(row["size"]), bytes(row["head"]), signature, row["key_id"],
            signed_at)))
    return out


def snapshot_difference(app: Any, conn: psycopg.Connection[Any]) -> str | None:
    """Why a stored snapshot is not the state its record's events give at its version
    (None when every one is): each record rebuilt from its events alone, once."""
    store = getattr(app, "snapshots", None)
    if store is None:
        return None
    table = SQL("{}.{}").format(Identifier(store.recorder.datastore.schema),
                                Identifier(store.recorder.events_table_name))
    rows = conn.execute(SQL("SELECT originator_id, originator_version, topic, state FROM {} "
                            "ORDER BY originator_id, originator_version").format(table))
    by_record: dict[Any, list[StoredEvent]] = {}
    for oid, version, topic, state in rows.fetchall():
        by_record.setdefault(oid, []).append(StoredEvent(
            originator_id=oid, originator_version=version, topic=topic, state=bytes(state)))
    for oid, snapshots in by_record.items():
        events = iter(app.events.get(oid))
        aggregate: Any = None
        for stored in snapshots:
            where = f"the snapshot of record {oid} at version {stored.originator_version}"
            try:
                while aggregate is None or aggregate.version < stored.originator_version:
                    event = next(events, None)
                    if event is None:
                        return f"{where} is beyond the record's last event (forged)"
                    aggregate = event.mutate(aggregate)
                taken = getattr(type(aggregate), "Snapshot", type(app).snapshot_class)
                expected = taken.take(aggregate)
                found = store.mapper.to_domain_event(stored)
                same = (found.topic == expected.topic
                        and typed_json(found.state) == typed_json(expected.state))
            except Exception as e:
                return f"{where} cannot be checked: {type(e).__name__}: {e}"
            if not same:
                return (f"{where} is not the state its events give (edited after the fact): "
                        "the application shows the snapshot, not the events")
    return None


def _unsigned(stored: list[tuple[int, Any]], anchors: Sequence[Any],
              keys: dict[str, Any]) -> str | None:
    """The first checkpoint (in the database, then held outside) that no known key signed."""
    for number, cp in stored if keys else ():
        where = f"checkpoint {number} at size {cp.size} (signed {cp.signed_at})"
        if cp.key_id not in keys:
            return (f"{where} names key {cp.key_id}, which is not a known key "
                    f"({', '.join(keys)}): it was not signed by this system")
        if not _signed_by(keys, cp):
            return f"{where}: bad signature (forged or edited)"
    for held in anchors:
        if not _signed_by(keys, held):
            return (f"anchor {held.named()} is not signed by a known key "
                    f"({', '.join(keys) or 'none given'})")
    return None


def _changed(again: dict[str, Any], stored: dict[str, Any]) -> list[str]:
    return [k for k in sorted(set(again) | set(stored))
            if k not in PRESENTATION and again.get(k) != stored.get(k)]


def verify_store(app: Any, conn: psycopg.Connection[Any], public_key: Any | None = None, *,
                 known_keys: Sequence[Any] = (), anchors: Sequence[Any] = (),
                 progress: Callable[[int, int], None] | None = None) -> StoreReport:
    """Check the audit table's chain, its checkpoints (signed by ``public_key`` or one of
    ``known_keys``) and the checkpoints ``anchors`` held outside (verifier.load_anchor), and
    recompute every line from the stored events; name the first problem. ``progress(log
    position reached, position of the trail's head)`` is told as it goes."""
    keys = {auditchain.key_id(k): k for k in ([public_key] if public_key else []) + list(
        known_keys)}
    report = StoreReport(OK, 0)
    chain = auditchain.Chain()

    def broken(position: int | None, seq: int | None, reason: str) -> StoreReport:
        report.status, report.position, report.seq, report.reason = (
            BROKEN, position, seq, reason)
        report.entries = chain.size
        return report

    stored = _stored_checkpoints(conn)
    reason = _unsigned(stored, anchors, keys)
    if reason:
        return broken(None, None, reason)
    at_size: dict[int, list[tuple[str, Any]]] = {}
    for number, cp in stored:
        at_size.setdefault(cp.size, []).append((f"checkpoint {number}", cp))
    for held in anchors:
        at_size.setdefault(held.size, []).append((f"anchor {held.named()}", held))
    for name, cp in at_size.get(0, ()):  # the empty trail (an export of nothing): no vouching
        if cp.head != auditchain.GENESIS:
            return broken(None, None, f"{name} does not match the empty chain at size 0")

    def vouched(name: str, cp: Any) -> None:
        if name.startswith("anchor"):
            report.anchors += 1
            report.anchored_at = cp.size
        elif keys:
            report.checkpoints += 1
            report.signed_at = cp.size
            report.signers = tuple(dict.fromkeys((*report.signers, cp.key_id)))

    tracked = _tracked(conn, app.name)
    notes = _notifications(app)
    note = next(notes, None)
    position = 0
    entries = cast(Generator[dict[str, Any], None, None], iter_entries(conn))
    with contextlib.closing(entries) as rows:
        for row in rows:
            position, seq = int(row["position"]), chain.size + 1
            if progress is not None and not seq & 0xFFF:  # every 4,096 entries
                progress(position, max(tracked, position))
            if row["seq"] != seq:
                return broken(position, seq, f"entry {seq} is missing from the audit table")
            line = bytes(row["line"])
            if auditchain.entry_hash(chain.head, line) != bytes(row["entry"]):
                return broken(position, seq, "the entry hash does not match its line (audit "
                              "row edited)")
            if note is not None and note.id < position:
                return broken(note.id, seq, f"the event at position {note.id} is in the event "
                              "store but not in the audit trail, which had already passed "
                              "that position (inserted after the fact)")
            if note is None or note.id > position:
                return broken(position, seq, f"the event at position {position} is missing "
                              "from the event store (deleted after the fact)")
            reason = recompute_difference(app, note, line)
            if reason:
                return broken(position, seq, reason)
            chain.append(line)
            for name, cp in at_size.get(chain.size, ()):
                if cp.head != chain.head:
                    return broken(position, seq, f"{name} does not match the chain at size "
                                  f"{cp.size}: the trail was rewritten at or before this entry")
                vouched(name, cp)
            note = next(notes, None)
    report.entries = chain.size
    head = max(tracked, position)
    if progress is not None:
        progress(head, head)
    if note is not None and note.id <= head:
        return broken(note.id, None, f"the event at position {note.id} is in the event store "
                      f"but not in the audit trail, which had already passed that position "
                      f"(its head is {head}; inserted after the fact)")
    beyond = [(name, cp) for size, found in sorted(at_size.items()) if size > chain.size
              for name, cp in found]
    if beyond:
        name, cp = beyond[0]
        return broken(None, None, f"{name} covers size {cp.size}, beyond the trail's "
                      f"{chain.size} entries: entries were deleted from the end of the trail")
    while note is not None:
        report.pending += 1
        note = next(notes, None)
    reason = snapshot_difference(app, conn)
    if reason:
        return broken(None, None, reason)
    if chain.size and not (report.checkpoints or report.anchors):
        report.status = UNANCHORED
        if stored and not keys:
            report.reason = "no public key was given to check the checkpoints"
    return report

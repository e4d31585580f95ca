"""The audit trail (projection "audit"): one canonical line per event, chained by SHA-256.

Every event of the log gets one row, in log order: the RFC 8785 line of its record
(projections/audit_record.py) and ``entry = sha256(prev || sha256(line))``. The chain's
previous head is read from the table inside the same transaction, so it continues across
batches, restarts and concurrent runners (a second runner's duplicate row fails on the
primary key and its transaction rolls back). Checkpoints that sign the chain are in
projections/audit_checkpoints.py; the chain of refused requests in projections/audit_denied.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import Tracking

from projections import auditchain
from projections.audit_record import VIETNAM, parse_time, record_of, refs_of
from projections.base import BatchProjection


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


# Binary: the line and entry go as they are, not as hex text the server decodes again
COPY_ENTRIES = (
    "COPY audit_entries (seq, position, recorded_at, year, topic, object_type, object_id, "
    "actor_id, actor_name, unit_id, refs, line, entry) FROM STDIN (FORMAT BINARY)")
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

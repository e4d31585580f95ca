"""Signed checkpoints of the audit trail: Ed25519 over (size, head hash), made on demand,
daily (inside the projection's transaction) and at every export. The private key lives in a
file outside the database; its public key is what inspectors hold."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from projections import auditchain
from projections.audit import read_head
from projections.audit_record import VIETNAM


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
        with conn.transaction(), conn.cursor(row_factory=dict_rows()) as curs:
            curs.execute("LOCK TABLE audit_checkpoints IN SHARE ROW EXCLUSIVE MODE")
            chain = read_head(curs)
            last = self.latest(curs)
            if (not force and last is not None and int(last["size"]) == chain.size
                    and bytes(last["head"]) == chain.head):
                return {**checkpoint_row(last), "reason": last["reason"]}
            return self.sign(curs, chain, reason)

    def checkpoint_at(self, conn: Any, size: int, reason: str) -> dict[str, Any]:
        """A checkpoint at an earlier ``size`` (the end of a partial export)."""
        with conn.transaction(), conn.cursor(row_factory=dict_rows()) as curs:
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


def dict_rows() -> Any:
    from psycopg.rows import dict_row

    return dict_row


def checkpoints(conn: Any, key_id: str | None = None) -> list[dict[str, Any]]:
    """Stored checkpoints (of one key, if given), by size."""
    with conn.cursor(row_factory=dict_rows()) as curs:
        curs.execute("SELECT * FROM audit_checkpoints WHERE (%s::text IS NULL OR key_id=%s) "
                     "ORDER BY size, id", (key_id, key_id))
        return [{**checkpoint_row(r), "reason": r["reason"]} for r in curs.fetchall()]

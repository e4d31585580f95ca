"""The keys that seal secret ballots: one per election, kept OUTSIDE the event log and
destroyed once the election is declared or annulled (docs/decisions.md, "Secret ballots").

Until then the server can open the ballots (it must, to count them); afterwards nobody can,
so the sealed ballots in the exported log can never be linked to their choices.
"""

from __future__ import annotations

import threading
from typing import Any, Protocol

from domain.elections.ballots import new_ballot_key

TABLE = """
CREATE TABLE IF NOT EXISTS thidua_ballot_keys (
    election_id uuid PRIMARY KEY,
    key bytea NOT NULL
)"""


class BallotKeys(Protocol):
    def key_for(self, election_id: str) -> bytes:
        """The election's key, made on first use."""

    def existing(self, election_id: str) -> bytes | None: ...

    def shred(self, *election_ids: str) -> None: ...


class MemoryBallotKeys:
    """For an in-memory event store (tests of the domain alone)."""

    def __init__(self) -> None:
        self._keys: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def key_for(self, election_id: str) -> bytes:
        with self._lock:
            return self._keys.setdefault(election_id, new_ballot_key())

    def existing(self, election_id: str) -> bytes | None:
        return self._keys.get(election_id)

    def shred(self, *election_ids: str) -> None:
        with self._lock:
            for e in election_ids:
                self._keys.pop(e, None)


class PostgresBallotKeys:
    """A small table beside the event tables (same database, same schema as the events,
    never exported, never projected)."""

    def __init__(self, datastore: Any) -> None:
        self.datastore = datastore
        self._ready = False
        self._lock = threading.Lock()

    def _ensure(self) -> None:
        if self._ready:
            return
        with self._lock:
            if self._ready:
                return
            with self.datastore.transaction(commit=True) as curs:
                curs.execute("SELECT pg_advisory_xact_lock(7343287221)")
                curs.execute(TABLE)
            self._ready = True

    def key_for(self, election_id: str) -> bytes:
        self._ensure()
        with self.datastore.transaction(commit=True) as curs:
            curs.execute("INSERT INTO thidua_ballot_keys (election_id, key) VALUES (%s, %s) "
                         "ON CONFLICT (election_id) DO NOTHING", (election_id, new_ballot_key()))
            curs.execute("SELECT key FROM thidua_ballot_keys WHERE election_id = %s",
                         (election_id,))
            return bytes(curs.fetchone()["key"])

    def existing(self, election_id: str) -> bytes | None:
        self._ensure()
        with self.datastore.transaction(commit=False) as curs:
            curs.execute("SELECT key FROM thidua_ballot_keys WHERE election_id = %s",
                         (election_id,))
            row = curs.fetchone()
        return bytes(row["key"]) if row else None

    def shred(self, *election_ids: str) -> None:
        if not election_ids:
            return
        self._ensure()
        with self.datastore.transaction(commit=True) as curs:
            curs.execute("DELETE FROM thidua_ballot_keys WHERE election_id = ANY(%s::uuid[])",
                         (list(election_ids),))


def ballot_keys_for(recorder: Any) -> BallotKeys:
    datastore = getattr(recorder, "datastore", None)
    if datastore is not None and hasattr(datastore, "transaction"):
        return PostgresBallotKeys(datastore)
    return MemoryBallotKeys()

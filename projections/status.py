"""Which views are stalled, and on what. The runner keeps it in ``projection_status`` (in
the views schema, beside the views), so the API processes see a stall wherever the
projections run; ``/health`` reads it."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

import psycopg

MESSAGE_MAX = 300
COLUMNS = ("projection", "position", "topic", "originator_id", "error_type", "error", "since",
           "attempts", "last_attempt", "next_attempt")


@dataclass(frozen=True)
class Stall:
    """A view that cannot apply the event at ``position`` (None: not narrowed to one)."""

    projection: str
    position: int | None
    topic: str | None
    originator_id: str | None
    error_type: str
    error: str
    since: datetime
    attempts: int
    last_attempt: datetime
    next_attempt: datetime | None

    def public(self) -> dict[str, Any]:
        """What /health shows (no traceback, no row values)."""
        found = asdict(self)
        del found["projection"]
        for key in ("since", "last_attempt", "next_attempt"):
            if found[key] is not None:
                found[key] = found[key].isoformat()
        return found


def describe(error: BaseException) -> tuple[str, str]:
    """The error's type and one line about it that may be shown without a token: for a
    database error PostgreSQL's primary message (its DETAIL repeats the row's values)."""
    found: BaseException | None = error
    while found is not None and not isinstance(found, psycopg.Error):
        found = found.__cause__ or found.__context__
    if found is not None and isinstance(found, psycopg.Error) and found.diag.message_primary:
        return type(found).__name__, found.diag.message_primary[:MESSAGE_MAX]
    lines = str(error).strip().splitlines()
    return type(error).__name__, (lines[0] if lines else "")[:MESSAGE_MAX]


def save(curs: Any, stall: Stall) -> None:
    values = asdict(stall)
    curs.execute(
        f"INSERT INTO projection_status ({', '.join(COLUMNS)}) VALUES "
        f"({', '.join('%s' for _ in COLUMNS)}) ON CONFLICT (projection) DO UPDATE SET "
        + ", ".join(f"{c} = EXCLUDED.{c}" for c in COLUMNS[1:]),
        [values[c] for c in COLUMNS])


def clear(curs: Any, projection: str) -> None:
    curs.execute("DELETE FROM projection_status WHERE projection = %s", (projection,))


def load(curs: Any) -> dict[str, Stall]:
    """Every recorded stall, by projection (``curs`` returns rows as dicts)."""
    curs.execute(f"SELECT {', '.join(COLUMNS)} FROM projection_status")
    return {row["projection"]: Stall(**{c: row[c] for c in COLUMNS}) for row in curs.fetchall()}

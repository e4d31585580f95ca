"""The audit trail's web side: wiring the checkpoint signer, and recording refused requests."""

from __future__ import annotations

import logging
from typing import Any

from flask import current_app, g, request
from psycopg.rows import dict_row

from domain.kernel.errors import DomainError
from domain.users.accounts import TOKEN_PREFIX, token_hash, token_id
from projections.audit_checkpoints import Signer, checkpoint_row
from projections.audit_denied import count_dropped, record_denied

log = logging.getLogger(__name__)


def install(services: Any) -> Any:
    """Give the audit projection its signer (daily checkpoints) and return what the health
    endpoint calls for the last checkpoint."""
    settings = services.settings
    signer = Signer(settings.signing_key_path, settings.audit_origin)
    services.extra["audit_signer"] = signer
    audit = services.projections.get("audit")
    if audit is not None:
        audit.signer = signer

    def last_checkpoint(conn: Any = None) -> dict[str, Any] | None:
        if conn is None:
            with services.reads.connection() as conn:
                return last_checkpoint(conn)
        with conn.cursor(row_factory=dict_row) as cur:
            cur.execute("SELECT * FROM audit_checkpoints ORDER BY id DESC LIMIT 1")
            row = cur.fetchone()
        return None if row is None else {**checkpoint_row(row), "reason": row["reason"]}

    return last_checkpoint


def denied(error: DomainError, status: int) -> None:
    """Record a refused request (401/403, or 429 for a failed login past the limit) in the
    denied-attempts stream: who tried what, when, from where. Never fails the response."""
    try:
        who = g.get("actor")
        secret = request.headers.get("Authorization", "").partition(" ")[2].strip()
        token = (str(token_id(token_hash(secret)))
                 if secret.startswith(TOKEN_PREFIX) and len(secret) <= 200 else None)
        record = {
            "status": status, "rule": error.rule, "message": error.message[:300],
            "method": request.method, "path": request.path[:500],
            "endpoint": request.endpoint,
            "user_id": who.user_id if who else None, "user_name": who.user_name if who else None,
            "roles": list(who.roles) if who else [], "unit_code": who.unit_code if who else None,
            "token_id": token, "request_id": g.get("request_id"),
            "source_address": request.remote_addr,
            "user_agent": (request.user_agent.string or "")[:200],
        }
        services = current_app.extensions["thidua"]
        with services.reads.connection() as conn:
            record_denied(conn, record, now=services.app.now())
    except Exception:  # recording must never turn a 401/403 into a 500
        log.warning("could not record a denied attempt", exc_info=True)


def count_denied() -> None:
    """Write the count rows of the minutes over whose refusals were only counted, so a read
    of the denied stream shows them without waiting for the next refusal."""
    services = current_app.extensions["thidua"]
    with services.reads.connection() as conn:
        count_dropped(conn, now=services.app.now())

"""Idempotency-Key: a retried write returns the first answer and records nothing twice.

The first request with a key stores its answer here; a retry with the same key and the same
request gets that answer back (`Idempotent-Replayed: true`); the same key with a different
request is a 422. The event store itself refuses a second application of the same key (see
domain/kernel/idempotency.py), so even a crash between the write and this table loses nothing and
doubles nothing.

A secret is never stored: an answer that carries one (a new token's) is marked with
:func:`shows_secret`, goes out with `Cache-Control: no-store`, and is kept without the
secret, so a retry gets the rest of the answer and a note saying the secret was shown once.
The fingerprint that ties a key to its request is an HMAC keyed with a secret of the
installation (derived from the audit signing key), never a plain hash of the body: the
fingerprint is also recorded in the event store beside the act, and a plain hash of a
secret ballot's body would tell anyone who can read the trail which candidate was chosen
(hash each candidate's body and compare).
Keys are forgotten after THIDUA_IDEMPOTENCY_DAYS (pruned now and then by the requests that
claim new ones); a retry after that is refused by the event store (409), never applied twice.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import threading
import time
from dataclasses import replace
from typing import Any

from flask import Flask, Response, current_app, g, request
from psycopg.types.json import Jsonb

from web.extensions.errors import respond

KEY = re.compile(r"[\x21-\x7e]{1,200}")  # the whole header: fullmatch
WRITES = {"POST", "PUT", "PATCH", "DELETE"}
ABANDONED_AFTER = "30 seconds"
# A process prunes expired keys at most this often (seconds), when it claims a key.
PRUNE_EVERY = 60.0

TABLE = """
CREATE TABLE IF NOT EXISTS public.thidua_idempotency (
    user_id text NOT NULL,
    key text NOT NULL,
    fingerprint text NOT NULL,
    status integer,
    body jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, key)
)"""
INDEX = """
CREATE INDEX IF NOT EXISTS thidua_idempotency_created ON public.thidua_idempotency (created_at)
"""


def create_table(pool: Any) -> None:
    with pool.connection() as conn:
        conn.execute(TABLE)
        conn.execute(INDEX)


def shows_secret(*fields: str, note: str) -> None:
    """This request's answer carries a secret in ``fields``: it must not be cached, and it is
    stored for a retry without them, with ``note`` in their place."""
    g.secret_fields = (fields, note)


def fingerprint_key(services: Any) -> bytes:
    """The installation's secret for request fingerprints: derived from the audit signing
    key (one secret to keep, the same in every process), computed once per process."""
    key = services.extra.get("fingerprint_key")
    if key is None:
        from cryptography.hazmat.primitives import serialization

        from projections.auditchain import load_or_create_signing_key

        private = load_or_create_signing_key(services.settings.signing_key_path)
        raw = private.private_bytes(serialization.Encoding.Raw,
                                    serialization.PrivateFormat.Raw,
                                    serialization.NoEncryption())
        key = hashlib.sha256(b"thidua idempotency fingerprint v1\0" + raw).digest()
        services.extra["fingerprint_key"] = key
    return bytes(key)


def fingerprint(key: bytes) -> str:
    """HMAC-SHA256 of the method, the path with its query and the body."""
    digest = hmac.new(key, digestmod=hashlib.sha256)
    for part in (request.method, request.full_path):
        digest.update(part.encode())
        digest.update(b"\0")
    digest.update(request.get_data(cache=True))
    return digest.hexdigest()


class Pruner:
    """Per process: when expired keys were last deleted."""

    def __init__(self, every: float = PRUNE_EVERY) -> None:
        self.every = every
        self.last: float | None = None
        self.lock = threading.Lock()

    def due(self) -> bool:
        now = time.monotonic()
        with self.lock:
            if self.last is not None and now - self.last < self.every:
                return False
            self.last = now
            return True


def prune(conn: Any, days: int) -> int:
    """Forget the keys claimed more than ``days`` days ago; return how many."""
    return conn.execute("DELETE FROM public.thidua_idempotency WHERE created_at < now() - "
                        "make_interval(days => %s)", (days,)).rowcount


def install(app: Flask) -> None:
    pruner = Pruner()

    @app.before_request
    def claim() -> Response | None:
        key = request.headers.get("Idempotency-Key")
        if key is None or request.method not in WRITES or "actor" not in g:
            return None
        if not KEY.fullmatch(key):
            return respond(422, "Idempotency-Key must be 1–200 visible ASCII characters.",
                           {"Idempotency-Key": ["1–200 visible ASCII characters"]},
                           rule="idempotency_key_format")
        services = current_app.extensions["thidua"]
        user, print_ = g.actor.user_id, fingerprint(fingerprint_key(services))
        pool = services.reads
        with pool.connection() as conn:
            if pruner.due():
                prune(conn, services.settings.idempotency_days)
            claimed = conn.execute(
                "INSERT INTO public.thidua_idempotency (user_id, key, fingerprint) "
                "VALUES (%s, %s, %s) ON CONFLICT DO NOTHING RETURNING 1",
                (user, key, print_)).fetchone()
            if not claimed:
                row = conn.execute(
                    "SELECT fingerprint, status, body, created_at < now() - %s::interval "
                    "FROM public.thidua_idempotency WHERE user_id = %s AND key = %s",
                    (ABANDONED_AFTER, user, key)).fetchone()
                if row is None:  # removed meanwhile (its request failed): claim it again
                    return claim()
                stored_print, status, body, abandoned = row
                if stored_print != print_:
                    return respond(422, "This Idempotency-Key was used for a different "
                                   "request; use a new key for a new request.",
                                   {"Idempotency-Key": ["used for a different request"]},
                                   rule="idempotency_key_reused")
                if status is not None:
                    response = current_app.response_class(
                        json.dumps(body, ensure_ascii=False), status=status,
                        mimetype="application/json")
                    response.headers["Idempotent-Replayed"] = "true"
                    return response
                if not abandoned:
                    return respond(409, "The first request with this Idempotency-Key is still "
                                   "being processed; retry shortly.",
                                   headers={"Retry-After": "1"}, rule="idempotency_in_progress")
        g.idempotency = (user, key)
        g.actor = replace(g.actor, idempotency_key=key, fingerprint=print_)
        return None

    @app.after_request
    def remember(response: Response) -> Response:
        secret = g.get("secret_fields")
        if secret is not None:
            response.headers["Cache-Control"] = "no-store"
        claimed = g.pop("idempotency", None)
        if claimed is None:
            return response
        pool = current_app.extensions["thidua"].reads
        with pool.connection() as conn:
            if response.status_code < 500 and response.is_json:
                body = response.get_json()
                if secret is not None and isinstance(body, dict):
                    fields, note = secret
                    body = {**{k: v for k, v in body.items() if k not in fields}, "note": note}
                conn.execute("UPDATE public.thidua_idempotency SET status = %s, body = %s "
                             "WHERE user_id = %s AND key = %s",
                             (response.status_code, Jsonb(body), *claimed))
            else:
                conn.execute("DELETE FROM public.thidua_idempotency WHERE user_id = %s AND "
                             "key = %s", claimed)
        return response

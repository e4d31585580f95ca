"""The same-stack floor: the least a Flask + marshmallow + psycopg service can do for a score
sheet's write, measured beside thidua's ingest in the same run.

Each request authenticates its bearer token by one indexed lookup (the SHA-256 of the
secret, as thidua keeps it), validates its body with marshmallow (the shape of thidua's sheet
PUT body: year, kind, subject, optional scorer and version, 20 criterion scores as decimal
strings; unknown fields refused) and commits one row. No events, no aggregates, no rules, no
projections: what is left is the stack itself, served by gunicorn with thidua's settings.

    gunicorn -w 4 --threads 4 'bench.floor:create_app()'   (FLOOR_DATABASE_URL names the
                                                              database prepared by ``prepare``)
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from typing import Any

import marshmallow as ma
import psycopg
from flask import Flask, jsonify, request
from marshmallow import validate
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool

# thidua's SHEET_KINDS, copied so the floor imports nothing of thidua
KINDS = ("self", "central_to_province", "organisation_to_central", "province_to_central")
CODE = validate.Length(min=1, max=20)


class Body(ma.Schema):
    """A sheet write: thidua's SheetWriteSchema, field for field (unknown fields raise)."""

    year = ma.fields.Integer(required=True, strict=True, validate=validate.Range(2000, 2100))
    kind = ma.fields.String(required=True, validate=validate.OneOf(KINDS))
    subject_code = ma.fields.String(required=True, validate=CODE)
    scorer_code = ma.fields.String(load_default=None, allow_none=True, validate=CODE)
    scores = ma.fields.Dict(keys=ma.fields.String(validate=CODE),
                            values=ma.fields.Decimal(places=2, allow_nan=False,
                                                     validate=validate.Range(-1000, 1000)),
                            required=True, validate=validate.Length(max=200))
    version = ma.fields.Integer(load_default=None, allow_none=True, strict=True,
                                validate=validate.Range(min=1))


class Step(ma.Schema):
    version = ma.fields.Integer(load_default=None, allow_none=True, strict=True,
                                validate=validate.Range(min=1))


SCHEMA = """
CREATE TABLE floor_tokens (secret_hash bytea PRIMARY KEY, unit_code text NOT NULL);
CREATE TABLE floor_sheets (
    id bigserial PRIMARY KEY, year int NOT NULL, kind text NOT NULL, scorer_code text NOT NULL,
    subject_code text NOT NULL, scores jsonb NOT NULL, state text NOT NULL,
    version int NOT NULL, at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (year, kind, scorer_code, subject_code));
"""


def secret_hash(secret: str) -> bytes:
    return hashlib.sha256(secret.encode()).digest()


def prepare(url: str, tokens: Iterable[tuple[str, str]]) -> None:
    """Create the floor's tables in the (fresh) database ``url`` and record each (secret,
    unit code) token."""
    with psycopg.connect(url) as conn:
        conn.execute(SCHEMA)
        with conn.cursor() as cur:
            cur.executemany("INSERT INTO floor_tokens VALUES (%s, %s) ON CONFLICT DO NOTHING",
                            [(secret_hash(s), unit) for s, unit in tokens])


def create_app(url: str | None = None, pool_size: int = 4, pool_overflow: int = 4) -> Flask:
    """The floor service; its pool (thidua's size: 4 + 4 per process) opens on first use, so
    gunicorn workers each build their own after the fork."""
    url = url or os.environ["FLOOR_DATABASE_URL"]
    app = Flask("bench.floor")
    body_schema, step_schema = Body(), Step()
    pool: list[ConnectionPool] = []

    def connection() -> Any:
        if not pool:
            pool.append(ConnectionPool(url, min_size=pool_size,
                                       max_size=pool_size + pool_overflow, open=True))
        return pool[0].connection()

    def error(code: int, message: Any) -> Any:
        return jsonify({"code": code, "message": message}), code

    def unit_of(conn: Any) -> str | None:
        scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            return None
        row = conn.execute("SELECT unit_code FROM floor_tokens WHERE secret_hash = %s",
                           (secret_hash(secret.strip()),)).fetchone()
        return row[0] if row else None

    @app.put("/evaluation/sheets")
    def write() -> Any:
        with connection() as conn:
            unit = unit_of(conn)
            if unit is None:
                return error(401, "Unknown token.")
            try:
                body = body_schema.load(request.get_json(silent=True) or {})
            except ma.ValidationError as e:
                return error(422, e.messages)
            scores = {k: str(v) for k, v in body["scores"].items()}
            row = conn.execute(
                "INSERT INTO floor_sheets (year, kind, scorer_code, subject_code, scores, state,"
                " version) VALUES (%s, %s, %s, %s, %s, 'draft', 1) ON CONFLICT (year, kind, "
                "scorer_code, subject_code) DO UPDATE SET scores = EXCLUDED.scores, version = "
                "floor_sheets.version + 1 RETURNING id, version",
                (body["year"], body["kind"], body["scorer_code"] or unit, body["subject_code"],
                 Jsonb(scores))).fetchone()
        assert row is not None
        return jsonify({"id": row[0], "version": row[1]})

    @app.post("/evaluation/sheets/<int:sid>/submit")
    def submit(sid: int) -> Any:
        with connection() as conn:
            unit = unit_of(conn)
            if unit is None:
                return error(401, "Unknown token.")
            try:
                step_schema.load(request.get_json(silent=True) or {})
            except ma.ValidationError as e:
                return error(422, e.messages)
            row = conn.execute("UPDATE floor_sheets SET state = 'submitted', version = version"
                               " + 1 WHERE id = %s AND scorer_code = %s RETURNING id, version",
                               (sid, unit)).fetchone()
        if row is None:
            return error(404, "There is no such score sheet.")
        return jsonify({"id": row[0], "version": row[1]})

    @app.get("/health")
    def health() -> Any:
        return jsonify({"status": "ok"})

    app.extensions["floor_pool"] = pool
    return app


def close(app: Flask) -> None:
    for p in app.extensions.get("floor_pool", []):
        p.close()

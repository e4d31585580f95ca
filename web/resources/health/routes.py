"""Health (liveness with details) and readiness."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import Response, jsonify
from flask_smorest import Blueprint
from psycopg.rows import dict_row

from projections import status
from web.extensions.common import services

blp = Blueprint("health", __name__, url_prefix="/health",
                description="The database, the projections' lag and stalls, the last "
                            "checkpoint.")


class ViewStateSchema(ma.Schema):
    state = ma.fields.String(metadata={"description": "ok; stalled: the view cannot apply the "
                                       "event at `position` and is retried; unknown: its "
                                       "position cannot be read."})
    lag = ma.fields.Integer(allow_none=True, metadata={
        "description": "Events behind the head of the log (null: its position is unreadable)."})
    position = ma.fields.Integer(allow_none=True, metadata={
        "description": "When stalled: the position of the event it cannot apply."})
    topic = ma.fields.String(allow_none=True, metadata={"description": "That event's topic."})
    originator_id = ma.fields.String(allow_none=True, metadata={
        "description": "The record (aggregate) the event belongs to."})
    error_type = ma.fields.String(metadata={"description": "The kind of error."})
    error = ma.fields.String(metadata={"description": "What the error says (one line)."})
    since = ma.fields.String(metadata={"description": "When the view first failed on it."})
    attempts = ma.fields.Integer(metadata={"description": "Attempts made so far."})
    last_attempt = ma.fields.String(metadata={"description": "When it was last tried."})
    next_attempt = ma.fields.String(allow_none=True, metadata={
        "description": "When it will be tried again."})


class HealthSchema(ma.Schema):
    status = ma.fields.String(metadata={"description": "ok, or degraded (database down or a "
                                        "view stalled), or not ready."})
    database = ma.fields.String(metadata={"description": "ok or down."})
    head = ma.fields.Integer(allow_none=True)
    projections = ma.fields.Dict(keys=ma.fields.String(),
                                 values=ma.fields.Integer(allow_none=True),
                                 metadata={"description": "Events behind, per projection."})
    views = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Nested(ViewStateSchema),
                           metadata={"description": "Each view's state: its lag, and where "
                                     "and why it is stalled."})
    last_checkpoint = ma.fields.Dict(allow_none=True)


def views_state(head: int, positions: dict[str, int | None],
                stalls: dict[str, status.Stall]) -> dict[str, dict[str, Any]]:
    """Each view's lag, and its stall unless the view has got past it since; a view whose
    position cannot be read is 'unknown' (and not ready)."""
    found = {}
    for name, position in positions.items():
        stall = stalls.get(name)
        if (stall is not None and stall.position is not None and position is not None
                and position >= stall.position):
            stall = None  # recorded by a runner that has not seen the view move on
        state = "stalled" if stall is not None else "ok" if position is not None else "unknown"
        found[name] = {"state": state, "lag": None if position is None else head - position,
                       **(stall.public() if stall is not None else {})}
    return found


def last_checkpoint(s: Any, conn: Any) -> dict[str, Any] | None:
    last = s.extra.get("last_checkpoint")
    try:
        return last(conn) if callable(last) else None
    except Exception:
        return None


def report() -> dict[str, Any]:
    s = services()
    head, lag, views, database, checkpoint = None, {}, {}, "down", None
    if not s.breaker.open.is_set():  # open: the probe has just failed to connect
        try:
            with s.health.connection() as conn:
                head, positions = s.runner.positions(conn)
                with conn.cursor(row_factory=dict_row) as cur:
                    recorded = status.load(cur)
                database = "ok"
                checkpoint = last_checkpoint(s, conn)
            views = views_state(head, positions, {**recorded, **s.runner.stalls})
            lag = {name: view["lag"] for name, view in views.items()}
        except Exception:  # any database failure means 'down' here
            head, database = None, "down"
    stalled = any(v["state"] != "ok" for v in views.values())
    status_ = "ok" if database == "ok" and not stalled else "degraded"
    return {"status": status_, "database": database, "head": head, "projections": lag,
            "views": views, "last_checkpoint": checkpoint}


@blp.route("", methods=["GET"])
@blp.response(200, HealthSchema)
@blp.alt_response(503, schema=HealthSchema, description="The database is down.")
def health() -> Any:
    """Liveness, with the database state, each view's lag and stall, the last checkpoint.
    A stalled view makes the status 'degraded' (200): restarting the API would not help."""
    body = report()
    if body["database"] != "ok":
        return unavailable(body)
    return body


@blp.route("/ready", methods=["GET"])
@blp.response(200, HealthSchema)
@blp.alt_response(503, schema=HealthSchema, description="Not ready: database down, a view "
                  "stalled, or views too far behind.")
def ready() -> Any:
    """Ready when the database answers, no view is stalled and none is more than the
    configured lag behind."""
    body = report()
    limit = services().settings.ready_max_lag
    if body["database"] != "ok" or any(v["state"] != "ok" or (v["lag"] or 0) > limit
                                       for v in body["views"].values()):
        body["status"] = "not ready"
        return unavailable(body)
    return body


def unavailable(body: dict[str, Any]) -> Response:
    response: Response = jsonify(body)
    response.status_code = 503
    response.headers["Retry-After"] = "5"
    return response

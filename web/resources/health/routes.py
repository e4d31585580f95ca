"""Health (liveness with details) and readiness."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import Response, jsonify
from flask_smorest import Blueprint

from web.common import services

blp = Blueprint("health", __name__, url_prefix="/health",
                description="The database, the projections' lag, the last checkpoint.")


class HealthSchema(ma.Schema):
    status = ma.fields.String()
    database = ma.fields.String()
    head = ma.fields.Integer(allow_none=True)
    projections = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer(),
                                 metadata={"description": "Events behind, per projection."})
    last_checkpoint = ma.fields.Dict(allow_none=True)


def report() -> dict[str, Any]:
    s = services()
    try:
        lag = s.runner.lag()
        head = s.runner.head()
        database = "ok"
    except Exception:  # any database failure means 'down' here
        lag, head, database = {}, None, "down"
    checkpoint = None
    last = s.extra.get("last_checkpoint")
    if callable(last) and database == "ok":
        try:
            checkpoint = last()
        except Exception:
            checkpoint = None
    status = "ok" if database == "ok" else "degraded"
    return {"status": status, "database": database, "head": head, "projections": lag,
            "last_checkpoint": checkpoint}


@blp.route("", methods=["GET"])
@blp.response(200, HealthSchema)
@blp.alt_response(503, schema=HealthSchema, description="The database is down.")
def health() -> Any:
    """Liveness, with the database state, the projections' lag and the last checkpoint."""
    body = report()
    if body["database"] != "ok":
        response: Response = jsonify(body)
        response.status_code = 503
        response.headers["Retry-After"] = "5"
        return response
    return body


@blp.route("/ready", methods=["GET"])
@blp.response(200, HealthSchema)
@blp.alt_response(503, schema=HealthSchema, description="Not ready: database down or views "
                  "too far behind.")
def ready() -> Any:
    """Ready when the database answers and no view is more than the configured lag behind."""
    body = report()
    limit = services().settings.ready_max_lag
    if body["database"] != "ok" or any(v > limit for v in body["projections"].values()):
        body["status"] = "not ready"
        response: Response = jsonify(body)
        response.status_code = 503
        response.headers["Retry-After"] = "5"
        return response
    return body

"""Every error is JSON ``{code, status, message, errors}``; domain errors map to HTTP here,
once. Nothing reaches the client as a stack trace."""

from __future__ import annotations

import logging
import re
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl

import marshmallow as ma
import psycopg
import psycopg_pool
from eventsourcing.persistence import DataError as StoreDataError
from eventsourcing.persistence import OperationalError as StoreOperationalError
from eventsourcing.persistence import PersistenceError
from flask import Flask, Response, current_app, jsonify, request
from werkzeug.exceptions import HTTPException

from domain.kernel.errors import (
    Conflict,
    DomainError,
    InvalidInput,
    NotAuthorised,
    NotFound,
    RuleViolation,
    TooLarge,
    Unauthenticated,
    UnreadableRecord,
)
from web.extensions.breaker import DatabaseUnavailable, is_outage

log = logging.getLogger(__name__)


class ErrorSchema(ma.Schema):
    """Every error answer: {code, status, message, errors} and, where one applies, the rule."""

    code = ma.fields.Integer(metadata={"description": "HTTP status code", "example": 422})
    status = ma.fields.String(metadata={"description": "HTTP status name"})
    message = ma.fields.String(metadata={"description": "What went wrong, in plain words"})
    errors = ma.fields.Dict(metadata={"description": "Field (or row) -> what is wrong with it"})
    rule = ma.fields.String(metadata={"description": "The rule that refused the request"})
    rules = ma.fields.Dict(metadata={"description": "Where many fields (or rows) are refused: "
                                     "field -> the rule that refused it"})
    current_version = ma.fields.Integer(metadata={"description": "On 409: the version now"})


class ViewsBehind(DomainError):
    """The views have not yet caught up with a position the client asked to wait for."""

    code = "views_behind"


STATUS: dict[type[DomainError], int] = {
    TooLarge: 413,
    InvalidInput: 422,
    RuleViolation: 422,
    NotFound: 404,
    NotAuthorised: 403,
    Unauthenticated: 401,
    Conflict: 409,
    UnreadableRecord: 409,  # the store holds events that no longer fit: not the client's doing
    ViewsBehind: 503,
}


# The rule named by an error the framework raises: 422 is a request that does not match its
# endpoint's schema in the OpenAPI document (``errors`` names each field and why).
HTTP_RULES = {400: "request_syntax", 404: "address_exists", 405: "method_allowed",
              413: "body_size", 422: "schema"}


def error_body(status: int, message: str, errors: dict[str, Any] | None = None,
               **extra: Any) -> dict[str, Any]:
    body = {"code": status, "status": HTTPStatus(status).phrase, "message": message,
            "errors": errors or {}}
    body.update({k: v for k, v in extra.items() if v is not None})
    return body


def respond(status: int, message: str, errors: dict[str, Any] | None = None,
            headers: dict[str, str] | None = None, **extra: Any) -> Response:
    response = jsonify(error_body(status, message, errors, **extra))
    response.status_code = status
    for k, v in (headers or {}).items():
        response.headers[k] = v
    return response


def domain_status(error: DomainError) -> int:
    for cls in type(error).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 422


# C0 controls, DEL and C1 controls: no code, date or name in an address holds one, and
# PostgreSQL refuses NUL in text outright.
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
# an undecodable byte (kept as a lone surrogate), or the U+FFFD some clients, proxies and
# werkzeug itself put in its place
NOT_TEXT = re.compile("[\udc80-\udcff\ufffd]")


def url_problem() -> dict[str, list[str]] | None:
    """What is wrong with the request's path or query as text, if anything: werkzeug decodes
    both leniently, so the raw bytes are decoded here again, each parameter on its own."""
    path = request.environ.get("PATH_INFO", "").encode("latin-1", "replace")
    query = request.query_string.decode("utf-8", "surrogateescape")
    pairs = parse_qsl(query, keep_blank_values=True, encoding="utf-8",
                      errors="surrogateescape")
    # each parameter is named by its name, unless the name itself is the problem
    parts = [("path", path.decode("utf-8", "surrogateescape"))] + [
        (name if name.isidentifier() else "query", name + value) for name, value in pairs]
    for field, text in parts:
        if NOT_TEXT.search(text):
            return {field: ["Not valid UTF-8 text."]}
        if CONTROL.search(text):
            return {field: ["A control character (such as NUL) is not allowed here."]}
    return None


def register_error_handlers(app: Flask) -> None:
    @app.before_request
    def url_text() -> Response | None:
        """Refuse an address that is not clean text before a schema or the database sees it."""
        problem = url_problem()
        if problem is not None:
            return respond(400, "The address of the request is not valid text: it must be "
                           "UTF-8 without control characters.", problem, rule="url_text")
        return None

    @app.before_request
    def body_kind() -> Response | None:
        """A body is JSON, or a form with a file where the endpoint takes one."""
        if request.method in ("POST", "PUT", "PATCH", "DELETE") and request.content_length:
            kind = request.mimetype
            if kind not in ("application/json", "multipart/form-data"):
                return respond(415, "Send the body as JSON (Content-Type: application/json), "
                               "or as multipart/form-data where a file is uploaded.",
                               {"Content-Type": [f"'{kind or 'none'}' is not accepted"]},
                               rule="content_type")
        return None

    @app.before_request
    def breaker_open() -> Response | None:
        """While the database is unreachable, answer at once (health reports it itself)."""
        services = current_app.extensions.get("thidua")
        if services is not None and services.breaker.open.is_set() and not (
                request.endpoint or "").startswith("health."):
            return respond(503, "The database is unavailable; retry shortly.",
                           headers={"Retry-After": "2"}, rule="database_available")
        return None

    @app.errorhandler(DomainError)
    def domain_error(e: DomainError) -> Response:
        status = domain_status(e)
        if status in (401, 403):  # who tried what, when, from where
            from web.resources.audit import denied

            denied(e, status)
        headers = {"WWW-Authenticate": 'Bearer realm="thidua"'} if status == 401 else None
        if status == 503:
            headers = {"Retry-After": "1"}
        return respond(status, e.message, e.errors, headers=headers, rule=e.rule,
                       rules=getattr(e, "rules", None) or None,
                       current_version=getattr(e, "current_version", None))

    @app.errorhandler(HTTPException)
    def http_error(e: HTTPException) -> Response:
        status = e.code or 500
        data = getattr(e, "data", None) or {}
        messages = data.get("messages") if isinstance(data, dict) else None
        errors: dict[str, Any] = {}
        if isinstance(messages, dict):
            for location, fields in messages.items():
                if isinstance(fields, dict):
                    errors.update(fields)
                else:
                    errors[location] = fields
        message = data.get("message") if isinstance(data, dict) and data.get("message") else None
        rule = HTTP_RULES.get(status)
        if status == 422 and not message:
            message = "The request has fields that are missing, unknown or of the wrong kind."
        if status == 413:
            message = "The request body is too large."
        # the exception's own headers (Allow on a 405, WWW-Authenticate on a 401), not its HTML
        headers = {k: v for k, v in e.get_headers() if k.lower() != "content-type"}
        return respond(status, message or e.description or HTTPStatus(status).phrase, errors,
                       headers=headers, rule=rule)

    @app.errorhandler(DatabaseUnavailable)
    @app.errorhandler(StoreOperationalError)
    @app.errorhandler(psycopg.OperationalError)
    @app.errorhandler(psycopg_pool.PoolTimeout)
    def unavailable(e: Exception) -> Response:
        if not is_outage(e):  # our own queue is full (a pool, the insert lock): not an outage
            log.warning("busy: %s", e)
            return respond(503, "The server is busy; retry shortly.",
                           headers={"Retry-After": "2"}, rule="server_busy")
        log.warning("database unavailable: %s", e)
        services = current_app.extensions.get("thidua")
        if services is not None:
            services.breaker.trip()
        return respond(503, "The database is unavailable; retry shortly.",
                       headers={"Retry-After": "5"})

    @app.errorhandler(StoreDataError)
    @app.errorhandler(psycopg.DataError)
    def value_refused(e: Exception) -> Response:
        """A value PostgreSQL cannot hold or compare (SQLSTATE class 22: a number out of
        range, NUL in text): the request's fault, so a retry would not help."""
        log.warning("value refused by the database: %s", e)
        return respond(422, "A value in the request is beyond what can be stored or compared "
                       "(a number too large, or a character text cannot hold).",
                       rule="value_storable")

    @app.errorhandler(PersistenceError)
    @app.errorhandler(psycopg.Error)
    def store_error(e: Exception) -> Response:
        log.exception("database error")
        return respond(503, "The database refused the operation; retry shortly.",
                       headers={"Retry-After": "5"})

    @app.errorhandler(RecursionError)
    def too_deep(e: RecursionError) -> Response:
        return respond(400, "The JSON body is nested too deeply.", rule="json_depth")

    @app.errorhandler(Exception)
    def unexpected(e: Exception) -> Response:
        log.exception("unexpected error")
        return respond(500, "An unexpected error occurred; it has been logged.")

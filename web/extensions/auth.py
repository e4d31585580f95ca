"""Authentication: the acting principal comes from the bearer token, never from the body."""

from __future__ import annotations

import re
import uuid

from flask import Flask, current_app, g, request

from domain.kernel.actor import Actor
from domain.kernel.errors import Unauthenticated

REQUEST_ID = re.compile(r"[\x21-\x7e]{1,100}")
PUBLIC_ENDPOINTS = {"health.health", "health.ready", "api-docs.openapi_json",
                    "api-docs.openapi_swagger_ui", "docs_assets.asset", "static"}


def actor() -> Actor:
    """The authenticated actor of this request."""
    return g.actor  # type: ignore[no-any-return]


def install(app: Flask) -> None:
    @app.before_request
    def authenticate() -> None:
        given = request.headers.get("X-Request-ID", "")[:100]  # kept in events: visible ASCII
        g.request_id = given if REQUEST_ID.fullmatch(given) else str(uuid.uuid4())
        if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
            return
        header = request.headers.get("Authorization", "")
        scheme, _, secret = header.partition(" ")
        try:
            if scheme.lower() != "bearer" or not secret.strip():
                raise Unauthenticated("Send 'Authorization: Bearer <token>'.",
                                      rule="token_present")
            services = current_app.extensions["thidua"]
            g.actor = services.app.authenticate(secret.strip(), request_id=g.request_id,
                                                source=request.remote_addr)
        except Unauthenticated as failed:
            # Only a failed login meets the failure limit: a valid token is never refused.
            from web.extensions import ratelimit

            ratelimit.refuse_if_limited(failed)
            raise

    @app.after_request
    def stamp(response):  # type: ignore[no-untyped-def]
        response.headers["X-Request-ID"] = g.get("request_id", "")
        return response

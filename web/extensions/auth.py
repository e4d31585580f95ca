"""Authentication: the acting principal comes from the bearer token, never from the body."""

from __future__ import annotations

import functools
import re
import uuid
from collections.abc import Callable
from typing import Any, TypeVar, cast

from flask import Flask, current_app, g, request

from domain.kernel.actor import Actor
from domain.kernel.cases import AssumptionFailed
from domain.kernel.errors import Unauthenticated
from domain.kernel.rights import authorise

F = TypeVar("F", bound=Callable[..., Any])

REQUEST_ID = re.compile(r"[\x21-\x7e]{1,100}")
PUBLIC_ENDPOINTS = {"health.health", "health.ready", "api-docs.openapi_json",
                    "api-docs.openapi_swagger_ui", "docs_assets.asset", "static"}


def actor() -> Actor:
    """The authenticated actor of this request."""
    return g.actor  # type: ignore[no-any-return]


def may(act: str) -> Callable[[F], F]:
    """A route's read right: ``@may("registry.read")`` above the method's other decorators
    asks the rights table (domain/kernel/rights.py) before anything else of the request is
    read, its query included. Every GET route carries one (tests/api/test_reads_need_a_right.py);
    writes are authorised by the domain's use cases, whose acts are rights too."""

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def checked(*args: Any, **kwargs: Any) -> Any:
            authorise(actor(), act)
            return view(*args, **kwargs)

        checked.right = act  # type: ignore[attr-defined]
        return cast(F, checked)

    return decorate


def deferred(view: F) -> F:
    """A write route whose every effect goes through the use cases' ``commit``: its token
    may be checked against the store in the same query as the use case's first load,
    instead of in a query of its own before the route runs (see ``authenticate`` in
    domain/users/cases.py). What the route answers is kept only once that check passes;
    otherwise the request is authenticated again and the route runs again."""
    view.deferred_authentication = True  # type: ignore[attr-defined]
    return view


def _deferrable() -> bool:
    if request.method not in ("POST", "PUT", "PATCH", "DELETE") or \
            "Idempotency-Key" in request.headers:  # its claim is stored before the route runs
        return False
    view = current_app.view_functions.get(request.endpoint or "")
    view = getattr(getattr(view, "view_class", None), request.method.lower(), view)
    return bool(getattr(view, "deferred_authentication", False))


def right_of(view: Any) -> str | None:
    """The right a route's function asks with :func:`may` (None: it asks none)."""
    return getattr(view, "right", None)


def _authenticate(defer: bool) -> None:
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    try:
        if scheme.lower() != "bearer" or not secret.strip():
            raise Unauthenticated("Send 'Authorization: Bearer <token>'.",
                                  rule="token_present")
        services = current_app.extensions["thidua"]
        g.actor = services.app.authenticate(secret.strip(), request_id=g.request_id,
                                            source=request.remote_addr, defer=defer)
    except Unauthenticated as failed:
        # Only a failed login meets the failure limit: a valid token is never refused.
        from web.extensions import ratelimit

        ratelimit.refuse_if_limited(failed)
        raise


def install(app: Flask) -> None:
    @app.before_request
    def authenticate() -> None:
        given = request.headers.get("X-Request-ID", "")[:100]  # kept in events: visible ASCII
        g.request_id = given if REQUEST_ID.fullmatch(given) else str(uuid.uuid4())
        if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
            return
        current_app.extensions["thidua"].app.forget_assumption()
        _authenticate(defer=_deferrable())

    dispatch = app.dispatch_request

    def dispatch_checked() -> Any:
        """The route, answered only once the token it was deferred for (:func:`deferred`)
        is known unchanged; else authenticated again from the store and run again."""
        services = current_app.extensions.get("thidua")
        if services is None or not g.get("actor"):
            return dispatch()
        application = services.app
        try:
            answer = dispatch()
        except AssumptionFailed:
            pass
        except Exception:
            if application.assumption_holds():
                raise
        else:
            if application.assumption_holds():
                return answer
        application.forget_assumption()
        g.pop("actor", None)
        _authenticate(defer=False)
        return dispatch()

    app.dispatch_request = dispatch_checked  # type: ignore[method-assign]

    @app.teardown_request
    def forget(_error: BaseException | None) -> None:
        services = current_app.extensions.get("thidua")
        if services is not None:
            services.app.forget_assumption()

    @app.after_request
    def stamp(response):  # type: ignore[no-untyped-def]
        response.headers["X-Request-ID"] = g.get("request_id", "")
        return response

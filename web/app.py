"""The Flask app factory."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Flask
from flask.json.provider import DefaultJSONProvider
from flask_smorest import Api, Blueprint
from webargs.flaskparser import FlaskParser
from werkzeug.routing import IntegerConverter

from web.bootstrap import Services, bootstrap
from web.extensions import auth, docs_assets, idempotency, openapi, ratelimit, startup
from web.extensions.errors import ErrorSchema, register_error_handlers
from web.settings import Settings

API_DESCRIPTION = """thidua records every election, ballot, score submission, approval,
nomination and decision of the emulation (thi đua) and annual evaluation work of Vietnam
Social Security as an event, and serves the current state from projections.

Every endpoint but `/health` and the API docs needs `Authorization: Bearer <token>`.
A write answers with the `position` of its last event; pass it back as `wait_for` on a
read to see your own write. Errors are JSON `{code, status, message, errors, rule}`."""


class ThiduaApi(Api):
    ERROR_SCHEMA = ErrorSchema


class StrictParser(FlaskParser):
    """Unknown query parameters are refused like unknown body fields (the schema decides)."""

    DEFAULT_UNKNOWN_BY_LOCATION = {**FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION,
                                   "query": None, "querystring": None}


Blueprint.ARGUMENTS_PARSER = StrictParser()


class AsciiIntegerConverter(IntegerConverter):
    """``<int:year>`` matches ASCII digits only (werkzeug's ``\\d+`` also matches '٢٠٢٤')."""

    regex = "[0-9]+"


class JsonProvider(DefaultJSONProvider):
    """Dates and times as ISO 8601 (Flask's default writes a datetime as an HTTP date)."""

    ensure_ascii = False
    sort_keys = False

    @staticmethod
    def default(o: Any) -> Any:
        if isinstance(o, date):  # and datetime, its subclass
            return o.isoformat()
        return DefaultJSONProvider.default(o)


def blueprints() -> list[Any]:
    """Every resource's blueprints, one import per line."""
    from web.resources.audit.routes import blp as audit
    from web.resources.covenants.routes import blp as covenants
    from web.resources.district.routes import cycles as district_cycles
    from web.resources.district.routes import rulesets as district_rulesets
    from web.resources.district.routes_items import nominations as district_nominations
    from web.resources.district.routes_items import sheets as district_sheets
    from web.resources.district.routes_items import summaries as district_summaries
    from web.resources.district.routes_workbooks import workbooks as district_workbooks
    from web.resources.documents.routes import blp as documents
    from web.resources.elections.routes import blp as elections
    from web.resources.elections.routes import rules_blp as election_rules
    from web.resources.elections.routes import state_blp as group_state
    from web.resources.evaluation.routes import cycles as evaluation_cycles
    from web.resources.evaluation.routes import rulesets as evaluation_rulesets
    from web.resources.evaluation.routes_groups import groups as evaluation_groups
    from web.resources.evaluation.routes_items import field_reports as evaluation_reports
    from web.resources.evaluation.routes_items import nominations as evaluation_nominations
    from web.resources.evaluation.routes_items import summaries as evaluation_summaries
    from web.resources.evaluation.routes_sheets import sheets as evaluation_sheets
    from web.resources.evaluation.routes_workbooks import blp as evaluation_workbooks
    from web.resources.group_documents.routes import plans as group_plans
    from web.resources.group_documents.routes import regulations as group_regulations
    from web.resources.groups.routes import blp as groups
    from web.resources.groups.routes import lists, partitions
    from web.resources.health.routes import blp as health
    from web.resources.judging.routes import blp as judgings
    from web.resources.judging.routes import proposals_blp as judging_proposals
    from web.resources.judging.routes import rules_blp as judging_rules
    from web.resources.reorganisations.routes import blp as reorganisations
    from web.resources.units.routes import blp as units
    from web.resources.users.routes import blp as users
    from web.resources.users.routes import tokens

    return [
        health,
        units,
        reorganisations,
        groups,
        partitions,
        lists,
        election_rules,
        elections,
        group_state,
        covenants,
        group_regulations,
        group_plans,
        judging_rules,
        judgings,
        judging_proposals,
        documents,
        evaluation_rulesets,
        evaluation_cycles,
        evaluation_groups,
        evaluation_sheets,
        evaluation_nominations,
        evaluation_reports,
        evaluation_summaries,
        district_rulesets,
        district_cycles,
        district_sheets,
        district_nominations,
        district_summaries,
        evaluation_workbooks,
        district_workbooks,
        users,
        tokens,
        audit,
    ]


def create_app(settings: Settings | None = None, services: Services | None = None,
               **overrides: Any) -> Flask:
    """Build the app around ``services`` (or bootstrap them from ``settings``)."""
    settings = settings or Settings.from_env()
    app = build_app(settings, **overrides)
    if services is not None:
        return bind(app, services)
    pending = startup.Pending(lambda: bootstrap(settings), lambda s: bind(app, s))
    try:
        services = bootstrap(settings)
    except Exception as e:
        if not startup.unreachable(e):
            raise
        startup.start_pending(app, pending, e)  # serve 503 until the database answers
        return app
    return bind(app, services)


def bind(app: Flask, services: Services) -> Flask:
    """Serve ``services`` (the store, views and pools) from ``app``; its breaker starts.
    Requests find them in ``app.extensions["thidua"]``, never in a closure, so an app built
    once may be bound to other services later (the tests bind one app per database)."""
    app.extensions["thidua"] = services
    services.breaker.start()
    return app


def build_app(settings: Settings, **overrides: Any) -> Flask:
    """The Flask app, its routes and its OpenAPI document, before any services are bound:
    what it holds depends on ``settings``' request limits and proxies only."""
    app = Flask("thidua")
    app.url_map.converters["int"] = AsciiIntegerConverter
    app.config.update(
        API_TITLE="thidua",
        API_VERSION="1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="/docs",
        MAX_CONTENT_LENGTH=settings.max_body_bytes,
        JSON_SORT_KEYS=False,
        API_SPEC_OPTIONS={
            "info": {"description": API_DESCRIPTION},
            "components": {"securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer",
                           "description": "A thidua token (thd_...), issued by an admin."}}},
            "security": [{"bearer": []}],
        },
        **overrides,
    )
    app.json = JsonProvider(app)
    docs_assets.install(app)  # before the Api: it reads the Swagger UI URL when it starts
    api = ThiduaApi(app)
    startup.install(app)  # first: no other hook runs before the services exist
    register_error_handlers(app)
    ratelimit.install(app)
    auth.install(app)
    idempotency.install(app)
    for blueprint in blueprints():
        api.register_blueprint(blueprint)
    openapi.complete(api)
    from web.cli import register_cli

    register_cli(app)
    if settings.trusted_proxies:  # the client's address as that many proxies forwarded it
        from werkzeug.middleware.proxy_fix import ProxyFix

        proxied = ProxyFix(app.wsgi_app, x_for=settings.trusted_proxies)
        app.wsgi_app = proxied  # type: ignore[method-assign]
    return app

"""The HTTP side of thidua: the Flask app factory, blueprints, schemas, auth and CLI."""

from web.app import create_app

__all__ = ["create_app"]

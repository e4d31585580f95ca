"""Swagger UI served by thidua itself, from a pinned package (flask-swagger-ui's copy of
swagger-ui-dist), so `/docs` works on a closed network: the page fetches nothing from
outside the server (no CDN, no online validator)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from flask import Blueprint, Flask, Response, send_from_directory

ASSETS_URL = "/docs/assets/"
ENDPOINT = "docs_assets.asset"
# the files the page loads; nothing else in the package is served
SERVED = frozenset({"swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js",
                    "favicon-16x16.png", "favicon-32x32.png", "index.css", "VERSION"})


def assets_dir() -> Path:
    return Path(str(files("flask_swagger_ui") / "dist"))


def version() -> str:
    return (assets_dir() / "VERSION").read_text(encoding="ascii").strip()


def install(app: Flask) -> None:
    blueprint = Blueprint("docs_assets", __name__)

    @blueprint.get(f"{ASSETS_URL}<string:name>")
    def asset(name: str) -> Response:
        if name not in SERVED:
            from werkzeug.exceptions import NotFound

            raise NotFound()
        return send_from_directory(assets_dir(), name, max_age=7 * 24 * 3600)

    app.register_blueprint(blueprint)
    app.config.update(OPENAPI_SWAGGER_UI_URL=ASSETS_URL,
                      # the default sends the document to validator.swagger.io for a badge
                      OPENAPI_SWAGGER_UI_CONFIG={"validatorUrl": None})

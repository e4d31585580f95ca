"""The command line: ``flask users``, ``flask tokens``, ``flask units``, ``flask projections``,
``flask sample``, ``flask serve``, ``flask audit``, ``flask replay``. Each command acts through
the same use cases and rights table as the API."""

from __future__ import annotations

from flask import Flask

from web.cli.accounts import tokens, users
from web.cli.audit import register as register_audit
from web.cli.db import db
from web.cli.projections import projections
from web.cli.sample import sample
from web.cli.serve import serve_command
from web.cli.units import units


def register_cli(app: Flask) -> None:
    for group in (users, tokens, projections, sample, db, units):
        app.cli.add_command(group)
    app.cli.add_command(serve_command)
    register_audit(app)  # flask audit ..., flask replay

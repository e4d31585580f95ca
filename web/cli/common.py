"""What every command shares: the console operator, the services, errors as click errors, and
text options kept as every text is."""

from __future__ import annotations

import getpass
from typing import Any

import click
from flask import current_app

from domain.kernel import text
from domain.kernel.actor import Actor
from domain.kernel.errors import DomainError


def operator() -> Actor:
    """The person at the server's console: administers users and the organisation."""
    name = getpass.getuser()
    return Actor(user_id=f"cli:{name}", user_name=name, roles=("admin", "standing_office"),
                 unit_id=None, source="cli")


def services() -> Any:
    """The services; a click error naming the cause while the database is unreachable."""
    from web.extensions.breaker import DatabaseUnavailable
    from web.extensions.startup import services_of

    try:
        return services_of(current_app)
    except DatabaseUnavailable as e:
        raise click.ClickException(str(e)) from None


def fail(e: DomainError) -> None:
    detail = "; ".join(f"{k}: {v}" for k, v in e.errors.items())
    raise click.ClickException(f"{e.message}{' (' + detail + ')' if detail else ''}")


class Text(click.ParamType):
    """An option's text, kept as every text is (domain.kernel.text): NFC, and refused, naming the
    option, if it holds a character no such field keeps (tab and line break only where
    ``multiline``)."""

    name = "text"

    def __init__(self, multiline: bool = False) -> None:
        self.multiline = multiline

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        if not isinstance(value, str):
            return value
        value = text.normalise(value, multiline=self.multiline)
        why = text.problem(value, multiline=self.multiline)
        if why is not None:
            self.fail(f"{why} (rule {text.RULE})", param, ctx)
        return value


LINE, FREE_TEXT = Text(), Text(multiline=True)

"""CLI commands: ``flask users``, ``flask tokens``, ``flask projections``, ``flask sample``,
``flask serve``. They act through the same use cases and rights table as the API."""

from __future__ import annotations

import contextlib
import getpass
import logging
import signal
import sys
import threading
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from domain import text
from domain.actor import Actor
from domain.errors import DomainError
from projections.runner import ProjectionStalled


def operator() -> Actor:
    """The person at the server's console: administers users and the organisation."""
    name = getpass.getuser()
    return Actor(user_id=f"cli:{name}", user_name=name, roles=("admin", "standing_office"),
                 unit_id=None, source="cli")


def services() -> Any:
    return current_app.extensions["thidua"]


def fail(e: DomainError) -> None:
    detail = "; ".join(f"{k}: {v}" for k, v in e.errors.items())
    raise click.ClickException(f"{e.message}{' (' + detail + ')' if detail else ''}")


class Text(click.ParamType):
    """An option's text, kept as every text is (domain.text): NFC, and refused, naming the
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

users = AppGroup("users", help="Register users and manage their roles.")
tokens = AppGroup("tokens", help="Issue and revoke bearer tokens.")
projections = AppGroup("projections", help="Run the projections that build the views.")
sample = AppGroup("sample", help="The sample organisation.")


@users.command("create")
@click.argument("username", type=LINE)
@click.option("--name", "full_name", type=LINE, required=True, help="Full name.")
@click.option("--role", "roles", type=LINE, multiple=True, required=True,
              help="Role (repeatable).")
@click.option("--unit", "unit_code", type=LINE, default=None,
              help="Code of the unit the user acts for.")
@click.option("--assign", "assigned", type=LINE, multiple=True,
              help="Central unit a leader approves.")
def users_create(username: str, full_name: str, roles: tuple[str, ...], unit_code: str | None,
                 assigned: tuple[str, ...]) -> None:
    try:
        user, position = services().app.register_user(
            operator(), username=username, full_name=full_name, roles=list(roles),
            unit_code=unit_code, assigned_unit_codes=list(assigned))
    except DomainError as e:
        fail(e)
    click.echo(f"registered {user.username} ({', '.join(user.roles)}) at position {position}")


@users.command("grant")
@click.argument("username", type=LINE)
@click.argument("role", type=LINE)
def users_grant(username: str, role: str) -> None:
    try:
        services().app.grant_role(operator(), username, role)
    except DomainError as e:
        fail(e)
    click.echo(f"{username} now holds {role}")


@users.command("revoke")
@click.argument("username", type=LINE)
@click.argument("role", type=LINE)
@click.option("--reason", type=FREE_TEXT, default=None)
def users_revoke(username: str, role: str, reason: str | None) -> None:
    try:
        services().app.revoke_role(operator(), username, role, reason)
    except DomainError as e:
        fail(e)
    click.echo(f"{username} no longer holds {role}")


@users.command("disable")
@click.argument("username")
@click.option("--reason", required=True, help="Why (recorded with the event).")
def users_disable(username: str, reason: str) -> None:
    """Disable USERNAME: every token of theirs stops at once, and for good."""
    try:
        services().app.disable_user(operator(), username, reason)
    except DomainError as e:
        fail(e)
    click.echo(f"{username} is disabled; their tokens no longer work")


@users.command("enable")
@click.argument("username")
@click.option("--reason", required=True, help="Why (recorded with the event).")
def users_enable(username: str, reason: str) -> None:
    """Enable USERNAME again; the tokens issued before the disable stay refused."""
    try:
        services().app.enable_user(operator(), username, reason)
    except DomainError as e:
        fail(e)
    click.echo(f"{username} is enabled; issue them a new token (`flask tokens issue "
               f"{username}`)")


@tokens.command("issue")
@click.argument("username", type=LINE)
@click.option("--label", type=LINE, default="cli")
@click.option("--days", default=90, type=int)
def tokens_issue(username: str, label: str, days: int) -> None:
    """Print a new token for USERNAME (shown once)."""
    try:
        (secret, token), _ = services().app.issue_token(operator(), username, label=label,
                                                        days=days)
    except DomainError as e:
        fail(e)
    click.echo(f"token id {token.id}, expires {token.expires_at}")
    click.echo(secret)


@tokens.command("revoke")
@click.argument("token_id", type=LINE)
@click.option("--reason", type=FREE_TEXT, default=None)
def tokens_revoke(token_id: str, reason: str | None) -> None:
    try:
        services().app.revoke_token(operator(), token_id, reason)
    except DomainError as e:
        fail(e)
    click.echo(f"revoked {token_id}")


@projections.command("run")
def projections_run() -> None:
    """Catch up (in batches), then follow the log until interrupted."""
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    s = services()
    behind = s.runner.head() - min(p.view.position(s.app.name) for p in s.projections.values())
    with click.progressbar(length=max(behind, 0) * len(s.projections),
                           label="catching up", file=sys.stderr) as bar:
        try:
            s.runner.catch_up(progress=bar.update)
        except ProjectionStalled as e:  # the others are current; it is retried from here on
            click.echo(f"\n{e}", err=True)
    click.echo("caught up; following the log (Ctrl-C stops)", err=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    s.runner.start()
    with contextlib.suppress(KeyboardInterrupt):
        stop.wait()
    s.runner.stop()


@projections.command("catch-up")
def projections_catch_up() -> None:
    """Bring every view to the head of the log once, then exit (1 if a view is stalled)."""
    try:
        applied = services().runner.catch_up()
    except ProjectionStalled as e:
        raise click.ClickException(str(e)) from None
    click.echo(f"applied {applied} events")


# The users an empty store gets with the sample: the administrator manages users and tokens
# and reads, but acts in no area; the standing office's officer is who acts in the
# demonstration (README, "The tokens make run prints").
SAMPLE_ADMIN = "admin"
SAMPLE_STANDING_OFFICE = "thuong.truc"


def ensure_sample(s: Any, *, provinces: int | None = None) -> str | None:
    """Load the sample organisation and its two users if the store is empty; return the
    admin's username. ``provinces`` limits the provinces loaded (tests)."""
    from domain import sample_org
    from domain.sample_loader import load_sample

    if s.runner.head() > 0:
        return None
    actor = operator()
    load_sample(s.app, actor, year=s.settings.sample_year, provinces=provinces,
                progress=lambda m: click.echo(f"  loading sample: {m}", err=True))
    s.app.register_user(actor, username=SAMPLE_ADMIN, full_name="Quản trị hệ thống",
                        roles=["admin"], unit_code=None)
    s.app.register_user(actor, username=SAMPLE_STANDING_OFFICE,
                        full_name="Thường trực Hội đồng Thi đua - Khen thưởng ngành",
                        roles=["standing_office"], unit_code=sample_org.STANDING_OFFICE)
    return SAMPLE_ADMIN


def demo_tokens(s: Any) -> tuple[dict[str, str], list[str]]:
    """A day's token for each sample user the store has ({username: secret}), and notes on
    what is missing or more than it should be (a store made by an earlier release)."""
    found: dict[str, str] = {}
    notes: list[str] = []
    for username in (SAMPLE_ADMIN, SAMPLE_STANDING_OFFICE):
        try:
            (secret, _), _ = s.app.issue_token(operator(), username, label="make run", days=1)
        except DomainError as e:
            notes.append(f"no token for {username}: {e.message}")
            continue
        found[username] = secret
    if SAMPLE_STANDING_OFFICE not in found:
        notes.append(f"to act in the demonstration, make a standing-office user: flask users "
                     f"create {SAMPLE_STANDING_OFFICE} --name 'Thường trực' --role "
                     "standing_office --unit VTDKT; flask tokens issue "
                     f"{SAMPLE_STANDING_OFFICE}")
    if SAMPLE_ADMIN in found:
        extra = [r for r in s.app.user(SAMPLE_ADMIN).roles if r != "admin"]
        if extra:
            notes.append(f"{SAMPLE_ADMIN} also holds {', '.join(extra)} (a store made by an "
                         f"earlier release): flask users revoke {SAMPLE_ADMIN} ROLE --reason "
                         "'admin only'")
    return found, notes


@sample.command("load")
def sample_load() -> None:
    """Load the sample organisation into an empty store."""
    if ensure_sample(services()) is None:
        raise click.ClickException("The store is not empty; the sample loads only into an "
                                   "empty store.")
    click.echo("sample organisation loaded")


def serve(app: Flask) -> None:
    """Development server: sample data if empty, projections in-process, API on HOST:PORT."""
    from werkzeug.serving import run_simple

    s = app.extensions["thidua"]
    with app.app_context():
        ensure_sample(s)
        found, notes = demo_tokens(s)
    s.runner.start()

    def interrupted(*_: object) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # one stop at a time
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)  # stop cleanly (embedded server too)
    signal.signal(signal.SIGINT, interrupted)
    base = f"http://{s.settings.host}:{s.settings.port}"
    lines = [f"\nthidua is serving on {base}", f"  API docs:        {base}/docs",
             f"  OpenAPI:         {base}/openapi.json"]
    if SAMPLE_ADMIN in found:
        lines.append(f"  admin token:     {found[SAMPLE_ADMIN]}  (users, tokens, reads)")
    if SAMPLE_STANDING_OFFICE in found:
        lines.append(f"  standing office: {found[SAMPLE_STANDING_OFFICE]}  "
                     f"({SAMPLE_STANDING_OFFICE}: units, groups, cycles, decisions)")
    lines += [f"  note:            {note}" for note in notes]
    if found:
        any_token = next(iter(found.values()))
        lines.append(f"  try:             curl -H 'Authorization: Bearer {any_token}' "
                     f"{base}/units")
    click.echo("\n".join(lines) + "\n")
    try:
        run_simple(s.settings.host, s.settings.port, app, threaded=True, use_reloader=False)
    except KeyboardInterrupt:
        pass
    finally:
        click.echo("stopping: projections, connections, embedded PostgreSQL", err=True)
        s.close(stop_embedded=True)


@click.command("serve")
def serve_command() -> None:
    """Serve the API for development (what `make run` does)."""
    serve(current_app._get_current_object())  # type: ignore[attr-defined]


def register_cli(app: Flask) -> None:
    for group in (users, tokens, projections, sample):
        app.cli.add_command(group)
    app.cli.add_command(serve_command)
    from web.audit_cli import register as register_audit

    register_audit(app)  # flask audit ..., flask replay
    from web.sample_cli import register as register_sample_year

    register_sample_year(sample)  # flask sample year

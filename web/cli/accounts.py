"""``flask users`` and ``flask tokens``: accounts and bearer tokens, through the same use cases and
rights table as the API."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from domain.kernel.errors import DomainError
from web.cli.common import FREE_TEXT, LINE, fail, operator, services

users = AppGroup("users", help="Register users and manage their roles.")
tokens = AppGroup("tokens", help="Issue and revoke bearer tokens.")


@users.command("create")
@click.argument("username", type=LINE)
@click.option("--name", "full_name", type=LINE, required=True, help="Full name.")
@click.option("--role", "roles", type=LINE, multiple=True, required=True,
              help="Role (repeatable).")
@click.option("--unit", "unit_code", type=LINE, default=None,
              help="Code of the unit the user acts for (none for admin, auditor, inspector "
                   "or leader).")
@click.option("--assign", "assigned", type=LINE, multiple=True,
              help="Central unit a leader approves.")
def users_create(username: str, full_name: str, roles: tuple[str, ...], unit_code: str | None,
                 assigned: tuple[str, ...]) -> None:
    try:
        done = services().app.register_user(
            operator(), username=username, full_name=full_name, roles=list(roles),
            unit_code=unit_code, assigned_unit_codes=list(assigned))
    except DomainError as e:
        fail(e)
    user = done.view
    click.echo(f"registered {user['username']} ({', '.join(user['roles'])}) at position "
               f"{done.position}")


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
@click.argument("username", type=LINE)
@click.option("--reason", type=FREE_TEXT, required=True, help="Why (recorded with the event).")
def users_disable(username: str, reason: str) -> None:
    """Disable USERNAME: every token of theirs stops at once, and for good."""
    try:
        services().app.disable_user(operator(), username, reason)
    except DomainError as e:
        fail(e)
    click.echo(f"{username} is disabled; their tokens no longer work")


@users.command("enable")
@click.argument("username", type=LINE)
@click.option("--reason", type=FREE_TEXT, required=True, help="Why (recorded with the event).")
def users_enable(username: str, reason: str) -> None:
    """Enable USERNAME again; the tokens issued before the disable stay refused."""
    try:
        services().app.enable_user(operator(), username, reason)
    except DomainError as e:
        fail(e)
    click.echo(f"{username} is enabled; issue them a new token (`flask tokens issue "
               f"{username}`)")


@users.command("transfer")
@click.argument("username", type=LINE)
@click.option("--unit", "unit_code", type=LINE, required=True, help="The unit from now on.")
@click.option("--effective", type=LINE, required=True, help="The day it takes effect "
              "(YYYY-MM-DD, not after today).")
@click.option("--reason", type=FREE_TEXT, required=True, help="Why (recorded with the event).")
def users_transfer(username: str, unit_code: str, effective: str, reason: str) -> None:
    """Transfer USERNAME to another unit from the effective day; the roles stay."""
    try:
        services().app.transfer_user(operator(), username, unit_code=unit_code,
                                     effective=effective, reason=reason)
    except DomainError as e:
        fail(e)
    click.echo(f"{username} acts for {unit_code} from {effective}")


@tokens.command("issue")
@click.argument("username", type=LINE)
@click.option("--label", type=LINE, default="cli")
@click.option("--days", default=90, type=int)
def tokens_issue(username: str, label: str, days: int) -> None:
    """Print a new token for USERNAME (shown once)."""
    try:
        token = services().app.issue_token(operator(), username, label=label,
                                           days=days).view
    except DomainError as e:
        fail(e)
    click.echo(f"token id {token['id']}, expires {token['expires_at']}")
    click.echo(token["secret"])


@tokens.command("revoke")
@click.argument("token_id", type=LINE)
@click.option("--reason", type=FREE_TEXT, default=None)
def tokens_revoke(token_id: str, reason: str | None) -> None:
    try:
        services().app.revoke_token(operator(), token_id, reason)
    except DomainError as e:
        fail(e)
    click.echo(f"revoked {token_id}")

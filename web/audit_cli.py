"""CLI of the audit trail: ``flask audit export|verify|checkpoint`` and ``flask replay YEAR``."""

from __future__ import annotations

import pathlib
import sys
from typing import Any

import click
import psycopg
from flask.cli import AppGroup, with_appcontext

from projections import verifier
from projections.export import write_bundle
from projections.replay import rebuild_and_compare, verify_store
from web.database import migrate, with_search_path

audit = AppGroup("audit", help="The tamper-evident audit trail: export, verify, checkpoint.")


def services() -> Any:
    from web.cli import services as current

    return current()


def caught_up(s: Any) -> None:
    """Bring the views to the head, unless a background runner already follows the log."""
    if getattr(s.runner, "_thread", None) is None:
        s.runner.catch_up()


def views(s: Any) -> psycopg.Connection[Any]:
    return psycopg.connect(with_search_path(s.url, s.settings.views_schema), autocommit=True)


@audit.command("export")
@click.argument("directory", type=click.Path(file_okay=False, path_type=pathlib.Path))
@click.option("--from", "first", type=int, default=None,
              help="First chain position (moved back to just after the last checkpoint).")
@click.option("--to", "last", type=int, default=None, help="Last chain position.")
def audit_export(directory: pathlib.Path, first: int | None, last: int | None) -> None:
    """Write a bundle inspectors verify offline: audit.jsonl, checkpoints.json,
    public_key.pem, anchor.json (mid-chain), verifier.py."""
    s = services()
    caught_up(s)
    with views(s) as conn:
        done = write_bundle(conn, s.extra["audit_signer"], directory, first=first, last=last)
    click.echo(f"wrote {done['lines']} entries ({done['first']}..{done['last']}) and "
               f"{done['checkpoints']} checkpoints to {directory}; verify with: "
               f"python {directory / 'verifier.py'} {directory}")


@audit.command("verify")
@click.argument("bundle", required=False,
                type=click.Path(exists=True, file_okay=False, path_type=pathlib.Path))
@click.option("--against-store", is_flag=True,
              help="Recompute the trail from the stored events and compare it with the audit "
                   "table and its checkpoints.")
def audit_verify(bundle: pathlib.Path | None, against_store: bool) -> None:
    """Check a bundle's hashes and signatures (and/or the database); name the first broken
    line and why. Exit status 1 when something is broken."""
    if bundle is None and not against_store:
        raise click.UsageError("Give a BUNDLE directory, --against-store, or both.")
    broken = False
    if bundle is not None:
        result = verifier.verify_bundle(bundle)
        click.echo(f"bundle: {result}")
        broken |= not result.ok
    if against_store:
        s = services()
        caught_up(s)
        with views(s) as conn:
            report = verify_store(s.app, conn, s.extra["audit_signer"].key.public_key())
        click.echo(f"store: {report}")
        broken |= not report.ok
    if broken:
        sys.exit(1)


@audit.command("checkpoint")
@click.option("--force", is_flag=True, help="Sign even if the latest checkpoint covers the head.")
def audit_checkpoint(force: bool) -> None:
    """Sign a checkpoint of the trail's current head now."""
    s = services()
    caught_up(s)
    with views(s) as conn:
        cp = s.extra["audit_signer"].checkpoint(conn, "on_demand", force=force)
    click.echo(f"checkpoint: size {cp['size']}, head {cp['head']}, key {cp['key_id']}, "
               f"signed {cp['signed_at']} ({cp['reason']})")


@click.command("replay")
@with_appcontext
@click.argument("year", type=int)
@click.option("--keep", is_flag=True, help="Keep the scratch schema for inspection.")
def replay_command(year: int, keep: bool) -> None:
    """Rebuild every view from the events into a scratch schema and compare it with the live
    views, table by table (the YEAR's rows where a table has a year)."""
    from web.bootstrap import build_projections

    s = services()
    caught_up(s)
    head = s.runner.head()
    with click.progressbar(length=max(head, 1) * len(s.projections), label="rebuilding",
                           file=sys.stderr) as bar:
        report = rebuild_and_compare(s.app, s.url, s.projections, s.settings.views_schema,
                                     migrate=migrate, build=build_projections, year=year,
                                     progress=bar.update, keep=keep)
    click.echo(str(report))
    if not report.equal:
        sys.exit(1)


def register(app: Any) -> None:
    app.cli.add_command(audit)
    app.cli.add_command(replay_command)

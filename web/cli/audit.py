"""CLI of the audit trail: ``flask audit export|verify|checkpoint`` and ``flask replay YEAR``."""

from __future__ import annotations

import json
import os
import pathlib
import sys
from typing import Any

import click
import psycopg
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from flask.cli import AppGroup, with_appcontext

from projections import verifier
from projections.audit_verify import BROKEN, EXIT, OK, UNANCHORED, verify_store
from projections.export import write_bundle
from projections.replay import rebuild_and_compare
from web.cli.common import services
from web.cli.progress import Progress, progress_option
from web.database import migrate, with_search_path

audit = AppGroup("audit", help="The tamper-evident audit trail: export, verify, checkpoint.")




def caught_up(s: Any, shown: bool | None = None) -> None:
    """Bring the views to the head, unless a background runner already follows the log
    (with the progress of it, see web/cli/progress.py)."""
    if getattr(s.runner, "_thread", None) is not None:
        return
    behind = s.runner.head() - min(p.view.position(s.app.name) for p in s.projections.values())
    with Progress("catching up", shown if behind > 0 else False) as bar:
        bar.start(max(behind, 0) * len(s.projections))
        s.runner.catch_up(progress=bar.advance)


def views(s: Any) -> psycopg.Connection[Any]:
    return psycopg.connect(with_search_path(s.url, s.settings.views_schema), autocommit=True)


@audit.command("export")
@click.argument("directory", type=click.Path(file_okay=False, path_type=pathlib.Path))
@click.option("--from", "first", type=int, default=None,
              help="First chain position (moved back to just after the last checkpoint).")
@click.option("--to", "last", type=int, default=None, help="Last chain position.")
@progress_option
def audit_export(directory: pathlib.Path, first: int | None, last: int | None,
                 progress: bool | None) -> None:
    """Write a bundle inspectors verify offline: audit.jsonl, checkpoints.json,
    public_key.pem, anchor.json (mid-chain), verifier.py."""
    s = services()
    caught_up(s, progress)
    with views(s) as conn, Progress("exporting", progress) as bar:
        done = write_bundle(conn, s.extra["audit_signer"], directory, first=first, last=last,
                            progress=bar)
    click.echo(f"wrote {done['lines']} entries ({done['first']}..{done['last']}) and "
               f"{done['checkpoints']} checkpoints to {directory}; verify with: "
               f"python {directory / 'verifier.py'} {directory}")


def public_key(path: pathlib.Path) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(path.read_bytes())
    except ValueError as e:
        raise click.BadParameter(f"{path} is not a PEM public key: {e}") from None
    if not isinstance(key, Ed25519PublicKey):
        raise click.BadParameter(f"{path} is not an Ed25519 public key")
    return key


@audit.command("verify")
@click.argument("bundle", required=False,
                type=click.Path(exists=True, file_okay=False, path_type=pathlib.Path))
@click.option("--against-store", is_flag=True,
              help="Recompute the trail from the stored events and compare it with the audit "
                   "table and its checkpoints.")
@click.option("--anchor", type=click.Path(exists=True, dir_okay=False, path_type=pathlib.Path),
              help="Checkpoints held outside the database (a bundle's checkpoints.json, or a "
                   "file from 'audit checkpoint --out'): the trail must agree with them.")
@click.option("--key", "keys", multiple=True,
              type=click.Path(exists=True, dir_okay=False, path_type=pathlib.Path),
              help="An earlier public key (PEM) whose checkpoints the database may hold; "
                   "repeatable. The configured key is always known.")
@progress_option
def audit_verify(bundle: pathlib.Path | None, against_store: bool, anchor: pathlib.Path | None,
                 keys: tuple[pathlib.Path, ...], progress: bool | None) -> None:
    """Check a bundle's hashes and signatures (and/or the database); name the first broken
    line and why. Exit status 0 OK, 1 BROKEN, 3 UNANCHORED (the database's trail verifies
    but no signed checkpoint vouches for it), 2 for a wrong command line."""
    if bundle is None and not against_store:
        raise click.UsageError("Give a BUNDLE directory, --against-store, or both.")
    statuses = []
    if bundle is not None:
        with Progress("verifying the bundle", progress) as bar:
            result = verifier.verify_bundle(bundle, anchor, progress=bar)
        click.echo(f"bundle: {result}")
        statuses.append(OK if result.ok else BROKEN)
    if against_store:
        earlier = [public_key(k) for k in keys]
        try:
            held = verifier.load_anchor(anchor) if anchor is not None else []
        except verifier.Broken as e:
            click.echo(f"store: BROKEN: {e.reason}")
            sys.exit(EXIT[BROKEN])
        s = services()
        caught_up(s, progress)
        with views(s) as conn, Progress("verifying the store", progress) as bar:
            report = verify_store(s.app, conn, s.extra["audit_signer"].key.public_key(),
                                  known_keys=earlier, anchors=held, progress=bar)
        click.echo(f"store: {report}")
        statuses.append(report.status)
    worst = next((st for st in (BROKEN, UNANCHORED) if st in statuses), OK)
    if worst != OK:
        sys.exit(EXIT[worst])


@audit.command("checkpoint")
@click.option("--force", is_flag=True, help="Sign even if the latest checkpoint covers the head.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=pathlib.Path),
              help="Also write the checkpoint to this file (a JSON list, as in a bundle's "
                   "checkpoints.json), to keep or publish outside the database and verify "
                   "with --anchor.")
def audit_checkpoint(force: bool, out: pathlib.Path | None) -> None:
    """Sign a checkpoint of the trail's current head now."""
    s = services()
    caught_up(s)
    with views(s) as conn:
        cp = s.extra["audit_signer"].checkpoint(conn, "on_demand", force=force)
    click.echo(f"checkpoint: size {cp['size']}, head {cp['head']}, key {cp['key_id']}, "
               f"signed {cp['signed_at']} ({cp['reason']})")
    if out is not None:
        publish(cp, out)
        click.echo(f"written to {out}")


def publish(cp: dict[str, Any], out: pathlib.Path) -> None:
    """Write ``cp`` to ``out`` as a one-checkpoint checkpoints.json, whole or not at all."""
    keys = ("origin", "size", "head", "signature", "key_id", "signed_at")
    text = json.dumps([{k: cp[k] for k in keys}], ensure_ascii=False, indent=1) + "\n"
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, out)


@click.command("replay")
@with_appcontext
@click.argument("year", type=int)
@click.option("--keep", is_flag=True, help="Keep the scratch schema for inspection.")
@progress_option
def replay_command(year: int, keep: bool, progress: bool | None) -> None:
    """Rebuild every view from the events into a scratch schema and compare it with the live
    views, table by table (the YEAR's rows where a table has a year)."""
    from web.bootstrap import build_projections

    s = services()
    caught_up(s, progress)
    head = s.runner.head()
    with Progress("rebuilding", progress) as bar:
        bar.start(max(head, 1) * len(s.projections))
        report = rebuild_and_compare(s.app, s.url, s.projections, s.settings.views_schema,
                                     migrate=migrate, build=build_projections, year=year,
                                     progress=bar.advance, keep=keep)
    click.echo(str(report))
    if not report.equal:
        sys.exit(1)


def register(app: Any) -> None:
    app.cli.add_command(audit)
    app.cli.add_command(replay_command)

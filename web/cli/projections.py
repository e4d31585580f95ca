"""``flask projections run|catch-up``: the worker that keeps the views current."""

from __future__ import annotations

import contextlib
import logging
import signal
import threading

import click
from flask.cli import AppGroup

from projections.runner import ProjectionStalled
from web.cli.common import services
from web.cli.progress import Progress, progress_option

projections = AppGroup("projections", help="Run the projections that build the views.")


@projections.command("run")
@progress_option
def projections_run(progress: bool | None) -> None:
    """Catch up (in batches), then follow the log until interrupted."""
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    s = services()
    behind = s.runner.head() - min(p.view.position(s.app.name) for p in s.projections.values())
    with Progress("catching up", progress if behind > 0 else False) as bar:
        bar.start(max(behind, 0) * len(s.projections))
        try:
            s.runner.catch_up(progress=bar.advance)
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

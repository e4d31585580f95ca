"""``flask serve``: the development server `make run` starts."""

from __future__ import annotations

import signal

import click
from flask import Flask, current_app

from domain.evaluation.cycle import cycle_id
from domain.sample.loader import LATER_YEAR
from web.cli.common import services
from web.cli.sample import SAMPLE_ADMIN, SAMPLE_STANDING_OFFICE, demo_tokens, ensure_sample


def serve(app: Flask) -> None:
    """Development server: sample data if empty, projections in-process, API on HOST:PORT."""
    from werkzeug.serving import run_simple

    with app.app_context():
        s = services()
    with app.app_context():
        ensure_sample(s)
        found, notes = demo_tokens(s)
        later = (s.app.cycle(LATER_YEAR) if s.app.exists(cycle_id(LATER_YEAR)) else None)
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
    if later is not None:
        lines.append(f"  sample worlds:   {base}/units?date=2024-06-01&level=province (2024) and "
                     f"?date=2026-06-01 (2026); the {later.year} cycle is {later.state}, due "
                     f"{later.deadline}")
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

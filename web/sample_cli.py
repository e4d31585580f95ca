"""``flask sample year``: fill a synthetic year of demonstration data (bench/generator.py)
through the same use cases as the API."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from domain.errors import DomainError
from domain.evaluation import cycle_id


def register(group: AppGroup) -> None:
    group.add_command(sample_year)


@click.command("year")
@click.option("--provinces", type=click.IntRange(1, 63), default=None,
              help="Only the first N provinces (when the organisation is loaded now).")
@click.option("--year", "first_year", type=int, default=None,
              help="The year to fill (default: the first without an evaluation cycle).")
@click.option("--years", type=click.IntRange(1, 20), default=1, help="Consecutive years.")
@click.option("--seed", type=int, default=1, help="Same seed, same events.")
def sample_year(provinces: int | None, first_year: int | None, years: int, seed: int) -> None:
    """Fill a synthetic year: the sample organisation if the store is empty, users, elections,
    covenants, every kind of score sheet, nominations, field reports, summaries, the
    decision."""
    from bench.generator import generate

    s = current_app.extensions["thidua"]
    if first_year is None:
        first_year = s.settings.sample_year
        while s.app.exists(cycle_id(first_year)):
            first_year += 1
    try:
        result = generate(s.app, years=years, first_year=first_year, seed=seed,
                          provinces=provinces,
                          progress=lambda m: click.echo(f"  {m}", err=True))
    except (DomainError, ValueError) as e:
        raise click.ClickException(str(getattr(e, "message", e))) from None
    counts = ", ".join(f"{k} {v}" for k, v in result["counts"].items() if v)
    click.echo(f"{result['events']} events for {first_year}"
               f"{'-' + str(first_year + years - 1) if years > 1 else ''} in "
               f"{result['seconds']} s: {counts}")

"""``flask sample load|year``: the sample organisation and its users, and a synthetic year of
demonstration data, through the same use cases as the API."""

from __future__ import annotations

from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup

from domain.evaluation.cycle import cycle_id
from domain.kernel.errors import DomainError
from web.cli.common import operator, services
from web.cli.progress import Progress, progress_option

sample = AppGroup("sample", help="The sample organisation.")


# The users an empty store gets with the sample: the administrator manages users and tokens
# and reads, but acts in no area; the standing office's officer is who acts in the
# demonstration (README, "The tokens make run prints").
SAMPLE_ADMIN = "admin"
SAMPLE_STANDING_OFFICE = "thuong.truc"


def ensure_sample(s: Any, *, provinces: int | None = None) -> str | None:
    """Load the sample organisation and its two users if the store is empty; return the
    admin's username. ``provinces`` limits the provinces loaded (tests)."""
    from domain.sample import organisation as sample_org
    from domain.sample.loader import load_later_years, load_sample
    from domain.sample.years import cycle_setup_2026

    if s.runner.head() > 0:
        return None
    actor = operator()

    def say(m: str) -> None:
        click.echo(f"  loading sample: {m}", err=True)

    load_sample(s.app, actor, year=s.settings.sample_year, provinces=provinces, progress=say)
    standing_office = sample_org.STANDING_OFFICE
    if provinces is None and s.settings.sample_year == sample_org.SAMPLE_YEAR:
        # the second world: the 2025 reorganisation, the 2026 groups and cycle
        load_later_years(s.app, actor, progress=say)
        standing_office = cycle_setup_2026()["standing_office_code"]
    s.app.register_user(actor, username=SAMPLE_ADMIN, full_name="Quản trị hệ thống",
                        roles=["admin"], unit_code=None)
    s.app.register_user(actor, username=SAMPLE_STANDING_OFFICE,
                        full_name="Thường trực Hội đồng Thi đua - Khen thưởng ngành",
                        roles=["standing_office"], unit_code=standing_office)
    return SAMPLE_ADMIN


def demo_tokens(s: Any) -> tuple[dict[str, str], list[str]]:
    """A day's token for each sample user the store has ({username: secret}), and notes on
    what is missing or more than it should be (a store made by an earlier release)."""
    found: dict[str, str] = {}
    notes: list[str] = []
    for username in (SAMPLE_ADMIN, SAMPLE_STANDING_OFFICE):
        try:
            secret = s.app.issue_token(operator(), username, label="make run",
                                       days=1).view["secret"]
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


@sample.command("year")
@click.argument("year", type=int, required=False)
@click.option("--provinces", type=click.IntRange(1, 63), default=None,
              help="Only the first N provinces (when the organisation is loaded now; "
                   "2024 only).")
@click.option("--year", "first_year", type=int, default=None,
              help="The year to fill (default: the first without an evaluation cycle).")
@click.option("--years", type=click.IntRange(1, 20), default=1, help="Consecutive years.")
@click.option("--seed", type=int, default=1, help="Same seed, same events.")
@progress_option
def sample_year(year: int | None, provinces: int | None, first_year: int | None, years: int,
                seed: int, progress: bool | None) -> None:
    """Fill a synthetic year (`flask sample year 2024`, `flask sample year 2026`): the
    sample organisation if the store is empty, users, elections, covenants, every kind of
    score sheet, nominations, field reports, summaries, the decision. A year after 2024 runs
    on the units the 2025 reorganisation left."""
    from domain.sample.generator import generate

    s = current_app.extensions["thidua"]
    if year is not None and first_year is not None and year != first_year:
        raise click.UsageError("Give the year once: YEAR or --year.")
    first_year = year if year is not None else first_year
    if provinces is None:
        ensure_sample(s)  # an empty store: both worlds, as make run loads them
    if first_year is None:
        first_year = s.settings.sample_year
        while s.app.exists(cycle_id(first_year)) and first_year < 2100:
            c = s.app.cycle(first_year)
            if c.state == "open":
                break
            first_year += 1
    try:
        with Progress("acts of the year", progress) as bar:
            result = generate(s.app, years=years, first_year=first_year, seed=seed,
                              provinces=provinces,
                              progress=lambda m: bar.note(f"  {m}"), steps=bar)
    except (DomainError, ValueError) as e:
        raise click.ClickException(str(getattr(e, "message", e))) from None
    counts = ", ".join(f"{k} {v}" for k, v in result["counts"].items() if v)
    click.echo(f"{result['events']} events for {first_year}"
               f"{'-' + str(first_year + years - 1) if years > 1 else ''} in "
               f"{result['seconds']} s: {counts}")

"""``flask units reorganise FILE``: record a reorganisation from a file, through the same use
case and rights table as the API (POST /reorganisations)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from flask.cli import AppGroup

from domain.kernel.errors import DomainError, InvalidInput, TooLarge
from domain.organisation.reorganisation import LIMITS
from web.cli.common import LINE, fail, operator, services
from web.cli.progress import Progress, progress_option

units = AppGroup("units", help="Changes of the organisation's units.")
HEADER = ("number", "signed", "issuer", "basis", "effective")


@units.command("reorganise")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--number", type=LINE, default=None, help="The decision's number.")
@click.option("--signed", type=LINE, default=None, help="The day it was signed (YYYY-MM-DD).")
@click.option("--issuer", type=LINE, default=None, help="Who issued it.")
@click.option("--basis", type=LINE, default=None, help="Its legal basis.")
@click.option("--effective", type=LINE, default=None,
              help="The day its changes take effect (YYYY-MM-DD).")
@progress_option
def units_reorganise(file: Path, progress: bool | None, **options: str | None) -> None:
    """Record the decision in FILE: JSON of the same shape as the API's body (header fields
    and "changes"), or a CSV/XLSX of changes with the header given as options. An option
    given replaces the JSON's field. Every change applies, or none."""
    app = services().app
    given = {k: v for k, v in options.items() if v is not None}
    try:
        with Progress("applying the changes", progress) as bar:
            if file.suffix.lower() == ".json":
                body = _json(file)
                header = {k: given.get(k, body.get(k)) for k in HEADER}
                done = app.reorganise(operator(), changes=body.get("changes"), progress=bar,
                                      **header)
            else:
                missing = [f"--{k}" for k in HEADER if k not in given]
                if missing:
                    raise click.UsageError(f"A CSV or XLSX file needs {', '.join(missing)}.")
                with file.open("rb") as stream:
                    done = app.reorganise_file(operator(), content=stream, filename=file.name,
                                               progress=bar, **{k: given[k] for k in HEADER})
    except DomainError as e:
        fail(e)
    v = done.view
    click.echo(f"recorded {v['number']} of {v['issuer']} (id {v['id']}), effective "
               f"{v['effective']}: {v['change_count']} change(s) to {v['unit_count']} unit(s), "
               f"at position {done.position}")


def _json(file: Path) -> dict[str, Any]:
    with file.open("rb") as stream:
        content = stream.read(LIMITS.file_bytes + 1)
    if len(content) > LIMITS.file_bytes:
        raise TooLarge(f"The file is larger than {LIMITS.file_bytes:,} bytes.", field="file",
                       rule="file_size")
    try:
        body = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise InvalidInput(f"The file is not JSON: {e}.", field="file",
                           rule="json_format") from None
    if not isinstance(body, dict):
        raise InvalidInput("The file holds one JSON object: the decision's fields and its "
                           "changes.", field="file", rule="json_object")
    return body

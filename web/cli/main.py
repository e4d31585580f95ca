"""``thidua``: the one command. The Flask CLI with the app factory built in, so no
``--app``/``FLASK_APP`` is needed: ``thidua run`` (what `make run` does), ``thidua
projections run``, ``thidua users ...``, ``thidua audit export DIR``, ``thidua replay 2024``,
``thidua sample year``; ``thidua shell`` and ``thidua routes`` as Flask's.
``flask --app web:create_app ...`` keeps working."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import FlaskGroup, routes_command, shell_command, with_appcontext


def _create() -> Flask:
    from web.app import create_app

    return create_app()


def build() -> click.Group:
    from web.cli.serve import serve_command

    group = FlaskGroup(name="thidua", create_app=_create, add_default_commands=False,
                       add_version_option=False, load_dotenv=False,
                       help="thidua: the emulation and evaluation records of Vietnam Social "
                            "Security (configuration: THIDUA_* variables, see the README).")
    # app.cli's commands get the app context from AppGroup; one added here needs it given
    assert serve_command.callback is not None
    group.add_command(click.Command("run", callback=with_appcontext(serve_command.callback),
                                    help=serve_command.help))
    group.add_command(shell_command)
    group.add_command(routes_command)
    return group


def main() -> None:
    build().main(prog_name="thidua")


if __name__ == "__main__":
    main()

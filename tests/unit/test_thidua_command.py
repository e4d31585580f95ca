"""The ``thidua`` command: installed as a console script, the Flask CLI with the factory
built in, `run` being what `make run` does."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

from web.cli.main import build

ROOT_DIR = Path(__file__).resolve().parents[2]


def test_the_console_script_is_declared():
    project = tomllib.loads((ROOT_DIR / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["scripts"]["thidua"] == "web.cli.main:main"


def test_thidua_lists_the_projects_commands_and_run_is_serve():
    group = build()
    assert group.name == "thidua"
    assert {"run", "shell", "routes"} <= set(group.commands)
    from web.cli.serve import serve_command

    assert group.commands["run"].help == serve_command.help


def test_thidua_help_names_the_commands(tmp_path):
    """A real process: `python -m web.cli.main --help` (what the console script runs)."""
    done = subprocess.run([sys.executable, "-m", "web.cli.main", "--help"], cwd=ROOT_DIR,
                          env={"THIDUA_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    for command in ("run", "projections", "users", "tokens", "audit", "replay", "sample"):
        assert f"  {command} " in done.stdout, command

"""The long commands show their progress on stderr when asked (``--progress``; by default
only on a terminal, which the test runner is not), and their scripted output on stdout is
the same with or without it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.support.evaluation import build_organisation, open_cycle


def invoke(cli: Any, *args: str) -> Any:
    result = cli.invoke(args=list(args))
    assert result.exit_code == 0, (args, result.output, result.exception)
    return result


def progress_lines(stderr: str, label: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith(f"{label}: ")]


def test_long_commands_show_progress_only_when_asked(api, flask_app, tmp_path: Path):
    build_organisation(api)
    open_cycle(api)
    cli = flask_app.test_cli_runner()

    quiet = invoke(cli, "audit", "export", str(tmp_path / "a"))
    shown = invoke(cli, "audit", "export", str(tmp_path / "b"), "--progress")
    assert progress_lines(quiet.stderr, "exporting") == []
    lines = progress_lines(shown.stderr, "exporting")
    assert lines and lines[-1].endswith("(100%)"), shown.stderr
    assert quiet.stdout.startswith("wrote ") and shown.stdout.startswith("wrote ")
    assert "exporting" not in shown.stdout  # progress never mixes into the output
    assert len(quiet.stdout.splitlines()) == len(shown.stdout.splitlines()) == 1

    for target in ("a", "b"):
        quiet = invoke(cli, "audit", "verify", str(tmp_path / target))
        shown = invoke(cli, "audit", "verify", str(tmp_path / target), "--progress")
        assert quiet.stdout == shown.stdout and quiet.stdout.startswith("bundle: OK")
        assert progress_lines(quiet.stderr, "verifying the bundle") == []
        assert progress_lines(shown.stderr, "verifying the bundle")[-1].endswith("(100%)")

    result = cli.invoke(args=["audit", "verify", "--against-store", "--progress"])
    assert result.exit_code in (0, 3), result.output  # OK, or UNANCHORED: no key given
    assert progress_lines(result.stderr, "verifying the store")[-1].endswith("(100%)")
    assert "verifying" not in result.stdout

    quiet = cli.invoke(args=["replay", "2024"])
    shown = cli.invoke(args=["replay", "2024", "--progress"])
    assert quiet.exit_code == shown.exit_code == 0, (quiet.output, shown.output)
    assert quiet.stdout == shown.stdout
    assert progress_lines(quiet.stderr, "rebuilding") == []
    assert progress_lines(shown.stderr, "rebuilding")[-1].endswith("(100%)")
    silenced = cli.invoke(args=["replay", "2024", "--no-progress"])
    assert silenced.stdout == quiet.stdout and "rebuilding" not in silenced.stderr


def test_a_reorganisation_from_the_command_line_shows_its_rows(api, flask_app,
                                                               tmp_path: Path):
    decision = tmp_path / "decision.json"
    decision.write_text(json.dumps({
        "number": "77/QĐ-BHXH", "signed": "2025-06-20", "issuer": "BHXH Việt Nam",
        "basis": "Điều lệ", "effective": "2025-07-01",
        "changes": [{"change": "register", "code": f"XP{i}", "name": f"Đơn vị XP{i}",
                     "level": "central"} for i in range(25)]}), encoding="utf-8")
    result = invoke(flask_app.test_cli_runner(), "units", "reorganise", str(decision),
                    "--progress")
    lines = progress_lines(result.stderr, "applying the changes")
    assert lines[0] == "applying the changes: 0/25 (0%)", result.stderr
    assert lines[-1] == "applying the changes: 25/25 (100%)"
    assert "25 change(s) to 25 unit(s)" in result.stdout

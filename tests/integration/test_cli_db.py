"""``thidua db url`` and ``thidua db shell``: SQL on the database thidua uses, for an
operator (a real process running psql)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT_DIR = Path(__file__).resolve().parents[2]


def thidua(db_url: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": db_url, "THIDUA_DATA_DIR": str(tmp_path)}
    return subprocess.run([sys.executable, "-m", "web.cli.main", *args], cwd=ROOT_DIR,
                          env=env, capture_output=True, text=True, timeout=120)


def test_db_url_and_a_statement_through_the_shell(db_url, tmp_path, app):
    from tests.support.core import ROOT

    app.register_unit(ROOT, code="P01", name="BHXH thành phố Hà Nội", level="province",
                      parent_code=None, effective="2020-01-01")
    url = thidua(db_url, tmp_path, "db", "url")
    assert url.returncode == 0, url.stderr
    assert url.stdout.strip() == db_url
    done = thidua(db_url, tmp_path, "db", "shell", "--", "-At", "-c",
                  "SELECT count(*) FROM public.thidua_events WHERE topic = "
                  "'thidua:Unit.Registered'")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "1"
    bad = thidua(db_url, tmp_path, "db", "shell", "--", "-At", "-v", "ON_ERROR_STOP=1", "-c",
                 "SELECT * FROM no_such_table")
    assert bad.returncode != 0 and "no_such_table" in bad.stderr

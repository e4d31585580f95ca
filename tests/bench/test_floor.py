"""The bench's same-stack floor (bench/floor.py) does what its figure claims: one token
lookup, a validated body, one committed row; and it refuses what thidua would refuse."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from psycopg.sql import SQL, Identifier

from bench import floor
from tests.support.core import with_db

SCORES = {f"C{i:02d}": "4.5" for i in range(1, 21)}
BODY = {"year": 2026, "kind": "province_to_central", "subject_code": "BTHU", "scores": SCORES}


@pytest.fixture
def client(server_url: str) -> Iterator[Any]:
    name = f"thidua_floor_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(SQL("CREATE DATABASE {}").format(Identifier(name)))
    url = with_db(server_url, name)
    floor.prepare(url, [("secret-p01", "P01")])
    app = floor.create_app(url, pool_size=1, pool_overflow=1)
    try:
        yield app.test_client()
    finally:
        floor.close(app)
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(SQL("DROP DATABASE {} WITH (FORCE)").format(Identifier(name)))


def test_a_write_and_its_submission_commit_one_row_each(client: Any) -> None:
    auth = {"Authorization": "Bearer secret-p01"}
    written = client.put("/evaluation/sheets", json=BODY, headers=auth)
    assert written.status_code == 200, written.get_json()
    sid = written.get_json()["id"]
    again = client.put("/evaluation/sheets", json=BODY, headers=auth)
    assert again.get_json() == {"id": sid, "version": 2}  # the same sheet, written again
    submitted = client.post(f"/evaluation/sheets/{sid}/submit", json={}, headers=auth)
    assert submitted.get_json() == {"id": sid, "version": 3}


def test_a_bad_token_is_refused(client: Any) -> None:
    for header in ({"Authorization": "Bearer not-a-token"}, {}):
        r = client.put("/evaluation/sheets", json=BODY, headers=header)
        assert r.status_code == 401


def test_a_bad_body_is_refused_with_its_field(client: Any) -> None:
    auth = {"Authorization": "Bearer secret-p01"}
    for bad, field in (({**BODY, "colour": "red"}, "colour"), ({**BODY, "kind": "x"}, "kind"),
                       ({**BODY, "scores": {"C01": "many"}}, "scores")):
        r = client.put("/evaluation/sheets", json=bad, headers=auth)
        assert r.status_code == 422
        assert field in r.get_json()["message"]

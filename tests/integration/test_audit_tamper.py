"""An export of a generated year verifies offline; every kind of tampering is detected and
located: in the bundle (a byte, a deleted, swapped or duplicated line, CRLF, a BOM, an edited
checkpoint, a wrong key) and in the database (a stored event or an audit row edited)."""

from __future__ import annotations

import json
import pathlib
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from projections import auditchain, verifier
from projections.audit import Signer, read_head
from projections.export import write_bundle
from projections.replay import verify_store
from tests.integration.test_replay import generate_year
from web.app import create_app
from web.database import with_search_path

K = 5  # the line tampered with


@pytest.fixture
def year(services: Any) -> int:
    return generate_year(services)


@pytest.fixture
def cli(services: Any, settings: Any) -> Any:
    return create_app(settings, services).test_cli_runner()


@pytest.fixture
def bundle(year: int, cli: Any, tmp_path: pathlib.Path) -> pathlib.Path:
    directory = tmp_path / "bundle"
    result = cli.invoke(args=["audit", "export", str(directory)])
    assert result.exit_code == 0, result.output
    return directory


def views(services: Any) -> psycopg.Connection[Any]:
    return psycopg.connect(with_search_path(services.url, "views"), autocommit=True)


def copy(bundle: pathlib.Path, tmp_path: pathlib.Path, name: str) -> pathlib.Path:
    target = tmp_path / name
    shutil.copytree(bundle, target)
    return target


def lines(directory: pathlib.Path) -> list[bytes]:
    return (directory / "audit.jsonl").read_bytes().splitlines(keepends=True)


def write_lines(directory: pathlib.Path, rows: list[bytes]) -> None:
    (directory / "audit.jsonl").write_bytes(b"".join(rows))


def test_export_of_a_generated_year_verifies(bundle, year, cli):
    result = verifier.verify_bundle(bundle)
    assert result.ok, str(result)
    assert result.lines == year  # one line per event
    assert sorted(p.name for p in bundle.iterdir()) == [
        "audit.jsonl", "checkpoints.json", "public_key.pem", "verifier.py"]
    out = subprocess.run([sys.executable, str(bundle / "verifier.py"), str(bundle)],
                         capture_output=True, text=True, check=False)
    assert out.returncode == 0 and out.stdout.startswith("OK:"), out.stdout + out.stderr
    first = json.loads(lines(bundle)[0])
    record = json.loads(first["line"])
    assert record["position"] == 1 and record["topic"] == "thidua:Unit.Registered"
    assert record["summary_vi"].startswith("Đăng ký đơn vị")
    text = (bundle / "audit.jsonl").read_text(encoding="utf-8")
    assert "Trần Thị Thanh Tra" in text and "token_hash" not in text
    result = cli.invoke(args=["audit", "verify", str(bundle), "--against-store"])
    assert result.exit_code == 0, result.output
    assert "bundle: OK" in result.output and "store: OK" in result.output


def test_export_from_mid_chain_uses_the_previous_checkpoint_as_anchor(services, year,
                                                                      tmp_path):
    signer = services.extra["audit_signer"]
    with views(services) as conn:
        signer.checkpoint_at(conn, 20, "on_demand")
        done = write_bundle(conn, signer, tmp_path / "mid", first=25, last=year - 3)
    assert done["first"] == 21 and done["anchor"]["size"] == 20
    assert json.loads((tmp_path / "mid" / "anchor.json").read_text())["size"] == 20
    result = verifier.verify_bundle(tmp_path / "mid")
    assert result.ok, str(result)
    assert result.lines == year - 3 - 20


def _edit_byte(directory: pathlib.Path) -> None:
    rows = lines(directory)
    at = rows[K - 1].index(b'\\"version\\":') + len(b'\\"version\\":')
    digit = rows[K - 1][at:at + 1]
    rows[K - 1] = rows[K - 1][:at] + (b"7" if digit != b"7" else b"8") + rows[K - 1][at + 1:]
    write_lines(directory, rows)


def _delete(directory: pathlib.Path) -> None:
    rows = lines(directory)
    del rows[K - 1]
    write_lines(directory, rows)


def _swap(directory: pathlib.Path) -> None:
    rows = lines(directory)
    rows[K - 1], rows[K] = rows[K], rows[K - 1]
    write_lines(directory, rows)


def _duplicate(directory: pathlib.Path) -> None:
    rows = lines(directory)
    rows.insert(K, rows[K - 1])
    write_lines(directory, rows)


def _crlf(directory: pathlib.Path) -> None:
    path = directory / "audit.jsonl"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))


def _bom(directory: pathlib.Path) -> None:
    path = directory / "audit.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())


def _checkpoint_size(directory: pathlib.Path) -> None:
    path = directory / "checkpoints.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data[-1]["size"] -= 1
    path.write_text(json.dumps(data), encoding="utf-8")


def _wrong_key(directory: pathlib.Path) -> None:
    other = Ed25519PrivateKey.generate()
    (directory / "public_key.pem").write_bytes(auditchain.public_key_pem(other))


@pytest.mark.parametrize(("tamper", "line_no", "reason"), [
    (_edit_byte, K, "hash mismatch"),
    (_delete, K, f"position {K + 1} expected {K}"),
    (_swap, K, f"position {K + 1} expected {K}"),
    (_duplicate, K + 1, f"position {K} expected {K + 1}"),
    (_crlf, 1, "CRLF"),
    (_bom, 1, "byte order mark"),
    (_checkpoint_size, None, "bad signature"),
    (_wrong_key, None, "bad signature"),
])
def test_tampering_with_a_bundle_is_detected_and_located(bundle, tmp_path, cli, tamper,
                                                         line_no, reason):
    target = copy(bundle, tmp_path, tamper.__name__)
    tamper(target)
    result = verifier.verify_bundle(target)
    assert not result.ok
    assert reason in (result.error or ""), str(result)
    if line_no is not None:
        assert result.line_no == line_no, str(result)
    out = cli.invoke(args=["audit", "verify", str(target)])
    assert out.exit_code == 1
    assert "BROKEN" in out.output and reason in out.output


def _event_row(services: Any, topic: str, needle: str) -> tuple[int, bytes]:
    with psycopg.connect(services.url) as conn:
        rows = conn.execute("SELECT notification_id, state FROM thidua_events WHERE topic = %s "
                            "ORDER BY notification_id", (topic,)).fetchall()
    return next((int(n), bytes(s)) for n, s in rows if needle.encode() in bytes(s))


def test_a_stored_event_edited_in_the_database_is_located(services, year, cli):
    position, state = _event_row(services, "thidua:Unit.Registered", "BHXH thành phố Hà Nội")
    edited = json.loads(state)
    edited["name"] = "BHXH thành phố Hải Phòng"
    with psycopg.connect(services.url, autocommit=True) as conn:
        conn.execute("UPDATE thidua_events SET state = %s WHERE notification_id = %s",
                     (json.dumps(edited).encode(), position))
    signer = services.extra["audit_signer"]
    with views(services) as conn:
        report = verify_store(services.app, conn, signer.key.public_key())
    assert not report.ok
    assert report.position == position, str(report)
    assert "data.name" in (report.reason or "") and "edited after the fact" in report.reason
    out = cli.invoke(args=["audit", "verify", "--against-store"])
    assert out.exit_code == 1
    assert f"BROKEN at position {position}" in out.output


def test_an_event_deleted_from_the_store_is_located(services, year):
    position, _ = _event_row(services, "thidua:User.Registered", "thanh.tra")
    with psycopg.connect(services.url, autocommit=True) as conn:
        conn.execute("DELETE FROM thidua_events WHERE notification_id = %s", (position,))
    with views(services) as conn:
        report = verify_store(services.app, conn)
    assert not report.ok and report.position == position
    assert "missing from the event store" in (report.reason or "")


def test_an_audit_row_edited_in_the_database_is_located(services, year):
    with psycopg.connect(services.url, autocommit=True) as conn:
        conn.execute("UPDATE views.audit_entries SET line = convert_to(replace(convert_from("
                     "line, 'UTF8'), 'thidua', 'thidux'), 'UTF8') WHERE seq = %s", (K,))
    with views(services) as conn:
        report = verify_store(services.app, conn)
    assert not report.ok and report.seq == K
    assert "audit row edited" in (report.reason or "")


def test_daily_checkpoint_closes_the_previous_day(services, year, tmp_path):
    now = [datetime(2024, 3, 1, 9, 0, tzinfo=UTC)]
    signer = Signer(tmp_path / "k.pem", "test", clock=lambda: now[0])
    with views(services) as conn, conn.cursor(row_factory=psycopg.rows.dict_row) as cur:
        chain = read_head(cur)
        signer.daily(cur, chain)  # none yet: signs
        signer.daily(cur, chain)  # the same day: nothing new
        cur.execute("SELECT count(*) AS n FROM audit_checkpoints WHERE origin = 'test'")
        assert cur.fetchone()["n"] == 1
        chain.append(b"{}")  # a later entry, seen the next day
        now[0] += timedelta(days=1)
        signer.daily(cur, chain)
        cur.execute("SELECT size, reason FROM audit_checkpoints WHERE origin = 'test' "
                    "ORDER BY id")
        assert [(r["size"], r["reason"]) for r in cur.fetchall()] == [
            (year, "daily"), (year + 1, "daily")]
    assert (tmp_path / "k.pem").exists()


def test_entries_read_a_page_ahead_are_the_entries_in_order(services, year):
    """iter_entries fetches the next page in a thread: every page size gives the same rows;
    stopping early (a client gone mid-download) ends the thread and leaves the connection
    usable; an export of several pages is the same CSV and JSONL as one page."""
    import itertools
    import threading

    from projections.export import csv_chunks, jsonl_chunks
    from projections.queries_audit import iter_entries

    threads = threading.active_count()
    with views(services) as conn:
        expected = conn.execute("SELECT seq, position, year, line, entry FROM audit_entries "
                                "ORDER BY seq").fetchall()
        expected_rows = [dict(zip(("seq", "position", "year", "line", "entry"), r, strict=True))
                         for r in expected]
        assert len(expected_rows) == year > 10
        for size in (1, 3, year - 1, year, year + 1):
            assert list(iter_entries(conn, itersize=size)) == expected_rows, size
            assert [r["seq"] for r in iter_entries(conn, itersize=size, first=3, last=9)] == [
                3, 4, 5, 6, 7, 8, 9]
        for write in (csv_chunks, jsonl_chunks):
            assert b"".join(write(iter_entries(conn, itersize=2))) == b"".join(
                write(iter_entries(conn)))
        rows = iter_entries(conn, itersize=2)
        assert list(itertools.islice(rows, 5)) == expected_rows[:5]
        rows.close()
        assert threading.active_count() == threads
        assert conn.execute("SELECT 1").fetchone() == (1,)

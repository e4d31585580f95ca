"""An export of a generated year verifies offline; every kind of tampering is detected and
located: in the bundle (a byte, a deleted, swapped or duplicated line, CRLF, a BOM, an edited
checkpoint, a wrong key) and in the database (a stored event, its topic or a field its line
does not show edited; an event forged into a gap of the log; an audit row edited; checkpoints
forged or deleted; the trail rewritten to match an edited event, caught by an anchor).

The year is generated once per module into a database that then serves as the template of
each test's own copy (CREATE DATABASE ... TEMPLATE), as tests/conftest.py does for the
migrated schema."""

from __future__ import annotations

import json
import pathlib
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from psycopg.sql import SQL, Identifier

from domain.kernel.actor import acting
from domain.users.accounts import token_hash, user_id
from projections import auditchain, verifier
from projections.audit import read_head
from projections.audit_checkpoints import Signer
from projections.audit_record import build_record, record_of
from projections.audit_verify import decode_state, verify_store
from projections.export import write_bundle
from tests.support.core import ROOT, Api
from tests.support.core import with_db as _with_db
from tests.support.replay import generate_year, replay
from web.app import create_app
from web.bootstrap import Services, bootstrap
from web.database import with_search_path
from web.settings import Settings

K = 5  # the line tampered with


@dataclass(frozen=True)
class Year:
    dbname: str
    head: int
    key: pathlib.Path
    bundle: pathlib.Path  # its export, made once too (a test tampers with its own copy)


@pytest.fixture(scope="module")
def filled(server_url: str, template_db: str,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[Year]:
    """A database holding one generated year (events, views, checkpoints) and its export,
    made once."""
    name = f"thidua_year_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(SQL("CREATE DATABASE {} TEMPLATE {}").format(Identifier(name),
                                                                  Identifier(template_db)))
    data = tmp_path_factory.mktemp("audit-year")
    key = data / "signing-key.pem"
    s = bootstrap(Settings(database_url=_with_db(server_url, name), data_dir=data,
                           pool_size=3, pool_overflow=5, signing_key=key),
                  start_projections=True)
    try:
        head = generate_year(s)
        with views(s) as conn:
            write_bundle(conn, s.extra["audit_signer"], data / "bundle")
    finally:
        s.close()
    yield Year(name, head, key, data / "bundle")
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(Identifier(name)))


@pytest.fixture
def db_url(server_url: str, filled: Year) -> Iterator[str]:
    """This test's own copy of the generated year."""
    name = f"thidua_t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(SQL("CREATE DATABASE {} TEMPLATE {}").format(Identifier(name),
                                                                  Identifier(filled.dbname)))
    yield _with_db(server_url, name)
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(Identifier(name)))


@pytest.fixture
def settings(db_url: str, tmp_path: pathlib.Path, filled: Year) -> Settings:
    return Settings(database_url=db_url, data_dir=tmp_path, pool_size=3, pool_overflow=5,
                    signing_key=filled.key)


@pytest.fixture
def services(settings: Settings) -> Iterator[Services]:
    """Without the background runner (stopping it waits out its LISTEN poll): a test that
    adds events brings the views up to date itself, as the CLI does."""
    s = bootstrap(settings, start_projections=False)
    yield s
    s.close()


@pytest.fixture
def year(filled: Year, services: Any) -> int:
    return filled.head


@pytest.fixture
def cli(services: Any, settings: Any) -> Any:
    return create_app(settings, services).test_cli_runner()


@pytest.fixture
def bundle(filled: Year, year: int, tmp_path: pathlib.Path) -> pathlib.Path:
    """This test's copy of the year's export (`flask audit export`)."""
    return pathlib.Path(shutil.copytree(filled.bundle, tmp_path / "bundle"))


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


def test_export_of_a_generated_year_verifies(bundle, year, cli, tmp_path):
    again = cli.invoke(args=["audit", "export", str(tmp_path / "again")])
    assert again.exit_code == 0, again.output
    assert (tmp_path / "again" / "audit.jsonl").read_bytes() == (
        bundle / "audit.jsonl").read_bytes()
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


# -- a forger with database access --------------------------------------------------------------
def report_of(services: Any, **kwargs: Any) -> Any:
    with views(services) as conn:
        return verify_store(services.app, conn,
                            services.extra["audit_signer"].key.public_key(), **kwargs)


def _set_state(services: Any, position: int, change: Any) -> None:
    with psycopg.connect(services.url, autocommit=True) as conn:
        row = conn.execute("SELECT state FROM thidua_events WHERE notification_id = %s",
                           (position,)).fetchone()
        state = json.loads(bytes(row[0]))
        change(state)
        conn.execute("UPDATE thidua_events SET state = %s WHERE notification_id = %s",
                     (json.dumps(state).encode(), position))


@pytest.mark.parametrize("topic", ["thidua:User.Disabled", "thidua:User.RoleGranted"])
def test_an_event_topic_changed_in_the_database_is_located_and_never_a_500(services, year, cli,
                                                                           client, topic):
    position, _ = _event_row(services, "thidua:User.Registered", "thanh.tra")
    with psycopg.connect(services.url, autocommit=True) as conn:
        conn.execute("UPDATE thidua_events SET topic = %s WHERE notification_id = %s",
                     (topic, position))
    report = report_of(services)
    assert report.broken and report.position == position, str(report)
    assert "topic" in (report.reason or ""), str(report)
    out = cli.invoke(args=["audit", "verify", "--against-store"])
    assert out.exit_code == 1 and f"BROKEN at position {position}" in out.output, out.output

    api = Api(client, services)  # a process that has never loaded the user (no cache)
    api.user("boss", ["admin", "auditor"])
    services.runner.catch_up()
    head = services.runner.head()
    answer = api.post("/users/thanh.tra/roles", "boss", json={"role": "auditor"})
    body = answer.get_json()
    assert answer.status_code == 409, body
    assert body["rule"] == "stored_events_readable" and "record" in body["errors"], body
    assert str(user_id("thanh.tra")) in body["message"] and "verify" in body["message"]
    assert services.runner.head() == head  # nothing was written
    answer = api.get(f"/audit/as-of/records/{user_id('thanh.tra')}?as_of={head}", "boss")
    assert answer.status_code == 409, answer.get_json()
    assert answer.get_json()["rule"] == "stored_events_readable"


def _gap_below_the_head(services: Any) -> int:
    """A save refused for a stale version (it still takes a log position), then one that
    succeeds: the position the refused one took is a gap below the head."""
    from eventsourcing.persistence import IntegrityError

    app = services.app
    first, second = (app.repository.get(user_id("thanh.tra")) for _ in range(2))
    with acting(ROOT):
        first.grant("auditor", by=ROOT.user_id)
        second.grant("leader", by=ROOT.user_id)
    app.save(first)
    with pytest.raises(IntegrityError):
        app.save(second)
    app.grant_role(ROOT, "thanh.tra", "officer")
    services.runner.catch_up()
    with psycopg.connect(services.url) as conn:
        ids = {r[0] for r in conn.execute("SELECT notification_id FROM thidua_events")}
    gaps = sorted(set(range(1, max(ids) + 1)) - ids)
    assert gaps, "the refused save left no gap"
    return gaps[0]


@pytest.mark.parametrize("where", ["in_a_gap", "before_the_first"])
def test_an_event_forged_into_a_gap_below_the_head_is_located(services, year, cli, where):
    gap = _gap_below_the_head(services)
    forged = gap if where == "in_a_gap" else 0
    with psycopg.connect(services.url, autocommit=True) as conn:
        oid, version, topic, state = conn.execute(
            "SELECT originator_id, originator_version, topic, state FROM thidua_events WHERE "
            "originator_id = %s ORDER BY originator_version DESC LIMIT 1",
            (user_id("thanh.tra"),)).fetchone()
        edited = json.loads(bytes(state))
        edited["role"] = "admin"
        conn.execute("INSERT INTO thidua_events (notification_id, originator_id, "
                     "originator_version, topic, state) VALUES (%s,%s,%s,%s,%s)",
                     (forged, oid, version + 1, topic, json.dumps(edited).encode()))
    assert "admin" in services.app.user("thanh.tra").roles  # the forgery counts at once
    report = report_of(services)
    assert report.broken and report.position == forged, str(report)
    assert "not in the audit trail, which had already passed" in (report.reason or "")
    out = cli.invoke(args=["audit", "verify", "--against-store"])
    assert out.exit_code == 1 and f"BROKEN at position {forged}" in out.output, out.output


def _insert_checkpoint(services: Any, how: str) -> tuple[int, Ed25519PrivateKey]:
    """A checkpoint of the current head that the configured key did not sign."""
    other = Ed25519PrivateKey.generate()
    with views(services) as conn, conn.cursor(row_factory=psycopg.rows.dict_row) as cur:
        chain = read_head(cur)
        cp = auditchain.sign_checkpoint(other, "thidua.baohiemxahoi.gov.vn", chain.size,
                                        chain.head)
        key_id = {"made_up_key_id": "0123456789abcdef" * 2, "another_key": cp["key_id"],
                  "bad_signature": services.extra["audit_signer"].key_id}[how]
        cur.execute("INSERT INTO audit_checkpoints (origin, size, head, signature, key_id, "
                    "signed_at, reason) VALUES (%s,%s,%s,%s,%s,now(),'on_demand') RETURNING id",
                    (cp["origin"], chain.size, chain.head, cp["signature"], key_id))
        return int(cur.fetchone()["id"]), other


@pytest.mark.parametrize(("how", "reason"), [
    ("made_up_key_id", "which is not a known key"),
    ("another_key", "which is not a known key"),
    ("bad_signature", "bad signature"),
])
def test_a_checkpoint_not_signed_by_the_known_key_is_named(services, year, cli, tmp_path,
                                                           how, reason):
    number, other = _insert_checkpoint(services, how)
    report = report_of(services)
    assert report.broken, str(report)
    assert f"checkpoint {number} at size {year}" in report.reason and reason in report.reason
    out = cli.invoke(args=["audit", "verify", "--against-store"])
    assert out.exit_code == 1 and f"checkpoint {number}" in out.output, out.output
    if how == "another_key":  # an earlier key, handed in, is known
        earlier = tmp_path / "earlier.pem"
        earlier.write_bytes(auditchain.public_key_pem(other))
        out = cli.invoke(args=["audit", "verify", "--against-store", "--key", str(earlier)])
        assert out.exit_code == 0 and "store: OK" in out.output, out.output


def test_a_trail_without_checkpoints_is_unanchored_not_ok(services, year, cli, tmp_path):
    published = tmp_path / "published.json"
    out = cli.invoke(args=["audit", "checkpoint", "--out", str(published)])
    assert out.exit_code == 0, out.output
    assert [cp["size"] for cp in json.loads(published.read_text())] == [year]
    with views(services) as conn:
        conn.execute("DELETE FROM audit_checkpoints")
    report = report_of(services)
    assert report.status == "UNANCHORED" and not report.ok and not report.broken, str(report)
    out = cli.invoke(args=["audit", "verify", "--against-store"])
    assert out.exit_code == 3 and "store: UNANCHORED" in out.output, out.output
    out = cli.invoke(args=["audit", "verify", "--against-store", "--anchor", str(published)])
    assert out.exit_code == 0 and "store: OK" in out.output, out.output
    assert "1 checkpoint(s) held outside" in out.output
    forged = json.loads(published.read_text())
    forged[0]["head"] = "00" * 32
    published.write_text(json.dumps(forged))
    out = cli.invoke(args=["audit", "verify", "--against-store", "--anchor", str(published)])
    assert out.exit_code == 1 and "is not signed by a known key" in out.output, out.output


def line_of(event: Any, position: int, line_version: int = 2) -> bytes:
    """The audit line of ``event``, as the projection writes it (version 2) or as the release
    before line versions did (version 1)."""
    if line_version == 2:
        return auditchain.canonical_line(record_of(event, position))
    from eventsourcing.utils import get_topic

    from projections.audit_record import redacted

    cls = type(event)
    return auditchain.canonical_line(build_record(
        position=position, topic=get_topic(cls), originator_id=event.originator_id,
        version=event.originator_version, class_version=getattr(cls, "class_version", 1),
        state=dict(vars(event)), hide=redacted(cls), line_version=1))


def rewrite_trail(services: Any, first: int, line_version: int = 2) -> None:
    """What a forger with database access (and this code) can do: recompute every line
    from ``first`` on from the stored events, chain them again, and delete the checkpoints
    that no longer match."""
    app = services.app
    notes = {n.id: n for n in app.recorder.select_notifications(start=None, limit=10**6)}
    with views(services) as conn:
        rows = conn.execute("SELECT seq, position FROM audit_entries WHERE seq >= %s "
                            "ORDER BY seq", (first,)).fetchall()
        before = conn.execute("SELECT entry FROM audit_entries WHERE seq = %s",
                              (first - 1,)).fetchone()
        chain = auditchain.Chain(bytes(before[0]), first - 1) if before else auditchain.Chain()
        for seq, position in rows:
            line = line_of(app.mapper.to_domain_event(notes[position]), position, line_version)
            conn.execute("UPDATE audit_entries SET line = %s, entry = %s WHERE seq = %s",
                         (line, chain.append(line), seq))
        conn.execute("DELETE FROM audit_checkpoints WHERE size >= %s", (first,))


def test_a_trail_rewritten_to_match_an_edited_event_is_caught_by_an_anchor(services, year, cli,
                                                                          bundle, tmp_path):
    published = tmp_path / "published.json"  # the operator publishes the head, as a habit
    assert cli.invoke(args=["audit", "checkpoint", "--out", str(published)]).exit_code == 0
    position, _ = _event_row(services, "thidua:Unit.Registered", "BHXH thành phố Hà Nội")
    _set_state(services, position, lambda s: s.update(name="BHXH thành phố Hải Phòng"))
    with views(services) as conn:
        seq = conn.execute("SELECT seq FROM audit_entries WHERE position = %s",
                           (position,)).fetchone()[0]
        conn.execute("DELETE FROM public.thidua_snapshots WHERE originator_id = (SELECT "
                     "originator_id FROM public.thidua_events WHERE notification_id = %s)",
                     (position,))  # snapshots are optional: the record is rebuilt without
    rewrite_trail(services, seq)

    report = report_of(services)  # the database alone agrees with itself...
    assert not report.broken, str(report)
    assert f"entries {report.signed_at + 1}..{year} rest on the database alone" in str(report)
    for anchor in (published, bundle / "checkpoints.json"):  # ...but not with what was held
        out = cli.invoke(args=["audit", "verify", "--against-store", "--anchor", str(anchor)])
        assert out.exit_code == 1, out.output
        assert f"does not match the chain at size {year}" in out.output, out.output
    again = tmp_path / "again"  # a new export, which the system signs afresh
    assert cli.invoke(args=["audit", "export", str(again)]).exit_code == 0
    assert verifier.verify_bundle(again).ok
    out = subprocess.run([sys.executable, str(again / "verifier.py"), str(again), "--anchor",
                          str(bundle / "checkpoints.json")],
                         capture_output=True, text=True, check=False)
    assert out.returncode == 1, out.stdout + out.stderr
    assert out.stdout.startswith("BROKEN") and f"at size {year} does not match anchor" in \
        out.stdout, out.stdout


@pytest.mark.parametrize(("topic", "change"), [
    ("thidua:ApiToken.Issued", lambda s: s.update(token_hash=token_hash("thd_forged"))),
    ("thidua:User.Registered", lambda s: s.update(originator_topic="thidua:ApiToken")),
    ("thidua:User.Registered", lambda s: s["actor"].update(on_behalf_of="someone else")),
    ("thidua:User.Registered",  # the time as the line shows it, but text, not a time
     lambda s: s.update(timestamp=s["timestamp"]["_data_"].replace("+00:00", "Z"))),
], ids=["token_hash", "aggregate_class", "actor_detail", "type_of_time"])
def test_an_edit_its_line_does_not_show_is_located(services, year, topic, change):
    position, _ = _event_row(services, topic, "thanh.tra" if "User" in topic else "")
    _set_state(services, position, change)
    report = report_of(services)
    assert report.broken and report.position == position, str(report)
    assert "in what its line does not show" in (report.reason or ""), str(report)


def test_a_snapshot_edited_in_the_database_is_named(services, year, cli):
    """The application reads a record from its latest snapshot: an edited snapshot would
    show what no event says, with every event and line intact."""
    with psycopg.connect(services.url, autocommit=True) as conn:
        oid, version, state = conn.execute(
            "SELECT originator_id, originator_version, state FROM thidua_snapshots WHERE "
            "convert_from(state, 'UTF8') LIKE '%\"topic\":\"thidua:Unit\"%' "
            "ORDER BY originator_version DESC LIMIT 1").fetchone()
        edited = json.loads(bytes(state))
        edited["state"]["periods"][-1]["name"] = "BHXH thành phố Hải Phòng"
        conn.execute("UPDATE thidua_snapshots SET state = %s WHERE originator_id = %s AND "
                     "originator_version = %s", (json.dumps(edited).encode(), oid, version))
    assert services.app.repository.get(oid).name == "BHXH thành phố Hải Phòng"
    report = report_of(services)
    assert report.broken, str(report)
    assert f"the snapshot of record {oid} at version {version} is not the state its " \
           "events give" in report.reason
    out = cli.invoke(args=["audit", "verify", "--against-store"])
    assert out.exit_code == 1 and f"snapshot of record {oid}" in out.output, out.output


def test_a_trail_of_old_lines_verifies_replays_and_locates_edits(services, year):
    """A store whose trail an earlier release wrote (lines without line_version)."""
    from projections.export import jsonl_chunks
    from projections.queries_audit import iter_entries

    rewrite_trail(services, 1, line_version=1)
    signer = services.extra["audit_signer"]
    with views(services) as conn:
        signer.checkpoint(conn, "on_demand")
        rows = conn.execute("SELECT seq, line, entry FROM audit_entries ORDER BY seq").fetchall()
        assert all(b'"line_version"' not in bytes(line) for _, line, _ in rows)
        assert b"".join(jsonl_chunks(iter_entries(conn))) == b"".join(
            auditchain.export_line(seq, bytes(line), bytes(entry)) for seq, line, entry in rows)
    assert report_of(services).ok, str(report_of(services))
    assert replay(services, None).equal  # rebuilt (version 2) lines compare with old ones
    position, _ = _event_row(services, "thidua:Unit.Registered", "BHXH thành phố Hà Nội")
    _set_state(services, position, lambda s: s.update(name="BHXH thành phố Hải Phòng"))
    report = report_of(services)
    assert report.broken and report.position == position and "data.name" in report.reason


def test_a_line_version_2_binds_the_decoded_event(services, year):
    """Every new line names its format and the digest of its event as stored."""
    with views(services) as conn:
        line = bytes(conn.execute("SELECT line FROM audit_entries WHERE seq = %s",
                                  (K,)).fetchone()[0])
    record = json.loads(line)
    note = services.app.recorder.select_notifications(start=record["position"], limit=1)[0]
    state = decode_state(services.app.mapper, note.state)
    assert record["line_version"] == 2 and len(record["event_sha256"]) == 64
    assert record["event_sha256"] == build_record(
        position=note.id, topic=note.topic, originator_id=note.originator_id,
        version=note.originator_version, class_version=1, state=state)["event_sha256"]

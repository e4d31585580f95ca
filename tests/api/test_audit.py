"""The audit trail through the API: timeline, streamed exports (JSONL, CSV, XLSX), rights,
denied attempts, checkpoints, and records as of a moment."""

from __future__ import annotations

import csv
import io
import json
import time
from datetime import UTC, datetime
from urllib.parse import quote

import psycopg
from openpyxl import load_workbook

from projections import auditchain
from projections.audit_denied import record_denied
from tests.support.core import ROOT
from web.database import with_search_path

FORMULA = '=HYPERLINK("http://evil.example/","Bấm vào đây")'


def setup_org(api):
    app = api.services.app
    app.register_unit(ROOT, code="P01", name="BHXH thành phố Hà Nội", level="province",
                      parent_code=None, effective="2020-01-01")
    for i in (1, 2, 3):
        app.register_unit(ROOT, code=f"P01D0{i}", name=f"BHXH huyện Ba Vì {i}",
                          level="district", parent_code="P01", effective="2020-01-01")
    for code in ("C01", "C02"):
        app.register_unit(ROOT, code=code, name=f"Ban Thu {code}", level="central",
                          parent_code=None, effective="2020-01-01")
    r = api.post("/groups", json={"year": 2024, "kind": "block", "code": "K1",
                                  "name": "Khối thi đua số 1", "members": ["C01"]})
    assert r.status_code == 201, r.get_json()
    return r.get_json()["id"]


def audit_rows(api):
    with psycopg.connect(with_search_path(api.services.url, "views")) as conn:
        return conn.execute("SELECT seq, line, entry FROM audit_entries ORDER BY seq").fetchall()


def test_every_event_gets_one_chained_canonical_line(api):
    setup_org(api)
    head = api.services.runner.head()
    r = api.get("/audit/timeline/2024?page_size=500")
    assert r.status_code == 200, r.get_json()
    rows = audit_rows(api)
    assert len(rows) == head
    chain = auditchain.Chain()
    for seq, line, entry in rows:
        record = json.loads(bytes(line))
        assert auditchain.canonical_line(record) == bytes(line)  # RFC 8785, exactly
        assert chain.append(bytes(line)) == bytes(entry) and seq == chain.size
        assert {"position", "event_id", "time", "actor", "unit", "action", "object_type",
                "object_id", "version", "summary_vi", "summary_en", "request_id",
                "source_address", "reason"} <= set(record)
        assert "token_hash" not in record["data"]
    items = r.get_json()["items"]
    assert [i["topic"] for i in items] == ["thidua:GroupYear.Opened",
                                           "thidua:GroupYear.GroupFormed",
                                           "thidua:GroupYear.MembersAdded"]
    formed = items[1]
    assert formed["summary_vi"] == "Thành lập Khối thi đua K1 – Khối thi đua số 1"
    assert formed["actor"]["name"] == "admin" and formed["actor"]["role"] == "standing_office"
    assert formed["unit"]["code"] == "VTDKT" and formed["request_id"]


def test_timeline_filters_by_unit_group_actor_and_kind(api):
    gid = setup_org(api)
    api.post(f"/groups/{gid}/members", json={"year": 2024, "members": ["C02"]})
    api.delete(f"/groups/{gid}/members/C01", json={"year": 2024, "reason": "Giải thể"})

    def topics(query):
        r = api.get(f"/audit/timeline/2024?{query}")
        assert r.status_code == 200, r.get_json()
        return [i["topic"].split(":")[1] for i in r.get_json()["items"]]

    assert topics("group=" + gid) == ["GroupYear.GroupFormed", "GroupYear.MembersAdded",
                                      "GroupYear.MembersAdded", "GroupYear.MemberRemoved"]
    assert topics("unit=C02") == ["GroupYear.MembersAdded"]
    assert topics("kind=GroupYear.MemberRemoved") == ["GroupYear.MemberRemoved"]
    assert topics("actor=nobody") == []
    assert len(topics("actor=admin")) == 5
    removed = api.get("/audit/timeline/2024?kind=GroupYear.MemberRemoved").get_json()
    assert removed["items"][0]["reason"] == "Giải thể"
    page = api.get("/audit/timeline/2024?page=2&page_size=2").get_json()
    assert page["total"] == 5 and [i["seq"] for i in page["items"]] == [
        p["seq"] for p in api.get("/audit/timeline/2024").get_json()["items"][2:4]]


def test_jsonl_export_streams_the_exact_stored_lines(api):
    setup_org(api)
    r = api.get("/audit/events?format=jsonl")
    assert r.status_code == 200
    assert r.is_streamed
    assert r.headers["Content-Type"].startswith("application/x-ndjson")
    expected = b"".join(auditchain.export_line(s, bytes(line), bytes(entry))
                        for s, line, entry in audit_rows(api))
    assert r.data == expected
    assert int(r.headers["X-Audit-Checkpoint-Size"]) == len(audit_rows(api))
    year = api.get("/audit/events?format=jsonl&year=2024&kind=GroupYear").data
    assert len(year.splitlines()) == 3


def test_csv_and_xlsx_keep_formulas_as_text_and_vietnamese_intact(api):
    app = api.services.app
    app.register_user(ROOT, username="can.bo", full_name="Nguyễn Thị Hằng", roles=["auditor"],
                      unit_code=None)
    token = app.issue_token(ROOT, "can.bo", label="Kiểm tra").view
    app.revoke_token(ROOT, token["id"], reason=FORMULA)

    r = api.get("/audit/events?format=csv")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/csv")
    assert r.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(r.data.decode("utf-8-sig"))))
    revoked = next(row for row in rows if row["topic"] == "thidua:ApiToken.Revoked")
    assert revoked["reason"] == "'" + FORMULA
    assert revoked["summary_vi"] == "Thu hồi mã truy cập"
    assert any("Nguyễn Thị Hằng" in row["data"] for row in rows)
    assert not any(v.startswith(("=", "+", "-", "@", "\t", "\r"))
                   for row in rows for v in row.values())

    r = api.get("/audit/events?format=xlsx")
    assert r.status_code == 200
    sheet = load_workbook(io.BytesIO(r.data)).active
    header = [c.value for c in sheet[1]]
    cells = {header[i]: c for i, c in enumerate(sheet[sheet.max_row])}
    assert cells["topic"].value == "thidua:ApiToken.Revoked"
    assert cells["reason"].value == FORMULA and cells["reason"].data_type == "s"
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert any(isinstance(v, str) and "Nguyễn Thị Hằng" in v for v in values)
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_only_audit_roles_export_and_refusals_are_recorded(api):
    api.services.app.register_unit(ROOT, code="P01", name="BHXH thành phố Hà Nội",
                                   level="province", parent_code=None, effective="2020-01-01")
    api.user("can.bo", ["officer"], "P01")
    api.user("thanh.tra", ["inspector"])
    assert api.get("/audit/events", who="can.bo").status_code == 403
    assert api.get("/audit/timeline/2024", who="can.bo").status_code == 403
    assert api.get("/audit/events?format=csv", who="thanh.tra").status_code == 200
    r = api.client.get("/audit/events", headers={"Authorization": "Bearer thd_not-a-token"},
                       environ_base={"REMOTE_ADDR": "203.0.113.7"})
    assert r.status_code == 401
    denied = api.get("/audit/denied", who="thanh.tra").get_json()
    first, second, third = denied["items"][2], denied["items"][1], denied["items"][0]
    assert (first["status"], first["user_name"], first["path"]) == (403, "can.bo",
                                                                    "/audit/events")
    assert first["rule"] == "audit.export" and first["source_address"] == "127.0.0.1"
    assert second["path"] == "/audit/timeline/2024"
    assert third["status"] == 401 and third["user_name"] is None
    assert third["source_address"] == "203.0.113.7" and third["token_id"]
    assert "thd_not-a-token" not in json.dumps(denied)


def test_denied_attempts_are_capped_per_source_and_chained(api):
    url = with_search_path(api.services.url, "views")
    now = datetime(2024, 5, 1, 8, 0, 30, tzinfo=UTC)
    with psycopg.connect(url, autocommit=True) as conn:
        sources = ["10.0.0.1"] * 6 + [f"10.0.1.{i}" for i in range(10)]
        written = [record_denied(conn, {"status": 401, "source_address": s}, now=now,
                                 per_source=3, all_sources=5) for s in sources]
        assert written == [True] * 3 + [False] * 3 + [True] * 2 + [False] * 8
        counts = conn.execute("SELECT source, recorded, dropped FROM denied_counters "
                              "ORDER BY source").fetchall()
        assert counts == [("*", 5, 8), ("10.0.0.1", 3, 3), ("10.0.1.0", 1, 0),
                          ("10.0.1.1", 1, 0)]
        from projections.audit_denied import verify_denied

        assert verify_denied(conn) == (True, 5, None)
        conn.execute("UPDATE denied_attempts SET line = convert_to('{}', 'UTF8') WHERE seq = 2")
        assert verify_denied(conn) == (False, 2, "row 2: hash mismatch (edited)")
    assert api.get("/audit/denied").get_json()["not_recorded"] == 11


def test_refusals_over_the_cap_leave_a_count_row_in_the_chain(api):
    from datetime import timedelta

    from projections.audit_denied import verify_denied

    api.services.app.register_unit(ROOT, code="P01", name="BHXH thành phố Hà Nội",
                                   level="province", parent_code=None, effective="2020-01-01")
    api.user("can.bo", ["officer"], "P01")
    app = api.services.app
    minute = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(minutes=5)
    app.clock = lambda: minute + timedelta(seconds=20)
    for _ in range(33):  # the cap is 30 rows per address and minute
        assert api.get("/audit/events", who="can.bo").status_code == 403
    page = api.get("/audit/denied?page_size=100").get_json()
    assert page["total"] == 30 and page["not_recorded"] == 3
    assert not [d for d in page["items"] if d.get("count")], "the minute is not over yet"

    app.clock = lambda: minute + timedelta(seconds=75)
    page = api.get("/audit/denied?page_size=100").get_json()
    count = page["items"][0]
    assert page["total"] == 31
    assert (count["rule"], count["count"], count["source_address"]) == ("denied_count", 3,
                                                                       "127.0.0.1")
    assert count["minute"] == minute.strftime("%Y-%m-%dT%H:%M:00.000000Z")
    assert count["message"].startswith("3 more denied attempts from 127.0.0.1")
    assert "status" not in count
    # written once: neither a second read nor the next refusal counts them again
    assert api.get("/audit/events", who="can.bo").status_code == 403
    page = api.get("/audit/denied?page_size=100").get_json()
    assert page["total"] == 32 and [d["count"] for d in page["items"] if "count" in d] == [3]
    url = with_search_path(api.services.url, "views")
    with psycopg.connect(url, autocommit=True) as conn:
        assert verify_denied(conn) == (True, 32, None)


def test_the_cap_for_all_addresses_is_counted_too(api):
    from projections.audit_denied import verify_denied

    url = with_search_path(api.services.url, "views")
    now = datetime(2024, 5, 1, 8, 0, 30, tzinfo=UTC)
    later = datetime(2024, 5, 1, 8, 1, 5, tzinfo=UTC)
    with psycopg.connect(url, autocommit=True) as conn:
        for i in range(12):
            record_denied(conn, {"status": 401, "source_address": f"10.0.1.{i}"}, now=now,
                          per_source=3, all_sources=5)
        record_denied(conn, {"status": 403, "source_address": "10.0.2.1"}, now=later,
                      per_source=3, all_sources=5)
        rows = conn.execute("SELECT convert_from(line, 'UTF8')::jsonb FROM denied_attempts "
                            "ORDER BY seq").fetchall()
        assert verify_denied(conn) == (True, 7, None)
    count, last = rows[5][0], rows[6][0]
    assert (count["count"], count["source_address"]) == (7, "*")
    assert count["message"].startswith("7 more denied attempts from any address")
    assert last["source_address"] == "10.0.2.1"


def test_checkpoints_on_demand_in_health_and_key_outside_the_database(api, settings):
    setup_org(api)
    r = api.post("/audit/checkpoints")
    assert r.status_code == 201, r.get_json()
    cp = r.get_json()
    assert cp["size"] == api.services.runner.head()
    assert settings.signing_key.exists()
    listing = api.get("/audit/checkpoints").get_json()
    assert listing["size"] == cp["size"] and listing["head"] == cp["head"]
    key = listing["public_key"].encode()
    assert api.get("/audit/public-key").data == key
    assert api.client.get("/health").get_json()["last_checkpoint"]["head"] == cp["head"]
    assert api.post("/audit/checkpoints?force=true").get_json()["signed_at"]
    with psycopg.connect(api.services.url) as conn:  # the private key never in the database
        pem = settings.signing_key.read_bytes()
        body = pem.split(b"-----")[2].strip()
        found = conn.execute("SELECT count(*) FROM views.audit_checkpoints WHERE "
                             "signature LIKE %s", (f"%{body[:20].decode()}%",)).fetchone()
    assert found == (0,)
    api.user("can.bo", ["officer"], "VTDKT")
    assert api.post("/audit/checkpoints", who="can.bo").status_code == 403


def test_group_as_of_matches_the_live_view_at_each_moment(api):
    gid = setup_org(api)
    moments = []

    def snapshot():
        live = api.get(f"/groups/{gid}").get_json()
        moments.append((api.last_position, datetime.now(UTC), live))
        time.sleep(0.01)

    snapshot()
    r = api.post(f"/groups/{gid}/members", json={"year": 2024, "members": ["C02"]})
    assert r.status_code == 200, r.get_json()
    snapshot()
    r = api.post("/units/C02/rename", json={"name": "Ban Thu mới", "effective": "2024-07-01"})
    assert r.status_code in (200, 201), r.get_json()
    snapshot()
    api.delete(f"/groups/{gid}/members/C01", json={"year": 2024, "reason": "Giải thể"})
    snapshot()
    for position, when, live in moments:
        for as_of in (str(position), when.isoformat()):
            r = api.get(f"/audit/as-of/groups/{gid}?as_of={quote(as_of)}")
            assert r.status_code == 200, r.get_json()
            then = r.get_json()
            assert then.pop("as_of_position") <= api.last_position
            assert then == live, (as_of, then, live)
    assert api.get(f"/audit/as-of/groups/{gid}?as_of=1").status_code == 404
    assert api.get(f"/audit/as-of/groups/{gid}?as_of=yesterday").status_code == 422


def test_any_record_as_of_a_position(api):
    setup_org(api)
    app = api.services.app
    before = api.services.runner.head()
    after = app.rename_unit(ROOT, "C02", name="Ban Thu mới", effective="2024-07-01").position
    uid = str(app.unit("C02").id)
    old = api.get(f"/audit/as-of/records/{uid}?as_of={before}").get_json()
    new = api.get(f"/audit/as-of/records/{uid}?as_of={after}").get_json()
    assert old["type"] == "Unit" and old["version"] == 1 and new["version"] == 2
    assert [p["name"] for p in old["state"]["periods"]] == ["Ban Thu C02"]
    assert [p["name"] for p in new["state"]["periods"]] == ["Ban Thu C02", "Ban Thu mới"]
    assert api.get(f"/audit/as-of/records/{uid}?as_of=1").status_code == 404
    assert api.get(f"/audit/as-of/score-sheets/{uid}?as_of={after}").status_code == 404
    api.user("can.bo", ["officer"], "VTDKT")
    assert api.get(f"/audit/as-of/records/{uid}?as_of={after}", who="can.bo").status_code == 403

"""Bad input in addresses and numbers, and the shape of every error: each a 4xx with the JSON
error body naming the field and the rule, never a 5xx, never an HTML page, nothing written."""

from __future__ import annotations

from typing import Any

import pytest

GROUP = "00000000-0000-0000-0000-000000000000"
VALID_UNIT = {"code": "P01", "name": "BHXH tỉnh A", "level": "province",
              "effective": "2020-01-01"}


def error(r: Any, status: int) -> dict[str, Any]:
    """The answer is the JSON error body with ``status``, and its rule."""
    assert r.status_code == status, (r.status_code, r.get_data()[:300])
    assert r.mimetype == "application/json", (r.mimetype, r.get_data()[:300])
    body = r.get_json()
    assert body["code"] == status and body["status"] and body["message"], body
    assert isinstance(body["errors"], dict) and body.get("rule"), body
    return body


# -- 1. what PostgreSQL cannot hold: addresses that are not text, values out of range ------
@pytest.mark.parametrize(("path", "field"), [
    ("/units?code=%00", "code"),                 # NUL: PostgreSQL cannot hold it
    ("/units/%00", "path"),
    ("/units?code=%ff", "code"),                 # not UTF-8
    ("/units/%C0%AF", "path"),                   # an overlong '/', not UTF-8
    ("/units?code=P01%1b%5b2J", "code"),         # an escape sequence
    ("/units?code=%EF%BF%BD", "code"),           # U+FFFD: what was not text
    ("/groups?year=2024&kind=block%0d%0aX:1", "kind"),
    (f"/audit/as-of/groups/{GROUP}?as_of=2024-01-01%00", "as_of"),
    ("/units?co%00de=P01", "query"),             # in a parameter's name
])
def test_an_address_that_is_not_clean_text_is_a_400(api, path, field):
    body = error(api.get(path), 400)
    assert field in body["errors"] and body["rule"] == "url_text"


def test_raw_undecodable_bytes_from_the_server_are_a_400(api):
    """As a WSGI server (gunicorn) hands them over: the path's raw bytes as latin-1."""
    r = api.client.get("/units/x", headers=api.headers("admin"),
                       environ_overrides={"PATH_INFO": "/units/\xc0\xaf"})
    assert "path" in error(r, 400)["errors"]
    r = api.client.get("/units", headers=api.headers("admin"),
                       environ_overrides={"QUERY_STRING": "code=\xff"})
    assert "code" in error(r, 400)["errors"]


def test_a_write_to_an_address_that_is_not_text_writes_nothing(api):
    assert api.post("/units", json=VALID_UNIT).status_code == 201
    head = api.services.runner.head()
    error(api.post("/units/P01%00/rename", json={"name": "B", "effective": "2021-01-01"}), 400)
    error(api.post("/units/P01/rename?x=%ff", json={"name": "B", "effective": "2021-01-01"}),
          400)
    assert api.services.runner.head() == head


def test_an_address_is_checked_before_the_token(client):
    error(client.get("/units?code=%00"), 400)


def test_clean_text_in_an_address_is_still_read(api):
    assert api.get("/units?code=P01&date=2024-01-01").status_code == 200
    assert api.get("/units?parent=Th%C3%A0nh%20ph%E1%BB%91").status_code == 200  # Vietnamese


@pytest.mark.own_app
def test_a_value_the_database_refuses_is_a_422_not_a_503(api, flask_app):
    """Defence in depth: should a number ever pass a schema unbounded, PostgreSQL's
    numeric_value_out_of_range (through the read pool, or the event store's wrapper) is the
    client's fault, not an outage to retry."""
    services = api.services

    @flask_app.get("/test/overflow/<where>")
    def overflow(where: str) -> Any:
        if where == "views":
            with services.reads.connection() as conn:
                conn.execute("SELECT %s::int", (2**40,))
        else:
            with services.app.recorder.datastore.transaction(commit=False) as curs:
                curs.execute("SELECT %s::int", (2**40,))
        return {}

    for where in ("views", "store"):
        r = api.get(f"/test/overflow/{where}")
        assert "Retry-After" not in r.headers
        assert error(r, 422)["rule"] == "value_storable"
    assert api.get("/health").get_json()["database"] == "ok"


# -- 2. numbers beyond what they mean or what the database holds ----------------------------
BIG = 2**63  # one past PostgreSQL's bigint


@pytest.mark.parametrize(("method", "path", "body", "field"), [
    ("get", "/units?page=99999999999", None, "page"),
    ("get", f"/units?wait_for={BIG}", None, "wait_for"),
    ("get", "/groups?year=99999999999", None, "year"),
    ("get", f"/evaluation/rulesets/QD1779?version={BIG}", None, "version"),
    ("get", "/groups?year=2_024", None, "year"),             # int() reads it as 2024
    ("get", "/groups?year=%D9%A2%D9%A0%D9%A2%D9%A4", None, "year"),  # Arabic-Indic 2024
    ("post", "/units/VTDKT/rename", {"name": "X", "effective": "2021-01-01", "version": BIG},
     "version"),
    ("post", "/groups", {"year": 2024, "kind": "block", "code": "K1", "name": "Khối 1",
                         "version": BIG}, "version"),
    ("post", "/groups", {"year": 2024.5, "kind": "block", "code": "K1", "name": "Khối 1"},
     "year"),                                                # not truncated to 2024
    ("put", "/election-rules/2024", {"quorum": "2/3", "version": BIG}, "version"),
    ("post", "/elections", {"group_id": GROUP, "year": 2024, "meeting_date": "2024-12-20",
                            "place": "Hà Nội", "present": ["VTDKT"], "term": BIG}, "term"),
    ("post", "/evaluation/rulesets", {"content": {}, "version": BIG}, "version"),
    ("post", "/evaluation/cycles", {"year": 2024, "ruleset_code": "QD1779",
                                    "ruleset_version": BIG, "monitoring": [],
                                    "organisation_scoring": []}, "ruleset_version"),
    ("put", "/evaluation/sheets", {"year": 2024, "kind": "self", "subject_code": "VTDKT",
                                   "scores": {}, "version": BIG}, "version"),
    ("post", f"/evaluation/sheets/{GROUP}/submit", {"version": BIG}, "version"),
    ("post", f"/covenants/{GROUP}/amendments", {"reason": "R", "version": BIG}, "version"),
])
def test_a_number_out_of_range_is_a_422_naming_it(api, method, path, body, field):
    head = api.services.runner.head()
    r = api.get(path) if method == "get" else api.call(method, path, "admin", json=body)
    got = error(r, 422)
    assert field in got["errors"] and got["rule"] == "schema", got
    assert api.services.runner.head() == head


def test_a_path_number_is_ascii_digits(api):
    """werkzeug's <int:year> also matched '٢٠٢٤' (Arabic-Indic digits) and read it as 2024."""
    assert api.get("/election-rules/2024").status_code == 200
    error(api.get("/election-rules/%D9%A2%D9%A0%D9%A2%D9%A4"), 404)


# -- 3. digits that str.isdigit() accepts and int() does not ---------------------------------
@pytest.mark.parametrize("as_of", ["%C2%B2", "%E2%91%A0", "%D9%A3", "1%C2%B2"])  # ² ① ٣ 1²
def test_an_as_of_that_is_not_ascii_digits_is_a_422(api, as_of):
    body = error(api.get(f"/audit/as-of/groups/{GROUP}?as_of={as_of}"), 422)
    assert "as_of" in body["errors"] and body["rule"] == "as_of_format"


def test_an_as_of_far_beyond_the_log_is_its_head(api):
    digits = "9" * 39  # more than any int64, fewer than the field's 40 characters
    body = error(api.get(f"/audit/as-of/groups/{GROUP}?as_of={digits}"), 404)
    assert "group_id" in body["errors"]


def test_a_fraction_in_other_digits_is_refused_as_a_format():
    from domain.elections.rules import parse_fraction
    from domain.kernel.errors import InvalidInput

    for text in ("²/3", "2/٣", "①/2"):
        with pytest.raises(InvalidInput) as raised:
            parse_fraction(text, "quorum")
        assert raised.value.rule == "fraction_format"


# -- 4. a score sheet without scores ----------------------------------------------------------
def test_a_score_sheet_without_scores_is_a_422_naming_the_field(api):
    head = api.services.runner.head()
    r = api.put("/evaluation/sheets", json={"year": 2024, "kind": "self",
                                            "subject_code": "VTDKT"})
    body = error(r, 422)
    assert "scores" in body["errors"] and body["rule"] == "schema"
    assert api.services.runner.head() == head


# -- 5. no error is an HTML page ---------------------------------------------------------------
@pytest.mark.parametrize(("method", "path", "kwargs", "status"), [
    ("get", "/nothing-here", {}, 404),
    ("get", "/units/", {}, 404),
    ("get", "//units", {}, 404),
    ("get", "/static/anything.css", {}, 404),
    ("get", "/audit/as-of/groups/not-a-uuid?as_of=1", {}, 404),
    ("get", "/evaluation/sheets/xyz", {}, 404),
    ("get", "/evaluation/cycles/twenty", {}, 404),
    ("post", "/units", {"data": b"{", "content_type": "application/json"}, 400),
    ("post", "/units", {"data": b"[1, 2]", "content_type": "application/json"}, 422),
    ("post", "/membership-lists", {"data": b"--x\r\n", "content_type": "multipart/form-data"},
     422),
    ("post", "/units", {"data": b"x" * (6 * 1024 * 1024),
                        "content_type": "application/json"}, 413),
])
def test_errors_are_json_with_the_error_schema(api, method, path, kwargs, status):
    error(api.call(method, path, "admin", **kwargs), status)


@pytest.mark.parametrize(("method", "path", "allowed"), [
    ("delete", "/units", {"GET", "POST"}),
    ("patch", "/units/VTDKT", {"GET"}),
    ("post", "/health", {"GET"}),
    ("put", "/evaluation/cycles/2024", {"GET"}),
])
def test_a_method_not_allowed_is_json_and_says_which_are(api, method, path, allowed):
    r = api.call(method, path, "admin", json={})
    assert error(r, 405)["rule"] == "method_allowed"
    assert allowed <= {m.strip() for m in r.headers["Allow"].split(",")}


def test_errors_before_any_token_is_read_are_json(client):
    error(client.get("/nothing-here"), 404)
    error(client.get("/units"), 401)


# -- 8. every error names its rule -------------------------------------------------------------
def test_a_schema_refusal_names_the_rule_schema(api):
    for r in (api.post("/units", json={**VALID_UNIT, "extra": 1}),
              api.post("/units", json={"code": "P01"}),
              api.get("/units?page=0")):
        assert error(r, 422)["rule"] == "schema"

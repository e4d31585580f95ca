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
